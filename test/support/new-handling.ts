import type { NewHandling } from '../../domain/diarium/ports.js';
import type { Rapport } from '../../domain/slutrapport/index.js';

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
    rapport: { typ: 'ovrig' },
    ...over,
  };
}

/** A slutrapport with every field empty, to spread the fields a test needs over. */
export const tomRapport: Rapport = {
  diarienummer: null,
  insatsnamn: null,
  insatstid: null,
  beviljadeMedel: null,
  utnyttjadeMedel: null,
  organisation: null,
  arbetsstalle: null,
  kontaktpersoner: [],
  epost: [],
  telefon: [],
  postnummer: null,
  postadress: null,
  samverkansparter: [],
  avsnitt: {
    '4.1': null,
    '4.2': null,
    '5.1': null,
    '5.2': null,
    '5.3': null,
    '5.4': null,
    '6.1': null,
    '6.2': null,
    '6.3': null,
    '6.4': null,
    '6.5': null,
    '7.1.1': null,
    '7.2.1': null,
  },
  uppgiftslamnare: null,
};
