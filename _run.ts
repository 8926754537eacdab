import { readFileSync } from 'node:fs';
import { readSlutrapport, formatSummarySv } from './domain/slutrapport/index.js';
for (const f of process.argv.slice(2)) {
  const t = readFileSync(f, 'utf8');
  const r = readSlutrapport(t, { idag: '2022-02-20' });
  console.log(JSON.stringify({ ...r, rapport: { ...r.rapport, avsnitt: Object.fromEntries(Object.entries(r.rapport?.avsnitt ?? {}).map(([k, v]) => [k, v?.slice(0, 70) ?? null])) } }, null, 1));
  console.log(formatSummarySv(r));
  const t0 = performance.now(); for (let i = 0; i < 50; i++) readSlutrapport(t, { idag: '2022-02-20' }); console.log('ms/report', (performance.now() - t0) / 50);
}
