import { ankomstdatum } from './ankomstdatum.js';
import { HANDELSE } from './audit.js';
import { parseHandlingNummer, formatArende } from './diarienummer.js';
import { DiariumRegelError, HandlingNotFoundError } from './errors.js';
import type { ArendeLog, DiariumReader, EventPublisher } from './ports.js';
import type { ArendeStatus, Handling } from './types.js';
import { verifieraLogg, type Verifiering } from './verifiera.js';

/** The kansli's actions on the diarium. Each is written to the ärende's audit log with who did it and why. */
export interface KansliDeps {
  repo: DiariumReader & ArendeLog;
  clock: () => Date;
}

function required(value: string, what: string): string {
  const v = value.trim();
  if (!v) throw new DiariumRegelError(`${what} måste anges.`);
  return v;
}

async function handlingOrThrow(repo: DiariumReader, dnr: string): Promise<Handling> {
  const h = await repo.getHandling(dnr);
  if (!h) throw new HandlingNotFoundError(`Handlingen ${dnr} finns inte i diariet.`);
  return h;
}

/**
 * Voids a registration made by mistake. It keeps its diarienummer and stays in the diarium and the
 * postlista as makulerad; nothing is deleted (arkivlagen). Voiding twice is refused.
 */
export async function makuleraHandling(
  deps: KansliDeps,
  diarienummer: string,
  input: { skal: string; av: string },
): Promise<Handling> {
  const skal = required(input.skal, 'Skäl för makulering');
  const av = required(input.av, 'Vem som makulerar');
  await handlingOrThrow(deps.repo, diarienummer);
  const tidpunkt = deps.clock().toISOString();
  return deps.repo.updateHandling(
    diarienummer,
    { makulerad: { av, skal, tidpunkt } },
    { handelse: HANDELSE.handlingMakulerad, av, data: { handling: diarienummer, skal } },
    (current) => {
      if (current.makulerad) {
        throw new DiariumRegelError(
          `Handlingen ${diarienummer} makulerades redan ${current.makulerad.tidpunkt.slice(0, 10)} av ${current.makulerad.av}.`,
        );
      }
    },
  );
}

/**
 * Corrects the arrival time of a document registered late (it reached the authority earlier than the event
 * that registered it, e.g. a letter found in a colleague's inbox). The original time is kept in
 * `ankomstAndrad.ursprunglig` and the change is logged with who and why. The diarienummer does not change.
 */
export async function korrigeraAnkomstdatum(
  deps: KansliDeps,
  diarienummer: string,
  input: { tid: string; skal: string; av: string },
): Promise<Handling> {
  const skal = required(input.skal, 'Skäl för ändrad ankomsttid');
  const av = required(input.av, 'Vem som ändrar');
  // An ISO time with an explicit zone: a bare local time would be ambiguous at the autumn DST switch.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(input.tid.trim())) {
    throw new DiariumRegelError(
      `Ange tiden som ISO 8601 med tidszon, t.ex. 2026-03-29T01:30:00+01:00 (fick "${input.tid}").`,
    );
  }
  const t = new Date(input.tid.trim());
  if (Number.isNaN(t.getTime())) throw new DiariumRegelError(`Ogiltig tidpunkt: ${input.tid}`);
  if (t.getTime() > deps.clock().getTime())
    throw new DiariumRegelError('Ankomsttiden kan inte ligga i framtiden.');
  const mottagen = t.toISOString();
  const dag = ankomstdatum(mottagen);
  const before = await handlingOrThrow(deps.repo, diarienummer);
  if (before.mottagen === mottagen) return before;
  return deps.repo.updateHandling(
    diarienummer,
    {
      mottagen,
      ankomstdatum: dag,
      ankomstAndrad: { av, skal, ursprunglig: before.ankomstAndrad?.ursprunglig ?? before.mottagen },
    },
    {
      handelse: HANDELSE.ankomstAndrad,
      av,
      data: {
        handling: diarienummer,
        fran: before.mottagen,
        franAnkomstdatum: before.ankomstdatum,
        till: mottagen,
        tillAnkomstdatum: dag,
        skal,
      },
    },
    (current) => {
      if (current.makulerad) throw new DiariumRegelError(`Handlingen ${diarienummer} är makulerad.`);
      if (current.mottagen !== before.mottagen) {
        throw new DiariumRegelError(
          `Ankomsttiden för ${diarienummer} ändrades samtidigt av någon annan; försök igen.`,
        );
      }
    },
  );
}

/**
 * Releases a handling held back because SES flagged it (spam or DMARC): the kansli has checked it, so it
 * goes to granskning. Releasing again after a crash re-publishes the request; starting the granskning is
 * idempotent per diarienummer.
 */
export async function frigeHandling(
  deps: KansliDeps & { events: EventPublisher },
  diarienummer: string,
  input: { av: string },
): Promise<{ handling: Handling; redanFrigiven: boolean }> {
  const av = required(input.av, 'Vem som släpper handlingen');
  const h = await handlingOrThrow(deps.repo, diarienummer);
  let handling = h;
  let redanFrigiven = false;
  if (h.granskning === 'vantar-pa-kansliet') {
    handling = await deps.repo.updateHandling(
      diarienummer,
      { granskning: 'pagar' },
      { handelse: HANDELSE.handlingFrigiven, av, data: { handling: diarienummer, flaggor: h.flaggor } },
      (current) => {
        if (current.makulerad) throw new DiariumRegelError(`Handlingen ${diarienummer} är makulerad.`);
        if (current.granskning !== 'vantar-pa-kansliet') {
          throw new DiariumRegelError(
            `Handlingen ${diarienummer} väntar inte på kansliet (granskning: ${current.granskning}).`,
          );
        }
      },
    );
  } else if (h.granskning === 'pagar' && (await wasReleased(deps.repo, h))) {
    redanFrigiven = true;
  } else {
    throw new DiariumRegelError(
      `Handlingen ${diarienummer} väntar inte på kansliet (granskning: ${h.granskning}).`,
    );
  }
  await deps.events.granskningBegard({ diarienummer, arende: handling.arende, av });
  return { handling, redanFrigiven };
}

async function wasReleased(repo: DiariumReader, h: Handling): Promise<boolean> {
  const d = await repo.getArendeDetaljer(h.arende);
  return (d?.logg ?? []).some(
    (e) => e.handelse === HANDELSE.handlingFrigiven && e.data['handling'] === h.diarienummer,
  );
}

/** Verifies an ärende's audit log (accepts the ärende's or one of its handlingar's diarienummer). */
export async function verifieraArende(
  repo: DiariumReader & ArendeLog,
  diarienummer: string,
): Promise<Verifiering> {
  const h = parseHandlingNummer(diarienummer);
  const arende = h ? formatArende(h) : diarienummer.trim();
  const d = await repo.getArendeDetaljer(arende);
  if (!d) throw new HandlingNotFoundError(`Ärendet ${arende} finns inte i diariet.`);
  const huvud = await repo.getLogHuvud(arende);
  return verifieraLogg(arende, d.logg, d.handlingar, huvud);
}

/** An OSL reference as the kansli writes it: "OSL 26 kap. 1 §", "OSL 21 kap. 7 §", "26 kap. 1 § OSL". */
const OSL =
  /^(OSL\s+)?\d{1,2}\s*kap\.\s*\d{1,2}\s*[a-z]?\s*§(\s*(första|andra|tredje|fjärde|\d)\s*st(\.|ycket))?(\s+OSL)?$/i;

/**
 * Marks a handling secret under a provision of offentlighets- och sekretesslagen, with the text the postlista
 * shows instead (the public register keeps the handling, its date, number and sender; OSL 5:2). Marking an
 * already marked handling replaces the provision and the text (the log keeps both).
 */
export async function markeraSekretess(
  deps: KansliDeps,
  diarienummer: string,
  input: { osl: string; publikText: string; skal: string; av: string },
): Promise<Handling> {
  const av = required(input.av, 'Vem som markerar');
  const skal = required(input.skal, 'Skäl för sekretessmarkeringen');
  const osl = required(input.osl, 'Sekretessbestämmelse (OSL)').replace(/\s+/g, ' ');
  if (!OSL.test(osl))
    throw new DiariumRegelError(`Ange bestämmelsen som t.ex. "OSL 26 kap. 1 §" (fick "${input.osl}").`);
  const publikText = required(input.publikText, 'Offentlig text för postlistan');
  if (publikText.length > 300)
    throw new DiariumRegelError('Den offentliga texten får vara högst 300 tecken.');
  await handlingOrThrow(deps.repo, diarienummer);
  const tidpunkt = deps.clock().toISOString();
  return deps.repo.updateHandling(
    diarienummer,
    { sekretess: true, sekretessmarkering: { osl, publikText, av, tidpunkt } },
    { handelse: HANDELSE.sekretessMarkerad, av, data: { handling: diarienummer, osl, publikText, skal } },
    (current) => {
      if (current.makulerad) throw new DiariumRegelError(`Handlingen ${diarienummer} är makulerad.`);
    },
  );
}

/**
 * Lifts the sekretess of a handling (after a prövning found nothing secret, or the time has passed). The
 * marking is kept in the log; the postlista goes back to the handling's own public text.
 */
export async function havSekretess(
  deps: KansliDeps,
  diarienummer: string,
  input: { skal: string; av: string },
): Promise<Handling> {
  const av = required(input.av, 'Vem som häver sekretessen');
  const skal = required(input.skal, 'Skäl för att häva sekretessen');
  const before = await handlingOrThrow(deps.repo, diarienummer);
  return deps.repo.updateHandling(
    diarienummer,
    { sekretess: false, sekretessmarkering: null },
    {
      handelse: HANDELSE.sekretessHavd,
      av,
      data: { handling: diarienummer, osl: before.sekretessmarkering?.osl ?? null, skal },
    },
    (current) => {
      if (!current.sekretess)
        throw new DiariumRegelError(`Handlingen ${diarienummer} är inte markerad med sekretess.`);
    },
  );
}

/** Closes an ärende (nothing more is expected in it). The status it had is kept in the log for a reopening. */
export async function avslutaArende(
  deps: KansliDeps,
  diarienummer: string,
  input: { skal: string; av: string },
): Promise<void> {
  const av = required(input.av, 'Vem som avslutar');
  const skal = required(input.skal, 'Skäl för att avsluta ärendet');
  const a = await deps.repo.getArende(diarienummer);
  if (!a) throw new HandlingNotFoundError(`Ärendet ${diarienummer} finns inte i diariet.`);
  if (a.status === 'avslutat') throw new DiariumRegelError(`Ärendet ${diarienummer} är redan avslutat.`);
  await deps.repo.updateArendeStatus(diarienummer, 'avslutat', {
    handelse: HANDELSE.arendeAvslutat,
    av,
    data: { arende: diarienummer, fran: a.status, skal },
  });
}

/** Reopens a closed ärende, to the status it had when it was closed. */
export async function ateroppnaArende(
  deps: KansliDeps,
  diarienummer: string,
  input: { skal: string; av: string },
): Promise<ArendeStatus> {
  const av = required(input.av, 'Vem som återöppnar');
  const skal = required(input.skal, 'Skäl för att återöppna ärendet');
  const d = await deps.repo.getArendeDetaljer(diarienummer);
  if (!d) throw new HandlingNotFoundError(`Ärendet ${diarienummer} finns inte i diariet.`);
  if (d.arende.status !== 'avslutat')
    throw new DiariumRegelError(`Ärendet ${diarienummer} är inte avslutat.`);
  const senast = d.logg.filter((e) => e.handelse === HANDELSE.arendeAvslutat).at(-1)?.data['fran'];
  const status: ArendeStatus =
    typeof senast === 'string' && isArendeStatus(senast) && senast !== 'avslutat' ? senast : 'oppet';
  await deps.repo.updateArendeStatus(diarienummer, status, {
    handelse: HANDELSE.arendeAteroppnat,
    av,
    data: { arende: diarienummer, till: status, skal },
  });
  return status;
}

const ARENDESTATUSAR: readonly ArendeStatus[] = [
  'oppet',
  'under-granskning',
  'godkant',
  'komplettering-begard',
  'avslutat',
];
const isArendeStatus = (s: string): s is ArendeStatus => (ARENDESTATUSAR as readonly string[]).includes(s);
