// Over 400 lines on purpose: the granskning's four use cases share GranskningDeps and the mail helpers.
import { createHash } from 'node:crypto';
import type {
  ArendeLog,
  DiariumReader,
  HandlingRegistry,
  MailSender,
  MailSlag,
  NewHandling,
  OutgoingMail,
  SkickadeMail,
} from '../diarium/ports.js';
import type { DocumentFiler } from '../document-archive.js';
import type { Arende, Handling, StoredFile } from '../diarium/types.js';
import { ankomstdatum } from '../diarium/ankomstdatum.js';
import { HANDELSE } from '../diarium/audit.js';
import {
  ersattLedamotMail,
  eskaleringsMail,
  granskningsMail,
  kvittensMail,
  utfallLedamotMail,
  utfallMail,
} from '../mail/templates.js';
import { hashLinkId, newCsrfToken, newLinkId } from './links.js';
import { beslutPdf } from './beslut-pdf.js';
import { beslutsdokument } from './beslutsdokument.js';
import { beslutsregel, evaluate, granskningIdFor } from './policy.js';
import { jamforRapporter, tidigareRapport, type TidigareOmgang } from './historik.js';
import type { Rapport } from '../slutrapport/index.js';
import type { GranskningRepository, RecordBeslutResult, WorkflowCallback } from './ports.js';
import type {
  Beslut,
  BeslutPolicy,
  Granskare,
  Granskning,
  GranskningInput,
  GranskningsResultat,
  Lank,
  Slututfall,
  Steg,
  Svar,
  Utfall,
} from './types.js';

export interface GranskningDeps {
  diarium: HandlingRegistry & ArendeLog & DiariumReader;
  granskningar: GranskningRepository;
  mailer: MailSender;
  /** Where each sent mail's SES message id is noted, so a bounce finds its handling (absent: not noted). */
  skickadeMail?: SkickadeMail;
  callback: WorkflowCallback;
  /** Where the beslut document is filed (content-addressed, among the handlingar's files). */
  documents: DocumentFiler;
  clock: () => Date;
  config: {
    beredningsgrupp: Granskare[];
    policy: BeslutPolicy;
    publicBaseUrl: string;
    linkTtlSeconds: number;
    forbundschefEmail: string;
    kansliEmail: string;
  };
}

/** The slutrapport's fields, when the handling is one. */
function slutrapport(h: Handling): Rapport | null {
  return h.rapport.typ === 'slutrapport' ? h.rapport.slutrapport : null;
}

/**
 * Sends a mail about the handling and notes its SES message id. The note is best-effort: a lost note only means
 * a bounce of this mail goes unnoticed, while failing here would make the step mail everyone again.
 */
async function sendAbout(
  deps: Pick<GranskningDeps, 'mailer' | 'skickadeMail' | 'clock'>,
  handling: Handling,
  slag: MailSlag,
  mail: OutgoingMail,
): Promise<{ messageId: string }> {
  const sent = await deps.mailer.send(mail);
  await deps.skickadeMail
    ?.recordSentMail({
      meddelandeId: sent.messageId,
      diarienummer: handling.diarienummer,
      slag,
      mottagare: mail.to,
      skickad: deps.clock().toISOString(),
    })
    .catch(() => undefined);
  return sent;
}

/** The new version that replaced the handling (the ingest flags it `ersatt-av:<dnr>`), if any. */
/** Marks a granskning replaced at its first step, before (all) members were invited. */
const ERSATT_FORE_UTSKICK = 'ersatt-fore-utskick';

export function ersattAv(h: Handling): string | null {
  const flagga = h.flaggor.filter((f) => f.startsWith('ersatt-av:')).at(-1);
  return flagga ? flagga.slice('ersatt-av:'.length) : null;
}

/**
 * At most one granskning per ärende is open: when the granskning of a new version starts, the granskningar of the
 * versions it replaced (flagged by the ingest) are closed as `ersatt` and their workflows resumed, so each goes
 * on to finalize, which tells their members once. Closing is a conditional write, so a retry closes nothing
 * twice. If the process dies between closing and resuming, the old workflow's next step finds its granskning
 * decided and resumes itself (see runGranskningStep).
 */
async function avslutaErsatta(deps: GranskningDeps, ny: Handling, nyGranskning: Granskning): Promise<void> {
  const done = new Set(nyGranskning.utfort ?? []);
  const detaljer = await deps.diarium.getArendeDetaljer(ny.arende);
  const ersatta = (detaljer?.handlingar ?? []).filter(
    (h) => h.diarienummer !== ny.diarienummer && ersattAv(h) === ny.diarienummer,
  );
  for (const h of ersatta) {
    const id = granskningIdFor(h.diarienummer);
    if (done.has(`ersatter:${id}`)) continue;
    const gammal = await deps.granskningar.get(id);
    if (gammal?.status === 'pagar') {
      const token = await deps.granskningar.getTaskToken(id);
      const { stangd } = await deps.granskningar.close(id, 'ersatt', deps.clock().toISOString());
      if (stangd && token) {
        const beslut = await deps.granskningar.listBeslut(id);
        await deps.callback.sendSuccess(token, { utfall: 'ersatt', beslut });
      }
    }
    await deps.granskningar.markUtfort(nyGranskning.id, `ersatter:${id}`);
  }
}

/**
 * A mail held as spam or for failed DMARC got the kansli a notice in its kvittens's place (the ingest's `spam` and
 * `dmarc` flags, from the same verdicts that held it). Only the kansli's release (`frige`) lets such a report reach
 * its granskning, so the granskning's first step sends the sender the kvittens the release vouches for, once: the
 * marker is on the granskning (one per handling), as the handling's own kvittens slot holds the notice. A forward
 * is not answered here: its kvittens would go to the credited inner sender, whom a failed check never vouches for.
 */
async function kvittensEfterFrigivning(
  deps: GranskningDeps,
  handling: Handling,
  granskning: Granskning,
): Promise<void> {
  const MARK = 'kvittens-efter-frigivning';
  if ((granskning.utfort ?? []).includes(MARK)) return;
  const holls = handling.flaggor.includes('spam') || handling.flaggor.includes('dmarc');
  const till = handling.flaggor.includes('vidarebefordrad')
    ? null
    : (handling.avsandare.epost ?? handling.avsandare.kuvertAvsandare);
  if (holls && till) {
    const sent = await sendAbout(deps, handling, 'kvittens', kvittensMail(handling, till, { problem: [] }));
    await deps.granskningar.markUtfort(granskning.id, MARK);
    await deps.diarium.appendLog(handling.arende, {
      handelse: HANDELSE.kvittensSkickad,
      av: 'system',
      data: { handling: handling.diarienummer, meddelandeId: sent.messageId, efterFrigivning: true },
    });
  }
}

/** Who gets the mail: the member, or the ersättare while the member is away. */
function recipient(g: Granskare): { namn: string; epost: string } {
  return g.franvarande && g.ersattare ? g.ersattare : { namn: g.namn, epost: g.epost };
}

/**
 * Mails each member a personal link, exactly once per step across retries, replays and crashes.
 *
 * Per member: the link is stored (hashed) in its slot (granskning, step, member) before the mail leaves, so no
 * mailed link is unknown to the server, and the mail is marked sent right after SES accepts it. A replay skips
 * every member marked sent and never makes a second link for them. The one window left is a process dying
 * between SES accepting a mail and that mark (SES has no idempotency key): the member's slot then holds a link
 * whose secret is gone (only its hash is stored), so the replay mails a fresh link to that member only and
 * revokes the old one in the same write; at worst that member gets the mail twice, and only the newer link
 * works. A member who already answered with the old link gets nothing more.
 */
async function mailLinks(
  deps: GranskningDeps,
  granskning: Granskning,
  handling: Handling,
  allMembers: Granskare[],
  steg: string,
): Promise<void> {
  const paminnelse = steg !== 'notifiera';
  const done = new Set(granskning.utfort ?? []);
  const members = allMembers.filter((m) => !done.has(`${steg}:mail:${m.id}`));
  if (members.length === 0) return;
  const now = deps.clock();
  const giltigTill = new Date(now.getTime() + deps.config.linkTtlSeconds * 1000).toISOString();
  const ttl = Math.floor(Date.parse(giltigTill) / 1000) + 86_400;

  const mailOne = async (member: Granskare): Promise<void> => {
    const id = newLinkId();
    const lank: Lank = {
      hash: hashLinkId(id),
      granskningId: granskning.id,
      granskareId: member.id,
      namn: recipient(member).namn,
      organisation: member.organisation,
      giltigTill,
      csrf: newCsrfToken(),
      anvand: null,
    };
    let stored = await deps.granskningar.putMemberLink(steg, lank, ttl, null);
    // An earlier attempt stored a link but did not mark its mail sent: replace it (see above).
    if (stored.typ === 'finns') stored = await deps.granskningar.putMemberLink(steg, lank, ttl, stored.hash);
    if (stored.typ === 'finns') throw new Error(`Länken för ${member.id} byttes samtidigt; försök igen`);
    if (stored.typ === 'anvand') {
      await deps.granskningar.markUtfort(granskning.id, `${steg}:mail:${member.id}`);
      return;
    }
    await sendAbout(
      deps,
      handling,
      paminnelse ? 'paminnelse' : 'granskning',
      granskningsMail({
        till: recipient(member),
        handling,
        insatsnamn: slutrapport(handling)?.insatsnamn ?? handling.beskrivning,
        organisation: slutrapport(handling)?.organisation ?? handling.avsandare.organisation ?? '–',
        url: `${deps.config.publicBaseUrl.replace(/\/$/, '')}/beslut/${id}`,
        giltigTill,
        paminnelse,
      }),
    );
    await deps.granskningar.markUtfort(granskning.id, `${steg}:mail:${member.id}`);
  };
  // Each member on their own: one failing mail neither holds back nor repeats the others'.
  const results = await Promise.allSettled(members.map(mailOne));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
}

/**
 * One step of the wait-for-token task: notify the beredningsgrupp, remind those who have not answered,
 * or escalate to the förbundschef. The token is stored server-side; it never reaches a mail or URL.
 */
export async function runGranskningStep(
  deps: GranskningDeps,
  steg: Steg,
  taskToken: string,
  input: GranskningInput,
): Promise<void> {
  const handling = await deps.diarium.getHandling(input.diarienummer);
  if (!handling) throw new Error(`Handlingen ${input.diarienummer} finns inte`);
  const now = deps.clock().toISOString();
  const fresh: Granskning = {
    id: input.granskningId,
    handling: input.diarienummer,
    arende: input.arende,
    status: 'pagar',
    startad: now,
    steg,
    utfall: null,
    avgjord: null,
    granskare: deps.config.beredningsgrupp.map((g) => ({
      id: g.id,
      namn: g.namn,
      epost: g.epost,
      organisation: g.organisation,
    })),
  };
  // Just created: nothing is done yet and no link exists to decide with, so there is nothing to read back.
  const created = await deps.granskningar.create(fresh, taskToken);
  let granskning = fresh;
  let beslut: Beslut[] = [];
  if (!created) {
    await deps.granskningar.setTaskToken(input.granskningId, taskToken, steg);
    const stored = await deps.granskningar.get(input.granskningId);
    if (!stored) throw new Error(`Granskningen ${input.granskningId} saknas`);
    granskning = stored;
    beslut = await deps.granskningar.listBeslut(input.granskningId);
  }
  // A decision may have been reached while the previous token timed out: hand it over at once.
  if (granskning.status === 'avgjord' && granskning.utfall) {
    await deps.callback.sendSuccess(taskToken, { utfall: granskning.utfall, beslut });
    return;
  }

  const answered = new Set(beslut.map((b) => b.granskareId));
  const waiting = deps.config.beredningsgrupp.filter((g) => !answered.has(g.id));
  const done = new Set(granskning.utfort ?? []);
  if (steg === 'notifiera' && ersattAv(handling) && granskning.status === 'pagar') {
    // A new version was registered before this granskning's first step ran (so the new one's first step found
    // nothing to close): it ends here as replaced, and only members already invited (a crashed earlier try) are
    // told of it.
    await deps.granskningar.markUtfort(granskning.id, ERSATT_FORE_UTSKICK);
    await deps.granskningar.close(granskning.id, 'ersatt', now);
    await deps.callback.sendSuccess(taskToken, { utfall: 'ersatt', beslut });
    return;
  }
  if (steg === 'notifiera') {
    await avslutaErsatta(deps, handling, granskning);
    // Not "only if created": a Lambda that failed half-way, or a replay, must finish what is missing, once.
    await mailLinks(deps, granskning, handling, deps.config.beredningsgrupp, 'notifiera');
    if (!done.has('notifiera:status')) {
      await deps.diarium.updateHandling(
        handling.diarienummer,
        { granskning: 'pagar' },
        {
          handelse: 'granskning-startad',
          av: 'system',
          data: { granskning: granskning.id, granskare: deps.config.beredningsgrupp.map((g) => g.id) },
        },
      );
      await setArendeStatus(deps, handling.arende, 'under-granskning', {
        handelse: 'arende-status',
        av: 'system',
        data: { status: 'under-granskning' },
      });
      await deps.granskningar.markUtfort(granskning.id, 'notifiera:status');
    }
    await kvittensEfterFrigivning(deps, handling, granskning);
  } else if (steg === 'paminn') {
    await mailLinks(deps, granskning, handling, waiting, 'paminn');
    if (!done.has('paminn:logg')) {
      await deps.diarium.appendLog(handling.arende, {
        handelse: 'granskning-paminnelse',
        av: 'system',
        data: { granskning: granskning.id, till: waiting.map((g) => g.id) },
      });
      await deps.granskningar.markUtfort(granskning.id, 'paminn:logg');
    }
  } else if (!done.has('eskalera:mail')) {
    await sendAbout(
      deps,
      handling,
      'eskalering',
      eskaleringsMail({
        till: deps.config.forbundschefEmail,
        handling,
        insatsnamn: slutrapport(handling)?.insatsnamn ?? handling.beskrivning,
        ejBesvarat: waiting.map((g) => `${g.namn}, ${g.organisation}`),
      }),
    );
    await deps.diarium.appendLog(handling.arende, {
      handelse: 'granskning-eskalerad',
      av: 'system',
      data: { granskning: granskning.id, ejBesvarat: waiting.map((g) => g.id) },
    });
    await deps.granskningar.markUtfort(granskning.id, 'eskalera:mail');
  }
}

export type LinkView =
  | { typ: 'saknas' }
  | { typ: 'utgangen'; lank: Lank }
  /** The granskning ended because a new version of the report came in (`nyVersion`, when known). */
  | { typ: 'ersatt'; lank: Lank; granskning: Granskning; nyVersion: string | null }
  | { typ: 'besvarad'; lank: Lank; beslut: Beslut | null; granskning: Granskning | null; alla: Beslut[] }
  | { typ: 'avslutad'; lank: Lank; granskning: Granskning; handling: Handling | null; alla: Beslut[] }
  | {
      typ: 'oppen';
      lank: Lank;
      granskning: Granskning;
      handling: Handling;
      alla: Beslut[];
      tidigare: TidigareOmgang | null;
    };

/** The earlier round of the handling's ärende (after a komplettering), with its answers and the differences. */
async function tidigareOmgang(
  deps: { granskningar: GranskningRepository; diarium: DiariumReader },
  handling: Handling,
): Promise<TidigareOmgang | null> {
  const detaljer = await deps.diarium.getArendeDetaljer(handling.arende);
  const fore = detaljer ? tidigareRapport(handling, detaljer.handlingar) : null;
  if (!fore) return null;
  const id = granskningIdFor(fore.diarienummer);
  const [granskning, beslut] = await Promise.all([
    deps.granskningar.get(id),
    deps.granskningar.listBeslut(id),
  ]);
  const a = slutrapport(fore);
  const b = slutrapport(handling);
  return { handling: fore, granskning, beslut, jamforelse: a && b ? jamforRapporter(a, b) : null };
}

/** What a link shows. Reading never changes anything (mail scanners open every link). */
export async function viewLink(
  deps: { granskningar: GranskningRepository; diarium: DiariumReader; clock: () => Date },
  linkId: string,
): Promise<LinkView> {
  const lank = await deps.granskningar.getLink(hashLinkId(linkId));
  if (!lank) return { typ: 'saknas' };
  const [granskning, alla] = await Promise.all([
    deps.granskningar.get(lank.granskningId),
    deps.granskningar.listBeslut(lank.granskningId),
  ]);
  if (granskning?.utfall === 'ersatt') {
    const handling = await deps.diarium.getHandling(granskning.handling);
    return { typ: 'ersatt', lank, granskning, nyVersion: handling ? ersattAv(handling) : null };
  }
  if (lank.anvand) {
    const beslut = alla.find((b) => b.granskareId === lank.granskareId);
    return { typ: 'besvarad', lank, beslut: beslut ?? null, granskning, alla };
  }
  if (!granskning) return { typ: 'saknas' };
  if (granskning.status === 'avgjord') {
    const handling = await deps.diarium.getHandling(granskning.handling);
    return { typ: 'avslutad', lank, granskning, handling, alla };
  }
  if (Date.parse(lank.giltigTill) <= deps.clock().getTime()) return { typ: 'utgangen', lank };
  const handling = await deps.diarium.getHandling(granskning.handling);
  if (!handling) return { typ: 'saknas' };
  const tidigare = await tidigareOmgang(deps, handling);
  return { typ: 'oppen', lank, granskning, handling, alla, tidigare };
}

/**
 * The end of a granskning replaced by a new version: no decision is filed and the ärende keeps the status the new
 * version's granskning gives it; the handling is marked ej aktuell and every member is told once, by name of the
 * new version.
 */
async function avslutaSomErsatt(
  deps: Omit<GranskningDeps, 'callback'>,
  handling: Handling,
  granskning: Granskning | null,
  step: (namn: string, run: () => Promise<unknown>) => Promise<void>,
): Promise<{ utfall: Slututfall; beslutshandling: null }> {
  const nyVersion = ersattAv(handling);
  await step('handling-status', async () => {
    if (handling.granskning === 'ej-aktuell') return;
    await deps.diarium.updateHandling(
      handling.diarienummer,
      { granskning: 'ej-aktuell' },
      {
        handelse: 'granskning-avslutad',
        av: 'system',
        data: { granskning: granskning?.id ?? null, utfall: 'ersatt', ersattAv: nyVersion },
      },
    );
  });
  const konfigurerade = new Map(deps.config.beredningsgrupp.map((g) => [g.id, g]));
  const insatsnamn = slutrapport(handling)?.insatsnamn ?? handling.beskrivning;
  const utfort = new Set(granskning?.utfort ?? []);
  const inbjudna = (granskning?.granskare ?? []).filter(
    (g) => !utfort.has(ERSATT_FORE_UTSKICK) || utfort.has(`notifiera:mail:${g.id}`),
  );
  const ledamoter = await Promise.allSettled(
    inbjudna.map((g) =>
      step(`mail-ledamot:${g.id}`, () =>
        sendAbout(
          deps,
          handling,
          'utfall',
          ersattLedamotMail({
            till: recipient(konfigurerade.get(g.id) ?? g),
            handling,
            insatsnamn,
            nyVersion,
          }),
        ),
      ),
    ),
  );
  const failed = ledamoter.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  return { utfall: 'ersatt', beslutshandling: null };
}

export type BeslutOutcome =
  { typ: 'registrerat'; beslut: Beslut; avgjort: Utfall | null } | Exclude<RecordBeslutResult, { ok: true }>;

/**
 * Records one member's answer once; when the policy is met, resumes the workflow.
 *
 * The rule is evaluated on the answers as they stand at a version of the granskning, and the answer is written on
 * condition that the version is unchanged, deciding the granskning in the same write when the rule decides. Two
 * answers posted at the same moment are thus taken one after the other: once the rule has decided, a later answer
 * finds the granskning closed and is refused, and every answer counted is in the beslut.
 */
export async function recordBeslut(
  deps: GranskningDeps,
  lank: Lank,
  utfall: Svar,
  kommentar: string | null,
): Promise<BeslutOutcome> {
  let now = deps.clock().toISOString();
  let beslut: Beslut = {
    granskningId: lank.granskningId,
    granskareId: lank.granskareId,
    namn: lank.namn,
    organisation: lank.organisation,
    utfall,
    kommentar,
    tidpunkt: now,
  };
  let granskning: Granskning | null = null;
  let avgjort: Utfall | null = null;
  let alla: Beslut[] = [];
  // Each retry means another answer was recorded in between; the group is small, so this ends quickly.
  for (let forsok = 0; ; forsok++) {
    if (forsok > 0) {
      // Timed when it is recorded, after the answer that came in between: the beslut lists answers in the order
      // they counted.
      now = deps.clock().toISOString();
      beslut = { ...beslut, tidpunkt: now };
    }
    granskning = await deps.granskningar.get(lank.granskningId);
    if (!granskning) return { ok: false, orsak: 'saknas' };
    if (granskning.status !== 'pagar') return { ok: false, orsak: 'avslutad' };
    const tidigare = await deps.granskningar.listBeslut(lank.granskningId);
    alla = [...tidigare.filter((b) => b.granskareId !== lank.granskareId), beslut];
    avgjort = evaluate(alla, deps.config.policy, granskning.granskare.length);
    const res = await deps.granskningar.recordBeslut(lank, beslut, now, {
      version: granskning.version ?? 0,
      avgjort,
    });
    if (res.ok) break;
    if (res.orsak !== 'andrad' || forsok >= 20) return res;
  }
  await deps.diarium.appendLog(granskning.arende, {
    handelse: utfall === 'jav' ? 'granskning-jav' : 'granskningsbeslut',
    av: `${lank.namn} (${lank.organisation})`,
    data: {
      granskning: granskning.id,
      handling: granskning.handling,
      granskare: lank.granskareId,
      utfall,
      kommentar,
      tidpunkt: now,
    },
  });
  if (avgjort) {
    // Only the answer that decided gets here. If the token expired in between, the next step (reminder) finds the
    // granskning decided and resumes the workflow itself.
    const token = await deps.granskningar.getTaskToken(granskning.id);
    if (token) await deps.callback.sendSuccess(token, { utfall: avgjort, beslut: alla });
  }
  return { typ: 'registrerat', beslut, avgjort };
}

/**
 * The end of a granskning: statuses, the decision filed as an upprättad handling, and the mails.
 * Lambda retries run this again: every step is marked done on the granskning (a conditional write) and
 * skipped the next time, so no mail goes out twice and no audit entry is doubled.
 */
export async function finalizeGranskning(
  deps: Omit<GranskningDeps, 'callback'>,
  input: GranskningInput & { beslut: GranskningsResultat },
): Promise<{ utfall: Slututfall; beslutshandling: string | null }> {
  const handling = await deps.diarium.getHandling(input.diarienummer);
  if (!handling) throw new Error(`Handlingen ${input.diarienummer} finns inte`);
  const now = deps.clock().toISOString();
  await deps.granskningar.close(input.granskningId, input.beslut.utfall, now);
  // The granskning item is the record: a decision reached just as the last wait timed out wins over "inget beslut".
  const granskning = await deps.granskningar.get(input.granskningId);
  const utfall: Slututfall = granskning?.utfall ?? input.beslut.utfall;
  const beslut = granskning ? await deps.granskningar.listBeslut(granskning.id) : input.beslut.beslut;
  const done = new Set(granskning?.utfort ?? []);
  const step = async (namn: string, run: () => Promise<unknown>): Promise<void> => {
    if (done.has(`avslut:${namn}`)) return;
    await run();
    if (granskning) await deps.granskningar.markUtfort(granskning.id, `avslut:${namn}`);
  };
  if (utfall === 'ersatt') return avslutaSomErsatt(deps, handling, granskning, step);

  const status =
    utfall === 'godkand' ? 'godkand' : utfall === 'komplettering' ? 'komplettering-begard' : 'inget-beslut';
  await step('handling-status', async () => {
    if (handling.granskning === status) return;
    await deps.diarium.updateHandling(
      handling.diarienummer,
      { granskning: status },
      { handelse: 'granskning-avslutad', av: 'system', data: { granskning: input.granskningId, utfall } },
    );
  });
  await step('arende-status', () =>
    setArendeStatus(
      deps,
      handling.arende,
      utfall === 'godkand' ? 'godkant' : utfall === 'komplettering' ? 'komplettering-begard' : 'oppet',
      { handelse: 'arende-status', av: 'system', data: { utfall } },
    ),
  );
  // The decision is itself an allmän handling (upprättad), filed in the same ärende; the source key makes it once.
  const insatsnamn = slutrapport(handling)?.insatsnamn ?? handling.beskrivning;
  const beskrivning =
    utfall === 'godkand'
      ? `Beslut: slutrapport ${handling.diarienummer} godkänd av beredningsgruppen`
      : utfall === 'komplettering'
        ? `Beslut: komplettering begärd av slutrapport ${handling.diarienummer}`
        : `Granskning av ${handling.diarienummer} avslutad utan beslut`;
  // The decision as a document, filed before the handling that records it (content-addressed, so a retry writes
  // the same object) and registered as that handling's file.
  const dokument = beslutsdokument({
    handling,
    insatsnamn,
    insatsagare: slutrapport(handling)?.organisation || handling.avsandare.organisation,
    utfall,
    beslut,
    policy: deps.config.policy,
    avgjord: granskning?.avgjord ?? now,
    granskningId: input.granskningId,
  });
  const bytes = new TextEncoder().encode(dokument.text);
  const sha = createHash('sha256').update(bytes).digest('hex');
  const nyckel = await deps.documents.file('beslut', {
    sha256: sha,
    filnamn: dokument.filnamn,
    bytes,
    contentType: 'text/plain; charset=utf-8',
  });
  const fil: StoredFile = {
    filnamn: dokument.filnamn,
    sha256: sha,
    storlek: bytes.length,
    typ: 'text',
    nyckel,
    rapport: false,
  };
  // The beslut as PDF (fonts embedded, text extractable); the text file stays as its accessible twin.
  const pdf = await beslutPdf({
    text: dokument.text,
    titel: dokument.filnamn.replace(/\.txt$/, ''),
    avgjord: granskning?.avgjord ?? now,
  });
  const pdfSha = createHash('sha256').update(pdf).digest('hex');
  const pdfNamn = dokument.filnamn.replace(/\.txt$/, '.pdf');
  const pdfFil: StoredFile = {
    filnamn: pdfNamn,
    sha256: pdfSha,
    storlek: pdf.length,
    typ: 'pdf',
    nyckel: await deps.documents.file('beslut', {
      sha256: pdfSha,
      filnamn: pdfNamn,
      bytes: pdf,
      contentType: 'application/pdf',
    }),
    rapport: false,
  };
  const nh: NewHandling = {
    mottagen: now,
    // An upprättad handling is dated when it is drawn up, in Swedish time (not the UTC date).
    ankomstdatum: ankomstdatum(now),
    ankomstAndrad: null,
    kalla: 'upprattad',
    kallaReferens: `granskning:${input.granskningId}`,
    avsandare: {
      namn: 'Beredningsgruppen',
      epost: null,
      kuvertAvsandare: null,
      organisation: 'Samordningsförbund Gävleborg',
    },
    beskrivning,
    bedomning: 'komplett',
    fel: [],
    varningar: [],
    filer: [fil, pdfFil],
    personnummer: [],
    sekretess: false,
    flaggor: [],
    granskning: 'ej-aktuell',
    makulerad: null,
    kvittens: null,
    rapport: { typ: 'beslut', utfall, granskadHandling: handling.diarienummer, beslut },
  };
  const { handling: beslutshandling } = await deps.diarium.registerHandling(
    { typ: 'befintligt', diarienummer: handling.arende },
    nh,
    `granskning#${input.granskningId}`,
  );
  const insatsagare = handling.avsandare.epost ?? handling.avsandare.kuvertAvsandare;
  const mail = (till: string) =>
    utfallMail({
      till: [till],
      handling,
      insatsnamn,
      utfall,
      beslut,
      beslutsdiarienummer: beslutshandling.diarienummer,
    });
  if (utfall !== 'inget-beslut' && insatsagare) {
    await step('mail-insatsagare', () => sendAbout(deps, handling, 'utfall', mail(insatsagare)));
  }
  await step('mail-kansli', () => sendAbout(deps, handling, 'utfall', mail(deps.config.kansliEmail)));
  // Every member hears how it ended, also those who never answered; each mail is its own step, so a retry
  // mails only those not yet told.
  const avgjord = granskning?.avgjord ?? now;
  // The members as the granskning recorded them at its start (finalize is not configured with the group); one
  // marked away in this function's config is told through the ersättare who answered in their place.
  const konfigurerade = new Map(deps.config.beredningsgrupp.map((g) => [g.id, g]));
  const ledamoter = await Promise.allSettled(
    (granskning?.granskare ?? []).map((g) =>
      step(`mail-ledamot:${g.id}`, () =>
        sendAbout(
          deps,
          handling,
          'utfall',
          utfallLedamotMail({
            till: recipient(konfigurerade.get(g.id) ?? g),
            handling,
            insatsnamn,
            utfall,
            regel: beslutsregel(deps.config.policy),
            avgjord,
            beslut,
          }),
        ),
      ),
    ),
  );
  const failed = ledamoter.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  return { utfall, beslutshandling: beslutshandling.diarienummer };
}

/**
 * The granskning moves the ärende's status, except out of `avslutat`: an ärende the kansli closed stays closed
 * (the granskning's outcome is still logged on the handling); only the kansli reopens it.
 */
async function setArendeStatus(
  deps: { diarium: ArendeLog & DiariumReader },
  arende: string,
  status: Arende['status'],
  log: { handelse: string; av: string; data: Record<string, unknown> },
): Promise<void> {
  const current = await deps.diarium.getArende(arende);
  if (current?.status === 'avslutat') return;
  await deps.diarium.updateArendeStatus(arende, status, log);
}
