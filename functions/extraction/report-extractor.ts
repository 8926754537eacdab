import type { ReportExtractor } from '../../domain/ingest/ports.js';
import { looksLikeSlutrapport } from '../../domain/slutrapport/index.js';
import { extractDocument, extractMail, openMail, readMail } from './index.js';

/** Picks the candidate that looks most like the template; -1 when none looks like a report at all. */
export function pickReport(candidates: { text: string }[]): number {
  let best = -1;
  let bestScore = 0.15;
  candidates.forEach((c, i) => {
    const s = looksLikeSlutrapport(c.text);
    if (s > bestScore) {
      best = i;
      bestScore = s;
    }
  });
  return best;
}

export const reportExtractor: ReportExtractor = {
  openMail: (raw) => openMail(raw),
  readMail: (mail) => readMail(mail, { pickReport }),
  extractMail: (raw) => extractMail(raw, { pickReport }),
  extractDocument: (bytes, filename) => extractDocument(bytes, filename),
};
