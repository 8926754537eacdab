import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../../infra/build-app.js';

/** The stateful and service templates as the local stack synthesizes them (no bundling). */
export function synthTemplates(stage = 'lokal'): unknown[] {
  const outdir = path.join(os.tmpdir(), `rapportflode-iam-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const built = buildApp({ stage, bundling: false, outdir });
    const assembly = built.app.synth();
    return [built.stateful, built.service].map(
      (s) => assembly.getStackArtifact(s.artifactId).template as unknown,
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The names the local stack gives the templates' resources (local/aws/stack.ts). */
export const LOCAL_STACK_NAMES = {
  table: 'rapportflode-diarium',
  bucket: 'rapportflode-inbound',
  eventBus: 'rapportflode-lokal',
  stateMachineArn: 'arn:aws:states:eu-west-1:000000000000:stateMachine:Granskning',
} as const;
