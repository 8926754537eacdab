import { describe, expect, it } from 'vitest';
import { newHandling } from '../../test/support/new-handling.js';
import type { Handling } from '../diarium/types.js';
import type { KlassDeps } from './kansli.js';
import { andraKlass, parseKlass } from './kansli.js';

function deps(h: Handling) {
  let current = h;
  const begard: string[] = [];
  const d = {
    repo: {
      getHandling: () => Promise.resolve(current),
      updateHandling: (
        _dnr: string,
        change: Partial<Handling>,
        _log: unknown,
        guard?: (c: Handling) => void,
      ) => {
        guard?.(current);
        current = { ...current, ...change };
        return Promise.resolve(current);
      },
    },
    events: {
      granskningBegard: (e: { diarienummer: string }) => {
        begard.push(e.diarienummer);
        return Promise.resolve();
      },
    },
  } as unknown as KlassDeps;
  return { d, begard, now: () => current };
}

const handling = (over: Partial<Handling>): Handling => ({
  ...newHandling(1, { granskning: 'ej-aktuell', ...over }),
  diarienummer: 'SFG 26-1.1',
  arende: 'SFG 26-1',
  handlingsnummer: 1,
  registrerad: '2026-01-01T00:00:00.000Z',
  klassning: { klass: 'allman-handling', orsak: 'x', av: 'system' },
});

describe('the kansli corrects a class', () => {
  it('sends a complete report wrongly taken for an allmän handling to granskning', async () => {
    const { d, begard, now } = deps(handling({}));
    const r = await andraKlass(d, 'SFG 26-1.1', { klass: 'slutrapport', skal: 'Är en rapport', av: 'Anna' });
    expect(r.foljd).toContain('Granskning har begärts');
    expect(now().granskning).toBe('pagar');
    expect(now().klassning).toMatchObject({ klass: 'slutrapport', av: 'Anna' });
    expect(begard).toEqual(['SFG 26-1.1']);
  });

  it('holds a report with personnummer for sekretessprövning instead', async () => {
    const { d, begard, now } = deps(handling({ sekretess: true }));
    await andraKlass(d, 'SFG 26-1.1', { klass: 'slutrapport', skal: 'Rapport', av: 'Anna' });
    expect(now().granskning).toBe('vantar-pa-kansliet');
    expect(begard).toEqual([]);
  });

  it('takes a held handling that is not a report out of the queue', async () => {
    const { d, now } = deps(handling({ granskning: 'vantar-pa-kansliet' }));
    await andraKlass(d, 'SFG 26-1.1', { klass: 'ringa-betydelse', skal: 'Reklam', av: 'Anna' });
    expect(now().granskning).toBe('ej-aktuell');
  });

  it('sets the public text', async () => {
    const { d, now } = deps(handling({}));
    await andraKlass(d, 'SFG 26-1.1', { publikText: 'Fråga om ansökan', skal: 'Tydligare', av: 'Anna' });
    expect(now().klassning?.publikText).toBe('Fråga om ansökan');
  });

  it('refuses an unknown class in Swedish', () => {
    expect(() => parseKlass('rapport')).toThrow(/Okänd klass/);
  });
});
