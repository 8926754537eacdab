import type { MailHeaderFacts } from '../extraction/types.js';

/**
 * What an incoming handling is, as a good registrator would sort it (docs/klassning.md). Decides the flow:
 * who is answered, whether a granskning starts, whether the postlista shows it.
 */
export type Klass =
  | 'slutrapport'
  | 'ny-version'
  | 'komplettering'
  | 'svar-arende'
  | 'allman-handling'
  | 'automatisk'
  | 'ringa-betydelse'
  | 'skrappost';

export const KLASSER: readonly Klass[] = [
  'slutrapport',
  'ny-version',
  'komplettering',
  'svar-arende',
  'allman-handling',
  'automatisk',
  'ringa-betydelse',
  'skrappost',
];

/** Which kind of automatic mail: each is never answered. */
export type Automatik = 'autosvar' | 'studs' | 'laskvitto' | 'systemavsandare' | 'egen-adress';

export interface Klassning {
  klass: Klass;
  automatik?: Automatik | undefined;
  /** Swedish, for the kansli: the rule that decided. */
  orsak: string;
  /** 'system', or the kansli member who corrected the class. */
  av: string;
  /** The kansli's own public text for the postlista (replaces the one built from class and insats). */
  publikText?: string | undefined;
}

/** What the content told (computed by the ingest from the extraction and the diarium). */
export interface InnehallFacts {
  /** A text that looks like a slutrapport was found (attachment or body). */
  rapportFunnen: boolean;
  /** The mail announces or carries a report (words like "slutrapport"), though none could be read. */
  rapportAviserad: boolean;
  /** Non-inline attachments that are documents (not logos). */
  antalBilagor: number;
  /** The ärende the mail refers to (diarienummer in subject/body, or a reply to our mail), if any. */
  arendeReferens: { diarienummer: string; oppet: boolean; harSlutrapport: boolean } | null;
  /** The mail answers a mail we sent (In-Reply-To/References found among our sent mail). */
  svarPaVartMail: boolean;
}

export interface KlassningInput {
  header: MailHeaderFacts;
  /** The address in From: after a forward is unwrapped (the credited sender). */
  from: string | null;
  envelopeFrom: string | null;
  subject: string | null;
  spam: boolean;
  innehall: InnehallFacts;
  /** The system's own addresses (its From: and receiving addresses); never answered. */
  egnaAdresser: readonly string[];
}
