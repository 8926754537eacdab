import { describe, expect, it } from 'vitest';
import { matchInsats, resolveArende, similarity } from './resolve-arende.js';
import type { DiariumReader, InsatsRegister } from '../diarium/ports.js';
import type { Arende, Insats } from '../diarium/types.js';

const register: Insats[] = [
  {
    id: 'trisam',
    namn: 'Trisam 2.0',
    organisation: 'Sandvikens kommun',
    arende: 'SFG 21-6',
    beviljadeMedel: 625000,
  },
  {
    id: 'unga',
    namn: 'Unga vuxna i arbete',
    organisation: 'Gävle kommun',
    arende: 'SFG 22-3',
    beviljadeMedel: null,
  },
];

const arende = (dnr: string): Arende => ({
  diarienummer: dnr,
  serie: 'SFG',
  ar: 2021,
  nummer: 6,
  arendemening: 'x',
  insatsId: null,
  insatsnyckel: null,
  status: 'oppet',
  skapad: '2021-01-01T00:00:00Z',
  antalHandlingar: 1,
});

const repo = (existing: string[]): DiariumReader & InsatsRegister =>
  ({
    getArende: (dnr: string) => Promise.resolve(existing.includes(dnr) ? arende(dnr) : null),
    listInsatser: () => Promise.resolve(register),
    findArendeByInsatsnyckel: () => Promise.resolve(null),
  }) as unknown as DiariumReader & InsatsRegister;

const input = { serie: 'SFG', ankomstdatum: '2026-11-23', avsandare: 'a@b.example' };

describe('which ärende a handling belongs to', () => {
  it('tolerates spelling, diacritics and case when matching the insats register', () => {
    expect(similarity('Trisam 2.0', 'TRISAM 2.0')).toBe(1);
    expect(matchInsats(register, 'Trisam 2,0', 'Sandvikens Kommun')?.id).toBe('trisam');
    expect(matchInsats(register, 'Unga vuxna i arbete', 'Gavle kommun')?.id).toBe('unga');
    expect(matchInsats(register, 'Helt annan insats', 'Ockelbo kommun')).toBeNull();
  });

  it('files a handling that quotes a diarienummer in that ärende, before anything else', async () => {
    const r = await resolveArende(repo(['SFG 23-12']), {
      ...input,
      texter: ['SV: Komplettering SFG 23–12.5', null],
      insatsnamn: 'Trisam 2.0',
      organisation: 'Sandvikens kommun',
    });
    expect(r).toMatchObject({
      grund: 'diarienummer',
      target: { typ: 'befintligt', diarienummer: 'SFG 23-12' },
    });
  });

  it('files a reply to our mail in the ärende its subject marking names, before other quoted numbers', async () => {
    const r = await resolveArende(repo(['SFG 25-3', 'SFG 26-12']), {
      ...input,
      texter: ['SV: Ang. SFG 25-3 – Kvittens SFG 26-12.1: slutrapport mottagen [Dnr SFG 26-12]', null],
      insatsnamn: 'Trisam 2.0',
      organisation: 'Sandvikens kommun',
    });
    expect(r).toMatchObject({ grund: 'svar', target: { typ: 'befintligt', diarienummer: 'SFG 26-12' } });
  });

  it('ignores a quoted diarienummer that does not exist and falls back to the register', async () => {
    const r = await resolveArende(repo(['SFG 21-6']), {
      ...input,
      texter: ['Angående SFG 19-99'],
      insatsnamn: 'Trisam 2.0',
      organisation: 'Sandvikens kommun',
    });
    expect(r).toMatchObject({
      grund: 'insatsregister',
      target: { typ: 'befintligt', diarienummer: 'SFG 21-6' },
    });
  });

  it('opens a new ärende in the year of the ankomstdatum with the template ärendemening', async () => {
    const r = await resolveArende(repo([]), {
      ...input,
      ankomstdatum: '2027-01-01',
      texter: [],
      insatsnamn: 'Ny insats',
      organisation: 'Ockelbo kommun',
    });
    expect(r.target).toMatchObject({
      typ: 'nytt',
      ar: 2027,
      arendemening: 'Slutrapport – Ny insats – Ockelbo kommun',
    });
  });
});
