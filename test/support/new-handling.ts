import type { NewHandling } from '../../domain/diarium/ports.js';

/**
 * A complete, komplett handling ready to register, from an invented sender; `i` keeps descriptions and
 * source references apart. Tests and benchmarks override what they are about.
 */
export function newHandling(i: number, over: Partial<NewHandling> = {}): NewHandling {
  const mottagen = over.mottagen ?? '2026-02-02T09:00:00.000Z';
  return {
    mottagen,
    ankomstdatum: mottagen.slice(0, 10),
    ankomstAndrad: null,
    kalla: 'epost',
    kallaReferens: `s3://rapportflode-inbound/raw/${i}`,
    avsandare: {
      namn: 'Sara Provperson',
      epost: 'sara.provperson@exempelby.example',
      kuvertAvsandare: null,
      organisation: 'Exempelby kommun',
    },
    beskrivning: `Slutrapport ${i}`,
    bedomning: 'komplett',
    fel: [],
    varningar: [],
    filer: [],
    personnummer: [],
    sekretess: false,
    flaggor: [],
    granskning: 'pagar',
    makulerad: null,
    kvittens: null,
    rapport: null,
    ...over,
  };
}
