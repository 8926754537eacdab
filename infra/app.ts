#!/usr/bin/env node
// Entry of `npm run synth` and of the CDK CLI (cdk.json). Synthesizes offline: no lookups.
import { buildApp } from './build-app.js';
import { addNagChecks, unacknowledgedNagFindings } from './nag.js';

const bundlingContext = process.env['RAPPORTFLODE_BUNDLING'];
// prod refuses to synthesize without an alarm recipient: `ALARM_EMAIL=… npm run synth`, or with the CDK CLI
// `-c config='{"alarmEmail":"…"}'` (which takes precedence). RAPPORTFLODE_STAGE=lokal synthesizes the lokal stage.
const alarmEmail = process.env['ALARM_EMAIL'];
const stage = process.env['RAPPORTFLODE_STAGE'];
const { app, config } = buildApp({
  bundling: bundlingContext !== 'false',
  ...(stage ? { stage } : {}),
  ...(alarmEmail ? { context: { config: { alarmEmail } } } : {}),
});
addNagChecks(app, { stage: config.stage });

// An unacknowledged cdk-nag error makes synth() throw (exit code 1); warnings are checked below.
const assembly = app.synth();
const findings = unacknowledgedNagFindings(assembly.directory);
if (findings.length > 0) {
  console.error(`cdk-nag: ${findings.length} unacknowledged finding(s):`);
  for (const finding of findings) console.error(JSON.stringify(finding, undefined, 2));
  process.exit(1);
}
