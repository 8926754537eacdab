import { describe, expect, it } from 'vitest';
import { parseMoment } from './stockholm-time.js';

describe('a moment typed on the command line', () => {
  it('is Swedish winter time without an offset', () => {
    expect(parseMoment('2026-11-23T23:59:59')?.toISOString()).toBe('2026-11-23T22:59:59.000Z');
  });

  it('is Swedish summer time without an offset in summer', () => {
    expect(parseMoment('2026-06-30 12:00')?.toISOString()).toBe('2026-06-30T10:00:00.000Z');
  });

  it('is midnight Swedish time for a date alone', () => {
    expect(parseMoment('2026-01-01')?.toISOString()).toBe('2025-12-31T23:00:00.000Z');
  });

  it('keeps an explicit offset or Z', () => {
    expect(parseMoment('2026-11-23T23:59:59+01:00')?.toISOString()).toBe('2026-11-23T22:59:59.000Z');
    expect(parseMoment('2026-11-23T23:59:59Z')?.toISOString()).toBe('2026-11-23T23:59:59.000Z');
  });

  it('refuses what is not a moment', () => {
    for (const bad of ['i går', '2026-02-30', '2026-11-23T25:00', '23/11/2026'])
      expect(parseMoment(bad)).toBeNull();
  });
});
