import { HANDELSE } from '../diarium/audit.js';
import { DiariumRegelError, HandlingNotFoundError } from '../diarium/errors.js';
import type { ArendeLog, DiariumReader } from '../diarium/ports.js';
import { LAS_IN_MANUELLT } from '../diarium/registrera.js';
import type { Handling } from '../diarium/types.js';
import { assessReceipt } from './receipt-assessment.js';
import {
  completeReading,
  finish,
  readDocument,
  type IngestDeps,
  type IngestOutcome,
  type Reading,
} from './process-incoming.js';

/** What the kansli asked for (events/handling-lasning-begard.ts, in domain terms). */
export interface LasningBegaran {
  diarienummer: string;
  /** The person, as the ärende's log names them. */
  av: string;
}

/** Where a reading is asked for: the ingest queue (functions/adapters/sqs-lasning-ko.ts). */
export interface LasningKo {
  begarLasning(b: LasningBegaran & { begard: string }): Promise<void>;
}

export type LasInUtfall = { utfall: 'last'; outcome: IngestOutcome } | { utfall: 'avvisad'; orsak: string };

/** Why a handling cannot be read on request; null when it can. */
export function lasInHinder(h: Handling | null): string | null {
  if (!h) return 'Handlingen finns inte i diariet.';
  if (h.makulerad) return 'Handlingen är makulerad.';
  if (h.kalla !== 'papper') return 'Bara en handling som registrerats för hand från papper läses in så här.';
  if (h.bedomning !== 'lases') return 'Handlingen är redan inläst.';
  if (!h.filer[0]) return 'Handlingen har ingen skannad fil att läsa.';
  return null;
}

/**
 * Reads a paper report the registrator registered by hand (`lases`, flagged "läs in manuellt") as the ingest
 * reads an upload, and completes it as the ingest completes a late reading (`handling-last`): the same rules
 * (personnummer hold it for the kansli's sekretessprövning, an incomplete report starts no granskning and keeps
 * its missing parts on the handling, OCR'd fields are listed "Maskinläst – kontrollera"), the registrator's
 * avsändare, beskrivning and class kept, the flag removed, HandlingDiarieford published. The kvittens goes to
 * the e-post the registrator entered, and to nobody without one (the sender wrote on paper).
 *
 * Anything else (unknown, makulerad, not paper, already read) is refused with a log line and no error: a
 * redelivered message finds the handling read and does nothing, and a wrong one is not retried in a loop.
 */
export async function lasInHandling(deps: IngestDeps, begaran: LasningBegaran): Promise<LasInUtfall> {
  const h = await deps.repo.getHandling(begaran.diarienummer);
  const hinder = lasInHinder(h);
  if (!h || hinder) {
    deps.log('warn', 'Inläsning avvisad', { diarienummer: begaran.diarienummer, orsak: hinder });
    return { utfall: 'avvisad', orsak: hinder ?? 'Handlingen finns inte i diariet.' };
  }
  const fil = h.filer[0]!;
  const stored = await deps.store.get(fil.nyckel);
  const content = await readDocument(deps, stored.bytes, fil.filnamn);
  const r: Reading = {
    // Read as the ingest reads an upload: one document, the handling's first file.
    kalla: 'uppladdning',
    sourceKey: `manuell#${h.diarienummer}`,
    mottagen: h.mottagen,
    avsandare: h.avsandare,
    amne: null,
    brodtext: null,
    attachments: [],
    mail: null,
    kontroll: assessReceipt(null),
    ...content,
    kvittensTill: h.avsandare.epost,
  };
  const last = await completeReading(deps, h, r, { av: begaran.av, taBortFlaggor: [LAS_IN_MANUELLT] });
  deps.log('info', 'Pappersrapport inläst', {
    diarienummer: last.diarienummer,
    bedomning: last.bedomning,
    granskning: last.granskning,
  });
  return { utfall: 'last', outcome: await finish(deps, last, false, r) };
}

/**
 * The registrator asks for a paper report to be read and its granskning started (the web action and
 * `diarium las-in`): checked here, written to the ärende's log with the person, then sent to the ingest, which
 * reads it (lasInHandling). Asking twice is harmless: the ingest reads a handling once.
 */
export async function begarInlasning(
  deps: {
    repo: Pick<DiariumReader, 'getHandling'> & Pick<ArendeLog, 'appendLog'>;
    ko: LasningKo;
    clock: () => Date;
  },
  diarienummer: string,
  opts: { av: string },
): Promise<Handling> {
  const av = opts.av.trim();
  if (!av) throw new DiariumRegelError('Vem som begär inläsningen måste anges.');
  const h = await deps.repo.getHandling(diarienummer);
  if (!h) throw new HandlingNotFoundError(`Handlingen ${diarienummer} finns inte i diariet.`);
  const hinder = lasInHinder(h);
  if (hinder) throw new DiariumRegelError(hinder);
  const begard = deps.clock().toISOString();
  // Logged before it is sent: a request the queue then refuses is retried by the person, and shows twice.
  await deps.repo.appendLog(h.arende, {
    handelse: HANDELSE.inlasningBegard,
    av,
    data: { handling: h.diarienummer, fil: h.filer[0]?.sha256 ?? null },
  });
  await deps.ko.begarLasning({ diarienummer: h.diarienummer, av, begard });
  return h;
}
