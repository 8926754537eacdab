import type { Arende, AuditEntry, Handling, Insats } from './types.js';
import type { DocumentArchive } from '../document-archive.js';

export type NewHandling = Omit<Handling, 'diarienummer' | 'arende' | 'handlingsnummer' | 'registrerad'>;

export type ArendeTarget =
  | { typ: 'befintligt'; diarienummer: string }
  | {
      typ: 'nytt';
      serie: string;
      ar: number;
      arendemening: string;
      insatsId: string | null;
      insatsnyckel: string | null;
    };

export interface RegisterResult {
  handling: Handling;
  /** False when the source was already registered (a retry or a duplicate delivery). */
  skapad: boolean;
}

export interface LogEvent {
  handelse: string;
  av: string;
  data: Record<string, unknown>;
}

/** The fields of a handling the kansli and the granskning change after registration. */
export type HandlingChange = Partial<
  Pick<
    Handling,
    | 'granskning'
    | 'flaggor'
    | 'makulerad'
    | 'mottagen'
    | 'ankomstdatum'
    | 'ankomstAndrad'
    // What reading the documents of a handling registered before they were read fills in.
    | 'bedomning'
    | 'beskrivning'
    | 'fel'
    | 'varningar'
    | 'filer'
    | 'personnummer'
    | 'sekretess'
    | 'avsandare'
    | 'rapport'
    | 'klassning'
    | 'noteringar'
    | 'sekretessmarkering'
  >
>;

/** An ärende carried over from an earlier diarium (or the demo register), with its own number. */
export interface ImportArende {
  serie: string;
  ar: number;
  nummer: number;
  arendemening: string;
  insatsId: string | null;
  insatsnyckel: string | null;
}

/** Registration and numbering: gap-free diarienummer, source dedupe, ärenden carried over with their number. */
export interface HandlingRegistry {
  /**
   * Gap-free, idempotent (per sourceKey) registration of a handling. `kvittensClaim` registers the handling
   * with its kvittens already claimed by the caller (the time of the claim), so the first delivery needs no
   * separate claim; a retry finds it as any other claim. `av` names who registered it in the ärende's log
   * (a person registering by hand; 'system' otherwise).
   */
  registerHandling(
    target: ArendeTarget,
    handling: NewHandling,
    sourceKey: string,
    opts?: { kvittensClaim?: string; av?: string },
  ): Promise<RegisterResult>;
  findBySource(sourceKey: string): Promise<Handling | null>;
  /** Creates the ärende with the given number unless it exists; keeps the series counter at or above it. */
  importArende(arende: ImportArende, av: string): Promise<{ arende: Arende; skapad: boolean }>;
}

/** The hash-chained log of each ärende, and the changes that are written together with an entry. */
export interface ArendeLog {
  updateHandling(
    diarienummer: string,
    change: HandlingChange,
    log: LogEvent,
    /**
     * Checked against the current handling inside the write's retry loop; throw to abort. Makes
     * check-then-change (void once, release only when waiting) safe against a concurrent writer.
     */
    guard?: (current: Handling) => void,
  ): Promise<Handling>;
  updateArendeStatus(diarienummer: string, status: Arende['status'], log: LogEvent): Promise<void>;
  appendLog(arende: string, log: LogEvent): Promise<AuditEntry>;
  /** The head of the ärende's log as stored on the ärende (detects a truncated log). */
  getLogHuvud(arende: string): Promise<{ seq: number; hash: string } | null>;
}

/** Sending each handling's kvittens at most once. */
export interface KvittensClaims {
  /** Claims the right to send the kvittens once; false when it was already sent or claimed recently. */
  claimKvittens(diarienummer: string, nu: string): Promise<boolean>;
  /** With `mail`, the message id's lookup (SkickadeMail) is written in the same transaction. */
  markKvittens(
    diarienummer: string,
    kvittens: { skickad: string; meddelandeId: string },
    mail?: { slag: MailSlag; mottagare: string[] },
  ): Promise<void>;
  releaseKvittens(diarienummer: string): Promise<void>;
}

/** The kansli's notices about a handling that was answered, each of its own kind. */
export type NotisSlag = 'allman-handling' | 'sekretess' | 'maskinlast' | 'ny-version';

/**
 * Sending each kansli notice about a handling once, as the kvittens is: claimed before sending, marked after, the
 * claim released when SES refuses, so a retry sends what is missing and nothing twice.
 */
export interface NotisClaims {
  /** `tagen`: send it now; `skickad`: already sent; `upptagen`: claimed recently by another invocation. */
  claimNotis(diarienummer: string, slag: NotisSlag, nu: string): Promise<'tagen' | 'skickad' | 'upptagen'>;
  markNotis(diarienummer: string, slag: NotisSlag, skickad: string): Promise<void>;
  releaseNotis(diarienummer: string, slag: NotisSlag): Promise<void>;
}

/** What a mail that concerns a handling was: kansli-avisering is the kansli's alert sent in the kvittens's place. */
export type MailSlag =
  'kvittens' | 'kansli-avisering' | 'granskning' | 'paminnelse' | 'eskalering' | 'utfall';

/** A mail we sent about a handling, as SES's message id finds it again (bounces and complaints name only the id). */
export interface SkickadMail {
  meddelandeId: string;
  diarienummer: string;
  slag: MailSlag;
  mottagare: string[];
  skickad: string;
}

/** The mail we sent, by SES message id, and which consequences of an SES event about it are done. */
export interface SkickadeMail {
  recordSentMail(mail: SkickadMail): Promise<void>;
  findSentMail(meddelandeId: string): Promise<(SkickadMail & { utfort: string[] }) | null>;
  /** Marks one step of handling an event about the mail done; false when it already was. */
  markMailHandelse(meddelandeId: string, steg: string): Promise<boolean>;
}

/** Reading the diarium: handlingar, ärenden and the date index. */
export interface DiariumReader {
  getHandling(diarienummer: string): Promise<Handling | null>;
  getArende(diarienummer: string): Promise<Arende | null>;
  /** Ärenden by diarienummer (missing ones left out), in one round trip per hundred. */
  getArenden(diarienummer: string[]): Promise<Arende[]>;
  getArendeDetaljer(
    diarienummer: string,
  ): Promise<{ arende: Arende; handlingar: Handling[]; logg: AuditEntry[] } | null>;
  findArendeByInsatsnyckel(insatsnyckel: string): Promise<Arende | null>;
  listDiarium(franDatum: string, tillDatum: string): Promise<Handling[]>;
}

/** The register of insatser the förbund finances. */
export interface InsatsRegister {
  listInsatser(): Promise<Insats[]>;
  putInsatser(insatser: Insats[]): Promise<void>;
}

/** An insats as stored, with the version an edit form carries back (optimistic concurrency). */
export interface VersioneradInsats {
  insats: Insats;
  /** 0 for an insats written before versions (or by putInsatser); each edit adds one. */
  version: number;
}

/**
 * The register as the kansli edits it: every write is conditional on the version the change was based on,
 * and carries an entry in the register's own hash-chained log and in the logs of the ärenden it names, in
 * the same transaction.
 */
export interface InsatsRegisterRedigering {
  /** Every insats with its version, read now (not the ingest's cached list). */
  listVersionerade(): Promise<VersioneradInsats[]>;
  getVersionerad(id: string): Promise<VersioneradInsats | null>;
  /**
   * Writes the insats if its stored version is still `forvantadVersion` (null: a new insats, refused if the id
   * exists); throws InsatsKonfliktError otherwise. Returns the new version.
   */
  skrivInsats(
    andring: { insats: Insats; forvantadVersion: number | null },
    logg: LogEvent,
    arenden: string[],
  ): Promise<number>;
  /** An entry in the register's log (and the ärendens) that changes no insats, e.g. an import's summary. */
  loggaRegister(logg: LogEvent, arenden: string[]): Promise<AuditEntry>;
  listRegisterLogg(): Promise<AuditEntry[]>;
}

/** The whole diarium, for wiring one adapter into several use cases; use cases name the parts they use. */
export type Diarium = HandlingRegistry &
  ArendeLog &
  KvittensClaims &
  NotisClaims &
  DiariumReader &
  InsatsRegister &
  SkickadeMail &
  HandlingFlytt;

export interface StoredObject {
  bytes: Uint8Array;
  key: string;
  versionId: string | null;
}

/** Reading a stored file (raw mail, an upload, a file of a handling). */
export interface DocumentReader {
  /** The current version, or the given one (still readable after a delete marker hid it). */
  get(key: string, versionId?: string | null): Promise<StoredObject>;
}

export interface DocumentLinks {
  /** A short-lived link for reading a file (the reviewer's "öppna rapporten"). */
  presignedGetUrl(key: string, expiresInSeconds: number, filename: string): Promise<string>;
}

/** Where raw mail, uploads and the files of each handling live (the inbound bucket), for wiring. */
export type DocumentStore = DocumentReader & DocumentLinks & DocumentArchive;

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  replyTo?: string[];
}

export interface MailSender {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

export interface HandlingDiariefordEvent {
  diarienummer: string;
  arende: string;
  bedomning: Handling['bedomning'];
  granskning: Handling['granskning'];
  ankomstdatum: string;
}

export interface EventPublisher {
  handlingDiarieford(event: HandlingDiariefordEvent): Promise<void>;
  granskningBegard(event: { diarienummer: string; arende: string; av: string }): Promise<void>;
}

/** What a move writes: the stub's changed fields at the old number, the moved handling, an entry in each log. */
export interface FlyttPlan {
  stubb: Pick<Handling, 'flyttad' | 'filer' | 'rapport' | 'fel' | 'varningar' | 'personnummer' | 'flaggor'>;
  flyttad: Handling;
  franLogg: LogEvent;
  tillLogg: LogEvent;
}

/** What the plan is made from, read consistently inside the move's retry loop. */
export interface FlyttLage {
  handling: Handling;
  fran: Arende;
  till: Arende;
  /** The next free handlingsnummer in `till` and the diarienummer it makes. */
  handlingsnummer: number;
  nyttNummer: string;
  tidpunkt: string;
}

/** Moving a handling to another ärende: all or nothing (docs/kansli-flytta.md, "Flytta en handling"). */
export interface HandlingFlytt {
  /**
   * Writes the stub, the moved handling and both log entries in one transaction. `planera` sees the current
   * state on every attempt and throws (DiariumRegelError) to refuse.
   */
  flyttaHandling(
    diarienummer: string,
    tillArende: string,
    planera: (lage: FlyttLage) => FlyttPlan,
  ): Promise<{ stubb: Handling; flyttad: Handling }>;
}
