import type { Handling } from './types.js';

export interface PostlistaRad {
  diarienummer: string;
  ankomstdatum: string;
  avser: string;
  avsandare: string;
  status: string;
}

const STATUS: Record<'komplett' | 'ofullstandig' | 'olasbar' | 'karantan', string> = {
  komplett: 'Komplett',
  ofullstandig: 'Komplettering begärd',
  olasbar: 'Kunde inte läsas',
  karantan: 'Karantän',
};

/**
 * Public rows of the diarium. Senders are shown by organisation only (a private individual's name and
 * address never appear); handlings flagged for sekretess or personnummer show a neutral description.
 */
export function postlistaRows(handlingar: Handling[]): PostlistaRad[] {
  return [...handlingar]
    .sort((a, b) => a.mottagen.localeCompare(b.mottagen))
    .map((h) => ({
      diarienummer: h.diarienummer,
      ankomstdatum: h.ankomstdatum,
      avser: h.makulerad
        ? `Makulerad (${h.makulerad.skal})`
        : h.sekretess
          ? 'Slutrapport (innehåller uppgifter som maskerats)'
          : h.beskrivning,
      avsandare:
        h.kalla === 'upprattad'
          ? 'Upprättad av förbundet'
          : (h.avsandare.organisation ?? 'Enskild/okänd avsändare'),
      status: h.makulerad ? 'Makulerad' : STATUS[h.bedomning],
    }));
}
