import { ankomstdatum } from '../diarium/ankomstdatum.js';
import type {
  DiariumReader,
  DocumentReader,
  HandlingRegistry,
  InsatsRegister,
  KvittensClaims,
  EventPublisher,
  MailSender,
  MailSlag,
  NewHandling,
  OutgoingMail,
} from '../diarium/ports.js';
import type { Avsandare, Handling, StoredFile } from '../diarium/types.js';
import type {
  ExtractedAttachment,
  ExtractedMail,
  ExtractionProblem,
  ReportText,
} from '../extraction/types.js';
import type { ReportExtractor } from './ports.js';
import { readSlutrapport, maskPersonnummer, type SlutrapportResult } from '../slutrapport/index.js';
import { karantanMail, kvarhallenMail, kvittensMail } from '../mail/templates.js';
import { resolveArende } from './resolve-arende.js';
import { KvittensPendingError } from '../diarium/errors.js';
import { sha256, sourceKeyFor } from './source-key.js';
import type { DocumentFiler, RecordRetention } from '../document-archive.js';
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
  repo: HandlingRegistry & KvittensClaims & DiariumReader & InsatsRegister;
  store: DocumentReader & DocumentFiler & RecordRetention;
  mailer: MailSender;
  events: EventPublisher;
  extractor: ReportExtractor;
  config: { serie: string; kansliEmail: string };
  clock: () => Date;
  log: Log;
  /** Business metrics the alarms watch (QuarantinedMail). */
  metric?: (name: string, value: number) => void;
}

export interface IngestOutcome {
  handling: Handling;
  skapad: boolean;
  /** `kvarhallen`: flagged as spam, so the kansli was told instead of the sender being answered. */
  kvittens: 'skickad' | 'redan-skickad' | 'ingen-mottagare' | 'karantan' | 'kvarhallen';
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

interface Reading {
  kalla: 'epost' | 'uppladdning';
  sourceKey: string;
  mottagen: string;
  avsandare: Avsandare;
  amne: string | null;
  brodtext: string | null;
  attachments: ExtractedAttachment[];
  report: ReportText | null;
  problems: ExtractionProblem[];
  mail: ExtractedMail | null;
  /** What the receiving server's verdicts mean for this object (an upload passed no mail server). */
  kontroll: Mottagningskontroll;
}

async function read(
  deps: IngestDeps,
  obj: IncomingObject,
  bytes: Uint8Array,
  sourceKey: string,
): Promise<Reading> {
  if (obj.kalla === 'epost') {
    const mail = await deps.extractor.extractMail(bytes);
    return {
      kalla: 'epost',
      sourceKey,
      // Register first: a receipt header we cannot read must not keep the mail out of the diarium.
      mottagen: validTime(mail.receivedAt) ?? obj.eventTime,
      avsandare: {
        namn: mail.from?.name ?? null,
        epost: mail.from?.address ?? null,
        kuvertAvsandare: mail.envelopeFrom,
        organisation: null,
      },
      amne: mail.subject,
      brodtext: mail.bodyText,
      attachments: mail.attachments,
      report: mail.report,
      problems: mail.problems,
      mail,
      kontroll: assessReceipt(mail.verdicts),
    };
  }
  const filename = obj.filnamn;
  const doc = await deps.extractor.extractDocument(bytes, filename);
  return {
    kalla: 'uppladdning',
    sourceKey,
    mottagen: obj.eventTime,
    avsandare: { namn: null, epost: null, kuvertAvsandare: null, organisation: null },
    amne: null,
    brodtext: null,
    attachments: [],
    report:
      doc.text && doc.format ? { source: 'bilaga', filename, format: doc.format, text: doc.text } : null,
    problems: doc.problems,
    mail: null,
    kontroll: assessReceipt(null),
  };
}

/** Register first, judge second: every object that arrives becomes a handling, whatever its content. */
export async function processIncoming(deps: IngestDeps, obj: IncomingObject): Promise<IngestOutcome> {
  const stored = await deps.store.get(obj.key);
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
  const r = await read(deps, obj, raw, sourceKey);
  if (previous) {
    deps.log('info', 'Redan registrerad; återupptar kvittens och händelse', {
      diarienummer: previous.diarienummer,
    });
    return finish(deps, previous, false, r);
  }

  const dag = ankomstdatum(r.mottagen);
  const { virus } = r.kontroll;
  const suspicious = r.kontroll.spam || r.kontroll.dmarcFail;
  const result: SlutrapportResult = readSlutrapport(virus ? null : (r.report?.text ?? null), { idag: dag });
  const rapport = result.rapport;

  // Files are content-addressed, so storing them before the registration is idempotent under retries.
  const arkiv = virus ? 'karantan' : 'handling';
  const filer: StoredFile[] = [
    {
      filnamn: obj.kalla === 'epost' ? 'meddelande.eml' : safeName(obj.filnamn),
      sha256: sha256(raw),
      storlek: raw.byteLength,
      typ: r.kalla === 'epost' ? 'message/rfc822' : (r.report?.format ?? 'okand'),
      nyckel: obj.key,
      rapport: r.kalla === 'uppladdning',
    },
  ];
  for (const [i, a] of r.attachments.entries()) {
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
      rapport: r.report?.source === 'bilaga' && r.report.attachmentIndex === i,
    });
  }

  const resolution = await resolveArende(deps.repo, {
    serie: deps.config.serie,
    ankomstdatum: dag,
    texter: [r.amne, rapport?.diarienummer ?? null, r.brodtext],
    insatsnamn: rapport?.insatsnamn ?? null,
    organisation: rapport?.organisation ?? null,
    avsandare: r.avsandare.epost,
  });

  const bedomning: Handling['bedomning'] = virus ? 'karantan' : result.status;
  // Stored for the diarium's display; decisions below are made on r.kontroll, never on these strings.
  const flaggor = [
    ...receiptFlaggor(r.kontroll),
    ...(result.personnummer.length > 0 ? ['personnummer'] : []),
    ...(r.mail?.forwardedBy ? ['vidarebefordrad'] : []),
    ...r.problems.map((p) => `problem:${p.kod}`),
  ];
  const beskrivning = rapport?.insatsnamn
    ? `Slutrapport – ${rapport.insatsnamn}${rapport.organisation ? ` – ${rapport.organisation}` : ''}`
    : r.amne
      ? `E-post: ${r.amne.slice(0, 150)}`
      : 'Inkommen handling';
  const nh: NewHandling = {
    mottagen: new Date(r.mottagen).toISOString(),
    ankomstdatum: dag,
    ankomstAndrad: null,
    kalla: r.kalla,
    kallaReferens: `s3://${obj.bucket}/${obj.key}${obj.versionId ? `?versionId=${obj.versionId}` : ''}`,
    avsandare: { ...r.avsandare, organisation: rapport?.organisation ?? null },
    beskrivning: result.personnummer.length > 0 ? maskPersonnummer(beskrivning) : beskrivning,
    bedomning,
    fel: result.fel,
    varningar: result.varningar,
    filer,
    personnummer: result.personnummer.map((p) => ({ maskerat: p.maskerat, avsnitt: p.avsnitt })),
    sekretess: result.personnummer.length > 0,
    flaggor,
    granskning: virus
      ? 'ej-aktuell'
      : bedomning === 'komplett'
        ? suspicious
          ? 'vantar-pa-kansliet'
          : 'pagar'
        : 'ej-aktuell',
    makulerad: null,
    kvittens: null,
    // The parsed report is kept for the review page; the parser has already masked its personnummer.
    rapport: rapport ? { typ: 'slutrapport', slutrapport: rapport } : { typ: 'ovrig' },
  };
  // Registered with its kvittens claimed: the first delivery sends at once, without a separate claim write.
  const claim = deps.clock().toISOString();
  const { handling, skapad } = await deps.repo.registerHandling(resolution.target, nh, r.sourceKey, {
    kvittensClaim: claim,
  });
  deps.log('info', 'Handling registrerad', {
    diarienummer: handling.diarienummer,
    ankomstdatum: handling.ankomstdatum,
    bedomning: handling.bedomning,
    grund: resolution.grund,
    skapad,
  });
  if (handling.bedomning !== 'komplett') {
    deps.log('warn', 'Rapporten är inte komplett', {
      diarienummer: handling.diarienummer,
      fel: handling.fel.map((f) => f.kod),
      problem: r.problems.map((p) => p.kod),
    });
  }
  return finish(deps, handling, skapad, r, skapad ? claim : null);
}

async function finish(
  deps: IngestDeps,
  handling: Handling,
  skapad: boolean,
  r: Reading,
  /** The kvittens claim this invocation already holds (taken at registration), if any. */
  claimed: string | null = null,
): Promise<IngestOutcome> {
  let kvittens: IngestOutcome['kvittens'];
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
  } else if (r.kontroll.spam) {
    // No automatic answer to mail that failed the spam verdict (backscatter): the kansli is told instead.
    const notice = kvarhallenMail({
      till: deps.config.kansliEmail,
      handling,
      avsandare: handling.avsandare.epost ?? handling.avsandare.kuvertAvsandare ?? 'okänd avsändare',
    });
    await sendOnce(deps, handling, notice, claimed, 'kansli-avisering');
    kvittens = 'kvarhallen';
  } else {
    // A DMARC failure means the From: address may be forged: the receipt goes to the kansli, not to it.
    const spoofable = r.kontroll.dmarcFail;
    const to =
      r.kalla === 'epost' && !spoofable
        ? (handling.avsandare.epost ?? handling.avsandare.kuvertAvsandare)
        : deps.config.kansliEmail;
    kvittens = to
      ? await sendOnce(
          deps,
          handling,
          kvittensMail(handling, to, { problem: r.problems.map((p) => p.meddelande) }),
          claimed,
          'kvittens',
        )
      : 'ingen-mottagare';
  }
  await publish(deps, handling);
  return { handling, skapad, kvittens };
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
