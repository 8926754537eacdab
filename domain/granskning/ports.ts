import type { Beslut, Granskning, GranskningsResultat, Lank, Slututfall, Steg, Utfall } from './types.js';

export type RecordBeslutResult =
  | { ok: true }
  | { ok: false; orsak: 'redan-besvarad'; tidigare: Beslut | null }
  /** `andrad`: another answer was recorded since `version` was read; evaluate again and retry. */
  | { ok: false; orsak: 'utgangen' | 'avslutad' | 'saknas' | 'andrad' };

export interface GranskningRepository {
  /** Creates the granskning once, holding the workflow's task token; false when it already exists. */
  create(g: Granskning, taskToken: string): Promise<boolean>;
  get(id: string): Promise<Granskning | null>;
  /** Keeps the workflow's current task token server-side (never in a URL, mail or log). */
  setTaskToken(id: string, token: string, steg: Steg): Promise<void>;
  getTaskToken(id: string): Promise<string | null>;
  /**
   * Stores a member's link of one step, once: the slot (granskning, step, member) names the link's hash, and
   * both are written together. With `ersatter` (the hash the slot holds), the slot moves to the new link and
   * the old one is revoked in the same write, unless it was used: `anvand` (the member has answered).
   * `finns` when the slot already holds a link (another hash than `ersatter`).
   */
  putMemberLink(
    steg: string,
    lank: Lank,
    ttlEpochSeconds: number,
    ersatter: string | null,
  ): Promise<{ typ: 'skapad' } | { typ: 'finns'; hash: string } | { typ: 'anvand' }>;
  getLink(hash: string): Promise<Lank | null>;
  /**
   * Marks the link used and stores the answer atomically, on condition that the granskning is open and still at
   * `version` (no other answer since the rule was evaluated); a link is used once. With `avgjort`, the same write
   * decides the granskning (pagar to avgjord), so no answer can be counted after the rule has decided.
   */
  recordBeslut(
    link: Lank,
    beslut: Beslut,
    nu: string,
    vid: { version: number; avgjort: Utfall | null },
  ): Promise<RecordBeslutResult>;
  listBeslut(granskningId: string): Promise<Beslut[]>;
  /** Moves the granskning from pagar to avgjord once (stangd false when someone else did); hands back the token. */
  close(id: string, utfall: Slututfall, nu: string): Promise<{ stangd: boolean; taskToken: string | null }>;
  listOpen(): Promise<Granskning[]>;
  /** Records that a side effect (a mail, a status change) is done; false when it already was (conditional write). */
  markUtfort(id: string, steg: string): Promise<boolean>;
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
