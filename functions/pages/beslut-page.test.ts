import { describe, expect, it } from 'vitest';
import { newHandling, tomRapport } from '../../test/support/new-handling.js';
import type { Handling } from '../../domain/diarium/types.js';
import type { Beslut, Granskning, Lank } from '../../domain/granskning/types.js';
import type { Rapport } from '../../domain/slutrapport/index.js';
import { avslutadPage, beslutPage } from './beslut-page.js';
import { sectionOf } from './rapport-html.js';

const rapport: Rapport = {
  ...tomRapport,
  insatsnamn: 'Stegvis till arbete',
  insatstid: { start: '2024-01-01', slut: '2025-06-30' },
  beviljadeMedel: 2_458_000,
  utnyttjadeMedel: 2_400_000,
  organisation: 'Exempelby kommun',
  samverkansparter: ['Arbetsförmedlingen'],
  avsnitt: {
    ...tomRapport.avsnitt,
    '4.1': 'Syftet var att korta tiden i utanförskap.',
    '7.2.1': 'Färre deltagare än väntat.',
  },
  uppgiftslamnare: { datum: '2025-08-20', namn: 'Sara Provperson' },
};

function handling(over: Partial<Handling> = {}, r: Rapport = rapport): Handling {
  return {
    ...newHandling(1, {
      rapport: { typ: 'slutrapport', slutrapport: r },
      filer: [
        {
          filnamn: 'Slutrapport.docx',
          sha256: 'a',
          storlek: 1,
          typ: 'docx',
          nyckel: 'handlingar/a',
          rapport: true,
        },
      ],
    }),
    diarienummer: 'SFG 26-4.1',
    arende: 'SFG 26-4',
    handlingsnummer: 1,
    registrerad: '2026-03-02T09:00:01.000Z',
    ...over,
  };
}

const lank: Lank = {
  hash: 'h',
  granskningId: 'SFG-26-4-1',
  granskareId: 'karin',
  namn: 'Karin Prövare',
  organisation: 'Försäkringskassan',
  giltigTill: '2026-03-30T10:00:00.000Z',
  csrf: 'c',
  anvand: null,
};

const granskning: Granskning = {
  id: 'SFG-26-4-1',
  handling: 'SFG 26-4.1',
  arende: 'SFG 26-4',
  status: 'pagar',
  startad: '2026-03-02T09:00:02.000Z',
  steg: 'notifiera',
  utfall: null,
  avgjord: null,
  granskare: ['anna', 'bo', 'karin'].map((id) => ({
    id,
    namn: id,
    epost: `${id}@x.example`,
    organisation: 'X',
  })),
};

const svar = (granskareId: string, utfall: Beslut['utfall'], kommentar: string | null = null): Beslut => ({
  granskningId: 'SFG-26-4-1',
  granskareId,
  namn: granskareId,
  organisation: 'X',
  utfall,
  kommentar,
  tidpunkt: '2026-03-03T10:00:00.000Z',
});

describe('the decision page', () => {
  it('renders the report section by section, with amounts, the 7.2 branch and findings at their section', () => {
    const html = beslutPage({
      handling: handling({
        varningar: [
          { kod: 'SAKNAS_POSTADRESS', falt: 'postadress', meddelande: 'Avsnitt 2: Postadress saknas.' },
          { kod: 'X', falt: 'dokument', meddelande: 'Om hela rapporten.' },
        ],
      }),
      lank,
      rapportUrl: 'https://s3.example/a?X-Amz-Signature=1&b=2',
      granskning,
      alla: [],
      policy: { typ: 'kvorum', antal: 2 },
    });
    expect(html).toContain('2 458 000 kr');
    expect(html).toContain('Beviljade medel är inte helt utnyttjade (7.2): 58 000 kr återstår.');
    expect(html).toContain('Färre deltagare än väntat.');
    const s2 = html.indexOf('2. Ansvarig för genomförande');
    const s3 = html.indexOf('3. Samverkansparter');
    const warn = html.indexOf('Postadress saknas.');
    expect(warn).toBeGreaterThan(s2);
    expect(warn).toBeLessThan(s3);
    expect(html.indexOf('Om hela rapporten.')).toBeLessThan(html.indexOf('1. Allmänna uppgifter'));
    expect(html).toContain('href="https://s3.example/a?X-Amz-Signature=1&#38;b=2"');
    expect(html).toContain('0 av 3 ledamöter har svarat. 2 godkännanden krävs.');
    expect(html).toContain('Svara senast 2026-03-30 12:00');
    expect(html).not.toContain('läst med OCR');
  });

  it('marks a report read by OCR, and offers no file for a report pasted in the mail', () => {
    const ocr = beslutPage({
      handling: handling({
        filer: [
          {
            filnamn: 'skanning.png',
            sha256: 'b',
            storlek: 1,
            typ: 'bild-ocr',
            nyckel: 'uppladdat/s.png',
            rapport: true,
          },
        ],
      }),
      lank,
      rapportUrl: null,
    });
    expect(ocr).toContain('Rapporten är läst med OCR');
    expect(ocr).toContain('<span class="ocr">läst med OCR</span>');
    const inklistrad = beslutPage({
      handling: handling({
        filer: [
          {
            filnamn: 'meddelande.eml',
            sha256: 'c',
            storlek: 1,
            typ: 'message/rfc822',
            nyckel: 'raw/x',
            rapport: false,
          },
        ],
      }),
      lank,
      rapportUrl: null,
    });
    expect(inklistrad).toContain('inklistrad i mejlets text');
    expect(inklistrad).not.toContain('meddelande.eml');
  });

  it('renders hostile content as text: markup, script, RTL override and a 10 000-character name', () => {
    const lang = 'Å'.repeat(10_000);
    const html = beslutPage({
      handling: handling(
        {},
        {
          ...rapport,
          insatsnamn: '<script>alert(1)</script>',
          organisation: 'Kommun\u202Egnp.exe',
          kontaktpersoner: [lang],
          avsnitt: { ...rapport.avsnitt, '4.2': '<img src=x onerror=alert(1)> & "citat"' },
        },
      ),
      lank: { ...lank, namn: '<b>Karin</b>' },
      rapportUrl: null,
    });
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).not.toContain('\u202E');
    expect(html).toContain('Kommun[U+202E]gnp.exe');
    // A field is capped; the page stays well within its size budget.
    expect(html).not.toContain(lang);
    expect(Buffer.byteLength(html)).toBeLessThan(150 * 1024);
  });

  it('keeps the comment typed so far and opens the jäv form when its reason was missing', () => {
    const html = beslutPage({
      handling: handling(),
      lank,
      rapportUrl: 'https://s3.example/a',
      fel: 'Skriv kort varför du är jävig.',
      kommentar: 'Halvfärdig kommentar',
      javskal: null,
    });
    expect(html).toContain('Halvfärdig kommentar</textarea>');
    expect(html).toContain('<details open>');
    expect(html).toContain('Öppna rapporten');
  });

  it('after the end shows outcome, rule, date and every answer with comments, and no form', () => {
    const html = avslutadPage({
      granskning: {
        ...granskning,
        status: 'avgjord',
        utfall: 'komplettering',
        avgjord: '2026-03-04T08:30:00.000Z',
      },
      handling: handling(),
      alla: [svar('anna', 'komplettering', 'Mål saknas.'), svar('bo', 'jav', 'Jag leder insatsen.')],
      policy: { typ: 'kvorum', antal: 2 },
    });
    expect(html).toContain('Utfall: Komplettering begärd');
    expect(html).toContain('<dt>Avgjord</dt><dd>2026-03-04 09:30</dd>');
    expect(html).toContain('2 ledamöters godkännande krävs');
    expect(html).toContain('Mål saknas.');
    expect(html).toContain('anmält jäv');
    expect(html).not.toMatch(/<form|<button/);
  });
});

describe('sectionOf', () => {
  it('places each finding at its template section', () => {
    const f = (falt: string) => sectionOf({ kod: 'K', falt, meddelande: '' });
    expect([
      f('insatstid'),
      f('epost'),
      f('samverkansparter'),
      f('avsnitt.7.2.1'),
      f('uppgiftslamnare.datum'),
    ]).toEqual(['1', '2', '3', '7', '8']);
    expect(f('dokument')).toBeNull();
  });
});
