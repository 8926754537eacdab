import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildApp } from './build-app.js';
import type { StageName } from './config/stages.js';
import { INGEST_TIMEOUT, INGEST_WORST_CASE_SECONDS } from './constructs/ingest-pipeline.js';
import { addNagChecks } from './nag.js';
import { RapportflodeChecks, WORST_CASE_SECONDS_METADATA, declareWorstCaseSeconds } from './nag-rules.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'rapportflode-nag-rules-'));
const env = { region: 'eu-west-1' };

/** A synth of `build` checked by the Rapportflöde pack alone (the standard packs would flag the minimal stacks). */
function synthWith(build: (app: App) => void, stage: StageName = 'prod'): () => void {
  const app = new App({ outdir: tmp() });
  build(app);
  Validations.of(app).addPlugins(new RapportflodeChecks(app, { stage }));
  return () => app.synth();
}

/** The synth stops on `ruleId` found by the rule itself (a rule that throws is reported under its id too). */
function expectFinding(synth: () => void, ruleId: string): void {
  let message = '';
  try {
    synth();
  } catch (err) {
    message = String(err);
  }
  expect(message).toContain(ruleId);
  expect(message).not.toContain('Rule threw an error');
}

function receiptRuleInto(scope: Construct, bucket: { bucketName: string }): void {
  new ses.ReceiptRuleSet(scope, 'RuleSet').addRule('Rule', {
    actions: [{ bind: () => ({ s3Action: { bucketName: bucket.bucketName, objectKeyPrefix: 'raw/' } }) }],
  });
}

function lockedBucket(scope: Construct, withDefault: boolean): s3.Bucket {
  return new s3.Bucket(scope, 'Bucket', {
    objectLockEnabled: true,
    ...(withDefault
      ? { objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(1)) }
      : {}),
  });
}

function fn(scope: Construct, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(scope, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
    ...props,
  });
}

function alarmedTopic(stack: Stack, subscribed: boolean): void {
  const topic = new sns.Topic(stack, 'Topic');
  if (subscribed) topic.addSubscription(new subscriptions.EmailSubscription('kansli@finsamgavleborg.se'));
  new cloudwatch.Alarm(stack, 'Alarm', {
    metric: new cloudwatch.Metric({ namespace: 'Test', metricName: 'Errors' }),
    threshold: 0,
    evaluationPeriods: 1,
  }).addAlarmAction(new actions.SnsAction(topic));
}

describe('Rapportflode-SES1: SES S3 action into an Object Lock bucket with default retention', () => {
  it('fires when the bucket in the same stack has a default retention', () => {
    const synth = synthWith((app) => {
      const stack = new Stack(app, 'Mail', { env });
      receiptRuleInto(stack, lockedBucket(stack, true));
    });
    expectFinding(synth, 'Rapportflode-SES1');
  });

  it('fires when the bucket is in another stack of the app', () => {
    const synth = synthWith((app) => {
      const bucket = lockedBucket(new Stack(app, 'Data', { env }), true);
      receiptRuleInto(new Stack(app, 'Mail', { env }), bucket);
    });
    expectFinding(synth, 'Rapportflode-SES1');
  });

  it('passes for Object Lock without a default retention', () => {
    const synth = synthWith((app) => {
      const stack = new Stack(app, 'Mail', { env });
      receiptRuleInto(stack, lockedBucket(stack, false));
    });
    expect(synth).not.toThrow();
  });
});

describe('Rapportflode-SES2: SES receipt rules only in receiving regions', () => {
  it('fires in a region without SES email receiving', () => {
    const synth = synthWith((app) => {
      new ses.ReceiptRuleSet(new Stack(app, 'Mail', { env: { region: 'eu-north-1' } }), 'RuleSet');
    });
    expectFinding(synth, 'Rapportflode-SES2');
  });

  it('fires in an env-agnostic stack, whose region cannot be checked', () => {
    const synth = synthWith((app) => {
      new ses.ReceiptRuleSet(new Stack(app, 'Mail'), 'RuleSet');
    });
    expectFinding(synth, 'Rapportflode-SES2');
  });

  it('passes in a receiving region', () => {
    const synth = synthWith((app) => {
      new ses.ReceiptRuleSet(new Stack(app, 'Mail', { env }), 'RuleSet');
    });
    expect(synth).not.toThrow();
  });
});

describe('Rapportflode-Lambda1: no reserved concurrency', () => {
  it('fires on any reservation', () => {
    const synth = synthWith((app) => {
      fn(new Stack(app, 'Fns', { env }), { reservedConcurrentExecutions: 1 });
    });
    expectFinding(synth, 'Rapportflode-Lambda1');
  });

  it('passes without a reservation', () => {
    const synth = synthWith((app) => {
      fn(new Stack(app, 'Fns', { env }));
    });
    expect(synth).not.toThrow();
  });
});

describe('Rapportflode-Lambda2: timeout above the declared worst case', () => {
  it('fires when the timeout does not exceed the worst case', () => {
    const synth = synthWith((app) => {
      declareWorstCaseSeconds(fn(new Stack(app, 'Fns', { env }), { timeout: Duration.seconds(60) }), 60);
    });
    expectFinding(synth, 'Rapportflode-Lambda2');
  });

  it('passes when the timeout exceeds it, and without a declaration', () => {
    const synth = synthWith((app) => {
      declareWorstCaseSeconds(fn(new Stack(app, 'Fns', { env }), { timeout: Duration.seconds(61) }), 60);
      fn(new Stack(app, 'Undeclared', { env }));
    });
    expect(synth).not.toThrow();
  });

  it('sees the real ingest worst case: 1 mail × (420 s budget + 120 s overhead), below the 600 s timeout', () => {
    const { service } = buildApp({
      stage: 'prod',
      bundling: false,
      outdir: tmp(),
      context: { config: { alarmEmail: 'kansli@finsamgavleborg.se' } },
    });
    expect(INGEST_WORST_CASE_SECONDS).toBe(1 * (420 + 120));
    // Only the ingest function declares a worst case.
    Template.fromStack(service).hasResource('AWS::Lambda::Function', {
      Metadata: { [WORST_CASE_SECONDS_METADATA]: INGEST_WORST_CASE_SECONDS },
      Properties: { Timeout: INGEST_TIMEOUT.toSeconds(), MemorySize: 3008 },
    });
    Template.fromStack(service).hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 1 });
    expect(INGEST_TIMEOUT.toSeconds()).toBe(600);
    expect(INGEST_TIMEOUT.toSeconds()).toBeGreaterThan(INGEST_WORST_CASE_SECONDS);
    // Lambda's maximum timeout ("Lambda quotas").
    expect(INGEST_TIMEOUT.toSeconds()).toBeLessThanOrEqual(900);
  });
});

describe('Rapportflode-SNS1: alarm topic without a subscriber in prod', () => {
  it('fires in prod when alarms publish to a topic nobody subscribes to', () => {
    const synth = synthWith((app) => {
      alarmedTopic(new Stack(app, 'Alarms', { env }), false);
    });
    expectFinding(synth, 'Rapportflode-SNS1');
  });

  it('passes with a subscription, outside prod, and for topics no alarm uses', () => {
    expect(synthWith((app) => alarmedTopic(new Stack(app, 'Alarms', { env }), true))).not.toThrow();
    expect(synthWith((app) => alarmedTopic(new Stack(app, 'Alarms', { env }), false), 'lokal')).not.toThrow();
    expect(synthWith((app) => new sns.Topic(new Stack(app, 'Topics', { env }), 'Topic'))).not.toThrow();
  });

  it('is backed by the stage config: the real prod app refuses to build without an alarmEmail', () => {
    expect(() => buildApp({ stage: 'prod', bundling: false, outdir: tmp() })).toThrow(
      /prod kräver alarmEmail/,
    );
  });
});

describe('the real app', () => {
  it('passes Rapportflode-SES1, -Lambda1 and -Lambda2 without acknowledging them (records store without default retention, reconcile without reserved concurrency, ingest within its timeout)', () => {
    const outdir = tmp();
    const { app, config } = buildApp({
      stage: 'prod',
      bundling: false,
      outdir,
      context: { config: { alarmEmail: 'kansli@finsamgavleborg.se' } },
    });
    addNagChecks(app, { stage: config.stage });
    expect(() => app.synth()).not.toThrow();
    const everything = fs
      .readdirSync(outdir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => fs.readFileSync(path.join(outdir, f), 'utf8'))
      .join('\n');
    expect(everything).not.toContain('Rapportflode-SES1');
    expect(everything).not.toContain('Rapportflode-Lambda1');
    expect(everything).not.toContain('Rapportflode-Lambda2');
  });
});
