import { ankomstdatum } from '../diarium/ankomstdatum.js';
import { HANDELSE } from '../diarium/audit.js';
import { DEFAULT_REGISTRERINGSFRIST_MS } from '../defaults.js';
import type {
  ArendeLog,
  DiariumReader,
  DocumentReader,
  HandlingRegistry,
  InsatsRegister,
  KvittensClaims,
  NotisClaims,
  NotisSlag,
  EventPublisher,
  MailSender,
  MailSlag,
  ArendeTarget,
  NewHandling,
  OutgoingMail,
  SkickadeMail,
  StoredObject,
} from '../diarium/ports.js';
import type { Avsandare, Handling, StoredFile } from '../diarium/types.js';
import type { ExtractedAttachment, ExtractionProblem, OpenedMail, ReportText } from '../extraction/types.js';
import type { ReportExtractor } from './ports.js';
import {
  findPersonnummer,
  maskPersonnummer,
  type Rapport,
  type SlutrapportResult,
} from '../slutrapport/index.js';
import { lasRapport, type LastRapport } from '../slutrapport/maskinlast.js';
import {
  kansliNotisMail,
  karantanMail,
  kvarhallenMail,
  kvittensMail,
  mottagningsbevisMail,
  redanMottagenMail,
} from '../mail/templates.js';
import { arRapport, klassa } from '../klassning/klassa.js';
import { innehallUrMail } from '../klassning/innehall.js';
import type { Klass, Klassning } from '../klassning/types.js';
import { emptyHeaderFacts } from '../extraction/types.js';
import {
  arendeFakta,
  hittaOriginal,
  kvittensMottagare,
  noteraErsatt,
  noteraKopia,
  noteraStuds,
  rapporteradHandling,
  svarPaVartMail,
} from './klassning-flode.js';
import { resolveArende } from './resolve-arende.js';
import { KvittensPendingError, NotisPendingError, ObjectNotFoundError } from '../diarium/errors.js';
import { sha256, sourceKeyFor } from './source-key.js';
import type { DocumentFiler, IncomingRemover, RecordRetention } from '../document-archive.js';
import type { Log } from '../log.js';
import { assessReceipt, receiptFlaggor, type Mottagningskontroll } from './receipt-assessment.js';

interface IncomingBase {
  bucket: string;
  /** Where the object is stored; opaque to the domain (read back, and kept as the handling's reference). */
  key: string;
  versionId: string | null;
  /** S3 event time: the arrival time of an upload, and the fallback for a mail without a receipt header. */
  eventTime: string;
}

/** What arrived, as the adapter that received it read it off the storage layout: a mail or an upload. */
export type IncomingObject =
  | (IncomingBase & { kalla: 'epost' })
  | (IncomingBase & { kalla: 'uppladdning'; /** The uploaded file's name. */ filnamn: string });

export interface IngestDeps {
  repo: HandlingRegistry &
    ArendeLog &
    KvittensClaims &
    NotisClaims &
    DiariumReader &
    InsatsRegister &
    SkickadeMail;
  store: DocumentReader & DocumentFiler & RecordRetention & IncomingRemover;
  mailer: MailSender;
  events: EventPublisher;
  extractor: ReportExtractor;
  config: {
    serie: string;
    kansliEmail: string;
    /** The system's own addresses (MAIL_FROM, MAIL_REPLY_TO): mail from them is never answered. */
    egnaAdresser?: readonly string[];
    /** How long registration waits for the documents to be read before registering without them. */
    registreringsfristMs?: number;
  };
  clock: () => Date;
  log: Log;
  /** Business metrics the alarms watch (QuarantinedMail). */
  metric?: (name: string, value: number) => void;
}

export interface IngestOutcome {
  handling: Handling;
  skapad: boolean;
  /**
   * `kvarhallen`: flagged as spam or failed DMARC, so the kansli was told instead of the sender being answered;
   * `ej-besvarad`: automatic mail or mail of minor importance, which is never answered (docs/klassning.md).
   */
  kvittens: 'skickad' | 'redan-skickad' | 'ingen-mottagare' | 'karantan' | 'kvarhallen' | 'ej-besvarad';
}

/** File names come from senders: keep letters (å/ä/ö too), digits, dot, dash; never a path. */
function safeName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'fil';
  const cleaned = base
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .replace(/^\.+/, '');
  return cleaned.slice(0, 120) || 'fil';
}

function validTime(iso: string | null): string | null {
  return iso && !Number.isNaN(Date.parse(iso)) ? iso : null;
}

/** What opening the object gave: everything registration needs, read without reading its documents. */
export interface Opened {
  kalla: 'epost' | 'uppladdning';
  sourceKey: string;
  mottagen: string;
  avsandare: Avsandare;
  amne: string | null;
  brodtext: string | null;
  attachments: ExtractedAttachment[];
  mail: OpenedMail | null;
  /** What the receiving server's verdicts mean for this object (an upload passed no mail server). */
  kontroll: Mottagningskontroll;
}

/** What reading the documents gave (a mail's problems from opening it included). */
export interface Content {
  report: ReportText | null;
  problems: ExtractionProblem[];
}

export type Reading = Opened &
  Content & {
    kontrollera?: string[];
    /**
     * Where the kvittens goes, when not where the arrival says (a mail's sender, the kansli for an upload): a
     * handling registered by hand is answered at the e-post the registrator entered, or not at all (null).
     */
    kvittensTill?: string | null;
  };

async function open(
  deps: IngestDeps,
  obj: IncomingObject,
  bytes: Uint8Array,
  sourceKey: string,
): Promise<Opened> {
  if (obj.kalla === 'epost') {
    const mail = await deps.extractor.openMail(bytes);
    return {
      kalla: 'epost',
      sourceKey,
      // Register first: a receipt header we cannot read must not keep the mail out of the diarium.
      mottagen: validTime(mail.receivedAt) ?? obj.eventTime,
      avsandare: {
        namn: mail.from?.name ?? null,
        epost: mail.from?.address ?? null,
        // The null sender (<>) is no address to write in the diarium.
        kuvertAvsandare: mail.envelopeFrom || null,
        organisation: null,
      },
      amne: mail.subject,
      brodtext: mail.bodyText,
      attachments: mail.attachments,
      mail,
      kontroll: assessReceipt(mail.verdicts),
    };
  }
  return {
    kalla: 'uppladdning',
    sourceKey,
    mottagen: obj.eventTime,
    avsandare: { namn: null, epost: null, kuvertAvsandare: null, organisation: null },
    amne: null,
    brodtext: null,
    attachments: [],
    mail: null,
    kontroll: assessReceipt(null),
  };
}

/** Reads the documents: the slow part (Word, PDF, OCR), which registration does not wait for beyond its window. */
async function readContent(
  deps: IngestDeps,
  obj: IncomingObject,
  bytes: Uint8Array,
  o: Opened,
): Promise<Content> {
  if (o.mail) {
    const opened = o.mail.problems;
    // A file SES found a virus in is never opened.
    if (o.kontroll.virus) return { report: null, problems: opened };
    const read = await deps.extractor.readMail(o.mail);
    return { report: read.report, problems: [...opened, ...read.problems] };
  }
  return readDocument(deps, bytes, obj.kalla === 'uppladdning' ? obj.filnamn : 'fil');
}

/** Reads one document (an upload, or the scan of a handling registered by hand) for the report. */
export async function readDocument(deps: IngestDeps, bytes: Uint8Array, filename: string): Promise<Content> {
  const doc = await deps.extractor.extractDocument(bytes, filename);
  return {
    report:
      doc.text && doc.format ? { source: 'bilaga', filename, format: doc.format, text: doc.text } : null,
    problems: doc.problems,
  };
}

type Settled<T> = { klar: true; value: T } | { klar: false };

/** Waits for `work` at most `ms`; the work goes on either way (its result is awaited again later). */
async function within<T>(work: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ klar: false }), ms);
  });
  try {
    return await Promise.race([work.then((value): Settled<T> => ({ klar: true, value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What the read report means for the handling: the fields registration or the completed reading writes. */
interface Judgement {
  bedomning: Handling['bedomning'];
  result: SlutrapportResult;
  beskrivning: string;
  flaggor: string[];
  granskning: Handling['granskning'];
  klassning: Klassning;
  sekretess: boolean;
  /** The handling in the ärende that already holds the same file: this one is a copy of it. */
  original: Handling | null;
  /** Fields of a scanned report the kansli should check ("maskinläst – kontrollera"). */
  kontrollera: string[];
}

/** The class of what arrived, and where it goes: see klassaInkommande. */
interface Klassad {
  klassning: Klassning;
  target: ArendeTarget;
  /** The ärende's handlingar (for copies and new versions); empty for a new ärende. */
  handlingar: Handling[];
}

function lasInnehall(r: Reading, dag: string): LastRapport {
  return lasRapport(r.kontroll.virus ? null : (r.report?.text ?? null), r.report?.format ?? null, {
    idag: dag,
  });
}

function judge(r: Reading, last: LastRapport, klass: Klassad): Judgement {
  const { virus } = r.kontroll;
  const suspicious = r.kontroll.spam || r.kontroll.dmarcFail;
  const result = last.result;
  const rapport = result.rapport;
  const k = klass.klassning.klass;
  // A report (or one held as spam, which the kansli may release) is judged; a question is nobody's bad report.
  const rapportKlass = arRapport(k) || (k === 'skrappost' && rapport !== null);
  const original = rapportKlass
    ? hittaOriginal(
        klass.handlingar,
        r.attachments.filter((a) => !a.inline).map((a) => a.sha256),
      )
    : null;
  const sekretess =
    result.personnummer.length > 0 || findPersonnummer(`${r.amne ?? ''}\n${r.brodtext ?? ''}`).length > 0;
  const bedomning: Handling['bedomning'] = virus ? 'karantan' : result.status;
  // Stored for the diarium's display; decisions are made on r.kontroll, never on these strings.
  const flaggor = [
    ...receiptFlaggor(r.kontroll),
    ...(sekretess ? ['personnummer', 'sekretessprovning'] : []),
    ...(last.maskinlast ? ['maskinlast'] : []),
    ...(original ? [`kopia-av:${original.diarienummer}`] : []),
    ...(r.mail?.forwardedBy ? ['vidarebefordrad'] : []),
    ...r.problems.map((p) => `problem:${p.kod}`),
  ];
  const text = rapport?.insatsnamn
    ? `Slutrapport – ${rapport.insatsnamn}${rapport.organisation ? ` – ${rapport.organisation}` : ''}`
    : unreadBeskrivning(r);
  return {
    bedomning,
    result: rapportKlass ? result : { ...result, fel: [], varningar: [] },
    beskrivning: sekretess ? maskPersonnummer(text) : text,
    flaggor,
    // A personnummer holds a report from the beredningsgrupp until the kansli's sekretessprövning releases it.
    granskning:
      virus || !rapportKlass || original
        ? 'ej-aktuell'
        : bedomning === 'komplett'
          ? suspicious || sekretess || k === 'skrappost'
            ? 'vantar-pa-kansliet'
            : 'pagar'
          : 'ej-aktuell',
    klassning: klass.klassning,
    sekretess,
    original,
    kontrollera: last.kontrollera,
  };
}

const ARENDEMENING: Partial<Record<Klass, string>> = {
  'allman-handling': 'Inkommen skrivelse',
  'svar-arende': 'Inkommen skrivelse',
  automatisk: 'Automatiskt meddelande',
  'ringa-betydelse': 'Utskick av ringa betydelse',
  skrappost: 'Kvarhållet meddelande',
};

/**
 * Classifies what arrived (docs/klassning.md) from its header facts, its content (when read) and what the
 * diarium knows of the ärende it was resolved to. A bounce or read receipt of our mail is filed in the ärende
 * of the mail it reports on; what is not a report gets an ärendemening of its kind, never its subject.
 */
async function klassaInkommande(
  deps: IngestDeps,
  o: Opened,
  content: Content | null,
  result: SlutrapportResult | null,
  target: ArendeTarget,
): Promise<Klassad> {
  const fakta = await arendeFakta(deps.repo, target.typ === 'befintligt' ? target.diarienummer : null);
  const mail = o.mail;
  const rapportFunnen = (content?.report ?? null) !== null && (result?.rapport ?? null) !== null;
  const innehall = mail
    ? {
        ...innehallUrMail(
          {
            attachments: mail.attachments,
            subject: mail.subject,
            bodyText: mail.bodyText,
            problems: content?.problems ?? mail.problems,
            report: content?.report ?? null,
          },
          { arendeReferens: fakta.referens, svarPaVartMail: await svarPaVartMail(deps.repo, mail) },
        ),
        rapportFunnen,
      }
    : {
        rapportFunnen,
        // A file the kansli put in the inbox is a report, read or not.
        rapportAviserad: true,
        antalBilagor: 1,
        arendeReferens: fakta.referens,
        svarPaVartMail: false,
      };
  const klassning = klassa({
    header: mail?.headers ?? emptyHeaderFacts(),
    from: mail?.from?.address ?? null,
    envelopeFrom: mail?.envelopeFrom ?? null,
    subject: mail?.subject ?? null,
    spam: o.kontroll.spam,
    innehall,
    egnaAdresser: deps.config.egnaAdresser ?? [],
  });
  if (mail && (klassning.automatik === 'studs' || klassning.automatik === 'laskvitto')) {
    const traff = await rapporteradHandling(deps.repo, mail);
    const h = traff ? await deps.repo.getHandling(traff.diarienummer) : null;
    if (h) return { klassning, target: { typ: 'befintligt', diarienummer: h.arende }, handlingar: [] };
  }
  const mening = ARENDEMENING[klassning.klass];
  const ny =
    target.typ === 'nytt' && mening && !arRapport(klassning.klass)
      ? { ...target, arendemening: mening }
      : target;
  return { klassning, target: ny, handlingar: fakta.handlingar };
}

/** What a registered (and read) handling sets in motion in its ärende: a copy noted, a replaced version noted. */
async function iArendet(deps: IngestDeps, handling: Handling, j: Judgement, klass: Klassad) {
  const nu = deps.clock().toISOString();
  if (j.original) await noteraKopia(deps.repo, j.original, handling, nu);
  if (j.klassning.klass !== 'ny-version' || handling.granskning === 'ej-aktuell') return;
  // The kansli is told in finish (kansliNotiser), from the flags, so a retry that does not read again tells it too.
  await noteraErsatt(deps.repo, klass.handlingar, handling, nu);
}

function unreadBeskrivning(o: Opened): string {
  return o.amne ? `E-post: ${o.amne.slice(0, 150)}` : 'Inkommen handling';
}

/** The handling's files: the object itself, then every attachment, with the one the report was read from marked. */
async function fileAll(
  deps: IngestDeps,
  obj: IncomingObject,
  raw: Uint8Array,
  o: Opened,
): Promise<StoredFile[]> {
  // Files are content-addressed, so storing them before the registration is idempotent under retries.
  const arkiv = o.kontroll.virus ? 'karantan' : 'handling';
  // The arrived object itself is filed as the handling's first file, so its inbox can be emptied afterwards.
  const filnamn = obj.kalla === 'epost' ? 'meddelande.eml' : safeName(obj.filnamn);
  const hash = sha256(raw);
  const filed = await deps.store.file(arkiv, {
    sha256: hash,
    filnamn,
    bytes: raw,
    contentType: obj.kalla === 'epost' ? 'message/rfc822' : 'application/octet-stream',
  });
  const filer: StoredFile[] = [
    {
      filnamn,
      sha256: hash,
      storlek: raw.byteLength,
      typ: obj.kalla === 'epost' ? 'message/rfc822' : 'okand',
      nyckel: filed,
      rapport: false,
    },
  ];
  for (const a of o.attachments) {
    const nyckel = await deps.store.file(arkiv, {
      sha256: a.sha256,
      filnamn: safeName(a.filename),
      bytes: a.content,
      contentType: a.contentType,
    });
    filer.push({
      filnamn: a.filename,
      sha256: a.sha256,
      storlek: a.size,
      typ: a.detectedType,
      nyckel,
      rapport: false,
    });
  }
  return filer;
}

/** Marks the file the report was read from (the upload itself, or one attachment of a mail). */
function markReport(filer: StoredFile[], r: Reading): StoredFile[] {
  return filer.map((f, i) => {
    if (i === 0) {
      return r.kalla === 'uppladdning'
        ? { ...f, rapport: true, typ: r.report?.format ?? 'okand' }
        : { ...f, rapport: false };
    }
    const rapport = r.report?.source === 'bilaga' && r.report.attachmentIndex === i - 1;
    // A scan read by OCR says so on its file: the review page and the diarium mark what a machine read.
    const ocr = rapport && (r.report?.format === 'pdf-ocr' || r.report?.format === 'bild-ocr');
    return { ...f, rapport, ...(ocr && r.report ? { typ: r.report.format } : {}) };
  });
}

/** Register first, judge second: every object that arrives becomes a handling, whatever its content. */
export async function processIncoming(deps: IngestDeps, obj: IncomingObject): Promise<IngestOutcome | null> {
  let stored: StoredObject;
  try {
    // The event's version: readable even after its ingest took the object out of the inbox (a delete marker).
    stored = await deps.store.get(obj.key, obj.versionId);
  } catch (err) {
    if (!(err instanceof ObjectNotFoundError)) throw err;
    // Only a finished ingest takes an object out of its inbox: this is a late duplicate of a done delivery.
    deps.log('info', 'Objektet är redan behandlat och borttaget ur inkorgen', { nyckel: obj.key });
    return null;
  }
  const outcome = await handleIncoming(deps, obj, stored);
  // Registered, answered, announced and filed under retention: the inbox keeps only what is left to do. A
  // handling registered before arrivals were filed still reads its file at the inbox key; that one stays.
  if (!outcome.handling.filer.some((f) => f.nyckel === obj.key)) await deps.store.removeIncoming(obj.key);
  return outcome;
}

async function handleIncoming(
  deps: IngestDeps,
  obj: IncomingObject,
  stored: StoredObject,
): Promise<IngestOutcome> {
  // Retention first, before anything that can fail: SES and uploads write without it (no default retention).
  await deps.store.retain({ key: obj.key, versionId: obj.versionId ?? stored.versionId });
  const raw = stored.bytes;
  const sourceKey = sourceKeyFor(obj.kalla, raw);

  // A duplicate delivery whose kvittens already went out needs no extraction at all.
  const previous = await deps.repo.findBySource(sourceKey);
  if (previous?.kvittens) {
    deps.log('info', 'Redan registrerad och kvitterad', { diarienummer: previous.diarienummer });
    await publish(deps, previous);
    return {
      handling: previous,
      skapad: false,
      kvittens: previous.bedomning === 'karantan' ? 'karantan' : 'redan-skickad',
    };
  }
  const o = await open(deps, obj, raw, sourceKey);
  if (previous) {
    const r: Reading = { ...o, ...(await readContent(deps, obj, raw, o)) };
    if (previous.bedomning === 'lases') {
      deps.log('info', 'Redan registrerad; läser handlingen färdigt', {
        diarienummer: previous.diarienummer,
      });
      return finish(deps, await completeReading(deps, previous, r), false, r);
    }
    deps.log('info', 'Redan registrerad; återupptar kvittens och händelse', {
      diarienummer: previous.diarienummer,
    });
    return finish(deps, previous, false, r);
  }

  const filer = await fileAll(deps, obj, raw, o);
  const dag = ankomstdatum(o.mottagen);
  const reading = readContent(deps, obj, raw, o);
  // The law asks for registration without delay: a slow scan is read after the handling is in the diarium.
  const early = await within(reading, deps.config.registreringsfristMs ?? DEFAULT_REGISTRERINGSFRIST_MS);
  if (!early.klar) {
    const { handling, skapad } = await register(deps, obj, o, filer, dag, null);
    deps.log('info', 'Handling registrerad; dokumenten läses färdigt efter registreringen', {
      diarienummer: handling.diarienummer,
      ankomstdatum: handling.ankomstdatum,
      skapad,
    });
    const r: Reading = { ...o, ...(await reading) };
    const last = handling.bedomning === 'lases' ? await completeReading(deps, handling, r) : handling;
    return finish(deps, last, skapad, r);
  }
  const r: Reading = { ...o, ...early.value };
  // Registered with its kvittens claimed: the first delivery sends at once, without a separate claim write.
  const claim = deps.clock().toISOString();
  const { handling, skapad, kontrollera } = await register(deps, obj, r, markReport(filer, r), dag, claim);
  r.kontrollera = kontrollera;
  return finish(deps, handling, skapad, r, skapad ? claim : null);
}

/**
 * Registers the handling: judged when its documents are read (`r` has content), or as `lases` with what the mail
 * itself says when reading outlasts the registration window.
 */
async function register(
  deps: IngestDeps,
  obj: IncomingObject,
  r: Opened | Reading,
  filer: StoredFile[],
  dag: string,
  kvittensClaim: string | null,
): Promise<{ handling: Handling; skapad: boolean; kontrollera: string[] }> {
  const read = 'problems' in r ? r : null;
  const last = read ? lasInnehall(read, dag) : null;
  const rapport = last?.result.rapport ?? null;
  const resolution = await arendeFor(deps, r, rapport, dag);
  const klass = await klassaInkommande(deps, r, read, last?.result ?? null, resolution.target);
  const j = read && last ? judge(read, last, klass) : null;
  const nh: NewHandling = {
    mottagen: new Date(r.mottagen).toISOString(),
    ankomstdatum: dag,
    ankomstAndrad: null,
    kalla: r.kalla,
    kallaReferens: `s3://${obj.bucket}/${obj.key}${obj.versionId ? `?versionId=${obj.versionId}` : ''}`,
    avsandare: { ...r.avsandare, organisation: rapport?.organisation ?? null },
    beskrivning: j?.beskrivning ?? maskPersonnummer(unreadBeskrivning(r)),
    bedomning: j?.bedomning ?? 'lases',
    fel: j?.result.fel ?? [],
    varningar: j?.result.varningar ?? [],
    filer,
    personnummer: (j?.result.personnummer ?? []).map((p) => ({ maskerat: p.maskerat, avsnitt: p.avsnitt })),
    sekretess: j?.sekretess ?? false,
    flaggor: j?.flaggor ?? [...receiptFlaggor(r.kontroll), 'lases'],
    klassning: klass.klassning,
    granskning: j?.granskning ?? 'ej-aktuell',
    makulerad: null,
    kvittens: null,
    // The parsed report is kept for the review page; the parser has already masked its personnummer.
    rapport: rapport ? { typ: 'slutrapport', slutrapport: rapport } : { typ: 'ovrig' },
  };
  const { handling, skapad } = await deps.repo.registerHandling(
    klass.target,
    nh,
    r.sourceKey,
    kvittensClaim ? { kvittensClaim } : {},
  );
  deps.log('info', 'Handling registrerad', {
    diarienummer: handling.diarienummer,
    ankomstdatum: handling.ankomstdatum,
    bedomning: handling.bedomning,
    grund: resolution.grund,
    klass: klass.klassning.klass,
    skapad,
  });
  if (read) warnIncomplete(deps, handling, read);
  if (j) await iArendet(deps, handling, j, klass);
  return { handling, skapad, kontrollera: j?.kontrollera ?? [] };
}

/** The ärende the mail and, once read, its report point to (subject, body, the report's diarienummer and insats). */
function arendeFor(deps: IngestDeps, r: Opened, rapport: Rapport | null, dag: string) {
  return resolveArende(deps.repo, {
    serie: deps.config.serie,
    ankomstdatum: dag,
    texter: [r.amne, rapport?.diarienummer ?? null, r.brodtext],
    insatsnamn: rapport?.insatsnamn ?? null,
    organisation: rapport?.organisation ?? null,
    avsandare: r.avsandare.epost,
  });
}

function warnIncomplete(deps: IngestDeps, handling: Handling, r: Reading): void {
  if (handling.bedomning !== 'komplett') {
    deps.log('warn', 'Rapporten är inte komplett', {
      diarienummer: handling.diarienummer,
      fel: handling.fel.map((f) => f.kod),
      problem: r.problems.map((p) => p.kod),
    });
  }
}

/** Thrown inside the update's guard when another invocation completed the reading first. */
class AlreadyReadSignal extends Error {
  override name = 'AlreadyReadSignal';
  constructor(readonly current: Handling) {
    super(`${current.diarienummer} är redan läst`);
  }
}

/**
 * A reading the kansli asked for, of a handling registered by hand: the registrator's avsändare, beskrivning and
 * class stand over what OCR guessed, the registration's flags stay but `taBortFlaggor` (the "läs in" flag), and
 * the log entry names `av`, the person who asked.
 */
export interface ManuellLasning {
  av: string;
  taBortFlaggor: readonly string[];
}

/** Writes what the reading found onto a handling registered as `lases`, with its own entry in the ärende's log. */
export async function completeReading(
  deps: IngestDeps,
  handling: Handling,
  r: Reading,
  manuell: ManuellLasning | null = null,
): Promise<Handling> {
  const last = lasInnehall(r, handling.ankomstdatum);
  const rapport = last.result.rapport;
  // The ärende was chosen from the mail alone; the report may name another one, which only the kansli can move to.
  const resolution = await arendeFor(deps, r, rapport, handling.ankomstdatum);
  // Classified again with the content: the class given at registration knew only the mail's headers and text.
  // A registrator's class was given with the paper in hand, and stands.
  const klassad = await klassaInkommande(deps, r, r, last.result, {
    typ: 'befintligt',
    diarienummer: handling.arende,
  });
  const klass = manuell && handling.klassning ? { ...klassad, klassning: handling.klassning } : klassad;
  const j = judge(r, last, {
    ...klass,
    handlingar: klass.handlingar.filter((h) => h.diarienummer !== handling.diarienummer),
  });
  const annatArende =
    resolution.target.typ === 'befintligt' && resolution.target.diarienummer !== handling.arende
      ? resolution.target.diarienummer
      : null;
  if (annatArende) {
    deps.log('warn', 'Rapporten hör troligen till ett annat ärende; kansliet får pröva', {
      diarienummer: handling.diarienummer,
      arende: handling.arende,
      troligtArende: annatArende,
    });
  }
  try {
    const updated = await deps.repo.updateHandling(
      handling.diarienummer,
      {
        bedomning: j.bedomning,
        beskrivning: manuell ? handling.beskrivning : j.beskrivning,
        fel: j.result.fel,
        varningar: j.result.varningar,
        filer: markReport(handling.filer, r),
        personnummer: j.result.personnummer.map((p) => ({ maskerat: p.maskerat, avsnitt: p.avsnitt })),
        sekretess: handling.sekretess || j.sekretess,
        klassning: j.klassning,
        flaggor: [
          ...new Set([
            ...(manuell ? handling.flaggor.filter((f) => !manuell.taBortFlaggor.includes(f)) : []),
            ...j.flaggor,
            ...(annatArende ? [`annat-arende:${annatArende}`] : []),
          ]),
        ],
        granskning: j.granskning,
        avsandare: manuell
          ? handling.avsandare
          : { ...handling.avsandare, organisation: rapport?.organisation ?? null },
        rapport: rapport ? { typ: 'slutrapport', slutrapport: rapport } : { typ: 'ovrig' },
      },
      {
        handelse: HANDELSE.handlingLast,
        av: manuell?.av ?? 'system',
        data: { handling: handling.diarienummer, bedomning: j.bedomning, granskning: j.granskning },
      },
      (current) => {
        if (current.bedomning !== 'lases') throw new AlreadyReadSignal(current);
      },
    );
    deps.log('info', 'Handlingen är läst', {
      diarienummer: updated.diarienummer,
      bedomning: updated.bedomning,
    });
    warnIncomplete(deps, updated, r);
    await iArendet(deps, updated, j, klass);
    r.kontrollera = j.kontrollera;
    return updated;
  } catch (err) {
    if (err instanceof AlreadyReadSignal) return err.current;
    throw err;
  }
}

export async function finish(
  deps: IngestDeps,
  handling: Handling,
  skapad: boolean,
  r: Reading,
  /** The kvittens claim this invocation already holds (taken at registration), if any. */
  claimed: string | null = null,
): Promise<IngestOutcome> {
  let kvittens: IngestOutcome['kvittens'];
  // Decided on the stored class, so a retry of a registered handling takes the same path.
  const k: Klass = handling.klassning?.klass ?? 'slutrapport';
  if (handling.bedomning === 'karantan') {
    if (skapad) deps.metric?.('QuarantinedMail', 1);
    // The kansli's alert takes the kvittens's place (and its once-only claim); the sender is never answered.
    const alert = karantanMail({
      till: deps.config.kansliEmail,
      handling,
      avsandare: handling.avsandare.epost ?? 'okänd avsändare',
    });
    await sendOnce(deps, handling, alert, claimed, 'kansli-avisering');
    kvittens = 'karantan';
  } else if (k === 'automatisk' || k === 'ringa-betydelse') {
    // Nothing automatic is ever answered (mail loops, backscatter). A bounce of ours is noted where it belongs.
    if (handling.klassning?.automatik === 'studs' && r.mail) {
      const studs = await noteraStuds(deps, r.mail, handling);
      deps.log('info', 'Studs av vårt mejl', { diarienummer: handling.diarienummer, utfall: studs });
    }
    kvittens = 'ej-besvarad';
  } else if (r.kontroll.spam || k === 'skrappost' || r.kontroll.dmarcFail) {
    // No automatic answer to mail that failed the spam verdict or DMARC (backscatter, a forged From:):
    // the kansli is told why and how to release it.
    const notice = kvarhallenMail({
      till: deps.config.kansliEmail,
      handling,
      avsandare: handling.avsandare.epost ?? handling.avsandare.kuvertAvsandare ?? 'okänd avsändare',
      dmarc: r.kontroll.dmarcFail && !r.kontroll.spam,
      orsak:
        r.kontroll.dmarcFail && !r.kontroll.spam
          ? 'avsändaradressen klarade inte DMARC-kontrollen, så mejlet kan vara förfalskat och avsändaren har inte fått någon kvittens.'
          : 'mottagningskontrollen bedömde mejlet som skräppost, och avsändaradressen kan vara förfalskad.',
    });
    await sendOnce(deps, handling, notice, claimed, 'kansli-avisering');
    kvittens = 'kvarhallen';
  } else {
    const egna = [...(deps.config.egnaAdresser ?? []), deps.config.kansliEmail];
    const to =
      r.kvittensTill !== undefined
        ? r.kvittensTill
        : r.kalla === 'epost'
          ? r.mail
            ? kvittensMottagare(r.mail, egna)
            : (handling.avsandare.epost ?? handling.avsandare.kuvertAvsandare)
          : deps.config.kansliEmail;
    const kopiaAv = handling.flaggor.find((f) => f.startsWith('kopia-av:'))?.slice('kopia-av:'.length);
    const original = kopiaAv ? await deps.repo.getHandling(kopiaAv) : null;
    const mail = !to
      ? null
      : !arRapport(k)
        ? mottagningsbevisMail(handling, to)
        : original
          ? redanMottagenMail(handling, original, to)
          : kvittensMail(handling, to, { problem: r.problems.map((p) => p.meddelande) });
    // The kansli's notices go first, each claimed once: a duplicate delivery whose kvittens went out is not read
    // again, so a notice still missing then would be lost. One that fails releases the kvittens claim this
    // invocation holds, so the retry sends both without waiting for the claim to age.
    try {
      await kansliNotiser(deps, handling, r);
    } catch (err) {
      if (claimed) await deps.repo.releaseKvittens(handling.diarienummer);
      throw err;
    }
    kvittens = mail ? await sendOnce(deps, handling, mail, claimed, 'kvittens') : 'ingen-mottagare';
  }
  await publish(deps, handling);
  return { handling, skapad, kvittens };
}

/** What the kansli must know about a handling that is answered: each notice sent once, before the receipt. */
async function kansliNotiser(deps: IngestDeps, handling: Handling, r: Reading): Promise<void> {
  const k = handling.klassning?.klass ?? 'slutrapport';
  if (k === 'ny-version' && handling.granskning !== 'ej-aktuell') {
    const flagga = `ersatt-av:${handling.diarienummer}`;
    const detaljer = await deps.repo.getArendeDetaljer(handling.arende);
    const ersatta = (detaljer?.handlingar ?? []).filter((h) => h.flaggor.includes(flagga));
    if (ersatta.length > 0) {
      await notisTillKansli(deps, handling, 'ny-version', {
        rubrik: 'Ny version ersätter rapport under granskning',
        text: [
          `En ny version av slutrapporten har kommit in och ersätter ${ersatta.map((e) => e.diarienummer).join(', ')}.`,
        ],
        atgard:
          'Den nya versionen granskas. Granskningen av den tidigare versionen avslutas när den nya startar, och ledamöterna får veta att rapporten ersatts.',
      });
    }
  }
  if (!arRapport(k)) {
    await notisTillKansli(deps, handling, 'allman-handling', {
      rubrik: 'Ny allmän handling',
      text: [
        `Ett mejl från ${handling.avsandare.epost ?? 'okänd avsändare'} har diarieförts som ${handling.diarienummer}. Det är ingen slutrapport, så ingen granskning startar; avsändaren har fått ett mottagningsbevis.`,
      ],
      atgard: `Läs handlingen (npm run diarium -- visa ${handling.diarienummer}) och besvara den vid behov. Är klassen fel: npm run diarium -- klass ${handling.diarienummer} --till <klass> --skal "…" --av "…".`,
    });
  }
  if (handling.sekretess) {
    await notisTillKansli(deps, handling, 'sekretess', {
      rubrik: 'Sekretessprövning',
      text: [
        `Handlingen ${handling.diarienummer} innehåller personnummer (i ämne, text eller dokument). Den är markerad för sekretessprövning och visas maskerad i postlistan.`,
        ...(arRapport(k) && handling.bedomning === 'komplett'
          ? ['Den skickas inte till beredningsgruppen förrän kansliet har prövat den.']
          : []),
      ],
      atgard: arRapport(k)
        ? `Pröva sekretessen. Släpp sedan rapporten till granskning med npm run diarium -- frige ${handling.diarienummer} --av "ditt namn".`
        : 'Pröva sekretessen innan handlingen lämnas ut.',
    });
  }
  if ((r.kontrollera ?? []).length > 0) {
    await notisTillKansli(deps, handling, 'maskinlast', {
      rubrik: 'Maskinläst – kontrollera',
      text: [
        `Rapporten ${handling.diarienummer} lästes från en skanning. Följande uppgifter lästes med osäkerhet; insatsägaren har inte ombetts rätta dem.`,
      ],
      lista: r.kontrollera ?? [],
      atgard: 'Jämför uppgifterna med den skannade filen.',
    });
  }
}

/**
 * A notice to the kansli, once per kind across retries: claimed before sending and marked after, as the kvittens
 * is. When SES refuses, the claim is released and the error thrown, so the retried ingest sends this notice (and
 * only the notices still missing); the registration and the kvittens stand.
 */
async function notisTillKansli(
  deps: IngestDeps,
  handling: Handling,
  slag: NotisSlag,
  n: { rubrik: string; text: string[]; lista?: string[]; atgard: string },
): Promise<void> {
  const dnr = handling.diarienummer;
  const nu = deps.clock().toISOString();
  const claim = await deps.repo.claimNotis(dnr, slag, nu);
  if (claim === 'skickad') return;
  if (claim === 'upptagen') {
    throw new NotisPendingError(`Aviseringen (${slag}) för ${dnr} skickas redan; försöker igen senare`);
  }
  try {
    await deps.mailer.send(kansliNotisMail({ till: deps.config.kansliEmail, handling, ...n }));
  } catch (err) {
    await deps.repo.releaseNotis(dnr, slag);
    deps.log('warn', 'Aviseringen till kansliet kunde inte skickas; försöker igen', {
      diarienummer: dnr,
      rubrik: n.rubrik,
      fel: err instanceof Error ? err.message : String(err),
    });
    throw err;
  }
  await deps.repo.markNotis(dnr, slag, nu);
}

/** Republishing is harmless: the granskning's execution name makes a second start a no-op. */
function publish(deps: IngestDeps, handling: Handling): Promise<void> {
  return deps.events.handlingDiarieford({
    diarienummer: handling.diarienummer,
    arende: handling.arende,
    bedomning: handling.bedomning,
    granskning: handling.granskning,
    ankomstdatum: handling.ankomstdatum,
  });
}

/** Sends the handling's receipt (or the kansli's quarantine alert) exactly once across retries and duplicates. */
async function sendOnce(
  deps: IngestDeps,
  handling: Handling,
  mail: OutgoingMail,
  claimed: string | null,
  slag: MailSlag,
): Promise<'skickad' | 'redan-skickad'> {
  if (handling.kvittens) return 'redan-skickad';
  const nu = claimed ?? deps.clock().toISOString();
  if (!claimed && !(await deps.repo.claimKvittens(handling.diarienummer, nu))) {
    const current = await deps.repo.getHandling(handling.diarienummer);
    if (current?.kvittens) return 'redan-skickad';
    // Claimed by an invocation still sending, or one that died: completing now could lose the kvittens.
    throw new KvittensPendingError(
      `Kvittensen för ${handling.diarienummer} skickas redan; försöker igen senare`,
    );
  }
  try {
    const sent = await deps.mailer.send(mail);
    // The message id's lookup goes with the mark, so a bounce of this mail finds its handling.
    await deps.repo.markKvittens(
      handling.diarienummer,
      { skickad: nu, meddelandeId: sent.messageId },
      { slag, mottagare: mail.to },
    );
    return 'skickad';
  } catch (err) {
    // Let the retry send it: the claim is released, the handling stays registered.
    await deps.repo.releaseKvittens(handling.diarienummer);
    throw err;
  }
}
