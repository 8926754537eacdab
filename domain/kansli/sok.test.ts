import { describe, expect, it } from 'vitest';
import { PER_SIDA, sok, sokCsv, type DiariumRad, type Sokning } from './sok.js';
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
