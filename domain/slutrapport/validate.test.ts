import { describe, expect, it } from 'vitest';
import {
  formatSummarySv,
  parseSlutrapport,
  readSlutrapport,
  validateSlutrapport,
  type SlutrapportResult,
} from './index.js';
import { buildReport } from './test-helpers.js';

const IDAG = '2023-01-25';
const read = (parts: Parameters<typeof buildReport>[0] = {}): SlutrapportResult =>
  readSlutrapport(buildReport(parts), { idag: IDAG });
const koder = (r: SlutrapportResult): string[] => r.fel.map((f) => f.kod);
const varningskoder = (r: SlutrapportResult): string[] => r.varningar.map((f) => f.kod);

describe('validateSlutrapport', () => {
  it('accepts a fully answered report as komplett', () => {
    const r = read();
    expect(r.fel).toEqual([]);
    expect(r.varningar).toEqual([]);
    expect(r.status).toBe('komplett');
  });

  it('requires the insatsnamn', () => {
    const r = read({ insatsnamn: '' });
    expect(r.fel).toContainEqual({
      kod: 'SAKNAS_INSATSNAMN',
      falt: 'insatsnamn',
      meddelande: 'Avsnitt 1 Allmänna uppgifter: Insatsens namn saknas. Ange insatsens namn som i ansökan.',
    });
    expect(r.status).toBe('ofullstandig');
  });

  it('rejects an insatstid that cannot be read, and one that ends before it starts', () => {
    expect(read({ insatstid: 'hela 2022' }).fel).toContainEqual(
      expect.objectContaining({ kod: 'INSATSTID_OGILTIG', falt: 'insatstid' }),
    );
    const backwards = read({ insatstid: '2022-12-31 – 2022-01-01' });
    expect(backwards.fel).toContainEqual({
      kod: 'INSATSTID_OGILTIG',
      falt: 'insatstid',
      meddelande:
        'Avsnitt 1 Allmänna uppgifter: Insatstidens startdatum 2022-12-31 ligger efter slutdatumet 2022-01-01. Kontrollera insatstiden.',
    });
  });

  it('requires readable amounts', () => {
    const r = read({ beviljade: 'se bilaga' });
    expect(r.fel).toContainEqual(
      expect.objectContaining({ kod: 'BEVILJADE_MEDEL_OGILTIGT', falt: 'beviljadeMedel' }),
    );
  });

  it('rejects utnyttjade above beviljade', () => {
    const r = read({ utnyttjade: '210 000 kr' });
    expect(r.fel).toContainEqual({
      kod: 'UTNYTTJADE_OVER_BEVILJADE',
      falt: 'utnyttjadeMedel',
      meddelande:
        'Avsnitt 1 Allmänna uppgifter: Utnyttjade medel (210 000 kr) är mer än beviljade medel (200 000 kr). Kontrollera beloppen.',
    });
  });

  it('requires 7.2.1 when not all funds were used', () => {
    const r = read({ utnyttjade: '150 000 kr' });
    expect(r.fel).toContainEqual({
      kod: 'OUTNYTTJADE_MEDEL_EJ_FORKLARADE',
      falt: 'avsnitt.7.2.1',
      meddelande:
        'Avsnitt 7.2.1 är inte besvarat: beviljade medel är inte helt utnyttjade (150 000 kr av 200 000 kr). Förklara varför medlen inte utnyttjades.',
    });
    const answered = read({ utnyttjade: '150 000 kr', svar: { '7.2.1': 'En tjänst var vakant.' } });
    expect(koder(answered)).toEqual([]);
  });

  it('treats a subsection with only its question text as unanswered', () => {
    const r = read({ svar: { '5.3': '' } });
    expect(r.fel).toEqual([
      {
        kod: 'AVSNITT_OBESVARAT',
        falt: 'avsnitt.5.3',
        meddelande: 'Avsnitt 5.3 Avvikelser från planering är inte besvarat. Skriv ert svar under frågan.',
      },
    ]);
  });

  it('treats a dash as no answer', () => {
    expect(koder(read({ svar: { '6.4': '-' } }))).toEqual(['AVSNITT_OBESVARAT']);
  });

  it('reports a subsection whose heading is missing', () => {
    const text = buildReport().replace(/6\.2 Beskriv i vilken form[^\n]*\n[^\n]*\n/u, '');
    const r = readSlutrapport(text, { idag: IDAG });
    expect(r.fel).toContainEqual(expect.objectContaining({ kod: 'AVSNITT_SAKNAS', falt: 'avsnitt.6.2' }));
  });

  it('requires section 8 with date and name', () => {
    expect(read({ uppgiftslamnare: null }).fel).toEqual([
      {
        kod: 'UPPGIFTSLAMNARE_SAKNAS',
        falt: 'uppgiftslamnare',
        meddelande: 'Avsnitt 8 Uppgiftslämnare saknas: ange datum och namn.',
      },
    ]);
    expect(koder(read({ uppgiftslamnare: 'Lisa Låtsas' }))).toEqual(['UPPGIFTSLAMNARE_DATUM_SAKNAS']);
    expect(koder(read({ uppgiftslamnare: '2023-01-20' }))).toEqual(['UPPGIFTSLAMNARE_NAMN_SAKNAS']);
  });

  it('rejects a section 8 date before the insatstid started', () => {
    const r = read({ uppgiftslamnare: '2021-06-01 Lisa Låtsas' });
    expect(r.fel).toContainEqual(
      expect.objectContaining({ kod: 'UPPGIFTSLAMNARE_DATUM_FORE_INSATSTID', falt: 'uppgiftslamnare.datum' }),
    );
  });

  it('warns when the report is dated long after the insatstid ended', () => {
    const r = readSlutrapport(buildReport({ uppgiftslamnare: '2023-09-01 Lisa Låtsas' }), {
      idag: '2023-09-02',
    });
    expect(r.status).toBe('komplett');
    expect(r.varningar).toContainEqual({
      kod: 'RAPPORT_SEN',
      falt: 'uppgiftslamnare.datum',
      meddelande:
        'Rapporten är daterad 2023-09-01, mer än 3 månader efter att insatstiden slutade 2022-12-31.',
    });
  });

  it('warns when a stated percentage contradicts the amounts', () => {
    const r = read({
      utnyttjade: '150 000 kr',
      svar: { '7.2.1': 'Vi har bara använt 60 % av de beviljade medlen eftersom en tjänst var vakant.' },
    });
    expect(varningskoder(r)).toContain('PROCENT_MOTSAGER_BELOPP');
    const consistent = read({
      utnyttjade: '150 000 kr',
      svar: { '7.2.1': 'Vi har använt 75 % av de beviljade medlen. Tjänsten motsvarade 50 % av en heltid.' },
    });
    expect(varningskoder(consistent)).not.toContain('PROCENT_MOTSAGER_BELOPP');
  });

  it('warns about a personnummer without making the report incomplete', () => {
    const r = read({ svar: { '5.1': 'En deltagare, 121212-1212, fick arbete.' } });
    expect(r.status).toBe('komplett');
    expect(r.personnummer).toEqual([expect.objectContaining({ maskerat: '121212-XXXX', avsnitt: '5.1' })]);
    expect(r.varningar).toContainEqual(
      expect.objectContaining({ kod: 'PERSONNUMMER_HITTAT', falt: 'avsnitt.5.1' }),
    );
    expect(r.rapport?.avsnitt['5.1']).toBe('En deltagare, 121212-XXXX, fick arbete.');
  });

  it('validates a parsed report again with another ankomstdatum', () => {
    const parsed = parseSlutrapport(buildReport());
    expect(validateSlutrapport(parsed, { idag: '2023-01-25' }).varningar).toEqual([]);
    expect(validateSlutrapport(parsed, { idag: '2022-06-01' }).varningar.map((v) => v.kod)).toEqual([
      'UPPGIFTSLAMNARE_DATUM_FRAMTID',
      'INSATSTID_EJ_AVSLUTAD',
    ]);
  });
});

describe('readSlutrapport', () => {
  it.each([null, '', '   \n  '])('gives olasbar when no text could be obtained (%j)', (text) => {
    const r = readSlutrapport(text, { idag: IDAG });
    expect(r.status).toBe('olasbar');
    expect(r.rapport).toBeNull();
    expect(r.fel).toEqual([expect.objectContaining({ kod: 'OLASBAR', falt: 'dokument' })]);
  });

  it('says that a text which is not the template is not the template, once', () => {
    const r = readSlutrapport('Hej! Vi skickar rapporten senare när den är klar. Hälsningar Lisa', {
      idag: IDAG,
    });
    expect(r.status).toBe('ofullstandig');
    expect(koder(r)).toEqual(['MALL_EJ_IGENKAND']);
  });
});

describe('formatSummarySv', () => {
  it('summarises the report and lists what is missing in Swedish', () => {
    const summary = formatSummarySv(read({ uppgiftslamnare: null, utnyttjade: '150 000 kr' }));
    expect(summary).toContain('Slutrapport: ofullständig – komplettering behövs');
    expect(summary).toContain('Insats: Prova på');
    expect(summary).toContain('Insatstid: 2022-01-01 – 2022-12-31');
    expect(summary).toContain('Utnyttjade medel: 150 000 kr (75 %)');
    expect(summary).toContain('Telefon: 070-000 33 44');
    expect(summary).toContain('- Avsnitt 8 Uppgiftslämnare saknas: ange datum och namn.');
  });

  it('summarises an unreadable document', () => {
    expect(formatSummarySv(readSlutrapport(null, { idag: IDAG }))).toMatch(/^Slutrapport: oläslig/u);
  });
});
