/**
 * Prints, per function, the calls IAM denied and the actions its role grants that it never called.
 *
 *   npx tsx local/aws/iam/report.ts [calls.json]
 *
 * calls.json is what the local stack writes at stop when started with IAM enforcement (.data/iam-calls.json);
 * without it, every observable grant is listed as unused.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { IamEnforcer, formatReport } from './enforcer.js';
import { extractPolicies } from './policies.js';
import { LOCAL_STACK_NAMES, synthTemplates } from './templates.js';

const callSchema = z.object({
  fnId: z.string(),
  action: z.string(),
  resource: z.string(),
  decision: z.enum(['Allowed', 'ExplicitlyDenied', 'ImplicitlyDenied']),
  error: z.string().optional(),
});

export function reportFromCalls(calls: unknown): string {
  const enforcer = new IamEnforcer(extractPolicies(synthTemplates(), LOCAL_STACK_NAMES));
  for (const c of z.array(callSchema).parse(calls)) {
    enforcer.calls.push({
      fnId: c.fnId,
      action: c.action,
      resource: c.resource,
      decision: c.decision,
      ...(c.error ? { error: c.error } : {}),
    });
  }
  return formatReport(enforcer);
}

const file = process.argv[2] ?? path.join('.data', 'iam-calls.json');
if (!existsSync(file)) console.error(`Ingen anropsfil (${file}): alla behörigheter visas som oanvända.`);
console.log(reportFromCalls(existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : []));
