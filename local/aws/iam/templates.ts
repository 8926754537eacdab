import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { buildApp } from '../../../infra/build-app.js';
import { extractPolicies } from './policies.js';

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
  ingestQueue: 'rapportflode-ingest',
} as const;

const policyResourceSchema = z
  .object({
    Type: z.literal('AWS::IAM::Policy'),
    Properties: z
      .object({
        Roles: z.array(z.unknown()).optional(),
        PolicyDocument: z.object({ Statement: z.array(z.record(z.string(), z.unknown())) }).loose(),
      })
      .loose(),
  })
  .loose();
const templateResourcesSchema = z.object({ Resources: z.record(z.string(), z.unknown()) }).loose();

/**
 * The templates with one action taken out of a function's role, as if the grant had been forgotten: for tests
 * that show what a wrong grant does (LocalStackOptions.iamTemplates). A statement left without actions goes.
 */
export function withoutGrant(templates: unknown[], fnId: string, action: string): unknown[] {
  const copy = structuredClone(templates);
  const fn = extractPolicies(copy, LOCAL_STACK_NAMES).functions.find((f) => f.fnId === fnId);
  if (!fn) throw new Error(`Okänd funktion: ${fnId}`);
  let removed = 0;
  for (const t of copy) {
    for (const resource of Object.values(templateResourcesSchema.parse(t).Resources)) {
      const p = policyResourceSchema.safeParse(resource);
      if (!p.success) continue;
      const props = p.data.Properties;
      if (!JSON.stringify(props.Roles ?? []).includes(`"${fn.roleLogicalId}"`)) continue;
      const doc = props.PolicyDocument;
      const kept = doc.Statement.flatMap((s) => {
        const actions = ([] as unknown[]).concat(s['Action'] ?? []);
        const left = actions.filter((a) => a !== action);
        removed += actions.length - left.length;
        if (left.length === 0) return [];
        return [{ ...s, Action: left.length === 1 ? left[0] : left }];
      });
      // Written back into the clone: the parsed objects are the clone's own (loose keeps every key).
      Object.assign((resource as { Properties: { PolicyDocument: object } }).Properties.PolicyDocument, {
        Statement: kept,
      });
    }
  }
  if (removed === 0) throw new Error(`${fnId} har ingen behörighet ${action}`);
  return copy;
}
