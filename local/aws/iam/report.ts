/**
 * Prints, per function, the calls IAM denied and the actions its role grants that it never called.
 *
 *   npx tsx local/aws/iam/report.ts [file-or-directory …]
 *
 * Every local stack writes its calls at stop to .data/iam-calls/<run>.json (LOCAL_IAM_CALLS_DIR) and to
 * <dataDir>/iam-calls.json; the default is the whole directory, so after `npm test` the report covers every
 * integration test's stack. `rm -rf .data/iam-calls` first for a report of one run.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { CALLS_DIR } from './wire.js';
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

/** The calls in the given files, and in every .json file of the given directories. */
export function readCalls(paths: string[]): unknown[] {
  const files = paths.flatMap((p) =>
    !existsSync(p)
      ? []
      : statSync(p).isDirectory()
        ? readdirSync(p)
            .filter((f) => f.endsWith('.json'))
            .map((f) => path.join(p, f))
        : [p],
  );
  return files.flatMap((f) => z.array(z.unknown()).parse(JSON.parse(readFileSync(f, 'utf8'))));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const paths = process.argv.length > 2 ? process.argv.slice(2) : [CALLS_DIR];
  const calls = readCalls(paths);
  if (calls.length === 0)
    console.error(`Inga anrop i ${paths.join(', ')}: alla behörigheter visas som oanvända.`);
  console.log(reportFromCalls(calls));
}
