import type { SlutrapportResult } from './schema.js';
import { readSlutrapport } from './validate.js';
import { repareraOcr } from './ocr-reparation.js';

export interface LastRapport {
  result: SlutrapportResult;
  /** Read by OCR from a scan: said in the kvittens and the diarium. */
  maskinlast: boolean;
  /** Swedish: the repairs made to the scanned text. */
  lagningar: string[];
  /** Swedish: fields read with doubt, for the kansli ("maskinläst – kontrollera"), never the sender. */
  kontrollera: string[];
}

const OCR_FORMAT = new Set(['pdf-ocr', 'bild-ocr']);

/**
 * Reads a report as the ingest and the parse CLI do. A scanned report's known OCR confusions are repaired
 * first; a field that is present but did not read as valid is the scanner's doubt, not the sender's error,
 * so it goes to the kansli's list instead of the sender's.
 */
export function lasRapport(text: string | null, format: string | null, opts: { idag: string }): LastRapport {
  if (text === null || !format || !OCR_FORMAT.has(format)) {
    return { result: readSlutrapport(text, opts), maskinlast: false, lagningar: [], kontrollera: [] };
  }
  const rep = repareraOcr(text);
  const result = readSlutrapport(rep.text, opts);
  const tveksam = (kod: string) => /OGILTIG/.test(kod);
  const kontrollera = [
    ...rep.tveksamma,
    ...result.fel.filter((f) => tveksam(f.kod)).map((f) => `${f.falt}: ${f.meddelande}`),
  ];
  const fel = result.fel.filter((f) => !tveksam(f.kod));
  const status =
    result.rapport && fel.length === 0 && result.status === 'ofullstandig' ? 'komplett' : result.status;
  return {
    result: { ...result, fel, status },
    maskinlast: true,
    lagningar: rep.lagningar,
    kontrollera,
  };
}
