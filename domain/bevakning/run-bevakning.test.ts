import { describe, expect, it } from 'vitest';
import { parseInsatsregister } from '../diarium/insatsregister.js';
import { addDays, daysBetween } from './run-bevakning.js';

describe('bevakning dates', () => {
  it('counts calendar days, across month ends and the summer-time switch', () => {
    expect(addDays('2026-09-30', 60)).toBe('2026-11-29');
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-11-29', -14)).toBe('2026-11-15');
    expect(daysBetween('2026-10-01', '2026-10-23')).toBe(22);
    expect(daysBetween('2026-10-24', '2026-10-26')).toBe(2);
  });
});

describe('the insats register with bevakning columns', () => {
  it('reads the end of the insatstid and the contact, and reports a malformed date', () => {
    const r = parseInsatsregister(
      'Id;Insatsens namn;Huvudman;Insatstid slut;Kontakt\nstegvis;Stegvis;Exempelby kommun;2026-09-30;sara.provperson@exempelby.example\ntrappan;Trappan;Exempelby kommun;30/9 2026;\n',
      'csv',
      'SFG',
    );
    expect(r.insatser).toEqual([
      {
        id: 'stegvis',
        namn: 'Stegvis',
        organisation: 'Exempelby kommun',
        arende: null,
        beviljadeMedel: null,
        insatstidSlut: '2026-09-30',
        kontakt: 'sara.provperson@exempelby.example',
      },
    ]);
    expect(r.fel).toEqual(['Rad 3: insatstidens slut ska skrivas ÅÅÅÅ-MM-DD.']);
  });
});
