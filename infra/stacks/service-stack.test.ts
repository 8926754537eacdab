import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_THROTTLE } from '../constructs/beslut-api.js';
import type { AppFunction } from '../constructs/app-function.js';
import {
  actionsOf,
  logicalId,
  only,
  resources,
  resourcesOf,
  resourcesOfType,
  roleStatements,
  synthesize,
} from '../test-helpers.js';
import type { PolicyStatement, Synthesized } from '../test-helpers.js';

let s: Synthesized;
beforeAll(() => {
  s = synthesize();
});

const fns = (): Record<string, AppFunction> => {
  const svc = s.built.service;
  return {
    ingest: svc.ingest.ingest,
    startGranskning: svc.granskning.starter,
    granskningTask: svc.granskning.task,
    granskningFinalize: svc.granskning.finalize,
    beslut: svc.api.beslut,
    postlista: svc.api.postlista,
    reconcile: svc.reconciliation.reconcile,
    mailHandelse: svc.mailHandelser.handler,
    bevakning: svc.bevakning.bevakning,
    kansli: svc.kansli.kansli,
  };
};

const fnProps = (fn: AppFunction): Record<string, unknown> =>
  resources(s.serviceJson)[logicalId(fn.function)]?.Properties ?? {};
const envOf = (fn: AppFunction): Record<string, unknown> =>
  (fnProps(fn)['Environment'] as { Variables: Record<string, unknown> }).Variables;
const statementsOf = (fn: AppFunction): PolicyStatement[] =>
  roleStatements(s.serviceJson, logicalId(fn.role));

describe('functions', () => {
  it('all run Node 22 on arm64 with tracing (never of a response), source maps, JSON logs and their own log group', () => {
    for (const [name, fn] of Object.entries(fns())) {
      const props = fnProps(fn);
      expect(props['Runtime'], name).toBe('nodejs22.x');
      expect(props['Architectures'], name).toEqual(['arm64']);
      expect(props['TracingConfig'], name).toEqual({ Mode: 'Active' });
      expect(props['Handler'], name).toBe('index.handler');
      expect(envOf(fn)['NODE_OPTIONS'], name).toBe(
        // The ingest frees the decoded scans before its OCR workers start (functions/extraction/pdf.ts).
        name === 'ingest' ? '--enable-source-maps --expose-gc' : '--enable-source-maps',
      );
      expect(envOf(fn)['POWERTOOLS_SERVICE_NAME'], name).toBe('rapportflode');
      expect(envOf(fn)['POWERTOOLS_TRACER_CAPTURE_RESPONSE'], name).toBe('false');
      expect(props['LoggingConfig'], name).toEqual({
        LogFormat: 'JSON',
        LogGroup: { Ref: logicalId(fn.logGroup) },
      });
      expect(typeof props['MemorySize'], name).toBe('number');
      expect(typeof props['Timeout'], name).toBe('number');
      expect(props['FunctionName'], name).toBeUndefined();
    }
  });

  it('log groups have the configured retention', () => {
    for (const [, group] of resourcesOfType(s.serviceJson, 'AWS::Logs::LogGroup')) {
      expect(group.Properties?.['RetentionInDays']).toBe(s.built.config.logRetentionDays);
    }
  });

  it('gives ingest minutes and gigabytes for OCR', () => {
    const props = fnProps(fns()['ingest']!);
    expect(props['MemorySize']).toBe(3008);
    expect(props['Timeout']).toBe(600);
  });

  it('passes each function the environment its handler reads', () => {
    const f = fns();
    const keys = (fn: AppFunction) => Object.keys(envOf(fn));
    expect(keys(f['ingest']!)).toEqual(
      expect.arrayContaining([
        'TABLE_NAME',
        'INBOUND_BUCKET',
        'EVENT_BUS_NAME',
        'MAIL_FROM',
        'MAIL_REPLY_TO',
        'KANSLI_EMAIL',
        'DIARIUM_SERIE',
        'PUBLIC_BASE_URL',
      ]),
    );
    expect(keys(f['startGranskning']!)).toEqual(expect.arrayContaining(['STATE_MACHINE_ARN', 'TABLE_NAME']));
    expect(keys(f['granskningTask']!)).toEqual(
      expect.arrayContaining([
        'TABLE_NAME',
        'MAIL_FROM',
        'MAIL_REPLY_TO',
        'PUBLIC_BASE_URL',
        'BEREDNINGSGRUPP',
        'FORBUNDSCHEF_EMAIL',
        'KANSLI_EMAIL',
        'LINK_TTL_SECONDS',
        'DIARIUM_SERIE',
      ]),
    );
    expect(keys(f['granskningFinalize']!)).toEqual(
      expect.arrayContaining([
        'TABLE_NAME',
        'INBOUND_BUCKET',
        'MAIL_FROM',
        'KANSLI_EMAIL',
        'DIARIUM_SERIE',
        'BESLUT_POLICY',
      ]),
    );
    expect(keys(f['beslut']!)).toEqual(
      expect.arrayContaining(['TABLE_NAME', 'INBOUND_BUCKET', 'BESLUT_POLICY', 'DIARIUM_SERIE']),
    );
    expect(keys(f['postlista']!)).toEqual(expect.arrayContaining(['TABLE_NAME', 'DIARIUM_SERIE']));
    expect(keys(f['reconcile']!)).toEqual(
      expect.arrayContaining(['TABLE_NAME', 'INBOUND_BUCKET', 'INGEST_QUEUE_URL']),
    );
    expect(JSON.parse(String(envOf(f['granskningTask']!)['BEREDNINGSGRUPP']))).toEqual(
      s.built.config.beredningsgrupp,
    );
    // The rule is the same wherever it is read: recorded (beslut), stated in the decision (finalize), task.
    for (const name of ['beslut', 'granskningFinalize', 'granskningTask']) {
      expect(JSON.parse(String(envOf(f[name]!)['BESLUT_POLICY'])), name).toEqual(s.built.config.beslutPolicy);
    }
  });

  it('asynchronously invoked functions send failures to an on-failure destination', () => {
    for (const fn of [fns()['startGranskning']!, fns()['reconcile']!, fns()['mailHandelse']!]) {
      s.service.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalId(fn.function) },
        DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
        MaximumRetryAttempts: 2,
      });
    }
  });
});

describe('durable ingest path', () => {
  it('routes S3 Object Created under raw/ and uppladdat/ of the inbound bucket to the ingest queue', () => {
    const rule = resources(s.serviceJson)[logicalId(s.built.service.ingest.rule)]!;
    const props = rule.Properties as {
      EventPattern: Record<string, unknown>;
      EventBusName?: unknown;
      Targets: Record<string, unknown>[];
    };
    expect(props.EventBusName).toBeUndefined(); // default bus: where S3 sends its events
    expect(props.EventPattern).toMatchObject({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { object: { key: [{ prefix: 'raw/' }, { prefix: 'uppladdat/' }] } },
    });
    const target = only(props.Targets);
    expect(target['Arn']).toEqual({ 'Fn::GetAtt': [logicalId(s.built.service.ingest.queue), 'Arn'] });
    expect(target['DeadLetterConfig']).toHaveProperty('Arn');
    expect(target['RetryPolicy']).toBeDefined();
  });

  it('queue: visibility ≥ 6 × the function timeout, redrive to a DLQ after 5 receives, SSE', () => {
    const queue = resources(s.serviceJson)[logicalId(s.built.service.ingest.queue)]!.Properties!;
    expect(Number(queue['VisibilityTimeout'])).toBeGreaterThanOrEqual(6 * 600);
    expect(queue['RedrivePolicy']).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(s.built.service.ingest.dlq), 'Arn'] },
      maxReceiveCount: 5,
    });
    expect(queue['SqsManagedSseEnabled']).toBe(true);
  });

  it('every queue is encrypted and refuses non-TLS access', () => {
    const queues = resourcesOfType(s.serviceJson, 'AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThanOrEqual(4);
    for (const [, q] of queues) expect(q.Properties?.['SqsManagedSseEnabled']).toBe(true);
    const denies = resourcesOfType(s.serviceJson, 'AWS::SQS::QueuePolicy').filter(([, p]) =>
      JSON.stringify(p.Properties).includes('"aws:SecureTransport":"false"'),
    );
    expect(denies.length).toBeGreaterThanOrEqual(queues.length);
  });

  it('ingest consumes with partial batch responses and a batch size of at most 5', () => {
    s.service.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(fns()['ingest']!.function) },
      EventSourceArn: { 'Fn::GetAtt': [logicalId(s.built.service.ingest.queue), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: Match.anyValue(),
    });
    const esm = only(resourcesOfType(s.serviceJson, 'AWS::Lambda::EventSourceMapping'))[1];
    expect(esm.Properties?.['BatchSize']).toBeGreaterThanOrEqual(1);
    expect(esm.Properties?.['BatchSize']).toBeLessThanOrEqual(5);
  });

  it('reconciliation runs hourly with a DLQ on its target', () => {
    const rule = resources(s.serviceJson)[logicalId(s.built.service.reconciliation.schedule)]!.Properties!;
    expect(rule['ScheduleExpression']).toBe('rate(1 hour)');
    const target = only(rule['Targets'] as Record<string, unknown>[]);
    expect(target['DeadLetterConfig']).toBeDefined();
  });

  it('every EventBridge rule target has a dead-letter queue and a retry policy', () => {
    const rules = resourcesOfType(s.serviceJson, 'AWS::Events::Rule');
    // Ingest, two granskning starts, the hourly reconciliation, SES bounces and the data-key tampering rule.
    expect(rules.length).toBe(6);
    for (const [id, rule] of rules) {
      for (const target of rule.Properties?.['Targets'] as Record<string, unknown>[]) {
        expect(target['DeadLetterConfig'], id).toBeDefined();
        expect(target['RetryPolicy'], id).toBeDefined();
      }
    }
  });

  it('starts a granskning on HandlingDiarieford with bedomning komplett and on GranskningBegard, on the app bus', () => {
    const busId = logicalId(s.built.service.appBus);
    const patterns = s.built.service.granskning.rules.map((rule) => {
      const props = resources(s.serviceJson)[logicalId(rule)]!.Properties!;
      expect(props['EventBusName']).toEqual({ Ref: busId });
      return props['EventPattern'];
    });
    expect(patterns).toEqual([
      { 'detail-type': ['HandlingDiarieford'], detail: { bedomning: ['komplett'] } },
      { 'detail-type': ['GranskningBegard'] },
    ]);
    s.service.hasResourceProperties('AWS::Events::EventBus', { Name: Match.anyValue() });
  });
});

describe('least privilege', () => {
  const allStatements = () => Object.values(fns()).flatMap(statementsOf);

  it('beslut and granskning-task may only send SendTaskSuccess, to the granskning state machine', () => {
    const smId = logicalId(s.built.service.granskning.stateMachine);
    for (const fn of ['beslut', 'granskningTask']) {
      const states = statementsOf(fns()[fn]!).filter((st) =>
        actionsOf(st).some((a) => a.startsWith('states:')),
      );
      // sfn-workflow.ts sends no SendTaskFailure or SendTaskHeartbeat.
      expect(states.map(actionsOf), fn).toEqual([['states:SendTaskSuccess']]);
      expect(resourcesOf(states[0]!), fn).toEqual([{ Ref: smId }]);
    }
  });

  it('each role grants exactly the DynamoDB, S3, SES and Step Functions actions its code sends', () => {
    // What the adapters each function builds can send (functions/adapters): the local stack's IAM report
    // (local/aws/iam/report.ts) lists what a run never called.
    const expected: Record<string, string[]> = {
      ingest: [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'events:PutEvents',
        's3:DeleteObject',
        's3:GetObject',
        's3:GetObjectRetention',
        's3:GetObjectVersion',
        's3:PutObject',
        's3:PutObjectRetention',
        'ses:SendEmail',
      ],
      startGranskning: ['states:StartExecution'],
      granskningTask: [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        // Invitations kept as sent, without their links (domain/diarium/expediering.ts).
        's3:PutObject',
        's3:PutObjectRetention',
        'ses:SendEmail',
        'states:SendTaskSuccess',
      ],
      granskningFinalize: [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        's3:PutObject',
        's3:PutObjectRetention',
        'ses:SendEmail',
      ],
      beslut: [
        'dynamodb:ConditionCheckItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        's3:GetObject',
        'states:SendTaskSuccess',
      ],
      postlista: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'],
      bevakning: [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        's3:PutObject',
        's3:PutObjectRetention',
        'ses:SendEmail',
      ],
    };
    for (const [fn, actions] of Object.entries(expected)) {
      const granted = statementsOf(fns()[fn]!)
        .flatMap(actionsOf)
        .filter((a) => /^(dynamodb|s3|ses|states|events):/.test(a));
      expect([...new Set(granted)].sort(), fn).toEqual(actions);
    }
  });

  it('no role grants BatchWriteItem, SendRawEmail or ListBucketVersions: nothing sends them', () => {
    const actions = allStatements().flatMap(actionsOf);
    expect(
      actions.filter((a) =>
        ['dynamodb:BatchWriteItem', 'ses:SendRawEmail', 's3:ListBucketVersions'].includes(a),
      ),
    ).toEqual([]);
  });

  it('only the ingest may delete, and only in the inboxes: a delete marker there, never a version or a record', () => {
    const deleting = Object.entries(fns()).flatMap(([name, fn]) =>
      statementsOf(fn)
        .filter((st) => actionsOf(st).includes('s3:DeleteObject'))
        .map((st) => ({ name, resources: JSON.stringify(st['Resource']) })),
    );
    expect(deleting.map((d) => d.name)).toEqual(['ingest']);
    expect(deleting[0]?.resources).toMatch(/raw\/\*/);
    expect(deleting[0]?.resources).toMatch(/uppladdat\/\*/);
    expect(deleting[0]?.resources).not.toMatch(/handlingar|karantan/);
  });

  it('start-granskning may start executions of the granskning state machine only', () => {
    const smId = logicalId(s.built.service.granskning.stateMachine);
    const states = statementsOf(fns()['startGranskning']!).filter((st) =>
      actionsOf(st).some((a) => a.startsWith('states:')),
    );
    expect(states.map(actionsOf)).toEqual([['states:StartExecution']]);
    expect(resourcesOf(states[0]!)).toEqual([{ Ref: smId }]);
  });

  it('postlista can only read', () => {
    const actions = statementsOf(fns()['postlista']!).flatMap(actionsOf);
    expect(actions.filter((a) => a.startsWith('dynamodb:'))).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']),
    );
    const writes = actions.filter((a) =>
      /^(dynamodb:(Put|Update|Delete|BatchWrite)|s3:(Put|Delete)|sqs:Send|states:|ses:|events:Put|kms:(Encrypt|GenerateDataKey))/.test(
        a,
      ),
    );
    expect(writes).toEqual([]);
  });

  it('no function may delete diarium items or objects, and no action is a wildcard', () => {
    const actions = allStatements().flatMap(actionsOf);
    // sqs:DeleteMessage is how the SQS poller acknowledges a processed message; s3:DeleteObject (the ingest's,
    // in the inboxes) only adds a delete marker on the versioned bucket, whose versions stay.
    const allowed = new Set(['sqs:DeleteMessage', 's3:DeleteObject']);
    expect(actions.filter((a) => /Delete|\*/.test(a) && !allowed.has(a))).toEqual([]);
  });

  it('only X-Ray statements use Resource "*"', () => {
    for (const st of allStatements()) {
      if (resourcesOf(st).includes('*')) {
        expect(actionsOf(st).every((a) => a.startsWith('xray:'))).toBe(true);
      }
    }
  });

  it('table grants name the table and its two indexes, nothing else', () => {
    const dynamo = allStatements().filter((st) => actionsOf(st).some((a) => a.startsWith('dynamodb:')));
    const rendered = JSON.stringify(dynamo.flatMap(resourcesOf));
    expect(rendered).not.toContain('index/*');
    expect(rendered).toContain('/index/gsi1');
    expect(rendered).toContain('/index/gsi2');
  });

  it('ingest reads raw/, uppladdat/ and handlingar/ and writes handlingar/ and karantan/ only', () => {
    const s3 = statementsOf(fns()['ingest']!).filter((st) => actionsOf(st).some((a) => a.startsWith('s3:')));
    const byAction = (prefix: string) =>
      JSON.stringify(s3.filter((st) => actionsOf(st).some((a) => a.startsWith(prefix))).flatMap(resourcesOf));
    expect(byAction('s3:Get')).toMatch(/\/raw\/\*.*\/uppladdat\/\*/);
    // handlingar/: the scan of a paper report registered by hand, read when the kansli asks (HandlingLasningBegard).
    const getObject = s3.filter((st) => actionsOf(st).includes('s3:GetObject'));
    expect(JSON.stringify(getObject.flatMap(resourcesOf))).toMatch(/\/handlingar\/\*/);
    expect(byAction('s3:Get')).not.toMatch(/karantan/);
    expect(byAction('s3:PutObject')).toMatch(/\/handlingar\/\*.*\/karantan\/\*/);
    // The inboxes only get retention (the first thing the ingest does with an arrival), never a write.
    const putObject = s3.filter((st) => actionsOf(st).includes('s3:PutObject'));
    expect(JSON.stringify(putObject.flatMap(resourcesOf))).not.toMatch(/raw|uppladdat/);
    const retain = s3.filter(
      (st) => !actionsOf(st).includes('s3:PutObject') && actionsOf(st).includes('s3:PutObjectRetention'),
    );
    expect(retain.flatMap(actionsOf).sort()).toEqual(['s3:GetObjectRetention', 's3:PutObjectRetention']);
    expect(JSON.stringify(retain.flatMap(resourcesOf))).toMatch(/\/raw\/\*.*\/uppladdat\/\*/);
  });

  it('functions that write or retain records get the retention days; no function may bypass governance', () => {
    for (const name of ['ingest', 'granskningFinalize', 'reconcile']) {
      const props = resources(s.serviceJson)[logicalId(fns()[name]!.function)]!.Properties!;
      const env = (props['Environment'] as { Variables: Record<string, unknown> }).Variables;
      expect(env['RETENTION_DAYS'], name).toBe(String(s.built.config.objectLockRetentionDays));
    }
    expect(allStatements().flatMap(actionsOf)).not.toContain('s3:BypassGovernanceRetention');
  });

  it('granskning-finalize writes its decision documents to handlingar/ and reads nothing from the bucket', () => {
    const s3 = statementsOf(fns()['granskningFinalize']!).filter((st) =>
      actionsOf(st).some((a) => a.startsWith('s3:')),
    );
    // A decision document is written with its own Object Lock retention (s3:PutObjectRetention).
    expect(s3.flatMap(actionsOf)).toEqual(['s3:PutObject', 's3:PutObjectRetention']);
    const put = JSON.stringify(s3.flatMap(resourcesOf));
    expect(put).toMatch(/\/handlingar\/\*/);
    expect(put).not.toMatch(/raw|uppladdat|karantan/);
  });

  it('beslut reads the handlingar and uploads (handlingar/, uppladdat/) only: the report link works for an upload', () => {
    const s3 = statementsOf(fns()['beslut']!).filter((st) => actionsOf(st).some((a) => a.startsWith('s3:')));
    expect(s3.flatMap(actionsOf)).toEqual(['s3:GetObject']);
    const get = JSON.stringify(s3.flatMap(resourcesOf));
    expect(get).toMatch(/\/handlingar\/\*.*\/uppladdat\/\*/);
    // Never the raw mail: a report pasted in the body is shown as text on the page, not as a .eml download.
    expect(get).not.toMatch(/raw|karantan/);
  });

  it('reconcile lists the inboxes (raw/, uppladdat/) only and may send to the ingest queue only', () => {
    const st = statementsOf(fns()['reconcile']!);
    const list = only(st.filter((x) => actionsOf(x).includes('s3:ListBucket')));
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['raw/*', 'uppladdat/*'] } });
    const send = st.filter((x) => actionsOf(x).includes('sqs:SendMessage')).flatMap(resourcesOf);
    // The ingest queue (re-drive) and its own on-failure destination.
    const expected = [s.built.service.ingest.queue, s.built.service.reconciliation.dlq].map((q) => ({
      'Fn::GetAtt': [logicalId(q), 'Arn'],
    }));
    expect(send).toHaveLength(2);
    expect(send).toEqual(expect.arrayContaining(expected));
    // Retention only, on what it re-drives.
    expect(
      st.flatMap(actionsOf).filter((a) => a.startsWith('dynamodb:Put') || a.startsWith('s3:Put')),
    ).toEqual(['s3:PutObjectRetention']);
  });

  it('mail is sent from the domain identity only', () => {
    const ses = allStatements().filter((st) => actionsOf(st).some((a) => a.startsWith('ses:')));
    expect(ses.length).toBeGreaterThan(0);
    for (const st of ses) {
      expect(JSON.stringify(resourcesOf(st))).toContain(':identity/finsamgavleborg.se');
    }
  });

  it('every mail goes through the configuration set, which publishes bounces and complaints', () => {
    const [id, set] = only(resourcesOfType(s.serviceJson, 'AWS::SES::ConfigurationSet'));
    expect(set.Properties?.['ReputationOptions']).toEqual({ ReputationMetricsEnabled: true });
    const [, dest] = only(resourcesOfType(s.serviceJson, 'AWS::SES::ConfigurationSetEventDestination'));
    expect(dest.Properties?.['ConfigurationSetName']).toEqual({ Ref: id });
    const d = dest.Properties?.['EventDestination'] as Record<string, unknown>;
    expect(d['MatchingEventTypes']).toEqual(['bounce', 'complaint']);
    expect(JSON.stringify(d['EventBridgeDestination'])).toContain(':event-bus/default');
    const senders = {
      ingest: fns()['ingest']!,
      task: fns()['granskningTask']!,
      finalize: fns()['granskningFinalize']!,
      mailHandelse: fns()['mailHandelse']!,
    };
    for (const [name, fn] of Object.entries(senders)) {
      expect(envOf(fn)['SES_CONFIGURATION_SET'], name).toEqual({ Ref: id });
      expect(envOf(fn)['MAIL_REPLY_TO'], name).toBe('kontakt@finsamgavleborg.se');
      const ses = statementsOf(fn).filter((st) => actionsOf(st).includes('ses:SendEmail'));
      expect(JSON.stringify(ses.flatMap(resourcesOf)), name).toContain(':configuration-set/');
    }
  });

  it('mail-handelse takes SES bounces and complaints of the configuration set from the default bus', () => {
    const [setId] = only(resourcesOfType(s.serviceJson, 'AWS::SES::ConfigurationSet'));
    const rule = resources(s.serviceJson)[logicalId(s.built.service.mailHandelser.rule)]!;
    // The default bus: SES's EventBridge destination publishes nowhere else.
    expect(rule.Properties?.['EventBusName']).toBe('default');
    expect(rule.Properties?.['EventPattern']).toEqual({
      source: ['aws.ses'],
      'detail-type': ['Email Bounced', 'Email Complaint Received'],
      detail: { mail: { tags: { 'ses:configuration-set': [{ Ref: setId }] } } },
    });
    const target = only(rule.Properties?.['Targets'] as Record<string, unknown>[]);
    const fn = fns()['mailHandelse']!;
    expect(target['Arn']).toEqual({ 'Fn::GetAtt': [logicalId(fn.function), 'Arn'] });
    expect(Object.keys(envOf(fn))).toEqual(
      expect.arrayContaining(['TABLE_NAME', 'DIARIUM_SERIE', 'MAIL_FROM', 'MAIL_REPLY_TO', 'KANSLI_EMAIL']),
    );
    // Table read/write, SES send, KMS for the table, its log group and its on-failure DLQ: no S3, no Step Functions.
    const services = new Set(
      statementsOf(fn)
        .flatMap(actionsOf)
        .map((a) => a.split(':')[0]),
    );
    expect([...services].sort()).toEqual(['dynamodb', 'kms', 'logs', 'ses', 'sqs', 'xray']);
  });

  it('no function role carries an AWS managed policy', () => {
    for (const fn of Object.values(fns())) {
      const role = resources(s.serviceJson)[logicalId(fn.role)]!;
      expect(role.Properties?.['ManagedPolicyArns']).toBeUndefined();
    }
  });
});

describe('granskning state machine', () => {
  it('is Standard, traced, and logs ALL events without execution data (no task tokens in logs)', () => {
    s.service.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }],
      },
    });
  });
});

describe('HTTP API', () => {
  it('throttles the stage', () => {
    s.service.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingBurstLimit: API_THROTTLE.burstLimit,
        ThrottlingRateLimit: API_THROTTLE.rateLimit,
      },
    });
  });

  it('writes structured access logs with the route key, never the path or query string', () => {
    const stage = only(resourcesOfType(s.serviceJson, 'AWS::ApiGatewayV2::Stage'))[1];
    const settings = stage.Properties?.['AccessLogSettings'] as { Format: string; DestinationArn: unknown };
    expect(settings.DestinationArn).toBeDefined();
    const format = JSON.parse(settings.Format) as Record<string, string>;
    expect(Object.values(format)).toEqual(
      expect.arrayContaining(['$context.routeKey', '$context.requestId', '$context.status']),
    );
    expect(settings.Format).not.toMatch(/\$context\.path|querystring|\$request\.|resourcePath/i);
  });

  it('routes GET, HEAD and POST /beslut/{id}, GET /postlista and the kansli application; no CORS', () => {
    const routeKeys = resourcesOfType(s.serviceJson, 'AWS::ApiGatewayV2::Route').map(
      ([, r]) => r.Properties?.['RouteKey'],
    );
    expect(routeKeys.sort()).toEqual([
      'GET /beslut/{id}',
      'GET /kansli',
      'GET /kansli/{proxy+}',
      'GET /postlista',
      'HEAD /beslut/{id}',
      'HEAD /kansli',
      'HEAD /kansli/{proxy+}',
      'POST /beslut/{id}',
      'POST /kansli',
      'POST /kansli/{proxy+}',
    ]);
    const api = only(resourcesOfType(s.serviceJson, 'AWS::ApiGatewayV2::Api'))[1];
    expect(api.Properties?.['CorsConfiguration']).toBeUndefined();
    expect(logicalId(s.built.service.api.api)).toMatch(/^Api/);
  });
});

describe('kansli login', () => {
  it('has a user pool with MFA required, no self sign-up and one group per role', () => {
    const pool = only(resourcesOfType(s.serviceJson, 'AWS::Cognito::UserPool'))[1].Properties ?? {};
    expect(pool['MfaConfiguration']).toBe('ON');
    expect(pool['AdminCreateUserConfig']).toMatchObject({ AllowAdminCreateUserOnly: true });
    const groups = resourcesOfType(s.serviceJson, 'AWS::Cognito::UserPoolGroup').map(
      ([, g]) => g.Properties?.['GroupName'],
    );
    expect(groups.sort()).toEqual(['handlaggare', 'lasare', 'registrator']);
  });

  it('registers a public client for the code flow only, with managed login', () => {
    const client = only(resourcesOfType(s.serviceJson, 'AWS::Cognito::UserPoolClient'))[1].Properties ?? {};
    expect(client['GenerateSecret']).toBe(false);
    expect(client['AllowedOAuthFlows']).toEqual(['code']);
    const domain = only(resourcesOfType(s.serviceJson, 'AWS::Cognito::UserPoolDomain'))[1].Properties ?? {};
    expect(domain['ManagedLoginVersion']).toBe(2);
  });

  it('lets the kansli function write handlingar/ only, each object with its retention, and read its files', () => {
    const s3 = statementsOf(s.built.service.kansli.kansli).filter((st) =>
      [st.Action].flat().some((a) => a.startsWith('s3:')),
    );
    const put = s3.filter((st) => [st.Action].flat().includes('s3:PutObject'));
    expect(put.flatMap((st) => [st.Action].flat()).sort()).toEqual(['s3:PutObject', 's3:PutObjectRetention']);
    const putResources = JSON.stringify(put.map((st) => st.Resource));
    expect(putResources).toMatch(/\/handlingar\/\*/);
    expect(putResources).not.toMatch(/raw|uppladdat|karantan/);
    expect(s3.flatMap((st) => [st.Action].flat()).sort()).toEqual([
      's3:GetObject',
      's3:PutObject',
      's3:PutObjectRetention',
    ]);
    const env = (
      resources(s.serviceJson)[logicalId(s.built.service.kansli.kansli.function)]!.Properties![
        'Environment'
      ] as { Variables: Record<string, unknown> }
    ).Variables;
    expect(env['RETENTION_DAYS']).toBe(String(s.built.config.objectLockRetentionDays));
  });

  it('gives the kansli function no DeleteItem and no Scan', () => {
    const actions = statementsOf(s.built.service.kansli.kansli).flatMap((st) => [st.Action].flat());
    expect(actions).not.toContain('dynamodb:DeleteItem');
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions).toContain('events:PutEvents');
  });

  it('lets the kansli function send to the ingest queue only (a paper report to be read), with its URL', () => {
    const st = statementsOf(s.built.service.kansli.kansli);
    const sqs = st.filter((x) => actionsOf(x).some((a) => a.startsWith('sqs:')));
    expect(sqs.flatMap(actionsOf)).toEqual(['sqs:SendMessage']);
    expect(sqs.flatMap(resourcesOf)).toEqual([
      { 'Fn::GetAtt': [logicalId(s.built.service.ingest.queue), 'Arn'] },
    ]);
    // The queue is SQS-managed SSE: no KMS grant for it.
    const env = (
      resources(s.serviceJson)[logicalId(s.built.service.kansli.kansli.function)]!.Properties![
        'Environment'
      ] as { Variables: Record<string, unknown> }
    ).Variables;
    expect(env['INGEST_QUEUE_URL']).toEqual({ Ref: logicalId(s.built.service.ingest.queue) });
  });
});

describe('alarms', () => {
  const alarms = () =>
    resourcesOfType(s.serviceJson, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties ?? {});
  const topicRef = () => ({ Ref: logicalId(s.built.service.monitoring.topic) });

  it('every alarm notifies the KMS-encrypted alarm topic', () => {
    expect(alarms().length).toBeGreaterThan(0);
    for (const alarm of alarms()) expect(alarm['AlarmActions']).toEqual([topicRef()]);
    s.service.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it('watches the depth of every dead-letter queue', () => {
    const dlqs = [
      s.built.service.ingest.dlq,
      s.built.service.granskning.starterDlq,
      s.built.service.reconciliation.dlq,
      s.built.service.mailHandelser.dlq,
      s.built.service.bevakning.dlq,
    ];
    const watched = alarms()
      .filter((a) => a['MetricName'] === 'ApproximateNumberOfMessagesVisible')
      .map((a) => JSON.stringify(a['Dimensions']));
    for (const dlq of dlqs) {
      expect(watched.some((d) => d.includes(logicalId(dlq)))).toBe(true);
    }
    // The six above plus the data-key tampering rule's delivery DLQ.
    expect(watched.length).toBe(7);
  });

  it('watches throttles of every function, the ingest queue age and the SES reputation', () => {
    const byMetric = (name: string) => alarms().filter((a) => a['MetricName'] === name);
    expect(byMetric('Throttles')).toHaveLength(Object.keys(fns()).length);
    expect(only(byMetric('ApproximateAgeOfOldestMessage'))).toMatchObject({
      Threshold: 1800,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [logicalId(s.built.service.ingest.queue), 'QueueName'] },
        },
      ],
    });
    expect(only(byMetric('Reputation.BounceRate'))).toMatchObject({
      Namespace: 'AWS/SES',
      Threshold: 0.05,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(only(byMetric('Reputation.ComplaintRate'))).toMatchObject({
      Namespace: 'AWS/SES',
      Threshold: 0.001,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    s.service.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('sends any ScheduleKeyDeletion, DisableKey or PutKeyPolicy on the data key to the alarm topic', () => {
    const rule = resources(s.serviceJson)[
      logicalId(s.built.service.monitoring.node.findChild('DataKeyTampering'))
    ]!;
    expect(rule.Properties?.['EventPattern']).toEqual({
      source: ['aws.kms'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['kms.amazonaws.com'],
        eventName: ['ScheduleKeyDeletion', 'DisableKey', 'PutKeyPolicy'],
        resources: { ARN: [{ 'Fn::ImportValue': expect.stringContaining('DataKey') as unknown }] },
      },
    });
    const target = only(rule.Properties?.['Targets'] as Record<string, unknown>[]);
    expect(target['Arn']).toEqual({ Ref: logicalId(s.built.service.monitoring.topic) });
  });

  it('watches errors of every function, failed and timed-out executions and the custom metrics', () => {
    const byMetric = (name: string) => alarms().filter((a) => a['MetricName'] === name);
    expect(byMetric('Errors')).toHaveLength(Object.keys(fns()).length);
    expect(byMetric('ExecutionsFailed')).toHaveLength(1);
    expect(byMetric('ExecutionsTimedOut')).toHaveLength(1);
    for (const metric of ['ReconciliationFindings', 'QuarantinedMail']) {
      expect(only(byMetric(metric))).toMatchObject({
        Namespace: 'Rapportflode',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        Dimensions: [{ Name: 'service', Value: 'rapportflode' }],
      });
    }
  });

  it('subscribes the configured alarm address with a DLQ on the subscription', () => {
    const withEmail = synthesize({ context: { config: { alarmEmail: 'kansli@finsamgavleborg.se' } } });
    withEmail.service.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'kansli@finsamgavleborg.se',
      RedrivePolicy: Match.anyValue(),
    });
  });
});

describe('physical names', () => {
  it('names no function, queue, bus, state machine, topic or log group', () => {
    const nameProps: Record<string, string> = {
      'AWS::Lambda::Function': 'FunctionName',
      'AWS::SQS::Queue': 'QueueName',
      'AWS::StepFunctions::StateMachine': 'StateMachineName',
      'AWS::SNS::Topic': 'TopicName',
      'AWS::Logs::LogGroup': 'LogGroupName',
      'AWS::IAM::Role': 'RoleName',
    };
    for (const [type, prop] of Object.entries(nameProps)) {
      for (const [id, r] of resourcesOfType(s.serviceJson, type))
        expect(r.Properties?.[prop], id).toBeUndefined();
    }
    // The bus has a CloudFormation-required Name, generated by CDK from the construct path.
    const bus = only(resourcesOfType(s.serviceJson, 'AWS::Events::EventBus'))[1];
    expect(String(bus.Properties?.['Name'])).toMatch(/AppBus/);
  });
});
