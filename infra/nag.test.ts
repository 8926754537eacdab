import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { buildApp } from './build-app.js';
import { addNagChecks, unacknowledgedNagFindings } from './nag.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'rapportflode-nag-'));

describe('cdk-nag', () => {
  it('finds nothing unacknowledged in the Rapportflöde app (AwsSolutions and Serverless)', () => {
    const { app, config } = buildApp({
      stage: 'prod',
      bundling: false,
      outdir: tmp(),
      // As docs/deploy.md deploys prod: without a subscriber the alarms reach nobody (Rapportflode-SNS1).
      context: { config: JSON.stringify({ alarmEmail: 'kansli@finsamgavleborg.se' }) },
    });
    addNagChecks(app, { stage: config.stage });
    const assembly = app.synth();
    expect(unacknowledgedNagFindings(assembly.directory)).toEqual([]);
  });

  it('also passes for the lokal stage and with an alarm subscription', () => {
    const { app, config } = buildApp({
      stage: 'lokal',
      bundling: false,
      outdir: tmp(),
      context: { config: JSON.stringify({ alarmEmail: 'kansli@finsamgavleborg.se' }) },
    });
    addNagChecks(app, { stage: config.stage });
    expect(unacknowledgedNagFindings(app.synth().directory)).toEqual([]);
  });

  it('fails synth on an unacknowledged error finding and names it', () => {
    const outdir = tmp();
    const app = new App({ outdir });
    const stack = new Stack(app, 'NonCompliant');
    // No access logs, no TLS enforcement: AwsSolutions-S1 and AwsSolutions-S10 are errors.
    new s3.Bucket(stack, 'Bucket');
    addNagChecks(app, { stage: 'prod' });
    expect(() => app.synth()).toThrow(/AwsSolutions-S1'[\s\S]*AwsSolutions-S10/);
    // The report stays in the assembly for app.ts and CI to read.
    const findings = JSON.stringify(unacknowledgedNagFindings(outdir));
    expect(findings).toContain('AwsSolutions-S1');
    expect(findings).toContain('AwsSolutions-S10');
  });

  it('fails synth on an unacknowledged warning too', () => {
    const app = new App({ outdir: tmp() });
    const stack = new Stack(app, 'Warning');
    // No retention: Serverless-CloudWatchLogGroupRetentionPeriod is a warning, not an error.
    new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.INFINITE });
    addNagChecks(app, { stage: 'prod' });
    expect(() => app.synth()).toThrow(/CloudWatchLogGroupRetentionPeriod/);
  });

  it('passes once the finding is acknowledged on that resource with a reason', () => {
    const outdir = tmp();
    const app = new App({ outdir });
    const stack = new Stack(app, 'Acknowledged');
    const group = new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.INFINITE });
    Validations.of(group).acknowledge({
      id: 'Serverless-CloudWatchLogGroupRetentionPeriod',
      reason: 'Test: kept forever on purpose.',
    });
    addNagChecks(app, { stage: 'prod' });
    app.synth();
    expect(unacknowledgedNagFindings(outdir)).toEqual([]);
  });
});
