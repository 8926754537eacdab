import type { ExtractedMail } from '../extraction/types.js';
import { namnerSlutrapport } from './klassa.js';
import type { InnehallFacts } from './types.js';

/** Attachment types that are documents someone sent, as opposed to logos, calendar parts or returned mail. */
const DOKUMENT = new Set([
  'pdf',
  'docx',
  'doc',
  'odt',
  'text',
  'png',
  'jpeg',
  'tiff',
  'zip',
  'tnef',
  'okand',
  'rtf',
]);

/** The content facts a mail gives by itself; the ingest adds what the diarium knows (the ärende). */
export function innehallUrMail(
  mail: Pick<ExtractedMail, 'attachments' | 'subject' | 'bodyText' | 'problems' | 'report'>,
  diarium: Pick<InnehallFacts, 'arendeReferens' | 'svarPaVartMail'>,
): InnehallFacts {
  const bilagor = mail.attachments.filter((a) => !a.inline && DOKUMENT.has(a.detectedType));
  const text = `${mail.subject ?? ''}\n${mail.bodyText}`;
  const filProblem = mail.problems.some((p) => p.fil !== undefined || p.kod === 'BILAGA_SAKNAS');
  return {
    rapportFunnen: mail.report !== null,
    rapportAviserad:
      namnerSlutrapport(text) ||
      bilagor.some((a) => namnerSlutrapport(a.filename)) ||
      (filProblem && bilagor.length > 0),
    antalBilagor: bilagor.length,
    ...diarium,
  };
}
