import type { Beslut, Granskning, GranskningsResultat, Lank, Slututfall, Steg } from './types.js';

export type RecordBeslutResult =
  | { ok: true }
  | { ok: false; orsak: 'redan-besvarad'; tidigare: Beslut | null }
  | { ok: false; orsak: 'utgangen' | 'avslutad' | 'saknas' };

export interface GranskningRepository {
  /** Creates the granskning once, holding the workflow's task token; false when it already exists. */
  create(g: Granskning, taskToken: string): Promise<boolean>;
  get(id: string): Promise<Granskning | null>;
  /** Keeps the workflow's current task token server-side (never in a URL, mail or log). */
  setTaskToken(id: string, token: string, steg: Steg): Promise<void>;
  getTaskToken(id: string): Promise<string | null>;
  putLinks(links: Lank[], ttlEpochSeconds: number): Promise<void>;
  getLink(hash: string): Promise<Lank | null>;
  /** Marks the link used and stores the decision atomically; a link is used once. */
  recordBeslut(link: Lank, beslut: Beslut, nu: string): Promise<RecordBeslutResult>;
  listBeslut(granskningId: string): Promise<Beslut[]>;
  /** Moves the granskning from pagar to avgjord once (stangd false when someone else did); hands back the token. */
  close(id: string, utfall: Slututfall, nu: string): Promise<{ stangd: boolean; taskToken: string | null }>;
  listOpen(): Promise<Granskning[]>;
  /** Records that a side effect (a mail, a status change) is done; false when it already was (conditional write). */
  markUtfort(id: string, steg: string): Promise<boolean>;
  /** Records several side effects as done in one write (already recorded ones stay). */
  markUtfortAlla(id: string, steg: string[]): Promise<void>;
}

export interface WorkflowCallback {
  sendSuccess(taskToken: string, output: GranskningsResultat): Promise<'ok' | 'token-ogiltig'>;
}

export interface WorkflowStarter {
  start(
    executionName: string,
    input: { diarienummer: string; arende: string; granskningId: string },
  ): Promise<'startad' | 'fanns-redan'>;
}
