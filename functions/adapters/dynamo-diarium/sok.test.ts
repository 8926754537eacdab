import { describe, expect, it } from 'vitest';
import { manader } from './sok.js';

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
