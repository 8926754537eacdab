import { maskPersonnummer } from '../slutrapport/index.js';
import type { Arende, Handling } from './types.js';
import { arRapport, iPostlistan } from '../klassning/klassa.js';
import type { Klass } from '../klassning/types.js';

export interface PostlistaRad {
  diarienummer: string;
  ankomstdatum: string;
  /** The ärende's ärendemening (empty when the ärende was not given). */
  arendemening: string;
  avser: string;
  avsandare: string;
  status: string;
}

const STATUS: Record<Handling['bedomning'], string> = {
  lases: 'Inkommen, läses',
  komplett: 'Komplett',
  ofullstandig: 'Komplettering begärd',
  olasbar: 'Kunde inte läsas',
  karantan: 'Karantän',
};

const EPOST = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
const TELEFON = /(?<![\p{N}-])(?:\+46|0)[\s-]?\d{1,3}(?:[\s-]?\d{2,3}){2,4}(?![\p{N}])/gu;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Personal data out of public text: personnummer, e-mail addresses, phone numbers, and the given names
 * (a private sender's name, which may appear in a subject line).
 */
export function maskeraPersonuppgifter(text: string, namn: (string | null)[] = []): string {
  let out = maskPersonnummer(text).replace(EPOST, '[e-postadress]').replace(TELEFON, '[telefonnummer]');
  for (const n of namn) {
    const parts = (n ?? '')
      .split(/\s+/)
      .map((p) => p.replace(/[^\p{L}-]/gu, ''))
      .filter((p) => p.length >= 2);
    if (parts.length === 0) continue;
    const whole = new RegExp(`(?<!\\p{L})${parts.map(escapeRegExp).join('\\s+')}(?!\\p{L})`, 'giu');
    out = out.replace(whole, '[namn]');
    // A first or last name alone too, when the sender wrote only one of them.
    for (const p of parts)
      out = out.replace(new RegExp(`(?<!\\p{L})${escapeRegExp(p)}(?!\\p{L})`, 'giu'), '[namn]');
  }
  return out;
}

const AVSER: Record<Klass, string> = {
  slutrapport: 'Slutrapport',
  'ny-version': 'Slutrapport, ny version',
  komplettering: 'Komplettering av slutrapport',
  'svar-arende': 'Svar i ärendet',
  'allman-handling': 'Inkommen skrivelse',
  automatisk: 'Automatiskt meddelande',
  'ringa-betydelse': 'Utskick av ringa betydelse',
  skrappost: 'Skräppost',
};

/**
 * The public "avser" text: built from the classification and the insats, never from the raw subject (which
 * may carry a child's name, a personnummer or a PDF password). The kansli's own text wins when set; it is
 * masked all the same.
 */
export function publikAvser(h: Handling, insatsnamn: string | null, namn: (string | null)[] = []): string {
  const k = h.klassning;
  if (!k) return maskeraPersonuppgifter(h.beskrivning, namn);
  if (k.publikText) return maskeraPersonuppgifter(k.publikText, namn);
  const insats = insatsnamn ?? (h.rapport.typ === 'slutrapport' ? h.rapport.slutrapport.insatsnamn : null);
  const text = insats && k.klass !== 'allman-handling' ? `${AVSER[k.klass]} – ${insats}` : AVSER[k.klass];
  return maskeraPersonuppgifter(text, namn);
}

/**
 * Public rows of the diarium (OSL 5:2: date, diarienummer, sender, what it concerns). Senders are shown by
 * organisation only: a private individual's name and address never appear, and the individual's name is
 * masked in the description too. Handlings flagged for sekretess or personnummer show a neutral description.
 * Voided handlings stay, shown as makulerad; a moved handling's old number stays as "Flyttad till …".
 */
export function postlistaRows(handlingar: Handling[], arenden: Arende[] = []): PostlistaRad[] {
  const mening = new Map(arenden.map((a) => [a.diarienummer, a.arendemening]));
  return (
    [...handlingar]
      // Automatic mail, mail of minor importance and spam are kept and listed in the diarium, not here.
      .filter((h) => !h.klassning || iPostlistan(h.klassning.klass))
      .sort((a, b) => a.mottagen.localeCompare(b.mottagen) || a.diarienummer.localeCompare(b.diarienummer))
      .map((h) => {
        const privat = h.kalla !== 'upprattad' && !h.avsandare.organisation;
        const namn = privat ? [h.avsandare.namn] : [];
        const beskrivning = h.sekretessmarkering
          ? maskeraPersonuppgifter(h.sekretessmarkering.publikText, namn)
          : h.sekretess && !h.klassning
            ? 'Handling med uppgifter som maskerats (sekretess/personuppgifter)'
            : publikAvser(h, null, namn);
        return {
          diarienummer: h.diarienummer,
          ankomstdatum: h.ankomstdatum,
          arendemening: maskeraPersonuppgifter(mening.get(h.arende) ?? '', namn),
          avser: h.makulerad
            ? `Makulerad – ${beskrivning}`
            : h.flyttad
              ? `Flyttad till ${h.flyttad.till} – ${beskrivning}`
              : beskrivning,
          avsandare:
            h.kalla === 'upprattad'
              ? 'Upprättad av förbundet'
              : (h.avsandare.organisation ?? 'Enskild eller okänd avsändare (uppgift skyddas)'),
          // A question or an invoice is not a report: "kunde inte läsas" would describe it wrongly.
          status: h.makulerad
            ? 'Makulerad'
            : h.flyttad
              ? `Flyttad till ${h.flyttad.till}`
              : h.klassning && !arRapport(h.klassning.klass) && h.bedomning !== 'karantan'
                ? 'Registrerad'
                : STATUS[h.bedomning],
        };
      })
  );
}
