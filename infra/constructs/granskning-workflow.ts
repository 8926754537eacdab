import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { MailSending } from './mail-sending.js';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.js';
import { ARKIV_PREFIX } from '../../events/storage-layout.js';
import { granskningBegardPattern, startarGranskningPattern } from '../../events/handling-diarieford.js';
import { AppFunction } from './app-function.js';
import { SecureQueue, grantObjectWrite, grantTableReadWrite } from './data-access.js';
import type { DataResources } from './data-access.js';

/** State names: the local runner maps its task handlers by these (a contract). */
export const GRANSKNING_STATES = {
  notifiera: 'NotifieraBeredningsgrupp',
  paminnelse: 'Paminnelse',
  eskalering: 'Eskalering',
  ingetBeslut: 'IngetBeslut',
  avsluta: 'Avsluta',
  misslyckades: 'GranskningMisslyckades',
  klar: 'Klar',
} as const;

export interface GranskningWorkflowProps {
  readonly config: StageConfig;
  readonly data: DataResources;
  readonly appBus: events.EventBus;
  readonly deliveryDlq: sqs.IQueue;
  readonly publicBaseUrl: string;
  readonly logRetention: logs.RetentionDays;
  /** The SES configuration set every send names (bounces and complaints). */
  readonly mail: MailSending;
}

/**
 * The granskning: a Standard state machine that notifies the beredningsgrupp and waits for a decision
 * (task token kept server-side), reminds and escalates on timeouts, and closes the ärende.
 * Started by start-granskning on `HandlingDiarieford` (komplett) or `GranskningBegard` on the app bus.
 */
export class GranskningWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly task: AppFunction;
  readonly finalize: AppFunction;
  readonly starter: AppFunction;
  readonly starterDlq: sqs.Queue;
  readonly rules: events.Rule[];

  constructor(scope: Construct, id: string, props: GranskningWorkflowProps) {
    super(scope, id);
    const { config, data } = props;

    this.task = new AppFunction(this, 'GranskningTaskFunction', {
      entry: 'functions/granskning-task/handler.ts',
      description: 'Granskning: notifies, reminds and escalates to the beredningsgrupp (waitForTaskToken)',
      memorySize: 512,
      timeout: Duration.seconds(60),
      logRetention: props.logRetention,
      environment: {
        TABLE_NAME: data.table.tableName,
        INBOUND_BUCKET: data.bucket.bucketName,
        MAIL_FROM: config.mailFrom,
        MAIL_REPLY_TO: config.replyTo,
        ...props.mail.environment,
        PUBLIC_BASE_URL: props.publicBaseUrl,
        BEREDNINGSGRUPP: JSON.stringify(config.beredningsgrupp),
        BEREDNINGSGRUPP_FRANVARANDE: config.franvarande.join(','),
        FORBUNDSCHEF_EMAIL: config.forbundschefEmail,
        KANSLI_EMAIL: config.kansliEmail,
        LINK_TTL_SECONDS: String(config.linkTtlSeconds),
        DIARIUM_SERIE: config.diariumSerie,
        // Every function that builds the granskning's dependencies sees the configured rule, not a default.
        BESLUT_POLICY: JSON.stringify(config.beslutPolicy),
      },
    });
    grantTableReadWrite(this.task, data);
    props.mail.grantSend(this.task, config.domain);
    grantObjectWrite(
      this.task,
      data,
      [ARKIV_PREFIX.handling],
      'granskning-task keeps each invitation as sent (without its link) among the handlingar.',
    );
    this.task.acknowledgeSynchronous('Step Functions (lambda:invoke.waitForTaskToken)');

    this.finalize = new AppFunction(this, 'GranskningFinalizeFunction', {
      entry: 'functions/granskning-finalize/handler.ts',
      description: 'Granskning: records the outcome in the ärende and informs insatsägare and kansli',
      memorySize: 512,
      timeout: Duration.seconds(60),
      logRetention: props.logRetention,
      environment: {
        TABLE_NAME: data.table.tableName,
        INBOUND_BUCKET: data.bucket.bucketName,
        MAIL_FROM: config.mailFrom,
        MAIL_REPLY_TO: config.replyTo,
        ...props.mail.environment,
        KANSLI_EMAIL: config.kansliEmail,
        DIARIUM_SERIE: config.diariumSerie,
        BESLUT_POLICY: JSON.stringify(config.beslutPolicy),
      },
    });
    grantTableReadWrite(this.finalize, data);
    grantObjectWrite(
      this.finalize,
      data,
      [ARKIV_PREFIX.beslut],
      'finalize files the decision document of a granskning among the handlingar.',
    );
    props.mail.grantSend(this.finalize, config.domain);
    this.finalize.acknowledgeSynchronous('Step Functions (lambda:invoke)');

    const misslyckades = new sfn.Fail(this, GRANSKNING_STATES.misslyckades, {
      stateName: GRANSKNING_STATES.misslyckades,
      error: 'GranskningMisslyckades',
      cause: 'The granskning could not be completed; see the ärende audit log.',
    });
    const klar = new sfn.Succeed(this, GRANSKNING_STATES.klar, { stateName: GRANSKNING_STATES.klar });

    const avsluta = new tasks.LambdaInvoke(this, GRANSKNING_STATES.avsluta, {
      stateName: GRANSKNING_STATES.avsluta,
      lambdaFunction: this.finalize.function,
      payload: sfn.TaskInput.fromJsonPathAt('$'),
      resultSelector: { 'resultat.$': '$.Payload' },
      resultPath: '$.avslut',
      retryOnServiceExceptions: true,
    });
    avsluta.addCatch(misslyckades, { errors: [sfn.Errors.ALL], resultPath: '$.fel' });
    avsluta.next(klar);

    const ingetBeslut = new sfn.Pass(this, GRANSKNING_STATES.ingetBeslut, {
      stateName: GRANSKNING_STATES.ingetBeslut,
      result: sfn.Result.fromObject({ utfall: 'inget-beslut' }),
      resultPath: '$.beslut',
    });
    ingetBeslut.next(avsluta);

    const waitForBeslut = (stateName: string, steg: string, timeoutSeconds: number): tasks.LambdaInvoke => {
      const task = new tasks.LambdaInvoke(this, stateName, {
        stateName,
        lambdaFunction: this.task.function,
        integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: sfn.TaskInput.fromObject({
          steg,
          taskToken: sfn.JsonPath.taskToken,
          granskning: sfn.JsonPath.entirePayload,
        }),
        resultPath: '$.beslut',
        taskTimeout: sfn.Timeout.duration(Duration.seconds(timeoutSeconds)),
        retryOnServiceExceptions: true,
      });
      task.next(avsluta);
      return task;
    };

    const { granskning } = config;
    const eskalering = waitForBeslut(GRANSKNING_STATES.eskalering, 'eskalera', granskning.eskalering);
    const paminnelse = waitForBeslut(GRANSKNING_STATES.paminnelse, 'paminn', granskning.paminnelse);
    const notifiera = waitForBeslut(GRANSKNING_STATES.notifiera, 'notifiera', granskning.svarstid);
    // Catch keeps the input (ResultPath $.fel): the next state still needs diarienummer and granskningId.
    notifiera.addCatch(paminnelse, { errors: [sfn.Errors.TIMEOUT], resultPath: '$.fel' });
    notifiera.addCatch(misslyckades, { errors: [sfn.Errors.ALL], resultPath: '$.fel' });
    paminnelse.addCatch(eskalering, { errors: [sfn.Errors.TIMEOUT], resultPath: '$.fel' });
    paminnelse.addCatch(misslyckades, { errors: [sfn.Errors.ALL], resultPath: '$.fel' });
    eskalering.addCatch(ingetBeslut, { errors: [sfn.Errors.TIMEOUT], resultPath: '$.fel' });
    eskalering.addCatch(misslyckades, { errors: [sfn.Errors.ALL], resultPath: '$.fel' });

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'Granskning', {
      comment: 'Rapportflöde granskning av slutrapport',
      stateMachineType: sfn.StateMachineType.STANDARD,
      queryLanguage: sfn.QueryLanguage.JSON_PATH,
      definitionBody: sfn.DefinitionBody.fromChainable(notifiera),
      // Executions wait for weeks; the sum of the three waits plus slack bounds the execution.
      timeout: Duration.seconds(
        granskning.svarstid + granskning.paminnelse + granskning.eskalering + 7 * 86400,
      ),
      tracingEnabled: true,
      // ALL events, but no input/output: payloads hold task tokens and personal data.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    // A decision reached while the previous wait timed out is handed to the next task at once
    // (runGranskningStep → SendTaskSuccess). In a policy of its own: the function's default policy is one of
    // its dependencies, and the state machine, which invokes the function, cannot come before it.
    new iam.Policy(this, 'TaskCallbackPolicy', {
      roles: [this.task.role],
      statements: [
        new iam.PolicyStatement({
          actions: ['states:SendTaskSuccess'],
          resources: [this.stateMachine.stateMachineArn],
        }),
      ],
    });
    const smRole = this.stateMachine.role;
    for (const fn of [this.task, this.finalize]) {
      Validations.of(smRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(fn.function.node.defaultChild as never)}.Arn>:*]`,
        reason: 'lambda:InvokeFunction on the function and its versions/aliases (CDK LambdaInvoke grant).',
      });
    }
    Validations.of(smRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'CloudWatch Logs delivery and X-Ray actions for the state machine support no resource ARNs.',
    });

    this.starterDlq = new SecureQueue(this, 'StartGranskningDlq', {
      purpose: 'start-granskning (async invocations)',
    }).queue;
    this.starter = new AppFunction(this, 'StartGranskningFunction', {
      entry: 'functions/start-granskning/handler.ts',
      description: 'Starts a granskning execution for a registered, complete handling',
      memorySize: 256,
      timeout: Duration.seconds(30),
      logRetention: props.logRetention,
      onFailure: new destinations.SqsDestination(this.starterDlq),
      retryAttempts: 2,
      environment: {
        STATE_MACHINE_ARN: this.stateMachine.stateMachineArn,
        TABLE_NAME: data.table.tableName,
      },
    });
    // Decides from the event alone and reads no table: the execution name (from the diarienummer) makes
    // starts idempotent.
    this.starter.allow(['states:StartExecution'], [this.stateMachine.stateMachineArn]);
    Validations.of(this.starter.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Asynchronous failures go to an on-failure destination (StartGranskningDlq), which supersedes a DLQ.',
    });

    // Two plain rules rather than one `$or` pattern: the local stack's event matcher reads these too.
    this.rules = [
      new events.Rule(this, 'HandlingKomplettRule', {
        eventBus: props.appBus,
        description: 'A complete handling was registered: start its granskning',
        eventPattern: startarGranskningPattern,
      }),
      new events.Rule(this, 'GranskningBegardRule', {
        eventBus: props.appBus,
        description: 'The kansli released a handling for granskning',
        eventPattern: granskningBegardPattern,
      }),
    ];
    for (const rule of this.rules) {
      rule.addTarget(
        new targets.LambdaFunction(this.starter.function, {
          deadLetterQueue: props.deliveryDlq,
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
        }),
      );
    }
  }
}
