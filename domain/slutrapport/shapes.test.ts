import { describe, expect, it } from 'vitest';
import { looksLikeSlutrapport, readSlutrapport } from './index.js';
import { buildReport, fixture } from './test-helpers.js';

describe('a PDF text layer with two-column rows', () => {
  const result = readSlutrapport(fixture('pdf-tva-kolumner.txt'), { idag: '2024-01-16' });
  const r = result.rapport!;

  it('splits label pairs and value pairs on one line', () => {
    expect(r.insatsnamn).toBe('Steg för steg Ockelbo');
    expect(r.insatstid).toEqual({ start: '2022-01-01', slut: '2023-12-31' });
    expect(r.beviljadeMedel).toBe(450000);
    expect(r.utnyttjadeMedel).toBe(412500);
    expect(r.organisation).toBe('Ockelbo kommun');
    expect(r.arbetsstalle).toBe('Socialförvaltningen, Arbetsmarknadsenheten');
    expect(r.postnummer).toBe('816 80');
    expect(r.postadress).toBe('Ockelbo');
  });

  it('reads several contact persons, numbers and addresses', () => {
    expect(r.kontaktpersoner).toEqual(['Testa Testsson', 'Provis Provsson']);
    expect(r.telefon).toEqual(['+46700001234', '+46760005678']);
    expect(r.epost).toEqual(['testa.testsson@ockelbo.example.se', 'provis.provsson@ockelbo.example.se']);
  });

  it('skips the kansli block that the page break put inside section 2', () => {
    expect(r.epost.some((e) => e.includes('finsamgavleborg'))).toBe(false);
    expect(r.kontaktpersoner.some((n) => n.includes('Exempelsson'))).toBe(false);
  });

  it('removes the page footer from the middle of 5.1', () => {
    expect(r.avsnitt['5.1']).toBe(
      'Målet var 20 deltagare, varav hälften till arbete eller studier. 18 deltog och\n8 gick vidare till arbete eller studier.\nMålet bedöms delvis uppfyllt.',
    );
  });

  it('is complete, with 7.2.1 explaining the unused funds', () => {
    expect(r.avsnitt['7.1.1']).toBeNull();
    expect(r.avsnitt['7.2.1']).toMatch(/^Lönekostnaderna blev lägre/u);
    expect(r.uppgiftslamnare).toEqual({ datum: '2024-01-15', namn: 'Testa Testsson' });
    expect(r.diarienummer).toBe('SFG 22-3.14');
    expect(result.fel).toEqual([]);
    expect(result.status).toBe('komplett');
  });
});

describe('a report flattened from Word tables', () => {
  const result = readSlutrapport(fixture('tabell-fran-word.txt'), { idag: '2023-10-03' });
  const r = result.rapport!;

  it('reads label and value from the cells of a row', () => {
    expect(r.insatsnamn).toBe('Unga vuxna i arbete');
    expect(r.insatstid).toEqual({ start: '2021-09-01', slut: '2023-08-31' });
    expect(r.beviljadeMedel).toBe(1234568);
    expect(r.organisation).toBe('Region Gävleborg');
    expect(r.arbetsstalle).toBe('Psykiatrin Södra Hälsingland');
    expect(r.kontaktpersoner).toEqual(['Kim Provperson']);
    expect(r.samverkansparter).toEqual(['Försäkringskassan', 'Bollnäs kommun']);
  });

  it('reads the answers below the question cells', () => {
    expect(r.avsnitt['5.3']).toBe('Inga större avvikelser.');
    expect(r.avsnitt['7.1.1']).toBe('Budgeten var väl avvägd; 100 % av medlen har utnyttjats.');
  });

  it('reads section 8 from a table row', () => {
    expect(r.uppgiftslamnare).toEqual({ datum: '2023-10-02', namn: 'Kim Provperson' });
    expect(result.status).toBe('komplett');
  });
});

describe('an OCR text with lost diacritics', () => {
  const result = readSlutrapport(fixture('ocr-skannad.txt'), { idag: '2023-03-21' });
  const r = result.rapport!;

  it('matches damaged headings and labels', () => {
    expect(r.insatsnamn).toBe('Friskvard for alla');
    expect(r.insatstid).toEqual({ start: '2022-03-01', slut: '2023-02-28' });
    expect(r.organisation).toBe('Hofors kommun');
    expect(r.arbetsstalle).toBe('Individ- och familjeomsorgen');
    expect(r.samverkansparter).toEqual(['Forsakringskassan', 'Arbetsformedlingen']);
    expect(r.avsnitt['5.1']).toBe('25 deltagare, 15 har okat sin aktivitetsniva.');
    expect(r.avsnitt['5.2']).toBe('Gruppträning två gånger i veckan med fysioterapeut.');
    expect(r.uppgiftslamnare).toEqual({ datum: '2023-03-20', namn: 'Exempel Exempelsson' });
  });

  it('does not take the damaged question text of 6.3 as an answer', () => {
    expect(r.avsnitt['6.3']).toBeNull();
    expect(result.status).toBe('ofullstandig');
    expect(result.fel).toEqual([
      {
        kod: 'AVSNITT_OBESVARAT',
        falt: 'avsnitt.6.3',
        meddelande: 'Avsnitt 6.3 Brukarmedverkan är inte besvarat. Skriv ert svar under frågan.',
      },
    ]);
  });
});

describe('a report pasted into an e-mail body', () => {
  const result = readSlutrapport(fixture('epost-brodtext.txt'), { idag: '2024-02-12' });
  const r = result.rapport!;

  it('reads labels with the value after a colon', () => {
    expect(r.insatsnamn).toBe('Samverkan i Nordanstig');
    expect(r.insatstid).toEqual({ start: '2022-02-15', slut: '2024-01-31' });
    expect(r.organisation).toBe('Nordanstigs kommun');
    expect(r.arbetsstalle).toBe('Arbetsmarknadsenheten');
    expect(r.telefon).toEqual(['+46700004455']);
    expect(r.avsnitt['4.1']).toBe('Att samordna stödet till personer med långvarigt försörjningsstöd.');
    expect(r.avsnitt['6.5']).toBe('Olika sekretessregler.');
  });

  it('stops at the signature', () => {
    expect(r.uppgiftslamnare).toEqual({ datum: '2024-02-12', namn: 'Pelle Påhittad' });
  });

  it('flags and masks the personnummer in 5.1', () => {
    expect(result.personnummer).toHaveLength(1);
    expect(result.personnummer[0]).toMatchObject({ maskerat: '121212-XXXX', avsnitt: '5.1' });
    expect(r.avsnitt['5.1']).toContain('121212-XXXX');
    expect(JSON.stringify(r)).not.toContain('121212-1212');
    expect(result.varningar).toContainEqual(
      expect.objectContaining({ kod: 'PERSONNUMMER_HITTAT', falt: 'avsnitt.5.1' }),
    );
  });

  it('warns that the stated percentage contradicts the amounts', () => {
    expect(result.varningar).toContainEqual(
      expect.objectContaining({ kod: 'PROCENT_MOTSAGER_BELOPP', falt: 'avsnitt.7.2.1' }),
    );
    expect(result.status).toBe('komplett');
  });
});

describe('a docx text with page footers inside sections', () => {
  const result = readSlutrapport(fixture('sidfot-i-avsnitt.txt'), { idag: '2024-02-06' });
  const r = result.rapport!;

  it('removes URLs, mailto lines and page marks from the answers', () => {
    expect(r.avsnitt['4.1']).toBe(
      'Insatsen skulle korta vägen till arbete för nyanlända med\nlåg utbildningsnivå genom arbetsplatsförlagd språkträning.',
    );
    expect(r.avsnitt['5.1']).toBe('Målet 40 deltagare nåddes.');
    expect(r.avsnitt['5.2']).toBe('Språkträning på arbetsplatsen tre dagar i veckan.');
  });

  it('reads a diarienummer written with a long dash and spaces', () => {
    expect(r.diarienummer).toBe('SFG 23-7.2');
  });

  it('joins a wrapped insatsnamn and reads amounts with SEK', () => {
    expect(r.insatsnamn).toBe('Arbete först Gävle');
    expect(r.utnyttjadeMedel).toBe(2458000);
    expect(r.uppgiftslamnare).toEqual({ datum: '2024-02-05', namn: 'Stina Påhittad' });
    expect(result.status).toBe('komplett');
  });
});

describe('looksLikeSlutrapport', () => {
  it('scores the template high and a covering letter low', () => {
    expect(looksLikeSlutrapport(fixture('pdf-tva-kolumner.txt'))).toBeGreaterThan(0.8);
    expect(looksLikeSlutrapport(fixture('ocr-skannad.txt'))).toBeGreaterThan(0.6);
    expect(looksLikeSlutrapport('Hej! Här kommer vår slutrapport. Mvh Anna')).toBeLessThan(0.1);
    expect(looksLikeSlutrapport('')).toBe(0);
  });
});

describe('amounts on one value row under a two-column label row', () => {
  it('reads each amount whole, multiplier and currency words included', () => {
    const text = buildReport({ utnyttjade: '' }).replace(
      'Beviljade medel för insatsen\n200 000 kr\nUtnyttjade medel\n',
      'Beviljade medel för insatsen Utnyttjade medel\n2,5 mnkr 1.200.000:-\n',
    );
    const r = readSlutrapport(text, { idag: '2023-01-20' }).rapport!;
    expect(r.beviljadeMedel).toBe(2500000);
    expect(r.utnyttjadeMedel).toBe(1200000);
  });
});
