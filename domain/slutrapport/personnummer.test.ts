import { describe, expect, it } from 'vitest';
import { findPersonnummer, maskPersonnummer } from './index.js';

describe('findPersonnummer', () => {
  it('finds a personnummer with its position and a masked form', () => {
    const text = 'Deltagaren 121212-1212 avbröt.';
    const hits = findPersonnummer(text);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ masked: '121212-XXXX', kind: 'personnummer' });
    expect(text.slice(hits[0]!.start, hits[0]!.end)).toBe('121212-1212');
  });

  it('finds twelve-digit forms, with and without separator', () => {
    expect(findPersonnummer('19121212-1212').map((h) => h.masked)).toEqual(['19121212-XXXX']);
    expect(findPersonnummer('191212121212').map((h) => h.masked)).toEqual(['19121212-XXXX']);
  });

  it('recognises a samordningsnummer by day + 60', () => {
    // 12-12-72 is day 12 + 60; check digit computed by Luhn.
    const hits = findPersonnummer('Samordningsnummer 121272-1219.');
    expect(hits.map((h) => h.kind)).toEqual(['samordningsnummer']);
  });

  it('ignores numbers that fail the Luhn check or the date check', () => {
    expect(findPersonnummer('121212-1213')).toEqual([]);
    expect(findPersonnummer('121312-1212')).toEqual([]);
  });

  it('does not take date ranges, amounts or phone numbers for personnummer', () => {
    expect(findPersonnummer('211001-220131 och 2 458 000 kr')).toEqual([]);
    expect(findPersonnummer('Ring 0703185239')).toEqual([]);
    expect(findPersonnummer('2019-12-31 – 2021-12-31')).toEqual([]);
  });
});

describe('maskPersonnummer', () => {
  it('masks every number and leaves the rest of the text as it was', () => {
    expect(maskPersonnummer('A 121212-1212 och B 19121212-1212.')).toBe('A 121212-XXXX och B 19121212-XXXX.');
    expect(maskPersonnummer('Inget här.')).toBe('Inget här.');
  });
});
