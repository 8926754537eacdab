import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from './csv.js';
import { parseBelopp, parseInsatsregister } from './insatsregister.js';
import { maskeraPersonuppgifter } from './postlista.js';
import { ankomstdatum } from './ankomstdatum.js';

describe('CSV export', () => {
  it('quotes commas, quotes and line breaks per RFC 4180 and ends rows with CRLF', () => {
    expect(toCsv([['a', 'b,c', 'säger "hej"', 'rad1\nrad2']])).toBe(
      'a,"b,c","säger ""hej""","rad1\nrad2"\r\n',
    );
  });

  it('starts with a BOM for Excel when asked', () => {
    expect(toCsv([['Ärende']], { bom: true })).toBe('\uFEFFÄrende\r\n');
  });

  it('neutralises cells that Excel would run as formulas', () => {
    expect(toCsv([['=HYPERLINK("x")', '+46', '@x']])).toBe(`"'=HYPERLINK(""x"")",'+46,'@x\r\n`);
  });

  it('reads back what it writes, and semicolon files from Swedish Excel', () => {
    const rows = [['a', 'b,c', 'säger "hej"', 'rad1\r\nrad2']];
    expect(parseCsv(toCsv(rows))).toEqual(rows);
    expect(parseCsv('\uFEFFNamn;Belopp\r\nTrappan;"1 000,50 kr"\r\n')).toEqual([
      ['Namn', 'Belopp'],
      ['Trappan', '1 000,50 kr'],
    ]);
  });
});

describe('insats register import', () => {
  it('reads amounts as people write them', () => {
    expect(parseBelopp('2 458 000 kr')).toBe(2_458_000);
    expect(parseBelopp('934 tkr')).toBe(934_000);
    expect(parseBelopp('625 000,00')).toBe(625_000);
    expect(parseBelopp('')).toBeNull();
    expect(parseBelopp('många')).toBeNaN();
  });

  it('reads register amounts with the slutrapport amount parser, the whole cell or nothing', () => {
    expect(parseBelopp('1.200.000:-')).toBe(1_200_000);
    expect(parseBelopp('2,5 mnkr')).toBe(2_500_000);
    expect(parseBelopp('SEK 300\u00a0000')).toBe(300_000);
    expect(parseBelopp('1 000 000.00 kr')).toBe(1_000_000);
    expect(parseBelopp(450000)).toBe(450_000);
    expect(parseBelopp('ca 500 000 kr')).toBeNaN();
    expect(parseBelopp('2021-12-31')).toBeNaN();
  });

  it('accepts English and Swedish headers and normalises the ärende number', () => {
    const r = parseInsatsregister(
      'namn,organisation,arende\nTrappan,Exempelby kommun,SFG 24 – 3\n',
      'csv',
      'SFG',
    );
    expect(r.fel).toEqual([]);
    expect(r.insatser).toEqual([
      {
        id: 'trappan-exempelby-kommun',
        namn: 'Trappan',
        organisation: 'Exempelby kommun',
        arende: 'SFG 24-3',
        beviljadeMedel: null,
      },
    ]);
  });

  it('names the row and the problem when a row is wrong', () => {
    const r = parseInsatsregister('Insatsens namn;Huvudman;Ärende\nTrappan;;XYZ 1\n', 'csv', 'SFG');
    expect(r.fel).toEqual(['Rad 2: organisation saknas.']);
  });
});

describe('public text', () => {
  it('masks e-mail addresses, phone numbers, personnummer and a private sender’s name', () => {
    const text = 'Fråga från Kalle Karlsson (kalle@privat.example, 070-123 45 67), pnr 121212-1212';
    const masked = maskeraPersonuppgifter(text, ['Kalle Karlsson']);
    expect(masked).not.toMatch(/Kalle|Karlsson|privat|070|1212-1212/);
  });
});

describe('ankomstdatum', () => {
  it('is the Stockholm date on both sides of midnight, New Year and the DST switches', () => {
    expect(ankomstdatum('2025-12-31T22:59:59Z')).toBe('2025-12-31');
    expect(ankomstdatum('2025-12-31T23:00:00Z')).toBe('2026-01-01');
    expect(ankomstdatum('2026-03-29T21:59:59Z')).toBe('2026-03-29');
    expect(ankomstdatum('2026-03-29T22:00:00Z')).toBe('2026-03-30');
    expect(ankomstdatum('2026-10-25T22:59:59Z')).toBe('2026-10-25');
    expect(ankomstdatum('2026-10-25T23:00:00Z')).toBe('2026-10-26');
  });
});
