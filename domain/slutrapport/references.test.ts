import { describe, expect, it } from 'vitest';
import { readSlutrapport } from './index.js';
import { reference } from './test-helpers.js';

describe('the Sandviken reference report (Trisam 2.0)', () => {
  const result = readSlutrapport(reference('slutrapport-sandviken-trisam-2.0.txt'), { idag: '2022-01-21' });
  const r = result.rapport!;

  it('reads section 1', () => {
    expect(r.insatsnamn).toBe('Trisam 2.0');
    expect(r.insatstid).toEqual({ start: '2019-12-31', slut: '2021-12-31' });
    expect(r.beviljadeMedel).toBe(625000);
    expect(r.utnyttjadeMedel).toBe(625000);
  });

  it('reads the pre-filled diarienummer in the header', () => {
    expect(r.diarienummer).toBe('SFG 21-6.63');
  });

  it('reads section 2 without taking the kansli contact block', () => {
    expect(r.organisation).toBe('Sandvikens kommun');
    expect(r.arbetsstalle).toBe('Individ- och familjeomsorgsförvaltningen, Ekonomienheten');
    expect(r.kontaktpersoner).toEqual(['Katarina Gröndahl']);
    expect(r.telefon).toEqual(['+46703185239']);
    expect(r.epost).toEqual(['katarina.grondahl@sandviken.se']);
    expect(r.postnummer).toBe('811 61');
    expect(r.postadress).toBe('Sandviken');
  });

  it('reads the samverkansparter', () => {
    expect(r.samverkansparter).toEqual([
      'Arbetsförmedlingen',
      'Försäkringskassan',
      'Samtliga hälsocentraler i kommunen',
      'Hedesunda Färnebo Din Hälsocentral',
    ]);
  });

  it('reads every subsection without the question text and without page footers', () => {
    expect(r.avsnitt['4.1']).toMatch(/^För att så effektivt som möjligt/u);
    expect(r.avsnitt['4.1']).toContain('Insatsens syfte: Utveckla strukturen');
    expect(r.avsnitt['4.1']).not.toContain('finsamgavleborg');
    expect(r.avsnitt['5.1']).not.toMatch(/Sida 4\(9\)|läsa mer om hur du ansöker/u);
    expect(r.avsnitt['5.3']).toMatch(/^Utifrån pandemin/u);
    expect(r.avsnitt['5.4']).toMatch(/^Uppföljning och utvärdering av målen har gjorts/u);
    expect(r.avsnitt['6.3']).toMatch(/^Under insatstiden har arbetet/u);
    expect(r.avsnitt['7.1.1']).toBe('Budgeten var bra avvägt i förhållande till verksamheten.');
    expect(r.avsnitt['7.2.1']).toBeNull();
  });

  it('is incomplete because section 8 is missing, and only because of that', () => {
    expect(result.status).toBe('ofullstandig');
    expect(r.uppgiftslamnare).toBeNull();
    expect(result.fel).toEqual([
      {
        kod: 'UPPGIFTSLAMNARE_SAKNAS',
        falt: 'uppgiftslamnare',
        meddelande: 'Avsnitt 8 Uppgiftslämnare saknas: ange datum och namn.',
      },
    ]);
    expect(result.personnummer).toEqual([]);
  });
});

describe('the Hudiksvall reference report', () => {
  const result = readSlutrapport(reference('slutrapport-hudiksvall-lokal-insats.txt'), {
    idag: '2022-02-16',
  });
  const r = result.rapport!;

  it('reads section 1', () => {
    expect(r.insatsnamn).toBe('Lokal individinriktad insats efter Trisam - Hudiksvall');
    expect(r.insatstid).toEqual({ start: '2021-10-01', slut: '2022-01-31' });
    expect(r.beviljadeMedel).toBe(100000);
    expect(r.utnyttjadeMedel).toBe(96997);
    expect(r.diarienummer).toBeNull();
  });

  it('splits the two-column rows of section 2', () => {
    expect(r.organisation).toBe('Hudiksvalls kommun');
    expect(r.arbetsstalle).toBe('Arbetsliv & Försörjning Jobbcentrum');
    expect(r.kontaktpersoner).toEqual(['Helena Hägg']);
    expect(r.telefon).toEqual(['+46765278776']);
    expect(r.epost).toEqual(['helena.hagg@hudiksvall.se']);
    expect(r.postnummer).toBe('824 30');
    expect(r.postadress).toBe('Hudiksvall Norra Kyrkogatan 39');
  });

  it('never takes the kansli contact details as the insatsägare', () => {
    expect(r.epost.join()).not.toContain('finsamgavleborg');
    expect(r.telefon).not.toContain('+46700840400');
    expect(r.kontaktpersoner.join()).not.toContain('Hainsworth');
  });

  it('reads the answers, 7.2.1 included since not all funds were used', () => {
    expect(r.avsnitt['4.2']).toMatch(/^Målgruppen är ett fåtal individer/u);
    expect(r.avsnitt['5.2']).toMatch(/^Metoden för insatsen/u);
    expect(r.avsnitt['7.2.1']).toMatch(/^Den budget som var lagd för insatsen/u);
  });

  it('reads section 8', () => {
    expect(r.uppgiftslamnare).toEqual({ datum: '2022-02-15', namn: 'Helena Hägg' });
  });

  it('is complete', () => {
    expect(result.fel).toEqual([]);
    expect(result.status).toBe('komplett');
  });
});
