/** Child of bench/local-stack.ts: starts the local stack on free ports, then prints its start time and RSS. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalStack } from '../../local/aws/stack.js';

const t0 = performance.now();
const stack = await startLocalStack({
  dataDir: mkdtempSync(path.join(os.tmpdir(), 'rapportflode-bench-start-')),
  ports: { smtp: 0, s3: 0, dynamodb: 0, ses: 0, http: 0, aws: 0 },
  beslutPolicy: { typ: 'forsta' },
  log: () => undefined,
});
const startMs = performance.now() - t0;
// What the running stack keeps, after a collection: not the peak of its start.
globalThis.gc?.();
await new Promise((r) => setTimeout(r, 1000));
console.log(JSON.stringify({ startMs, rssMb: process.memoryUsage().rss / 1048576 }));
await stack.stop();
