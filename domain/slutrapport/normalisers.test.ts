import { describe, expect, it } from 'vitest';
import { findAmountSek } from './normalisers.js';
import {
  formatSek,
  parseAmountSek,
  parseDateRange,
  parseDateSv,
  parseEmails,
  parsePhoneNumbers,
  parsePostnummer,
} from './index.js';

describe('parseAmountSek', () => {
  it.each([
    ['2 458 000', 2458000],
    ['625 000 kr.', 625000],
    ['96 997 kr', 96997],
    ['100 000 kr', 100000],
    ['1 234 567,50 kr', 1234568],
    ['1 234 567,49 kr', 1234567],
    ['2\u00a0458\u00a0000 kr', 2458000],
    ['2\u2009458\u2009000', 2458000],
    ['2\u202f458\u202f000 SEK', 2458000],
    ['100.000:-', 100000],
    ['SEK 300 000', 300000],
    ['625 tkr', 625000],
    ['2,5 mkr', 2500000],
    ['0 kr', 0],
    ['ca 96 997 kr av 100 000 kr', 96997],
    ['1.200.000:-', 1200000],
    ['2,5 mnkr', 2500000],
    ['1,5 msek', 1500000],
    ['3 miljoner kronor', 3000000],
    ['450 tusen kr', 450000],
    ['500 kronor', 500],
    ['kr 500', 500],
    ['1 000 000.00 kr', 1000000],
    ['1.000.000,50', 1000001],
  ])('reads %j as %d kronor', (input, expected) => {
    expect(parseAmountSek(input)).toBe(expected);
  });

  it.each(['', 'inga', 'se bilaga', '2021-12-31'])('gives null for %j', (input) => {
    expect(parseAmountSek(input)).toBeNull();
  });

  it('with whole, reads a string that is one amount and nothing else', () => {
    expect(parseAmountSek(' 2 458 000 kr ', { whole: true })).toBe(2458000);
    expect(parseAmountSek('SEK 300 000', { whole: true })).toBe(300000);
    expect(parseAmountSek('934 tkr', { whole: true })).toBe(934000);
    expect(parseAmountSek('ca 500 000 kr', { whole: true })).toBeNull();
    expect(parseAmountSek('500 000 kr (90 %)', { whole: true })).toBeNull();
  });
});

describe('findAmountSek', () => {
  it('gives the span of the first amount with its unit and currency words', () => {
    const row = 'Beviljat 2,5 mnkr, utnyttjat 1.200.000:- totalt';
    const a = findAmountSek(row)!;
    expect(row.slice(a.start, a.end)).toBe('2,5 mnkr');
    expect(a.kronor).toBe(2500000);
    const rest = row.slice(a.end);
    const b = findAmountSek(rest)!;
    expect(rest.slice(b.start, b.end)).toBe('1.200.000:-');
    expect(b.kronor).toBe(1200000);
  });

  it('keeps offsets of text with NBSP and thin spaces', () => {
    const row = 'Totalt 2\u00a0458\u00a0000\u00a0kr. Klart';
    const a = findAmountSek(row)!;
    expect(row.slice(a.start, a.end)).toBe('2\u00a0458\u00a0000\u00a0kr.');
    expect(a.kronor).toBe(2458000);
  });

  it('finds nothing in text without digits', () => {
    expect(findAmountSek('se bilaga')).toBeNull();
  });
});

describe('formatSek', () => {
  it('groups thousands with plain spaces', () => {
    expect(formatSek(2458000)).toBe('2 458 000 kr');
    expect(formatSek(96997)).toBe('96 997 kr');
    expect(formatSek(500)).toBe('500 kr');
    expect(formatSek(0)).toBe('0 kr');
  });
});

describe('parseDateSv', () => {
  it.each([
    ['2022-02-15', '2022-02-15'],
    ['22-02-15', '2022-02-15'],
    ['220215', '2022-02-15'],
    ['20220215', '2022-02-15'],
    ['2022.02.15.', '2022-02-15'],
    ['2022/02/15', '2022-02-15'],
    ['15 februari 2022', '2022-02-15'],
    ['15 feb. 2022', '2022-02-15'],
    ['den 1 oktober 2021', '2021-10-01'],
    ['15/2 2022', '2022-02-15'],
    ['15.02.2022', '2022-02-15'],
    ['22-02-15 Helena Hägg', '2022-02-15'],
  ])('reads %j', (input, expected) => {
    expect(parseDateSv(input)).toBe(expected);
  });

  it.each(['', '2022-02-30', '2022-13-01', 'Helena Hägg', '625 000'])('gives null for %j', (input) => {
    expect(parseDateSv(input)).toBeNull();
  });

  it('reads a two-digit year in the last century when this one is far after the reference', () => {
    expect(parseDateSv('650101', { reference: '2022-01-01' })).toBe('1965-01-01');
  });
});

describe('parseDateRange', () => {
  it.each([
    ['2019-12-31 – 2021-12-31', '2019-12-31', '2021-12-31'],
    ['2019-12-31 - 2021-12-31', '2019-12-31', '2021-12-31'],
    ['2019-12-31—2021-12-31', '2019-12-31', '2021-12-31'],
    ['211001 - 220131', '2021-10-01', '2022-01-31'],
    ['211001-220131', '2021-10-01', '2022-01-31'],
    ['2022.01.01. – 2023.12.31', '2022-01-01', '2023-12-31'],
    ['15 februari 2022 – 31 januari 2024', '2022-02-15', '2024-01-31'],
    ['1 oktober 2021 till 31 januari 2022', '2021-10-01', '2022-01-31'],
    ['januari 2022 – december 2023', '2022-01-01', '2023-12-31'],
    ['2022–2023', '2022-01-01', '2023-12-31'],
  ])('reads %j', (input, start, slut) => {
    expect(parseDateRange(input)).toEqual({ start, slut });
  });

  it('gives a range without end for a single date', () => {
    expect(parseDateRange('från 2022-01-01')).toEqual({ start: '2022-01-01', slut: null });
  });

  it('gives null when there is no date', () => {
    expect(parseDateRange('hela året')).toBeNull();
  });
});

describe('parsePhoneNumbers', () => {
  it('reads Swedish mobile and landline numbers as E.164', () => {
    expect(parsePhoneNumbers('070-318 52 39')).toEqual(['+46703185239']);
    expect(parsePhoneNumbers('076 114 66 27')).toEqual(['+46761146627']);
    expect(parsePhoneNumbers('026-17 80 00')).toEqual(['+4626178000']);
    expect(parsePhoneNumbers('+46 70 318 52 39')).toEqual(['+46703185239']);
  });

  it('reads several numbers separated by a slash, without duplicates', () => {
    expect(parsePhoneNumbers('070-318 52 39 / 076 114 66 27 / 0703185239')).toEqual([
      '+46703185239',
      '+46761146627',
    ]);
  });

  it('does not take dates or amounts for phone numbers', () => {
    expect(parsePhoneNumbers('211001 - 220131')).toEqual([]);
    expect(parsePhoneNumbers('2 458 000')).toEqual([]);
  });
});

describe('parseEmails', () => {
  it('finds one or several addresses and lower-cases them', () => {
    expect(parseEmails('Katarina.grondahl@sandviken.se')).toEqual(['katarina.grondahl@sandviken.se']);
    expect(parseEmails('a.b@ex.se; c@ex.se, mailto:a.b@ex.se')).toEqual(['a.b@ex.se', 'c@ex.se']);
    expect(parseEmails('ingen adress')).toEqual([]);
  });
});

describe('parsePostnummer', () => {
  it('splits postnummer from postadress', () => {
    expect(parsePostnummer('824 30 Hudiksvall Norra Kyrkogatan 39')).toEqual({
      postnummer: '824 30',
      postadress: 'Hudiksvall Norra Kyrkogatan 39',
    });
    expect(parsePostnummer('811 61 Sandviken')).toEqual({ postnummer: '811 61', postadress: 'Sandviken' });
    expect(parsePostnummer('81161')).toEqual({ postnummer: '811 61', postadress: null });
    expect(parsePostnummer('SE-801 84 Gävle')).toEqual({ postnummer: '801 84', postadress: 'Gävle' });
  });

  it('finds a postnummer after the street', () => {
    expect(parsePostnummer('Box 12, 801 84 Gävle')).toEqual({
      postnummer: '801 84',
      postadress: 'Box 12, Gävle',
    });
  });

  it('keeps the text as postadress when there is no postnummer', () => {
    expect(parsePostnummer('Sandviken')).toEqual({ postnummer: null, postadress: 'Sandviken' });
  });
});
