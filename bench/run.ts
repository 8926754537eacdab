/**
 * `npm run bench [-- --quick] [-- --only=bundles,extraction,parse,hostile,localstack,mail,kansli,latency,allocation,dynamodb,burst]`
 * Runs the benchmarks against a local stack on free ports, prints one table with the machine's description
 * and writes the same figures to bench/results/bench-<date>.json (not committed).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { benchAllocation } from './allocation.js';
import { benchBundles } from './bundles.js';
import { benchBurst, benchLatency, withStack, type BurstResult } from './e2e.js';
import { benchDynamoCost } from './dynamodb-cost.js';
import { benchKansli } from './kansli.js';
import { benchExtraction, benchHostile, benchParse } from './extraction.js';
import { benchLocalStack } from './local-stack.js';
import { benchMailParsers } from './mail-parsers.js';
import { describeMachine, passes, renderMarkdown, renderTable, type Figure } from './lib/stats.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const burstArg = args.find((a) => a.startsWith('--burst-concurrency='))?.slice('--burst-concurrency='.length);
const want = (s: string): boolean => !only || only.includes(s);

const settings = quick
  ? {
      runs: 3,
      ocrRuns: 1,
      initRuns: 10,
      latency: 20,
      burst: 200,
      burstConcurrency: [8],
      burstRuns: 1,
      alloc: 100,
      allocRuns: 1,
      dynamoCalls: 300,
    }
  : {
      runs: 5,
      ocrRuns: 3,
      initRuns: 15,
      latency: 100,
      burst: 1000,
      burstConcurrency: [4],
      burstRuns: 1,
      alloc: 200,
      allocRuns: 2,
      dynamoCalls: 1000,
    };
if (burstArg) settings.burstConcurrency = burstArg.split(',').map(Number);

const resultsDir = path.join(import.meta.dirname, 'results');
mkdirSync(resultsDir, { recursive: true });
const figures: Figure[] = [];
let burstResults: BurstResult[] = [];
const started = Date.now();
const step = async (name: string, fn: () => Promise<Figure[]>): Promise<void> => {
  if (!want(name)) return;
  const t0 = Date.now();
  process.stderr.write(`… ${name}\n`);
  const got = await fn();
  figures.push(...got);
  process.stderr.write(`  ${name}: ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
};

await step('bundles', () => benchBundles(resultsDir, settings.initRuns));
await step('parse', () => benchParse(settings.runs));
await step('mail', () => benchMailParsers(settings.runs));
await step('extraction', () => benchExtraction(settings.runs, settings.ocrRuns));
await step('hostile', () => benchHostile(resultsDir, quick));
await step('localstack', () => benchLocalStack(quick ? 1 : 3));
await step('kansli', () => benchKansli(settings.runs * 2));
if (want('latency') || want('allocation') || want('dynamodb')) {
  await withStack(async (stack) => {
    await step('latency', () => benchLatency(stack, settings.latency));
    await step('allocation', () => benchAllocation(stack.table, settings.alloc, 16, settings.allocRuns));
    await step('dynamodb', () => benchDynamoCost(stack, settings.dynamoCalls, settings.runs));
  });
}
await step('burst', async () => {
  const r = await benchBurst(settings.burst, settings.burstConcurrency, settings.burstRuns);
  burstResults = r.results;
  return r.figures;
});

const machine = describeMachine();
const date = new Date().toISOString();
const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
console.log(`\nRapportflöde benchmarks ${date}${quick ? ' (quick)' : ''}`);
console.log(
  `Machine: ${machine.cpu}, ${machine.cores} cores; memory: ${machine.memory}; Node ${machine.node}; ${machine.os}`,
);
console.log(`Command: ${command}; took ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
console.log(renderTable(figures));
const misses = figures.filter((f) => passes(f) === false);
console.log(
  misses.length
    ? `\n${misses.length} target(s) missed: ${misses.map((f) => `${f.group}/${f.name}`).join('; ')}`
    : '\nAll targets met.',
);
const file = path.join(resultsDir, `bench-${date.replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  JSON.stringify({ date, command, quick, machine, settings, figures, burst: burstResults }, null, 2),
);
writeFileSync(path.join(resultsDir, 'latest.md'), `${renderMarkdown(figures)}\n`);
console.log(`\nJSON: ${path.relative(process.cwd(), file)}`);
// Stopped stacks leave Step Functions timers (local/aws/stack.ts): do not wait for them.
process.exit(0);
