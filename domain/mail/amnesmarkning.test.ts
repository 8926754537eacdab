import { describe, expect, it } from 'vitest';
import { amnesmarkning, arendeIMarkering, markeratAmne } from './amnesmarkning.js';

describe('the diarienummer marking in subjects', () => {
  it('marks a subject once, with the ärende', () => {
    const s = markeratAmne('Kvittens SFG 26-12.1: slutrapport mottagen', 'SFG 26-12');
    expect(s).toBe('Kvittens SFG 26-12.1: slutrapport mottagen [Dnr SFG 26-12]');
    expect(markeratAmne(`SV: ${s}`, 'SFG 26-12')).toBe(`SV: ${s}`);
    expect(amnesmarkning('SFG 26-3')).toBe('[Dnr SFG 26-3]');
  });

  it('reads the ärende back from a reply, whatever else the subject quotes', () => {
    expect(arendeIMarkering('SV: Ang. SFG 25-3 och annat [Dnr SFG 26-12]', 'SFG')).toBe('SFG 26-12');
    expect(arendeIMarkering('Re: Re: Kvittens [ dnr SFG 26-12.4 ]', 'SFG')).toBe('SFG 26-12');
    expect(arendeIMarkering('Kvittens SFG 26-12.1', 'SFG')).toBeNull();
    expect(arendeIMarkering('[Dnr ABC 26-12]', 'SFG')).toBeNull();
  });
});
