import { describe, expect, it } from 'vitest';
import { DiariumRegelError, HandlingNotFoundError } from '../diarium/errors.js';
import type { LogEvent } from '../diarium/ports.js';
import { LAS_IN_MANUELLT } from '../diarium/registrera.js';
import type { Handling } from '../diarium/types.js';
import { begarInlasning, lasInHinder, type LasningBegaran } from './las-in.js';

const papper: Handling = {
  diarienummer: 'SFG 26-13.1',
  arende: 'SFG 26-13',
  handlingsnummer: 1,
  registrerad: '2026-03-02T09:00:00.000Z',
  mottagen: '2026-03-02T09:00:00.000Z',
  ankomstdatum: '2026-03-02',
  ankomstAndrad: null,
  kalla: 'papper',
  kallaReferens: 'manuell:abc',
  avsandare: {
    namn: 'Sara Provperson',
    epost: null,
    kuvertAvsandare: null,
    organisation: 'Exempelby kommun',
  },
  beskrivning: 'Slutrapport på papper',
  bedomning: 'lases',
  fel: [],
  varningar: [],
  filer: [
    {
      filnamn: 'skanning.pdf',
      sha256: 'a'.repeat(64),
      storlek: 10,
      typ: 'pdf',
      nyckel: 'handlingar/a/skanning.pdf',
      rapport: false,
    },
  ],
  personnummer: [],
  sekretess: false,
  flaggor: ['papper', LAS_IN_MANUELLT],
  klassning: { klass: 'slutrapport', orsak: 'Registrerad för hand av kansliet', av: 'Rita' },
  granskning: 'ej-aktuell',
  makulerad: null,
  kvittens: null,
  rapport: { typ: 'ovrig' },
};

function harness(h: Handling | null) {
  const steg: string[] = [];
  const logg: (LogEvent & { arende: string })[] = [];
  const skickade: (LasningBegaran & { begard: string })[] = [];
  const deps = {
    repo: {
      getHandling: () => Promise.resolve(h),
      appendLog: (arende: string, e: LogEvent) => {
        steg.push('logg');
        logg.push({ arende, ...e });
        return Promise.resolve({ seq: 1, tidpunkt: 'x', hash: 'h', prevHash: 'p', ...e });
      },
    },
    ko: {
      begarLasning: (b: LasningBegaran & { begard: string }) => {
        steg.push('ko');
        skickade.push(b);
        return Promise.resolve();
      },
    },
    clock: () => new Date('2026-03-03T08:00:00.000Z'),
  };
  return { deps, steg, logg, skickade };
}

describe('asking for a paper report to be read', () => {
  it('writes the request to the ärende’s log with the person, then asks the ingest', async () => {
    const t = harness(papper);
    await begarInlasning(t.deps, papper.diarienummer, { av: 'Rita Registrator [sub-1]' });
    expect(t.steg).toEqual(['logg', 'ko']);
    expect(t.logg).toEqual([
      expect.objectContaining({
        arende: 'SFG 26-13',
        handelse: 'inlasning-begard',
        av: 'Rita Registrator [sub-1]',
        data: { handling: 'SFG 26-13.1', fil: 'a'.repeat(64) },
      }),
    ]);
    expect(t.skickade).toEqual([
      { diarienummer: 'SFG 26-13.1', av: 'Rita Registrator [sub-1]', begard: '2026-03-03T08:00:00.000Z' },
    ]);
  });

  it('refuses, without logging or sending, what is not a paper report still waiting to be read', async () => {
    const fall: [Handling | null, RegExp][] = [
      [null, /finns inte/],
      [{ ...papper, bedomning: 'komplett' }, /redan inläst/],
      [{ ...papper, kalla: 'epost' }, /registrerats för hand från papper/],
      [{ ...papper, makulerad: { av: 'x', skal: 'fel', tidpunkt: 'y' } }, /makulerad/],
      [{ ...papper, filer: [] }, /ingen skannad fil/],
    ];
    for (const [h, fel] of fall) {
      const t = harness(h);
      const r = begarInlasning(t.deps, 'SFG 26-13.1', { av: 'Rita' });
      await expect(r).rejects.toThrow(fel);
      await expect(r).rejects.toBeInstanceOf(h ? DiariumRegelError : HandlingNotFoundError);
      expect(t.steg).toEqual([]);
    }
  });

  it('requires the person', async () => {
    const t = harness(papper);
    await expect(begarInlasning(t.deps, papper.diarienummer, { av: '  ' })).rejects.toThrow(/Vem/);
    expect(t.steg).toEqual([]);
  });

  it('finds nothing in the way of a paper report registered as being read', () => {
    expect(lasInHinder(papper)).toBeNull();
  });
});
