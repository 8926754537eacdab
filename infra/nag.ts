import * as fs from 'node:fs';
import * as path from 'node:path';
import { Validations } from 'aws-cdk-lib';
import type { App, Stage } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { z } from 'zod';
import type { StageName } from './config/stages.js';
import { RAPPORTFLODE_PACK, RapportflodeChecks } from './nag-rules.js';

/** Plugin names of the cdk-nag packs as they appear in the validation report. */
export const NAG_PACKS = ['AwsSolutions', 'Serverless', RAPPORTFLODE_PACK] as const;

export interface NagChecksOptions {
  /** The stage the app is built for (`buildApp(...).config.stage`); the project's own pack needs it. */
  readonly stage: StageName;
}

/**
 * Registers the AwsSolutions and Serverless packs and the project's own pack (infra/nag-rules.ts) on every
 * stack of the app. cdk-nag 3 runs as a CDK policy-validation plugin: an unacknowledged error makes
 * `app.synth()` throw; acknowledgements are `Validations.of(resource).acknowledge({ id, reason })` on the
 * specific resource.
 */
export function addNagChecks(app: App | Stage, opts: NagChecksOptions): void {
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new ServerlessChecks(app),
    new RapportflodeChecks(app, { stage: opts.stage }),
  );
}

const reportSchema = z.object({
  pluginReports: z.array(
    z
      .object({
        pluginName: z.string().optional(),
        summary: z.object({ pluginName: z.string().optional() }).loose().optional(),
        violations: z.array(z.unknown()).optional(),
        conclusion: z.string().optional(),
      })
      .loose(),
  ),
});

export interface NagFinding {
  readonly plugin: string;
  readonly violation: unknown;
}

/**
 * Unacknowledged cdk-nag findings of any level (warnings included) in a synthesized assembly.
 * Errors already stop `app.synth()`; this catches the warnings, so "zero unacknowledged findings" holds.
 */
export function unacknowledgedNagFindings(assemblyDir: string): NagFinding[] {
  const file = path.join(assemblyDir, 'validation-report.json');
  if (!fs.existsSync(file)) return [];
  const report = reportSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  const findings: NagFinding[] = [];
  for (const pluginReport of report.pluginReports) {
    const plugin = pluginReport.pluginName ?? pluginReport.summary?.pluginName ?? '';
    if (!(NAG_PACKS as readonly string[]).includes(plugin)) continue;
    for (const violation of pluginReport.violations ?? []) findings.push({ plugin, violation });
  }
  return findings;
}
