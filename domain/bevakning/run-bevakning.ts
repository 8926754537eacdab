import { ankomstdatum } from '../diarium/ankomstdatum.js';
import { DiariumRegelError } from '../diarium/errors.js';
import type { ArendeLog, DiariumReader, InsatsRegister, MailSender, OutgoingMail } from '../diarium/ports.js';
import type { Handling, Insats } from '../diarium/types.js';
import type { Log } from '../log.js';
import { kansliListaMail, kompletteringPaminnelseMail, rapportPaminnelseMail } from './mail.js';
import { bevakningsnyckel, type BevakningStore } from './ports.js';
import {
  BEVAKNING_HANDELSE,
  STEG,
  type BevakningConfig,
  type BevakningResultat,
  type KompletteringBevakning,
  type RapportBevakning,
} from './types.js';

export interface BevakningDeps {
  repo: DiariumReader & ArendeLog & InsatsRegister;
  store: BevakningStore;
  mailer: MailSender;
  log: Log;
  config: BevakningConfig & { kansliEmail: string };
}

/** ÅÅÅÅ-MM-DD plus whole days (calendar arithmetic in UTC, so no DST hour moves a date). */
export function addDays(datum: string, dagar: number): string {
  const [y, m, d] = datum.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + dagar)).toISOString().slice(0, 10);
}

export function daysBetween(fran: string, till: string): number {
  return Math.round((Date.parse(`${till}T00:00:00Z`) - Date.parse(`${fran}T00:00:00Z`)) / 86_400_000);
}

/** A handling that came in from outside (not one we drew up or sent, not voided, not quarantined). */
function inkommen(h: Handling): boolean {
  // A moved handling's stub is not a report received in this ärende; it counts where it was moved to.
  return h.kalla !== 'upprattad' && !h.makulerad && !h.flyttad && h.bedomning !== 'karantan';
}

/**
 * The daily follow-up. Pure of time and place: `now` decides the Stockholm date; every mail is sent only after
 * its step (insats or request, step) is claimed by a conditional write, so a second run the same day, or a run
 * retried after a failure, sends nothing twice. State is derived from the diarium each run, so a missed day
 * catches up: the next run takes whatever step is due by then.
 */
export async function runBevakning(deps: BevakningDeps, now: Date): Promise<BevakningResultat> {
  const datum = ankomstdatum(now.toISOString());
  const nu = now.toISOString();
  const fel: unknown[] = [];
  const rapporter: RapportBevakning[] = [];
  const kompletteringar: KompletteringBevakning[] = [];

  /** Claims the step, sends, and gives the step back if the mail could not go. */
  const sendOnce = async (nyckel: string, steg: string, mail: OutgoingMail): Promise<boolean> => {
    if (!(await deps.store.claimSteg(nyckel, steg, nu))) return false;
    try {
      await deps.mailer.send(mail);
      return true;
    } catch (err) {
      await deps.store.releaseSteg(nyckel, steg);
      throw err;
    }
  };

  for (const insats of await deps.repo.listInsatser()) {
    try {
      const r = await bevakaInsats(deps, insats, datum, nu, sendOnce);
      rapporter.push(r.rapport);
      if (r.komplettering) kompletteringar.push(r.komplettering);
    } catch (err) {
      deps.log('error', `Bevakningen av ${insats.id} misslyckades`, { fel: String(err) });
      fel.push(err);
    }
  }

  const forsenade = rapporter.filter((r) => r.status === 'forsenad');
  const obesvarade = kompletteringar.filter((k) => k.status === 'obesvarad');
  let kansliListaSkickad = false;
  if (forsenade.length + obesvarade.length > 0) {
    kansliListaSkickad = await sendOnce(
      bevakningsnyckel.kansli,
      STEG.kansliLista(datum),
      kansliListaMail(deps.config.kansliEmail, datum, forsenade, obesvarade),
    );
  }
  // Everything that could be done is done; a failure makes the run fail so the schedule's retry takes it again.
  if (fel.length > 0) throw new AggregateError(fel, `Bevakningen misslyckades för ${fel.length} insats(er)`);
  return { datum, rapporter, kompletteringar, kansliListaSkickad };
}

async function bevakaInsats(
  deps: BevakningDeps,
  insats: Insats,
  datum: string,
  nu: string,
  sendOnce: (nyckel: string, steg: string, mail: OutgoingMail) => Promise<boolean>,
): Promise<{ rapport: RapportBevakning; komplettering: KompletteringBevakning | null }> {
  const nyckel = bevakningsnyckel.insats(insats.id);
  const state = await deps.store.getBevakning(nyckel);
  const taget = new Set(state.steg.map((s) => s.steg));
  const forfallodatum =
    state.datum?.datum ??
    (insats.insatstidSlut ? addDays(insats.insatstidSlut, deps.config.rapportDagar) : null);
  const arende =
    insats.arende ?? (await deps.repo.findArendeByInsatsnyckel(`insats:${insats.id}`))?.diarienummer ?? null;
  const detaljer = arende ? await deps.repo.getArendeDetaljer(arende) : null;
  const handlingar = [...(detaljer?.handlingar ?? [])].sort((a, b) => a.handlingsnummer - b.handlingsnummer);
  const forsta = handlingar.find(inkommen) ?? null;
  const kontakt = insats.kontakt ?? null;
  const rapport: RapportBevakning = {
    insatsId: insats.id,
    insatsnamn: insats.namn,
    organisation: insats.organisation,
    arende,
    forfallodatum,
    andrat: state.datum !== null,
    kontakt,
    status: 'kommande',
    stangdAv: null,
    skickat: [],
  };
  const logga = async (handelse: string, data: Record<string, unknown>) => {
    if (arende)
      await deps.repo.appendLog(arende, { handelse, av: 'bevakning', data: { insats: insats.id, ...data } });
  };

  if (forsta) {
    rapport.status = 'stangd';
    rapport.stangdAv = forsta.diarienummer;
    if (!taget.has(STEG.stangd) && (await deps.store.claimSteg(nyckel, STEG.stangd, nu))) {
      await logga(BEVAKNING_HANDELSE.stangd, { forfallodatum, handling: forsta.diarienummer });
    }
    const komplettering = await bevakaKomplettering(
      deps,
      handlingar,
      kontakt ?? forsta.avsandare.epost,
      datum,
      sendOnce,
    );
    return { rapport, komplettering };
  }
  if (!forfallodatum) {
    rapport.status = 'saknar-datum';
    return { rapport, komplettering: null };
  }
  const fore = addDays(forfallodatum, -deps.config.paminnelseForeDagar);
  const efter = addDays(forfallodatum, deps.config.paminnelseEfterDagar);
  rapport.status = datum > forfallodatum ? 'forsenad' : datum >= fore ? 'snart' : 'kommande';
  if (!kontakt) return { rapport, komplettering: null };

  const paminn = async (steg: 'fore' | 'efter') => {
    const namn = steg === 'fore' ? STEG.fore : STEG.efter;
    if (taget.has(namn)) return;
    if (await sendOnce(nyckel, namn, rapportPaminnelseMail(rapport, kontakt, steg))) {
      rapport.skickat.push(namn);
      await logga(BEVAKNING_HANDELSE.paminnelse, { steg: namn, till: kontakt, forfallodatum });
    }
  };
  if (datum >= efter) {
    // A run that missed the days before the due date sends only the reminder that still makes sense.
    if (!taget.has(STEG.fore)) await deps.store.claimSteg(nyckel, STEG.fore, nu);
    await paminn('efter');
  } else if (datum >= fore && datum <= forfallodatum) {
    await paminn('fore');
  }
  return { rapport, komplettering: null };
}

/**
 * The open komplettering request of an ärende, if any: the latest incoming report was incomplete or unreadable
 * (its kvittens asked for a komplettering), or a later beslut asked for one; nothing has come in since.
 */
async function bevakaKomplettering(
  deps: BevakningDeps,
  handlingar: Handling[],
  kontakt: string | null,
  datum: string,
  sendOnce: (nyckel: string, steg: string, mail: OutgoingMail) => Promise<boolean>,
): Promise<KompletteringBevakning | null> {
  const senasteInkommen = handlingar.filter(inkommen).at(-1);
  if (!senasteInkommen) return null;
  const beslut = handlingar
    .filter(
      (h) =>
        !h.makulerad &&
        h.handlingsnummer > senasteInkommen.handlingsnummer &&
        h.rapport.typ === 'beslut' &&
        h.rapport.utfall === 'komplettering',
    )
    .at(-1);
  const begaran =
    beslut ??
    (senasteInkommen.bedomning === 'ofullstandig' || senasteInkommen.bedomning === 'olasbar'
      ? senasteInkommen
      : null);
  if (!begaran) return null;
  const dagar = daysBetween(begaran.ankomstdatum, datum);
  const k: KompletteringBevakning = {
    arende: begaran.arende,
    handling: begaran.diarienummer,
    begard: begaran.ankomstdatum,
    dagar,
    kontakt,
    status: dagar >= deps.config.kompletteringDagar ? 'obesvarad' : 'vantar',
    skickat: [],
  };
  if (k.status === 'obesvarad' && kontakt) {
    const nyckel = bevakningsnyckel.komplettering(begaran.diarienummer);
    if (await sendOnce(nyckel, STEG.komplettering, kompletteringPaminnelseMail(k, kontakt))) {
      k.skickat.push(STEG.komplettering);
      await deps.repo.appendLog(k.arende, {
        handelse: BEVAKNING_HANDELSE.kompletteringPaminnelse,
        av: 'bevakning',
        data: { handling: k.handling, till: kontakt, begard: k.begard },
      });
    }
  }
  return k;
}

/** The kansli sets (or with null removes) an insats's own due date; logged in the ärende when there is one. */
export async function sattBevakningsdatum(
  deps: Pick<BevakningDeps, 'repo' | 'store'>,
  insatsId: string,
  datum: string | null,
  av: string,
): Promise<void> {
  const insats = (await deps.repo.listInsatser()).find((i) => i.id === insatsId);
  if (!insats) throw new DiariumRegelError(`Insatsen ${insatsId} finns inte i insatsregistret.`);
  if (datum !== null && !/^\d{4}-\d{2}-\d{2}$/.test(datum))
    throw new DiariumRegelError(`Ange datumet som ÅÅÅÅ-MM-DD (fick "${datum}").`);
  await deps.store.setDatum(bevakningsnyckel.insats(insatsId), datum === null ? null : { datum, av });
  const arende =
    insats.arende ?? (await deps.repo.findArendeByInsatsnyckel(`insats:${insats.id}`))?.diarienummer ?? null;
  if (arende)
    await deps.repo.appendLog(arende, {
      handelse: BEVAKNING_HANDELSE.datumAndrat,
      av,
      data: { insats: insatsId, datum },
    });
}
