import { describe, expect, it } from 'vitest';
import type { Diarium } from '../../../domain/diarium/ports.js';
import { runDiariumCli } from './main.js';

function io(h: Record<string, unknown> | null) {
  const out: string[] = [];
  const err: string[] = [];
  const sent: unknown[] = [];
  const logg: unknown[] = [];
  const repo = {
    getHandling: () => Promise.resolve(h),
    appendLog: (_a: string, e: unknown) => {
      logg.push(e);
      return Promise.resolve(e);
    },
  } as unknown as Diarium;
  return {
    out,
    err,
    sent,
    logg,
    io: {
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      env: {},
      clock: () => new Date('2026-03-03T08:00:00Z'),
      repo,
      ko: {
        begarLasning: (b: unknown) => {
          sent.push(b);
          return Promise.resolve();
        },
      },
    },
  };
}

const papper = {
  diarienummer: 'SFG 26-13.1',
  arende: 'SFG 26-13',
  kalla: 'papper',
  bedomning: 'lases',
  makulerad: null,
  filer: [{ sha256: 'a'.repeat(64) }],
};

describe('npm run diarium -- las-in', () => {
  it('asks the ingest to read the paper report and says so in Swedish', async () => {
    const t = io(papper);
    expect(await runDiariumCli(['las-in', 'SFG 26-13.1', '--av', 'Rita Registrator'], t.io)).toBe(0);
    expect(t.sent).toEqual([
      { diarienummer: 'SFG 26-13.1', av: 'Rita Registrator', begard: '2026-03-03T08:00:00.000Z' },
    ]);
    expect(t.logg).toHaveLength(1);
    expect(t.out.join('\n')).toContain('Inläsning av SFG 26-13.1 är begärd av Rita Registrator');
  });

  it('refuses a report already read with one Swedish line and exit code 1, sending nothing', async () => {
    const t = io({ ...papper, bedomning: 'komplett' });
    expect(await runDiariumCli(['las-in', 'SFG 26-13.1', '--av', 'Rita'], t.io)).toBe(1);
    expect(t.err.join('\n')).toContain('Handlingen är redan inläst.');
    expect(t.err.join('\n')).not.toMatch(/at .*\.ts/);
    expect(t.sent).toEqual([]);
  });
});
