import { describe, expect, it } from 'vitest';
import { newHandling, tomRapport } from '../../test/support/new-handling.js';
import { postlistaRows } from './postlista.js';
import type { Handling } from './types.js';
import type { Klassning } from '../klassning/types.js';

function handling(i: number, klassning: Klassning, over: Partial<Handling> = {}): Handling {
  return {
    ...newHandling(i),
    diarienummer: `SFG 26-${i}.1`,
    arende: `SFG 26-${i}`,
    handlingsnummer: 1,
    registrerad: '2026-02-02T09:00:00.000Z',
    klassning,
    ...over,
  };
}

const sys = (klass: Klassning['klass']): Klassning => ({ klass, orsak: 'test', av: 'system' });

describe('the public postlista', () => {
  it('builds "avser" from class and insats, never from the raw subject', () => {
    const rows = postlistaRows([
      handling(1, sys('allman-handling'), {
        beskrivning: 'E-post: Angående Tolvan Tolvansson 19121212-1212, lösenord Hemligt123',
        avsandare: {
          namn: 'Eva Exempel',
          epost: 'eva@example.org',
          kuvertAvsandare: null,
          organisation: null,
        },
      }),
      handling(2, sys('slutrapport'), {
        rapport: { typ: 'slutrapport', slutrapport: { ...tomRapport, insatsnamn: 'Vägen vidare' } },
      }),
      handling(3, sys('ny-version'), {
        rapport: { typ: 'slutrapport', slutrapport: { ...tomRapport, insatsnamn: 'Vägen vidare' } },
      }),
    ]);
    expect(rows.map((r) => r.avser)).toEqual([
      'Inkommen skrivelse',
      'Slutrapport – Vägen vidare',
      'Slutrapport, ny version – Vägen vidare',
    ]);
    expect(rows[0]?.status).toBe('Registrerad');
    expect(JSON.stringify(rows)).not.toMatch(/Tolvan|1212|Hemligt|eva@/);
  });

  it('leaves out automatic mail, minor-importance mail and spam', () => {
    const rows = postlistaRows([
      handling(1, sys('automatisk')),
      handling(2, sys('ringa-betydelse')),
      handling(3, sys('skrappost')),
      handling(4, sys('svar-arende')),
    ]);
    expect(rows.map((r) => r.diarienummer)).toEqual(['SFG 26-4.1']);
  });

  it("shows the kansli's own text, masked all the same", () => {
    const rows = postlistaRows([
      handling(1, { ...sys('allman-handling'), publikText: 'Fråga om ansökan från eva@example.org' }),
    ]);
    expect(rows[0]?.avser).toBe('Fråga om ansökan från [e-postadress]');
  });

  it("shows a secret handling by the kansli's public text, never its own", () => {
    const rows = postlistaRows([
      handling(1, sys('slutrapport'), {
        sekretess: true,
        sekretessmarkering: {
          osl: 'OSL 26 kap. 1 §',
          publikText: 'Slutrapport med uppgifter om enskild',
          av: 'Rut',
          tidpunkt: '2026-03-02T10:00:00.000Z',
        },
        rapport: { typ: 'slutrapport', slutrapport: { ...tomRapport, insatsnamn: 'Hemlig insats' } },
      }),
    ]);
    expect(rows[0]?.avser).toBe('Slutrapport med uppgifter om enskild');
  });
});
