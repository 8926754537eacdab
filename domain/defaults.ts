import type { BeslutPolicy } from './granskning/types.js';

/**
 * Every default the system falls back on when a deployment does not say otherwise. The stage config (infra),
 * the Lambda config (functions/runtime) and the local tools import these, so a default changes in one place.
 */

/** The diarium's series: diarienummer read `SFG 2026-12`. */
export const DEFAULT_SERIE = 'SFG';

/** The first reviewer's beslut decides. */
export const DEFAULT_BESLUT_POLICY: BeslutPolicy = { typ: 'forsta' };

const DAY_SECONDS = 86_400;

/** How long a reviewer's beslut link stays valid when the deployment does not say. */
export const DEFAULT_LINK_TTL_SECONDS = 14 * DAY_SECONDS;

/** The kansli's public address: the fallback recipient of the kansli's and the förbundschef's mail. */
export const DEFAULT_KANSLI_EMAIL = 'kontakt@finsamgavleborg.se';

/** Base URL of beslut links when none is configured (functions that never mail a link). */
export const DEFAULT_PUBLIC_BASE_URL = 'http://localhost';

/**
 * How long the ingest waits for a mail's documents (Word, PDF, OCR) before it registers the mail without them
 * and reads on: well inside the 60 s within which an arrived mail must be in the diarium.
 */
export const DEFAULT_REGISTRERINGSFRIST_MS = 30_000;
