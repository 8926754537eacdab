import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** One row of the result table: a median over repeated runs, with min and max so the noise shows. */
export interface Figure {
  group: string;
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  /** Number of runs (or samples) behind the figure. */
  runs: number;
  target?: { op: '<=' | '>='; value: number };
  note?: string;
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(samples: number[]): {
  median: number;
  min: number;
  max: number;
  p95: number;
  runs: number;
} {
  const s = [...samples].sort((a, b) => a - b);
  return {
    median: quantile(s, 0.5),
    min: s[0] ?? Number.NaN,
    max: s[s.length - 1] ?? Number.NaN,
    p95: quantile(s, 0.95),
    runs: s.length,
  };
}

export function figure(
  group: string,
  name: string,
  unit: string,
  samples: number[],
  extra: Pick<Figure, 'target' | 'note'> = {},
): Figure {
  const { median, min, max, runs } = summarize(samples);
  return { group, name, unit, median, min, max, runs, ...extra };
}

export function passes(f: Figure): boolean | null {
  if (!f.target) return null;
  return f.target.op === '<=' ? f.median <= f.target.value : f.median >= f.target.value;
}

export async function repeat(runs: number, fn: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(await fn());
  return out;
}

export interface Machine {
  cpu: string;
  cores: number;
  memory: string;
  node: string;
  os: string;
}

export function describeMachine(): Machine {
  let cpu = os.cpus()[0]?.model ?? 'okänd';
  try {
    cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // Not Linux: os.cpus() is good enough.
  }
  let memory = `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`;
  try {
    const cols = execFileSync('free', ['-h'], { encoding: 'utf8' }).split('\n')[1]?.trim().split(/\s+/) ?? [];
    if (cols[1]) memory = `${cols[1]} total, ${cols[6] ?? '?'} available`;
  } catch {
    // `free` missing: total memory from Node.
  }
  return {
    cpu,
    cores: os.availableParallelism(),
    memory,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

const fmt = (n: number): string => {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  return a >= 100 ? n.toFixed(0) : a >= 10 ? n.toFixed(1) : a >= 1 ? n.toFixed(2) : n.toFixed(3);
};

export function renderTable(figures: Figure[]): string {
  const rows = figures.map((f) => {
    const ok = passes(f);
    return [
      f.group,
      f.name,
      `${fmt(f.median)} ${f.unit}`,
      `${fmt(f.min)} – ${fmt(f.max)}`,
      String(f.runs),
      f.target ? `${f.target.op} ${fmt(f.target.value)}` : '',
      ok === null ? '' : ok ? 'ok' : 'MISS',
      f.note ?? '',
    ];
  });
  const head = ['group', 'figure', 'median', 'min – max', 'n', 'target', '', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Markdown version of the same table, for docs/performance.md. */
export function renderMarkdown(figures: Figure[]): string {
  const out = ['| group | figure | median | min – max | n | target | |', '|---|---|---|---|---|---|---|'];
  for (const f of figures) {
    const ok = passes(f);
    out.push(
      `| ${f.group} | ${f.name}${f.note ? ` (${f.note})` : ''} | ${fmt(f.median)} ${f.unit} | ${fmt(f.min)} – ${fmt(f.max)} | ${f.runs} | ${f.target ? `${f.target.op} ${fmt(f.target.value)}` : ''} | ${ok === null ? '' : ok ? 'ok' : '**miss**'} |`,
    );
  }
  return out.join('\n');
}
