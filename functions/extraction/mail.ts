import { createHash } from 'node:crypto';
import PostalMime from 'postal-mime';
import type { Address, Attachment, Email } from 'postal-mime';
import type {
  ExtractedAttachment,
  ExtractedMail,
  ExtractionProblem,
  MailContent,
  OpenedMail,
  MailAddress,
  ReportText,
  DocumentFormat,
} from '../../domain/extraction/types.js';
import { Deadline } from './deadline.js';
import { detectType, IMAGE_TYPES } from './detect-type.js';
import { extractDocument } from './document.js';
import { htmlToText } from './html-to-text.js';
import { resolveLimits, type ExtractionLimits } from './limits.js';
import { notReadInTime, problem } from './problems.js';
import { parseSesReceipt } from './ses-receipt.js';
import { tidyText } from './text-decode.js';
import { unpackTnef } from './tnef.js';
import { readHeaderFacts, rawEightBitSubject } from './header-facts.js';
import { utanBidi } from '../../domain/mail/bidi.js';

export interface ExtractMailOptions {
  /** Chooses the slutrapport among the texts read (attachments first, then the body); -1 for none. */
  pickReport: (candidates: { text: string }[]) => number;
  limits?: Partial<ExtractionLimits>;
  ocr?: boolean;
}

/** Inline images at most this large are treated as logos/signature images, never as the report. */
const INLINE_IMAGE_MAX_BYTES = 256 * 1024;
const MAX_SUBJECT_CHARS = 998;

function firstMailbox(a: Address | undefined): MailAddress | null {
  if (!a) return null;
  const box = a.group ? a.group[0] : a;
  if (!box?.address) return null;
  const m: MailAddress = { address: box.address.slice(0, 320) };
  if (box.name) m.name = utanBidi(box.name).slice(0, 200);
  return m;
}

function mailboxes(list: Address[] | undefined): MailAddress[] {
  const out: MailAddress[] = [];
  for (const a of list ?? []) {
    for (const box of a.group ?? [a]) {
      if (!box.address) continue;
      const m: MailAddress = { address: box.address.slice(0, 320) };
      if (box.name) m.name = box.name.slice(0, 200);
      out.push(m);
    }
  }
  return out.slice(0, 100);
}

function isoDate(d: string | undefined): string | null {
  if (!d) return null;
  const ms = Date.parse(d);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function bodyOf(email: Email): string {
  if (email.text?.trim()) return tidyText(email.text);
  if (email.html) return tidyText(htmlToText(email.html));
  return '';
}

function bytesOf(content: Attachment['content']): Uint8Array {
  if (typeof content === 'string') return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

/** Counts MIME part headers without parsing, so a message with thousands of parts is refused cheaply. */
export function countMimeParts(raw: Uint8Array): number {
  const s = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1');
  return (s.match(/^content-type[ \t]*:/gim) ?? []).length;
}

const FORWARD_MARKER =
  /^[ \t>]*-{2,}[ \t]*(?:Forwarded message|Vidarebefordrat meddelande|Ursprungligt meddelande|Original Message|Vidarebefordrat brev)[ \t]*-{2,}[ \t]*$/im;
const FORWARD_FROM = /^[ \t>]*\*?(?:From|Från):\*?[ \t]*(.+)$/im;
const OUTLOOK_BLOCK = /^[ \t>]*\*?(?:From|Från):\*?[ \t]*(.+)\r?\n[ \t>]*\*?(?:Sent|Skickat|Date|Datum):/im;

/** Parses "Namn <adress>", "Namn [mailto:adress]" or a bare address. */
export function parseAddressText(value: string): MailAddress | null {
  const m = /^(.*?)\s*[<[](?:mailto:)?([^\s<>[\]]+@[^\s<>[\]]+)[>\]]/i.exec(value.trim());
  if (m) {
    const name = m[1]!.replace(/^["']|["']$/g, '').trim();
    return name ? { address: m[2]!, name } : { address: m[2]! };
  }
  const bare = /([^\s<>"]+@[^\s<>"]+\.[a-z]{2,})/i.exec(value);
  return bare ? { address: bare[1]! } : null;
}

/** The original sender of a forward written into the body (no message/rfc822 part). */
export function inlineForwardSender(body: string): MailAddress | null {
  const marker = FORWARD_MARKER.exec(body);
  if (marker) {
    const from = FORWARD_FROM.exec(body.slice(marker.index));
    if (from) return parseAddressText(from[1]!);
  }
  const outlook = OUTLOOK_BLOCK.exec(body);
  return outlook ? parseAddressText(outlook[1]!) : null;
}

/** "Bifogar slutrapporten", "se bilaga", "attached": the mail says a file comes with it. */
const ANNOUNCED = /\b(?:bifogar|bifogad[et]?|bifogas|bilagan?|bilagor|se bifogat|attached|attachment)\b/i;

export function announcesAttachment(text: string): boolean {
  return ANNOUNCED.test(text);
}

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

function toAttachment(a: Attachment, index: number): ExtractedAttachment {
  const content = bytesOf(a.content);
  const isMessage = a.mimeType === 'message/rfc822';
  const detectedType = isMessage ? 'epost' : detectType(content);
  const inline =
    IMAGE_TYPES.has(detectedType) || detectedType === 'gif'
      ? (a.related === true || a.disposition === 'inline') && content.length <= INLINE_IMAGE_MAX_BYTES
      : false;
  const filename =
    utanBidi(a.filename ?? '').trim() ||
    (isMessage ? `vidarebefordrat-${index + 1}.eml` : `bilaga-${index + 1}`);
  return {
    filename: filename.slice(0, 255),
    detectedType,
    contentType: a.mimeType,
    size: content.length,
    sha256: sha256(content),
    content,
    inline,
  };
}

/**
 * Outlook's winmail.dat: the files in it join the attachments (read and stored like any other), and the
 * container stays as received. Returns the winmail.dat attachments read to their end, which need no reading of
 * their own; one that broke off is also read as itself, so its problem is reported if no report is found.
 */
function unpackWinmail(attachments: ExtractedAttachment[]): Set<number> {
  const unpacked = new Set<number>();
  const received = attachments.length;
  for (let i = 0; i < received; i++) {
    const container = attachments[i]!;
    if (container.detectedType !== 'tnef') continue;
    const { files, complete } = unpackTnef(container.content);
    if (files.length === 0) continue;
    if (complete) unpacked.add(i);
    for (const f of files) {
      attachments.push({
        filename: utanBidi(f.filename),
        detectedType: detectType(f.content),
        contentType: 'application/octet-stream',
        size: f.content.length,
        sha256: sha256(f.content),
        content: f.content,
        inline: false,
      });
    }
  }
  return unpacked;
}

async function parseMime(raw: Uint8Array, limits: ExtractionLimits): Promise<Email> {
  return PostalMime.parse(raw, {
    forceRfc822Attachments: true,
    attachmentEncoding: 'arraybuffer',
    maxHeadersSize: limits.maxHeaderBytes,
    maxNestingDepth: 50,
  });
}

/** Only the header block, for messages whose body we refuse to parse. */
async function parseHeadersOnly(raw: Uint8Array, limits: ExtractionLimits): Promise<Email | null> {
  const s = Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.byteLength, limits.maxHeaderBytes));
  const end = s.indexOf('\r\n\r\n') >= 0 ? s.indexOf('\r\n\r\n') : s.indexOf('\n\n');
  const head = end >= 0 ? s.subarray(0, end) : s;
  try {
    return await PostalMime.parse(Buffer.concat([head, Buffer.from('\r\n\r\n')]), {
      maxHeadersSize: limits.maxHeaderBytes,
    });
  } catch {
    return null;
  }
}

function describeHeaders(mail: OpenedMail, email: Email, eightBitSubject: string | null): void {
  mail.messageId = email.messageId?.slice(0, 998) ?? null;
  const subject = eightBitSubject ?? email.subject;
  mail.subject = subject ? utanBidi(subject).slice(0, MAX_SUBJECT_CHARS) : null;
  mail.from = firstMailbox(email.from);
  mail.to = mailboxes(email.to);
  mail.date = isoDate(email.date);
}

interface Candidate {
  text: string;
  report: Omit<ReportText, 'text'>;
}

/**
 * Opens a raw message (as SES stores it): headers, receipt verdicts, bodies and attachments, without reading
 * any document. Bounded by the message's size, not by its attachments' content, so a mail can be registered
 * before its scans are read. Never throws: limits and unreadable input become problems.
 */
export async function openMail(
  raw: Uint8Array,
  opts: Omit<ExtractMailOptions, 'pickReport'> = {},
): Promise<OpenedMail> {
  const limits = resolveLimits(opts.limits);
  const receipt = parseSesReceipt(raw);
  const mail: OpenedMail = {
    messageId: null,
    subject: null,
    from: null,
    envelopeFrom: receipt.envelopeFrom,
    to: [],
    date: null,
    receivedAt: receipt.receivedAt,
    verdicts: receipt.verdicts,
    forwardedBy: null,
    headers: readHeaderFacts(raw, limits.maxHeaderBytes),
    bodyText: '',
    attachments: [],
    problems: [],
    lasbaraBilagor: [],
    brodtexter: [],
    stoppad: false,
  };
  const eightBitSubject = rawEightBitSubject(raw, limits.maxHeaderBytes);
  const refuse = async (p: ExtractionProblem): Promise<OpenedMail> => {
    const headers = await parseHeadersOnly(raw, limits);
    if (headers) describeHeaders(mail, headers, eightBitSubject);
    mail.problems.push(p);
    mail.stoppad = true;
    return mail;
  };

  if (raw.length > limits.maxRawBytes) {
    return refuse(problem('FOR_STOR', undefined, `${(raw.length / 1048576).toFixed(1)} MB`));
  }
  const parts = countMimeParts(raw);
  if (parts > limits.maxMimeParts) {
    return refuse(problem('FOR_MANGA_DELAR', undefined, `${parts} delar, högst ${limits.maxMimeParts}`));
  }
  let email: Email;
  try {
    email = await parseMime(raw, limits);
  } catch (err) {
    const tooLarge = err instanceof Error && /header/i.test(err.message);
    return refuse(tooLarge ? problem('FOR_STORT_HUVUD') : problem('TRASIG_EPOST'));
  }
  describeHeaders(mail, email, eightBitSubject);
  const outerBody = bodyOf(email);
  mail.bodyText = outerBody;
  const attachments = email.attachments.map(toAttachment);

  // A forwarded message (the kansli forwarding from its functional mailbox): the inner message's
  // sender, date, body and attachments are the handling's; the forwarder is recorded.
  // A bounce or read receipt returns our own message: that is no forward, and its From: is not the sender.
  const forwardedIndex = mail.headers.reportType
    ? -1
    : attachments.findIndex((a) => a.detectedType === 'epost');
  const forwarded = forwardedIndex >= 0 ? attachments[forwardedIndex] : undefined;
  let innerBody = '';
  if (forwarded) {
    try {
      const inner = await parseMime(forwarded.content, limits);
      mail.forwardedBy = mail.from;
      mail.from = firstMailbox(inner.from) ?? mail.from;
      mail.date = isoDate(inner.date) ?? mail.date;
      if (inner.subject) mail.subject = utanBidi(inner.subject).slice(0, MAX_SUBJECT_CHARS);
      innerBody = bodyOf(inner);
      mail.bodyText = innerBody;
      attachments.push(...inner.attachments.map((a, i) => toAttachment(a, attachments.length + i)));
    } catch {
      // An unreadable forwarded part stays stored as an attachment; nothing more to take from it.
    }
  } else {
    const original = inlineForwardSender(outerBody);
    if (original && original.address.toLowerCase() !== mail.from?.address.toLowerCase()) {
      mail.forwardedBy = mail.from;
      mail.from = original;
    }
  }
  const unpacked = unpackWinmail(attachments);
  mail.attachments = attachments;
  mail.brodtexter = [...new Set([innerBody, outerBody])].filter((b) => b.trim() !== '');

  const readable = attachments
    .map((a, index) => ({ a, index }))
    .filter(({ a, index }) => !a.inline && a.detectedType !== 'epost' && !unpacked.has(index))
    .map(({ index }) => index);
  if (readable.length > limits.maxAttachments) {
    mail.problems.push(
      problem('FOR_MANGA_BILAGOR', undefined, `${readable.length} st, högst ${limits.maxAttachments}`),
    );
  } else {
    mail.lasbaraBilagor = readable;
  }
  return mail;
}

/**
 * Reads an opened mail's documents (Word, PDF, OCR) and picks the slutrapport among them and the bodies, within
 * the mail's time budget. Returns only what reading added: the report and the problems met on the way.
 */
export async function readMail(mail: OpenedMail, opts: ExtractMailOptions): Promise<MailContent> {
  const limits = resolveLimits(opts.limits);
  if (mail.stoppad) return { report: null, problems: [] };
  // One budget for the whole mail, so its worst case is one budget however many attachments it has.
  const deadline = new Deadline(limits.mailTimeBudgetMs);
  const fileProblems: ExtractionProblem[] = [];
  const candidates: Candidate[] = [];
  const unread: string[] = [];
  for (const index of mail.lasbaraBilagor) {
    const a = mail.attachments[index];
    if (!a) continue;
    if (deadline.expired()) {
      unread.push(a.filename);
      continue;
    }
    const docOpts: Parameters<typeof extractDocument>[2] = { limits, deadline };
    if (opts.ocr !== undefined) docOpts.ocr = opts.ocr;
    const doc = await extractDocument(a.content, a.filename, docOpts);
    if (deadline.expired() && doc.problems.some((p) => p.kod === 'TIDSGRANS')) {
      // Cut off by the mail's budget (not its own): told together with the attachments never reached.
      unread.push(a.filename);
      continue;
    }
    fileProblems.push(...doc.problems);
    if (doc.text && doc.format) {
      candidates.push({
        text: doc.text,
        report: { source: 'bilaga', attachmentIndex: index, filename: a.filename, format: doc.format },
      });
    }
  }
  const bodyFormat: DocumentFormat = 'epost';
  for (const body of mail.brodtexter) {
    candidates.push({ text: body, report: { source: 'brodtext', format: bodyFormat } });
  }

  let picked = -1;
  if (candidates.length > 0) {
    try {
      picked = opts.pickReport(candidates.map((c) => ({ text: c.text })));
    } catch {
      picked = -1;
    }
  }
  const chosen = Number.isInteger(picked) ? candidates[picked] : undefined;
  // Said whether or not a report was found elsewhere: the sender must know which files were never read.
  const timedOut = unread.length > 0 ? [notReadInTime(unread)] : [];
  if (chosen) return { report: { ...chosen.report, text: chosen.text }, problems: timedOut };
  const tooMany = mail.problems.some((p) => p.kod === 'FOR_MANGA_BILAGOR');
  if (
    mail.lasbaraBilagor.length === 0 &&
    !tooMany &&
    announcesAttachment(`${mail.subject ?? ''}\n${mail.bodyText}`)
  ) {
    // One cause, one message: the announced file is missing, nothing else is wrong yet.
    return { report: null, problems: [problem('BILAGA_SAKNAS'), ...timedOut] };
  }
  if (fileProblems.length > 0 || timedOut.length > 0 || tooMany) {
    // An unreadable file (or too many to read) is its own cause; "no report found" would contradict it.
    return { report: null, problems: [...fileProblems, ...timedOut] };
  }
  const detail =
    mail.lasbaraBilagor.length === 0 ? 'ingen bilaga och ingen rapporttext i meddelandet' : undefined;
  return { report: null, problems: [problem('INGEN_RAPPORT', undefined, detail)] };
}

/** Opens and reads a raw message in one go (the parse CLI and the bench; ingest registers in between). */
export async function extractMail(raw: Uint8Array, opts: ExtractMailOptions): Promise<ExtractedMail> {
  const opened = await openMail(raw, opts);
  const content = await readMail(opened, opts);
  const mail: ExtractedMail = {
    messageId: opened.messageId,
    subject: opened.subject,
    from: opened.from,
    envelopeFrom: opened.envelopeFrom,
    to: opened.to,
    date: opened.date,
    receivedAt: opened.receivedAt,
    verdicts: opened.verdicts,
    forwardedBy: opened.forwardedBy,
    headers: opened.headers,
    bodyText: opened.bodyText,
    attachments: opened.attachments,
    report: content.report,
    problems: [...opened.problems, ...content.problems],
  };
  return mail;
}
