import type { Arende, AuditEntry, Handling, Insats } from './types.js';

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

/** The diarium: ärenden, handlingar, counters, source dedupe and the audit log. */
export interface DiariumRepository {
  /** Gap-free, idempotent (per sourceKey) registration of a handling. */
  /**
   * `kvittensClaim` registers the handling with its kvittens already claimed by the caller (the time of the
   * claim), so the first delivery needs no separate claim; a retry finds it as any other claim.
   */
  registerHandling(
    target: ArendeTarget,
    handling: NewHandling,
    sourceKey: string,
    opts?: { kvittensClaim?: string },
  ): Promise<RegisterResult>;
  findBySource(sourceKey: string): Promise<Handling | null>;
  getHandling(diarienummer: string): Promise<Handling | null>;
  getArende(diarienummer: string): Promise<Arende | null>;
  getArendeDetaljer(
    diarienummer: string,
  ): Promise<{ arende: Arende; handlingar: Handling[]; logg: AuditEntry[] } | null>;
  findArendeByInsatsnyckel(insatsnyckel: string): Promise<Arende | null>;
  listDiarium(franDatum: string, tillDatum: string): Promise<Handling[]>;
  listInsatser(): Promise<Insats[]>;
  putInsatser(insatser: Insats[]): Promise<void>;
  /** Claims the right to send the kvittens once; false when it was already sent or claimed recently. */
  claimKvittens(diarienummer: string, nu: string): Promise<boolean>;
  markKvittens(diarienummer: string, kvittens: { skickad: string; meddelandeId: string }): Promise<void>;
  releaseKvittens(diarienummer: string): Promise<void>;
  updateHandling(
    diarienummer: string,
    change: Partial<
      Pick<Handling, 'granskning' | 'flaggor' | 'makulerad' | 'mottagen' | 'ankomstdatum' | 'ankomstAndrad'>
    >,
    log: LogEvent,
    /**
     * Checked against the current handling inside the write's retry loop; throw to abort. Makes
     * check-then-change (void once, release only when waiting) safe against a concurrent writer.
     */
    guard?: (current: Handling) => void,
  ): Promise<Handling>;
  updateArendeStatus(diarienummer: string, status: Arende['status'], log: LogEvent): Promise<void>;
  appendLog(arende: string, log: LogEvent): Promise<AuditEntry>;
}

/** An ärende carried over from an earlier diarium (or the demo register), with its own number. */
export interface ImportArende {
  serie: string;
  ar: number;
  nummer: number;
  arendemening: string;
  insatsId: string | null;
  insatsnyckel: string | null;
}

/** What the kansli tools (CLI, postlista, seeding) need beyond the registration path. */
export interface DiariumKansliRepository extends DiariumRepository {
  /** Ärenden by diarienummer (missing ones left out), in one round trip per hundred. */
  getArenden(diarienummer: string[]): Promise<Arende[]>;
  /** The head of the ärende's log as stored on the ärende (detects a truncated log). */
  getLogHuvud(arende: string): Promise<{ seq: number; hash: string } | null>;
  /** Creates the ärende with the given number unless it exists; keeps the series counter at or above it. */
  importArende(arende: ImportArende, av: string): Promise<{ arende: Arende; skapad: boolean }>;
}

export interface StoredObject {
  bytes: Uint8Array;
  key: string;
  versionId: string | null;
}

/** Where raw mail, uploads and the files of each handling live (the inbound bucket). */
export interface DocumentStore {
  get(key: string): Promise<StoredObject>;
  /** Idempotent: the same content under the same key is a no-op. */
  put(key: string, bytes: Uint8Array, contentType: string, metadata?: Record<string, string>): Promise<void>;
  /** A short-lived link for reading a file (the reviewer's "öppna rapporten"). */
  presignedGetUrl(key: string, expiresInSeconds: number, filename: string): Promise<string>;
  list(prefix: string): Promise<{ key: string; lastModified: string }[]>;
}

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
