import type { Log } from '../../domain/log.js';
import type { BeslutPolicy } from '../../domain/granskning/types.js';
import type { IamMode } from './iam/wire.js';
import type { ProxyService, Service } from './ports.js';

export interface LocalStackOptions {
  dataDir: string;
  /** 0 = any free port. */
  ports?: Partial<Record<Service | ProxyService, number>>;
  /** The local OIDC provider's port (default 0: any free port). */
  oidcPort?: number;
  /** Shortened wait-for-token timeouts (seconds) for tests. */
  granskningTimeouts?: { svarstid: number; paminnelse: number; eskalering: number };
  beslutPolicy?: BeslutPolicy;
  /** Members of the beredningsgrupp marked absent (ids or e-mail addresses): their ersättare are mailed. */
  franvarande?: string[];
  /** Seed the demo insats register (default on). */
  demoRegister?: boolean;
  /** Reset .data before starting (tests). */
  fresh?: boolean;
  log?: Log;
  ingestConcurrency?: number;
  /**
   * Tests: the ingest queue takes messages but never delivers them, so stopping the stack loses them as a
   * crash between SMTP's 250 and the ingest would (the next start's reconciliation must re-drive them).
   */
  ingestPaused?: boolean;
  /** How often the reconciliation runs (ms; default one minute, 0 = only the pass at start-up). */
  reconcileIntervalMs?: number;
  /** Concurrent granskning starts (the notify step runs inside them). */
  granskningConcurrency?: number;
  /**
   * Each function's AWS calls evaluated against its synthesized role and the resource policies (local/aws/iam):
   * `enforce` (default) fails a call the role does not allow with AWS's AccessDenied, `record` only records it.
   * Default: LOCAL_IAM, else enforce; `LOCAL_IAM=off` is for debugging only.
   */
  iam?: IamMode;
  /** Tests: the templates as the IAM proxies should see them, e.g. with a grant taken out (iam/templates.ts). */
  iamTemplates?: (templates: unknown[]) => unknown[];
}

export interface IngestStatus {
  diarienummer: string;
  status: string;
  kvittens: string;
}

/** Where the ingest of a stored object stands before it is registered (npm run submit shows it). */
export interface IngestProgress {
  /** Swedish, for the user: "i kö", "läses", "OCR sida 3 av 9", "nytt försök (2 av 5)" … */
  text: string;
  /** Set when the ingest gave up (the dead-letter file): submit stops waiting. */
  gaveUp?: boolean;
}
