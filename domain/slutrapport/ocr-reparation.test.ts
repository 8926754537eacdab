import { describe, expect, it } from 'vitest';
import { repareraOcr } from './ocr-reparation.js';

describe('repareraOcr', () => {
  it('repairs an e-mail address read with Q or © for @', () => {
    const r = repareraOcr('E-postadress: anna.svenssonQkommun.example.se\nE-post: per©region.example.se');
    expect(r.text).toBe('E-postadress: anna.svensson@kommun.example.se\nE-post: per@region.example.se');
    expect(r.lagningar).toHaveLength(2);
    expect(r.tveksamma).toEqual([]);
  });

  it('leaves an ambiguous address as it is and reports it for checking', () => {
    const r = repareraOcr('E-post: annaQkommunQexample.se');
    expect(r.text).toBe('E-post: annaQkommunQexample.se');
    expect(r.tveksamma).toEqual(['E-postadress: ”annaQkommunQexample.se”']);
  });

  it('removes stray = and | at line ends', () => {
    const r = repareraOcr('Insatsens namn: Vägen vidare |\nMål: arbete =');
    expect(r.text).toBe('Insatsens namn: Vägen vidare\nMål: arbete');
  });

  it('removes signature scribbles merged into a name', () => {
    const r = repareraOcr('Namnförtydligande: Anna Svensson ~/\\~ ,;-');
    expect(r.text).toBe('Namnförtydligande: Anna Svensson');
    expect(r.tveksamma).toEqual([]);
  });

  it('reports a name with doubtful letters instead of guessing', () => {
    const r = repareraOcr('Kontaktperson: Anna SvenssonJkl');
    expect(r.tveksamma).toEqual(['Kontaktperson: ”Anna SvenssonJkl”']);
  });

  it('leaves clean text alone', () => {
    const t = 'Kontaktperson: Anna Svensson\nE-post: anna@kommun.example.se';
    expect(repareraOcr(t)).toEqual({ text: t, lagningar: [], tveksamma: [] });
  });
});
