import { describe, expect, it } from 'vitest';
import { PER_SIDA, passar, radFilter, sok, sokCsv, sortera, type DiariumRad, type Sokning } from './sok.js';
import { harRatt, loggNamn, rollerAv } from './roller.js';

function rad(i: number, extra: Partial<DiariumRad> = {}): DiariumRad {
  return {
    diarienummer: `SFG 26-${i}.1`,
    arende: `SFG 26-${i}`,
    mottagen: `2026-03-${String((i % 28) + 1).padStart(2, '0')}T09:00:00.000Z`,
    ankomstdatum: `2026-03-${String((i % 28) + 1).padStart(2, '0')}`,
    avsandare: {
      namn: `Provperson ${i}`,
      epost: null,
      kuvertAvsandare: null,
      organisation: 'Exempelby kommun',
    },
    beskrivning: `Slutrapport – Insats ${i} – Exempelby kommun`,
    bedomning: 'komplett',
    granskning: 'pagar',
    sekretess: false,
    flaggor: [],
    makulerad: false,
    klass: 'slutrapport',
    insatsId: null,
    ...extra,
  };
}

const s = (x: Partial<Sokning> = {}): Sokning => ({
  fritext: '',
  status: null,
  fran: '2026-01-01',
  till: '2026-12-31',
  sida: 1,
  ...x,
});

describe('diarium search', () => {
  it('matches every word of the free text, case-insensitively, across avser, avsändare and diarienummer', () => {
    const rader = [
      rad(1),
      rad(2, { beskrivning: 'Slutrapport – Kompassen – Gävle kommun' }),
      rad(3, { avsandare: { namn: 'Åsa Öberg', epost: null, kuvertAvsandare: null, organisation: null } }),
    ];
    expect(
      sok(rader, s({ fritext: 'kompassen GÄVLE' }), () => true).traffar.map((r) => r.diarienummer),
    ).toEqual(['SFG 26-2.1']);
    expect(sok(rader, s({ fritext: 'åsa öberg' }), () => true).traffar).toHaveLength(1);
    expect(sok(rader, s({ fritext: 'SFG 26-1.1' }), () => true).traffar).toHaveLength(1);
  });

  it('filters on status, with makulerad as its own status, and leaves out what the reader may not see', () => {
    const rader = [rad(1), rad(2, { makulerad: true }), rad(3, { sekretess: true })];
    expect(sok(rader, s({ status: 'makulerad' }), () => true).traffar.map((r) => r.diarienummer)).toEqual([
      'SFG 26-2.1',
    ]);
    expect(
      sok(rader, s({ status: 'pagar' }), (r) => !r.sekretess).traffar.map((r) => r.diarienummer),
    ).toEqual(['SFG 26-1.1']);
  });

  it('sorts newest first and pages the result', () => {
    const rader = Array.from({ length: PER_SIDA + 5 }, (_, i) => rad(i));
    const forsta = sok(rader, s(), () => true);
    expect(forsta.antalSidor).toBe(2);
    expect(forsta.sida).toHaveLength(PER_SIDA);
    expect(forsta.sida[0]!.mottagen >= forsta.sida[1]!.mottagen).toBe(true);
    expect(sok(rader, s({ sida: 99 }), () => true).sida).toHaveLength(5);
  });

  it('exports CSV with a BOM, and defuses a sender-controlled formula', () => {
    const csv = sokCsv([rad(1, { beskrivning: '=HYPERLINK("x")' })]);
    expect(csv.startsWith('\uFEFFDiarienummer,')).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
  });
});

const dnr = (r: { traffar: DiariumRad[] }) => r.traffar.map((x) => x.diarienummer);
const alla = () => true;

describe('diarium list filters', () => {
  it('filters on the class of mail, and on the insats of the ärende', () => {
    const rader = [
      rad(1, { klass: 'slutrapport', insatsId: 'ins-a' }),
      rad(2, { klass: 'komplettering', insatsId: 'ins-a' }),
      rad(3, { klass: 'allman-handling', insatsId: null }),
      rad(4, { klass: 'komplettering', insatsId: 'ins-b' }),
    ];
    expect(dnr(sok(rader, s({ klass: 'komplettering' }), alla)).sort()).toEqual(['SFG 26-2.1', 'SFG 26-4.1']);
    expect(dnr(sok(rader, s({ insats: 'ins-a' }), alla)).sort()).toEqual(['SFG 26-1.1', 'SFG 26-2.1']);
    expect(dnr(sok(rader, s({ klass: 'komplettering', insats: 'ins-a' }), alla))).toEqual(['SFG 26-2.1']);
  });

  it('finds held mail by its status, and filters on sekretess both ways', () => {
    const rader = [
      rad(1, { granskning: 'vantar-pa-kansliet' }),
      rad(2, { sekretess: true }),
      rad(3, { granskning: 'vantar-pa-kansliet', makulerad: true }),
    ];
    expect(dnr(sok(rader, s({ status: 'vantar-pa-kansliet' }), alla))).toEqual(['SFG 26-1.1']);
    expect(dnr(sok(rader, s({ sekretess: 'ja' }), alla))).toEqual(['SFG 26-2.1']);
    expect(dnr(sok(rader, s({ sekretess: 'nej' }), alla)).sort()).toEqual(['SFG 26-1.1', 'SFG 26-3.1']);
  });

  it('gives the store the same exact filters the domain applies', () => {
    const f = radFilter(s({ status: 'pagar', klass: 'slutrapport', insats: 'ins-a', sekretess: 'nej' }));
    expect(f).toEqual({ ord: [], status: 'pagar', klass: 'slutrapport', insats: 'ins-a', sekretess: 'nej' });
    expect(radFilter(s({ fritext: '  Åsa  ÖBERG ' })).ord).toEqual(['åsa', 'öberg']);
    expect(passar(rad(1, { insatsId: 'ins-a' }), f)).toBe(true);
    expect(passar(rad(1, { insatsId: 'ins-a', makulerad: true }), f)).toBe(false);
    expect(passar(rad(1), radFilter(s()))).toBe(true);
  });
});

describe('diarium list sorting', () => {
  const ordning = (
    rader: DiariumRad[],
    kolumn: 'diarienummer' | 'ankomstdatum' | 'avsandare' | 'avser' | 'status',
    riktning: 'stigande' | 'fallande',
  ) => sortera(rader, { kolumn, riktning }).map((r) => r.diarienummer);

  it('orders diarienummer as numbers, not as text, both ways', () => {
    const rader = [
      rad(10, { diarienummer: 'SFG 26-10.1' }),
      rad(9, { diarienummer: 'SFG 26-9.2' }),
      rad(9, { diarienummer: 'SFG 26-9.10' }),
      rad(100, { diarienummer: 'SFG 26-100.1' }),
      rad(2, { diarienummer: 'SFG 25-200.1' }),
    ];
    expect(ordning(rader, 'diarienummer', 'stigande')).toEqual([
      'SFG 25-200.1',
      'SFG 26-9.2',
      'SFG 26-9.10',
      'SFG 26-10.1',
      'SFG 26-100.1',
    ]);
    expect(ordning(rader, 'diarienummer', 'fallande')).toEqual([
      'SFG 26-100.1',
      'SFG 26-10.1',
      'SFG 26-9.10',
      'SFG 26-9.2',
      'SFG 25-200.1',
    ]);
  });

  it('orders by ankomstdatum, avsändare, avser and status, ties by diarienummer', () => {
    const rader = [
      rad(1, {
        ankomstdatum: '2026-03-05',
        mottagen: '2026-03-05T08:00:00.000Z',
        beskrivning: 'Öppen fråga',
        granskning: 'godkand',
      }),
      rad(2, {
        ankomstdatum: '2026-03-01',
        mottagen: '2026-03-01T08:00:00.000Z',
        avsandare: { namn: 'Åsa', epost: null, kuvertAvsandare: null, organisation: null },
        beskrivning: 'annan handling',
        granskning: 'pagar',
      }),
      rad(3, {
        ankomstdatum: '2026-03-09',
        mottagen: '2026-03-09T08:00:00.000Z',
        avsandare: { namn: null, epost: 'bo@exempel.example', kuvertAvsandare: null, organisation: null },
        beskrivning: 'Avser insats',
        granskning: 'pagar',
      }),
    ];
    expect(ordning(rader, 'ankomstdatum', 'stigande')).toEqual(['SFG 26-2.1', 'SFG 26-1.1', 'SFG 26-3.1']);
    expect(ordning(rader, 'ankomstdatum', 'fallande')).toEqual(['SFG 26-3.1', 'SFG 26-1.1', 'SFG 26-2.1']);
    // Swedish order: Å after Z; the address stands in for a missing name.
    expect(ordning(rader, 'avsandare', 'stigande')).toEqual(['SFG 26-3.1', 'SFG 26-1.1', 'SFG 26-2.1']);
    expect(ordning(rader, 'avser', 'stigande')).toEqual(['SFG 26-2.1', 'SFG 26-3.1', 'SFG 26-1.1']);
    // "Godkänd" before "Under granskning"; the two under granskning by diarienummer.
    expect(ordning(rader, 'status', 'stigande')).toEqual(['SFG 26-1.1', 'SFG 26-2.1', 'SFG 26-3.1']);
    expect(ordning(rader, 'status', 'fallande')).toEqual(['SFG 26-3.1', 'SFG 26-2.1', 'SFG 26-1.1']);
  });

  it('sorts newest first without a chosen column, and pages the sorted result', () => {
    const rader = Array.from({ length: 120 }, (_, i) =>
      rad(i + 1, { ankomstdatum: '2026-03-01', mottagen: '2026-03-01T09:00:00.000Z' }),
    );
    const forsta = sok(rader, s({ sortering: { kolumn: 'diarienummer', riktning: 'stigande' } }), alla);
    expect(forsta.antalSidor).toBe(3);
    expect(forsta.sida.map((r) => r.diarienummer).slice(0, 3)).toEqual([
      'SFG 26-1.1',
      'SFG 26-2.1',
      'SFG 26-3.1',
    ]);
    const andra = sok(
      rader,
      s({ sida: 2, sortering: { kolumn: 'diarienummer', riktning: 'stigande' } }),
      alla,
    );
    expect(andra.sida[0]!.diarienummer).toBe(`SFG 26-${PER_SIDA + 1}.1`);
    expect(sok(rader, s(), alla).sida[0]!.diarienummer).toBe('SFG 26-120.1');
  });

  it('puts the class of mail in the CSV', () => {
    const csv = sokCsv([rad(1, { klass: 'komplettering' })]);
    expect(csv.split('\r\n')[0]).toContain('Klass');
    expect(csv).toContain('Komplettering');
  });
});

describe('roles', () => {
  it('takes only the known roles from the groups claim and gives each its rights', () => {
    expect(rollerAv(['eu-west-1_abc_EntraID', 'lasare'])).toEqual(['lasare']);
    expect(harRatt({ roller: ['lasare'] }, 'makulera')).toBe(false);
    expect(harRatt({ roller: ['lasare'] }, 'las-sekretess')).toBe(false);
    expect(harRatt({ roller: ['handlaggare'] }, 'frige')).toBe(true);
    expect(harRatt({ roller: ['handlaggare'] }, 'makulera')).toBe(false);
    expect(harRatt({ roller: ['registrator'] }, 'korrigera-ankomst')).toBe(true);
  });

  it('names the person in the audit log by name, address and subject', () => {
    expect(loggNamn({ sub: 'abc', namn: 'Rut Registrator', epost: 'rut@kansli.example', roller: [] })).toBe(
      'Rut Registrator <rut@kansli.example> [abc]',
    );
  });
});
