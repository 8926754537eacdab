import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.js';
import { ARKIV_PREFIX, INBOUND_PREFIX } from '../../events/storage-layout.js';
import { AppFunction } from './app-function.js';
import { grantObjectRead, grantTableRead, grantTableReadWrite } from './data-access.js';
import type { DataResources } from './data-access.js';

/**
 * Access log line. Route key, not path: the path holds the single-use decision id, and query strings may
 * hold anything. JSON so the lines are structured.
 */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  routeKey: '$context.routeKey',
  status: '$context.status',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  latency: '$context.responseLatency',
  integrationError: '$context.integrationErrorMessage',
});

export const API_THROTTLE = { burstLimit: 50, rateLimit: 20 } as const;

export interface BeslutApiProps {
  readonly config: StageConfig;
  readonly data: DataResources;
  readonly logRetention: logs.RetentionDays;
}

/** The public HTTP API: decision pages for reviewers (`/beslut/{id}`) and the public postlista. */
export class BeslutApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly beslut: AppFunction;
  readonly postlista: AppFunction;

  constructor(scope: Construct, id: string, props: BeslutApiProps) {
    super(scope, id);
    const { config, data } = props;

    this.api = new apigw.HttpApi(scope, 'Api', {
      description: 'Rapportflöde: beslut och postlista',
      createDefaultStage: false,
      // No CORS: only server-rendered pages and same-origin form posts.
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });

    this.beslut = new AppFunction(this, 'BeslutFunction', {
      entry: 'functions/beslut/handler.ts',
      description: 'Decision page: GET renders, POST records the decision once and completes the task',
      memorySize: 512,
      timeout: Duration.seconds(15),
      logRetention: props.logRetention,
      environment: {
        TABLE_NAME: data.table.tableName,
        INBOUND_BUCKET: data.bucket.bucketName,
        BESLUT_POLICY: JSON.stringify(config.beslutPolicy),
        DIARIUM_SERIE: config.diariumSerie,
      },
    });
    // ConditionCheckItem: recording a decision checks in the same transaction that the granskning is open.
    grantTableReadWrite(this.beslut, data, ['dynamodb:ConditionCheckItem']);
    grantObjectRead(
      this.beslut,
      data,
      // A file the kansli uploaded stays where it was put (uppladdat/): the handling's file is that object.
      [ARKIV_PREFIX.handling, INBOUND_PREFIX.uppladdat],
      'the decision page presigns a link to the handling under review (a mail attachment or an upload).',
    );
    this.beslut.acknowledgeSynchronous('the HTTP API');

    this.postlista = new AppFunction(this, 'PostlistaFunction', {
      entry: 'functions/postlista/handler.ts',
      description: 'The public postlista (offentligt diarium), without personal data',
      memorySize: 512,
      timeout: Duration.seconds(15),
      logRetention: props.logRetention,
      environment: { TABLE_NAME: data.table.tableName, DIARIUM_SERIE: config.diariumSerie },
    });
    // BatchGetItem: the ärenden of a page of handlingar in one call.
    grantTableRead(this.postlista, data, ['dynamodb:BatchGetItem']);
    this.postlista.acknowledgeSynchronous('the HTTP API');

    const beslutIntegration = new HttpLambdaIntegration('BeslutIntegration', this.beslut.function);
    this.api.addRoutes({
      path: '/beslut/{id}',
      methods: [apigw.HttpMethod.GET, apigw.HttpMethod.HEAD, apigw.HttpMethod.POST],
      integration: beslutIntegration,
    });
    this.api.addRoutes({
      path: '/postlista',
      methods: [apigw.HttpMethod.GET],
      integration: new HttpLambdaIntegration('PostlistaIntegration', this.postlista.function),
    });

    for (const route of this.api.node.findAll()) {
      if (!(route instanceof apigw.HttpRoute)) continue;
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          route.path === '/postlista'
            ? 'The postlista is public by law (offentlighetsprincipen); it shows no personal data.'
            : 'The 128-bit single-use id in the path is the credential (stored hashed, expiring); reviewers have no accounts.',
      });
    }
    Validations.of(this.stage).acknowledge({
      id: 'Serverless-APIGWXrayEnabled',
      reason: 'HTTP APIs do not support X-Ray tracing; the Lambda functions behind them are traced.',
    });
  }

  /**
   * The decision completes the waiting task: SendTaskSuccess on this state machine only (functions/adapters/
   * sfn-workflow.ts sends no SendTaskFailure or SendTaskHeartbeat).
   */
  allowTaskResponses(stateMachine: sfn.IStateMachine): void {
    this.beslut.allow(['states:SendTaskSuccess'], [stateMachine.stateMachineArn]);
  }

  /** Base URL of the API (the `$default` stage), without a trailing slash. */
  get url(): string {
    return this.api.apiEndpoint;
  }
}
