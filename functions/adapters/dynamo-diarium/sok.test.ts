import { describe, expect, it } from 'vitest';
import { listradItem, manader } from './sok.js';

describe('the list query periods', () => {
  it('cuts a period at month ends, across a year end, keeping its own first and last day', () => {
    expect(manader('2025-11-15', '2026-02-03')).toEqual([
      ['2025-11-15', '2025-11-30'],
      ['2025-12-01', '2025-12-31'],
      ['2026-01-01', '2026-01-31'],
      ['2026-02-01', '2026-02-03'],
    ]);
    expect(manader('2026-03-05', '2026-03-05')).toEqual([['2026-03-05', '2026-03-05']]);
    expect(manader('2028-02-01', '2028-02-29')).toEqual([['2028-02-01', '2028-02-29']]);
  });
});

describe('the list item of a handling', () => {
  const h = {
    diarienummer: 'SFG 26-12.3',
    arende: 'SFG 26-12',
    handlingsnummer: 3,
    mottagen: '2026-03-31T22:30:00.000Z',
    ankomstdatum: '2026-04-01',
    avsandare: { namn: 'Åsa Öberg', epost: null, kuvertAvsandare: null, organisation: 'Exempelby kommun' },
    beskrivning: 'Slutrapport – Kompassen – Exempelby kommun',
    bedomning: 'komplett' as const,
    granskning: 'pagar' as const,
    sekretess: false,
    flaggor: [],
    makulerad: null,
  };

  it('sits beside the handling, keyed by series and month of its ankomstdatum, with the filters beside the row', () => {
    const item = listradItem({ table: 't' }, h, 'ins-1').Put!.Item!;
    expect(item).toMatchObject({
      pk: 'ARENDE#SFG 26-12',
      sk: 'R#000003',
      typ: 'listrad',
      gsi4pk: 'LISTA#SFG#2026-04',
      gsi4sk: '2026-04-01#2026-03-31T22:30:00.000Z#SFG 26-12.3',
      status: 'pagar',
      klass: 'allman-handling',
      insatsId: 'ins-1',
      sekretess: false,
    });
    expect(item['sok']).toContain('åsa öberg');
    expect(JSON.parse(item['rad'] as string)).toMatchObject({ klass: 'allman-handling', insatsId: 'ins-1' });
  });

  it('carries makulerad as the status and the class the kansli set, and no insats attribute without one', () => {
    const item = listradItem(
      { table: 't' },
      {
        ...h,
        makulerad: { av: 'x', skal: 'y', tidpunkt: '2026-04-02T10:00:00Z' },
        klassning: { klass: 'komplettering', orsak: 'z', av: 'x' },
      },
      null,
    ).Put!.Item!;
    expect(item).toMatchObject({ status: 'makulerad', klass: 'komplettering' });
    expect(item).not.toHaveProperty('insatsId');
  });
});
