import { build } from 'esbuild';
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
const name = process.argv[2]!;
const dir = `${process.cwd()}/bench/results/prof`;
const out = `${dir}/${name}.mjs`;
await build({ entryPoints: [`functions/${name}/handler.ts`], bundle: true, platform: 'node', format: 'esm', target: 'node22', mainFields: ['module', 'main'], minify: false, outfile: out, banner: { js: "import{createRequire as __rfCreateRequire}from'node:module';const require=__rfCreateRequire(import.meta.url);" }, external: name === 'ingest' ? ['tesseract.js', '@tesseract.js-data/swe', '@napi-rs/canvas'] : [] });
const lines = readFileSync(out, 'utf8').split('\n');
const owner: string[] = [];
let cur = '?';
for (const l of lines) { const m = /^\/\/ (\S+)$/.exec(l); if (m) { const p = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(m[1]!); cur = p ? p[1]! : m[1]!.split('/').slice(0, 2).join('/'); } owner.push(cur); }
for (const f of readdirSync(dir)) if (f.endsWith('.cpuprofile')) execFileSync('rm', [`${dir}/${f}`]);
execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-interval', '50', `--cpu-prof-dir=${dir}`, '/tmp/imp.mjs', `file://${out}`], { env: { ...process.env, AWS_REGION: 'eu-north-1', TABLE_NAME: 't', INBOUND_BUCKET: 'b', MAIL_FROM: 'abc', KANSLI_EMAIL: 'a@b.se', FORBUNDSCHEF_EMAIL: 'a@b.se', PUBLIC_BASE_URL: 'https://x.se', BEREDNINGSGRUPP: '[{"namn":"a","epost":"a@b.se","organisation":"o"}]', STATE_MACHINE_ARN: 'x', EVENT_BUS_NAME: 'e' }, stdio: 'inherit' });
const prof = JSON.parse(readFileSync(`${dir}/${readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))}`, 'utf8')) as { nodes: { id: number; callFrame: { url: string; lineNumber: number; functionName: string }; }[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const agg = new Map<string, number>();
prof.samples.forEach((id, i) => { const n = byId.get(id)!; const dt = (prof.timeDeltas[i] ?? 0) / 1000; const k = n.callFrame.url.endsWith(`${name}.mjs`) ? owner[n.callFrame.lineNumber] ?? '?' : (n.callFrame.url || `(${n.callFrame.functionName})`); agg.set(k, (agg.get(k) ?? 0) + dt); });
console.log([...agg].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([k, v]) => `${v.toFixed(1)} ms  ${k}`).join('\n'));
