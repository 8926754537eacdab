import { describe, expect, it } from 'vitest';
import { newHandling } from '../../test/support/new-handling.js';
import { HANDELSE } from './audit.js';
import { ateroppnaArende, avslutaArende, havSekretess, markeraSekretess } from './kansli.js';
import type { ArendeLog, DiariumReader, HandlingChange, LogEvent } from './ports.js';
import type { Arende, Handling } from './types.js';

/** Just what the use cases read and write: one ärende with one handling, and the log. */
function fakeRepo(over: Partial<Handling> = {}) {
  let h: Handling = {
    ...newHandling(1),
    diarienummer: 'SFG 26-1.1',
    arende: 'SFG 26-1',
    handlingsnummer: 1,
    registrerad: '2026-02-02T09:00:00.000Z',
    ...over,
  };
  const arende: Arende = {
    diarienummer: 'SFG 26-1',
    serie: 'SFG',
    ar: 2026,
    nummer: 1,
    arendemening: 'Slutrapport',
    insatsId: null,
    insatsnyckel: null,
    status: 'under-granskning',
    skapad: '2026-02-02T09:00:00.000Z',
    antalHandlingar: 1,
  };
  const logg: LogEvent[] = [];
  const repo = {
    getHandling: (dnr: string) => Promise.resolve(dnr === h.diarienummer ? h : null),
    getArende: (dnr: string) => Promise.resolve(dnr === arende.diarienummer ? arende : null),
    getArendeDetaljer: (dnr: string) =>
      Promise.resolve(
        dnr === arende.diarienummer
          ? {
              arende,
              handlingar: [h],
              logg: logg.map((l, i) => ({ ...l, seq: i + 1, tidpunkt: '', prevHash: '', hash: '' })),
            }
          : null,
      ),
    updateHandling(_dnr: string, change: HandlingChange, log: LogEvent, guard?: (c: Handling) => void) {
      guard?.(h);
      h = { ...h, ...change };
      logg.push(log);
      return Promise.resolve(h);
    },
    updateArendeStatus(_dnr: string, status: Arende['status'], log: LogEvent) {
      arende.status = status;
      logg.push(log);
      return Promise.resolve();
    },
  } as unknown as DiariumReader & ArendeLog;
  return { repo, logg, handling: () => h, arende };
}

const clock = () => new Date('2026-03-02T10:00:00Z');

describe('sekretessmarkering', () => {
  it('marks a handling secret with the OSL provision and the public text, and logs both with the person', async () => {
    const f = fakeRepo();
    await markeraSekretess({ repo: f.repo, clock }, 'SFG 26-1.1', {
      osl: ' OSL  26 kap. 1 § ',
      publikText: 'Uppgifter om enskild',
      skal: 'Hälsouppgifter i bilagan',
      av: 'Rut [r1]',
    });
    expect(f.handling().sekretess).toBe(true);
    expect(f.handling().sekretessmarkering).toEqual({
      osl: 'OSL 26 kap. 1 §',
      publikText: 'Uppgifter om enskild',
      av: 'Rut [r1]',
      tidpunkt: '2026-03-02T10:00:00.000Z',
    });
    expect(f.logg).toEqual([
      {
        handelse: HANDELSE.sekretessMarkerad,
        av: 'Rut [r1]',
        data: {
          handling: 'SFG 26-1.1',
          osl: 'OSL 26 kap. 1 §',
          publikText: 'Uppgifter om enskild',
          skal: 'Hälsouppgifter i bilagan',
        },
      },
    ]);
  });

  it('refuses a reference that is not an OSL provision, a missing public text, and a makulerad handling', async () => {
    const base = { publikText: 'Text', skal: 'Skäl', av: 'Rut' };
    const f = fakeRepo();
    await expect(
      markeraSekretess({ repo: f.repo, clock }, 'SFG 26-1.1', { ...base, osl: 'hemligt' }),
    ).rejects.toThrow(/OSL 26 kap\. 1 §/);
    await expect(
      markeraSekretess({ repo: f.repo, clock }, 'SFG 26-1.1', {
        ...base,
        osl: 'OSL 26 kap. 1 §',
        publikText: ' ',
      }),
    ).rejects.toThrow(/Offentlig text/);
    const m = fakeRepo({ makulerad: { av: 'x', skal: 'y', tidpunkt: '2026-01-01T00:00:00Z' } });
    await expect(
      markeraSekretess({ repo: m.repo, clock }, 'SFG 26-1.1', { ...base, osl: '21 kap. 7 § OSL' }),
    ).rejects.toThrow(/makulerad/);
    expect(f.logg).toHaveLength(0);
    expect(m.logg).toHaveLength(0);
  });

  it('lifts the sekretess and keeps the provision in the log; refuses to lift what is not secret', async () => {
    const f = fakeRepo();
    await markeraSekretess({ repo: f.repo, clock }, 'SFG 26-1.1', {
      osl: 'OSL 26 kap. 1 §',
      publikText: 'Text',
      skal: 'Skäl',
      av: 'Rut',
    });
    await havSekretess({ repo: f.repo, clock }, 'SFG 26-1.1', {
      skal: 'Prövad: inget sekretessbelagt',
      av: 'Rut',
    });
    expect(f.handling().sekretess).toBe(false);
    expect(f.handling().sekretessmarkering).toBeNull();
    expect(f.logg.at(-1)).toMatchObject({
      handelse: HANDELSE.sekretessHavd,
      data: { osl: 'OSL 26 kap. 1 §' },
    });
    await expect(
      havSekretess({ repo: f.repo, clock }, 'SFG 26-1.1', { skal: 'Igen', av: 'Rut' }),
    ).rejects.toThrow(/inte markerad/);
  });
});

describe('closing and reopening an ärende', () => {
  it('closes with a reason and reopens to the status it had', async () => {
    const f = fakeRepo();
    await expect(
      avslutaArende({ repo: f.repo, clock }, 'SFG 26-1', { skal: ' ', av: 'Rut' }),
    ).rejects.toThrow(/Skäl/);
    await avslutaArende({ repo: f.repo, clock }, 'SFG 26-1', { skal: 'Slutredovisad', av: 'Rut' });
    expect(f.arende.status).toBe('avslutat');
    await expect(
      avslutaArende({ repo: f.repo, clock }, 'SFG 26-1', { skal: 'x', av: 'Rut' }),
    ).rejects.toThrow(/redan avslutat/);
    const status = await ateroppnaArende({ repo: f.repo, clock }, 'SFG 26-1', {
      skal: 'Ny fråga',
      av: 'Rut',
    });
    expect(status).toBe('under-granskning');
    expect(f.logg.map((l) => l.handelse)).toEqual([HANDELSE.arendeAvslutat, HANDELSE.arendeAteroppnat]);
    await expect(
      ateroppnaArende({ repo: f.repo, clock }, 'SFG 26-1', { skal: 'x', av: 'Rut' }),
    ).rejects.toThrow(/inte avslutat/);
  });
});
