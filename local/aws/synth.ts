import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildApp } from '../../infra/build-app.js';
import { templateSchema, type Synthesized } from './template.js';

export type { StageConfig, Template } from './template.js';

/**
 * The same definitions as on AWS: the CDK app synthesized without bundling, its two templates read back. `raw`
 * keeps them as they are for the IAM proxies: the policies refer across stacks through Outputs, which the
 * parsed shape drops.
 */
export function synthesize(): Synthesized {
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

// Run as a child by synthesizeApart (synth-apart.ts): synthesize and write the templates to the file named.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const target = process.argv[2];
  if (!target) throw new Error('usage: synth.ts <output.json>');
  writeFileSync(target, JSON.stringify(synthesize()));
}
