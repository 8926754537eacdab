import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { buildApp } from '../../infra/build-app.js';
import { stageConfigSchema, type StageConfig } from '../../infra/config/stages.js';

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

const synthesizedSchema = z.object({
  stateful: templateSchema,
  service: templateSchema,
  raw: z.array(z.unknown()),
  config: z.record(z.string(), z.unknown()),
});

/**
 * synthesize() in a child process. CDK's synthesis holds ~600 MB that a long-running local stack would keep
 * for nothing (V8 rarely returns it), next to the functions it runs; the child returns only the templates.
 */
export async function synthesizeApart(): Promise<ReturnType<typeof synthesize>> {
  const out = path.join(
    os.tmpdir(),
    `rapportflode-templates-${process.pid}-${randomBytes(4).toString('hex')}.json`,
  );
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(import.meta.url), out],
        { cwd: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..'), maxBuffer: 16 << 20 },
        (err, _stdout, stderr) => {
          if (err) reject(new Error(`CDK-syntesen misslyckades: ${stderr.trim() || err.message}`));
          else resolve();
        },
      );
    });
    const parsed = synthesizedSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    // The config crosses the process boundary as JSON: read it back through the stage schema.
    return { ...parsed, config: stageConfigSchema.parse(parsed.config) };
  } finally {
    rmSync(out, { force: true });
  }
}

// Run as a child by synthesizeApart: synthesize and write the templates to the file named.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const target = process.argv[2];
  if (!target) throw new Error('usage: synth.ts <output.json>');
  writeFileSync(target, JSON.stringify(synthesize()));
}
