import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { figure, type Figure } from './lib/stats.js';

const run = promisify(execFile);
const childResult = z.object({ startMs: z.number(), rssMb: z.number() });

/**
 * The local stack's own process: resident memory once started (the CDK synthesis runs in a child and is cached,
 * so the stack keeps only the templates), and its start time with a cold and a warm synthesis cache.
 */
export async function benchLocalStack(runs: number): Promise<Figure[]> {
  const root = path.join(import.meta.dirname, '..');
  const child = path.join(import.meta.dirname, 'lib', 'local-stack-child.ts');
  const once = async (cold: boolean) => {
    if (cold)
      rmSync(path.join(root, 'node_modules', '.cache', 'rapportflode-synth'), {
        recursive: true,
        force: true,
      });
    const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', child], {
      cwd: root,
      timeout: 300_000,
      maxBuffer: 1 << 20,
    });
    return childResult.parse(JSON.parse(stdout.trim().split('\n').pop() ?? '{}'));
  };
  const cold = [await once(true)];
  const warm: z.infer<typeof childResult>[] = [];
  for (let i = 0; i < runs; i++) warm.push(await once(false));
  const all = [...cold, ...warm];
  return [
    figure(
      'local stack',
      'resident memory after start',
      'MB',
      all.map((r) => r.rssMb),
      {
        target: { op: '<=', value: 300 },
        note: 'the stack process alone; DynamoDB Local (Java) runs apart',
      },
    ),
    figure(
      'local stack',
      'start, synthesis cache cold',
      'ms',
      cold.map((r) => r.startMs),
    ),
    figure(
      'local stack',
      'start, synthesis cache warm',
      'ms',
      warm.map((r) => r.startMs),
    ),
  ];
}
