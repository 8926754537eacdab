import type { SlutrapportStatus, Finding, Rapport } from '../slutrapport/index.js';
import type { Beslut, Slututfall } from '../granskning/types.js';
import type { Klassning } from '../klassning/types.js';

/** `papper`: post or anything else received outside the mail flow, registered by hand with its scan. */
export type Kalla = 'epost' | 'uppladdning' | 'upprattad' | 'papper';

/** Outcome of reading the document; `karantan` when SES flagged a virus. */
/** `lases`: registered before its documents were read (a slow scan); the reading fills in the rest. */
export type Bedomning = SlutrapportStatus | 'karantan' | 'lases';

export type GranskningStatus =
  'ej-aktuell' | 'vantar-pa-kansliet' | 'pagar' | 'godkand' | 'komplettering-begard' | 'inget-beslut';

export type ArendeStatus = 'oppet' | 'under-granskning' | 'godkant' | 'komplettering-begard' | 'avslutat';

export interface StoredFile {
  filnamn: string;
  sha256: string;
  storlek: number;
  typ: string;
  /** Object key in the inbound bucket. */
  nyckel: string;
  /** The file the report text was read from. */
  rapport: boolean;
}

export interface Arende {
  diarienummer: string;
  serie: string;
  ar: number;
  nummer: number;
  arendemening: string;
  insatsId: string | null;
  insatsnyckel: string | null;
  status: ArendeStatus;
  skapad: string;
  antalHandlingar: number;
}

export interface Avsandare {
  namn: string | null;
  epost: string | null;
  /** Envelope sender from the receiving server, kept beside From:. */
  kuvertAvsandare: string | null;
  organisation: string | null;
  /** A postal address, given when a letter is registered by hand; absent on everything else. */
  postadress?: string | null | undefined;
}

/** How an expedierad handling registered by hand left the förbund. */
export type ExpedieringsSatt = 'post' | 'bud' | 'overlamnad' | 'annat';

/** To whom and how a handling was sent, when the kansli registered the sending by hand. */
export interface Expediering {
  mottagare: { namn: string; organisation: string | null; epost: string | null; postadress: string | null };
  satt: ExpedieringsSatt;
  /** ÅÅÅÅ-MM-DD, the day it was sent. */
  skickad: string;
}

export interface Handling {
  diarienummer: string;
  arende: string;
  handlingsnummer: number;
  /** Exact receipt time, UTC ISO-8601. */
  mottagen: string;
  /** Europe/Stockholm date of `mottagen`. */
  ankomstdatum: string;
  /** Set when the arrival time was overridden by the kansli (late registration). */
  ankomstAndrad: { av: string; skal: string; ursprunglig: string } | null;
  kalla: Kalla;
  kallaReferens: string;
  avsandare: Avsandare;
  beskrivning: string;
  bedomning: Bedomning;
  fel: Finding[];
  varningar: Finding[];
  filer: StoredFile[];
  /** Personnummer found (masked) — the handling is flagged and masked in the postlista. */
  personnummer: { maskerat: string; avsnitt: string }[];
  sekretess: boolean;
  flaggor: string[];
  granskning: GranskningStatus;
  makulerad: { av: string; skal: string; tidpunkt: string } | null;
  kvittens: { skickad: string; meddelandeId: string } | null;
  rapport: Handlingsinnehall;
  registrerad: string;
  /** What kind of mail this is and why (docs/klassning.md); absent on handlingar registered before it. */
  klassning?: Klassning | undefined;
  /** Notes on the handling after registration: a copy received again, a bounce of our mail about it. */
  noteringar?: Notering[] | undefined;
  /**
   * The kansli's sekretessmarkering: the OSL provision and the text the postlista shows instead of the
   * handling's own; null once lifted (absent on handlingar never marked by hand).
   */
  sekretessmarkering?: Sekretessmarkering | null | undefined;
  /** An expedierad handling registered by hand: its recipient and how it was sent. */
  expediering?: Expediering | undefined;
  /**
   * Set on the stub a move leaves at the old number (docs/kansli-flytta.md, "Flytta en handling"): the number is
   * never reused, the content lives on under `till`.
   */
  flyttad?: Flytt | undefined;
  /** Set on a handling moved here from another ärende: the number it had, and its first number. */
  flyttadFran?: (Flytt & { ursprung: string }) | undefined;
}

/** One move of a handling: the other number (`till` on the stub, `fran` on the moved handling), who, when, why. */
export interface Flytt {
  till: string;
  fran: string;
  av: string;
  skal: string;
  tidpunkt: string;
}

export interface Sekretessmarkering {
  /** The provision, e.g. "OSL 26 kap. 1 §". */
  osl: string;
  /** What the postlista shows as "avser" while the handling is secret. */
  publikText: string;
  av: string;
  tidpunkt: string;
}

export interface Notering {
  tidpunkt: string;
  typ: 'kopia-mottagen' | 'studs' | 'ersatt';
  /** Swedish, for the diarium. */
  text: string;
  /** The handling that caused the note (the copy, the bounce). */
  handling?: string | undefined;
}

/**
 * What the diarium read from the handling's document: a slutrapport (its fields, personnummer already masked by
 * the parser), the beredningsgrupp's beslut (an upprättad handling), or anything else.
 */
export type Handlingsinnehall =
  | { typ: 'slutrapport'; slutrapport: Rapport }
  | { typ: 'beslut'; utfall: Slututfall; granskadHandling: string; beslut: Beslut[] }
  | { typ: 'ovrig' };

export interface AuditEntry {
  seq: number;
  tidpunkt: string;
  handelse: string;
  av: string;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface Insats {
  id: string;
  namn: string;
  organisation: string;
  arende: string | null;
  beviljadeMedel: number | null;
  /** Last day of the insatstid (ÅÅÅÅ-MM-DD): the slutrapport's due date is counted from it (bevakning). */
  insatstidSlut?: string | null;
  /** Where reminders about the slutrapport go: the insatsägare's contact in the register. */
  kontakt?: string | null;
}
