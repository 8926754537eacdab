/** A diarienummer: `SFG 21-6` names an ärende, `SFG 21-6.63` its 63rd handling. */
export interface ArendeNummer {
  serie: string;
  /** Full year, e.g. 2021 (written as two digits). */
  ar: number;
  nummer: number;
}

export interface HandlingNummer extends ArendeNummer {
  handling: number;
}

const twoDigits = (year: number): string => String(year % 100).padStart(2, '0');

export function formatArende(n: ArendeNummer): string {
  return `${n.serie} ${twoDigits(n.ar)}-${n.nummer}`;
}

export function formatHandling(n: HandlingNummer): string {
  return `${formatArende(n)}.${n.handling}`;
}

// Senders write the dash as -, – or —, with or without spaces, and sometimes without the space after the series.
const PATTERN = /\b([A-ZÅÄÖ]{2,6})\s*(\d{2})\s*[-–—]\s*(\d{1,5})(?:\s*\.\s*(\d{1,5}))?\b/u;

/** Finds the first diarienummer in free text (subject, body, document header). */
export function findDiarienummer(
  text: string,
  serie: string,
): (ArendeNummer & { handling: number | null }) | null {
  const re = new RegExp(PATTERN.source, 'gu');
  for (const m of text.matchAll(re)) {
    if (m[1]?.toUpperCase() !== serie.toUpperCase()) continue;
    const yy = Number(m[2]);
    return {
      serie,
      ar: 2000 + yy,
      nummer: Number(m[3]),
      handling: m[4] === undefined ? null : Number(m[4]),
    };
  }
  return null;
}

/** Parses a diarienummer given exactly (CLI argument, URL); null when it is not one. */
export function parseHandlingNummer(text: string): HandlingNummer | null {
  const m = /^\s*([A-ZÅÄÖ]{2,6})\s*(\d{2})\s*[-–—]\s*(\d{1,5})\s*\.\s*(\d{1,5})\s*$/u.exec(text);
  if (!m) return null;
  return { serie: m[1]!, ar: 2000 + Number(m[2]), nummer: Number(m[3]), handling: Number(m[4]) };
}
