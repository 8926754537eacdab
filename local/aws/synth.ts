import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { buildApp } from '../../infra/build-app.js';
import type { StageConfig } from '../../infra/config/stages.js';

const resourceSchema = z.object({
  Type: z.string(),
  Properties: z.record(z.string(), z.unknown()).optional(),
});
const templateSchema = z.object({ Resources: z.record(z.string(), resourceSchema) });
export type Template = z.infer<typeof templateSchema>;

export type { StageConfig };

/**
 * The same definitions as on AWS: the CDK app synthesized without bundling, its two templates read back. `raw`
 * keeps them as they are for the IAM proxies: the policies refer across stacks through Outputs, which the
 * parsed shape drops.
 */
export function synthesize(): { stateful: Template; service: Template; raw: unknown[]; config: StageConfig } {
  const outdir = path.join(
    os.tmpdir(),
    `rapportflode-synth-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  try {
    const built = buildApp({ stage: 'lokal', bundling: false, outdir });
    const assembly = built.app.synth();
    const raw = [built.stateful, built.service].map(
      (s): unknown => assembly.getStackArtifact(s.artifactId).template,
    );
    return {
      stateful: templateSchema.parse(raw[0]),
      service: templateSchema.parse(raw[1]),
      raw,
      config: built.config,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
