import { createHash } from 'node:crypto';
import * as z from 'zod';
import { addDays } from '../bevakning/run-bevakning.js';
import { bevakningsnyckel, type BevakningStore } from '../bevakning/ports.js';
import { findDiarienummer, formatArende } from './diarienummer.js';
import { DiariumRegelError } from './errors.js';
import { parseBelopp, parseInsatsregister, skapaInsatsArende } from './insatsregister.js';
import type {
  DiariumReader,
  HandlingRegistry,
  InsatsRegisterRedigering,
  VersioneradInsats,
} from './ports.js';
import type { Insats } from './types.js';

/** Event names in the register's own log (and the linked ärende's). */
export const INSATS_HANDELSE = {
  tillagd: 'insats-tillagd',
  andrad: 'insats-andrad',
  importerat: 'insatsregister-importerat',
} as const;

export interface InsatsKansliDeps {
  register: InsatsRegisterRedigering;
  repo: Pick<DiariumReader, 'getArende' | 'findArendeByInsatsnyckel'> &
    Partial<Pick<HandlingRegistry, 'importArende'>>;
  bevakning: Pick<BevakningStore, 'getBevakning' | 'setDatum'>;
  /** Days after the end of the insatstid the slutrapport is due (the stage config's bevakning.rapportDagar). */
  rapportDagar: number;
  serie: string;
}

/** What an import needs: no bevakning (an import does not set due dates). */
export type ImportDeps = Pick<InsatsKansliDeps, 'register' | 'repo' | 'serie'>;

/** The fields a change is described by; `forfallodatum` is the kansli's own due date (bevakning). */
export type InsatsFalt = Exclude<keyof Insats, 'id'> | 'forfallodatum';

/** A change of these needs a reason in the logs: money, the ärende, and what decides the due date. */
export const SKAL_KRAVS: readonly InsatsFalt[] = [
  'beviljadeMedel',
  'arende',
  'insatstidSlut',
  'forfallodatum',
];

export type Andringar = Partial<
  Record<InsatsFalt, { fran: string | number | null; till: string | number | null }>
>;

export interface InsatsRad extends VersioneradInsats {
  /** The slutrapport's due date as bevakning counts it (ÅÅÅÅ-MM-DD), or null. */
  forfallodatum: string | null;
  /** The kansli's own due date for this insats, when set. */
  egetDatum: string | null;
}

const FALT: readonly Exclude<keyof Insats, 'id'>[] = [
  'namn',
  'organisation',
  'arende',
  'beviljadeMedel',
  'insatstidSlut',
  'kontakt',
];

const norm = (v: string | number | null | undefined) => (v === undefined || v === '' ? null : v);

export function jamfor(fore: Insats | null, efter: Insats): Andringar {
  const a: Andringar = {};
  for (const f of FALT) {
    const fran = norm(fore?.[f]);
    const till = norm(efter[f]);
    if (fran !== till) a[f] = { fran, till };
  }
  return a;
}

export function forfallodatum(insats: Insats, egetDatum: string | null, rapportDagar: number): string | null {
  return egetDatum ?? (insats.insatstidSlut ? addDays(insats.insatstidSlut, rapportDagar) : null);
}

/** The register as the page shows it, sorted by name, with each insats's due date from bevakning. */
export async function listaInsatser(deps: InsatsKansliDeps): Promise<InsatsRad[]> {
  const alla = await deps.register.listVersionerade();
  const rader = await Promise.all(
    alla.map(async (v) => {
      const state = await deps.bevakning.getBevakning(bevakningsnyckel.insats(v.insats.id));
      const eget = state.datum?.datum ?? null;
      return { ...v, egetDatum: eget, forfallodatum: forfallodatum(v.insats, eget, deps.rapportDagar) };
    }),
  );
  return rader.sort((a, b) => a.insats.namn.localeCompare(b.insats.namn, 'sv'));
}

export async function hamtaInsats(deps: InsatsKansliDeps, id: string): Promise<InsatsRad | null> {
  const v = await deps.register.getVersionerad(id);
  if (!v) return null;
  const eget = (await deps.bevakning.getBevakning(bevakningsnyckel.insats(id))).datum?.datum ?? null;
  return { ...v, egetDatum: eget, forfallodatum: forfallodatum(v.insats, eget, deps.rapportDagar) };
}

/** What the add and edit forms send, as text. */
export type InsatsFormular = Partial<
  Record<
    | 'id'
    | 'namn'
    | 'organisation'
    | 'arende'
    | 'beviljadeMedel'
    | 'insatstidSlut'
    | 'kontakt'
    | 'forfallodatum',
    string
  >
>;

export type FormularFel = Partial<Record<keyof InsatsFormular | 'skal', string>>;

const DATUM = /^\d{4}-\d{2}-\d{2}$/;
const giltigtDatum = (d: string) => DATUM.test(d) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

/** Reads the form into an insats and the kansli's due date (null: counted from the insatstid), or field errors. */
export function tolkaFormular(
  f: InsatsFormular,
  serie: string,
): { ok: true; insats: Insats; egetDatum: string | null } | { ok: false; fel: FormularFel } {
  const fel: FormularFel = {};
  const t = (k: keyof InsatsFormular) => (f[k] ?? '').trim();
  const id = t('id');
  if (id && !/^[a-z0-9][a-z0-9-]{0,79}$/.test(id))
    fel.id = 'Id får bara innehålla små bokstäver a–z, siffror och bindestreck (högst 80 tecken).';
  if (!t('namn')) fel.namn = 'Ange insatsens namn.';
  else if (t('namn').length > 200) fel.namn = 'Namnet får vara högst 200 tecken.';
  if (!t('organisation')) fel.organisation = 'Ange organisationen (insatsägaren).';
  else if (t('organisation').length > 200) fel.organisation = 'Organisationen får vara högst 200 tecken.';
  let arende: string | null = null;
  if (t('arende')) {
    const n = findDiarienummer(t('arende'), serie);
    if (!n) fel.arende = `Ange ärendet som ett ärendenummer i serien ${serie}, t.ex. ${serie} 21-3.`;
    else arende = formatArende(n);
  }
  const belopp = parseBelopp(t('beviljadeMedel'));
  if (belopp !== null && (Number.isNaN(belopp) || belopp < 0))
    fel.beviljadeMedel = 'Ange beviljade medel som ett belopp i kronor, t.ex. 2 458 000 kr.';
  if (t('insatstidSlut') && !giltigtDatum(t('insatstidSlut')))
    fel.insatstidSlut = 'Skriv insatstidens slut som ÅÅÅÅ-MM-DD.';
  if (t('forfallodatum') && !giltigtDatum(t('forfallodatum')))
    fel.forfallodatum = 'Skriv datumet som ÅÅÅÅ-MM-DD, eller lämna fältet tomt.';
  if (t('kontakt') && !z.email().safeParse(t('kontakt')).success)
    fel.kontakt = 'Ange kontakten som en e-postadress, t.ex. namn@kommun.se.';
  if (Object.keys(fel).length > 0) return { ok: false, fel };
  return {
    ok: true,
    insats: {
      id: id || slug(`${t('namn')} ${t('organisation')}`),
      namn: t('namn'),
      organisation: t('organisation'),
      arende,
      beviljadeMedel: belopp,
      ...(t('insatstidSlut') ? { insatstidSlut: t('insatstidSlut') } : {}),
      ...(t('kontakt') ? { kontakt: t('kontakt') } : {}),
    },
    egetDatum: t('forfallodatum') || null,
  };
}

const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);

export class FormularFelError extends DiariumRegelError {
  override name = 'FormularFelError';
  constructor(readonly fel: FormularFel) {
    super(Object.values(fel).join(' '));
  }
}

const kraverSkal = (a: Andringar) => SKAL_KRAVS.some((f) => f in a);

/**
 * The ärenden a change of the insats is logged in: the ones it names before and after that are in the diarium,
 * else the ärende the diarium opened for the insats (by its key). Empty: the register's own log only.
 */
async function arendenFor(deps: ImportDeps, fore: Insats | null, efter: Insats): Promise<string[]> {
  const namnda = [...new Set([efter.arende, fore?.arende].filter((a): a is string => !!a))];
  const finns = (
    await Promise.all(namnda.map(async (a) => ((await deps.repo.getArende(a)) ? a : null)))
  ).filter((a): a is string => a !== null);
  if (finns.length > 0) return finns;
  const viaNyckel = await deps.repo.findArendeByInsatsnyckel(`insats:${efter.id}`);
  return viaNyckel ? [viaNyckel.diarienummer] : [];
}

/** Adds one insats (refused if its id exists); logged in the register's log and its ärende's. */
export async function laggTillInsats(
  deps: InsatsKansliDeps,
  formular: InsatsFormular,
  opts: { av: string; skal?: string },
): Promise<Insats> {
  const r = tolkaFormular(formular, deps.serie);
  if (!r.ok) throw new FormularFelError(r.fel);
  if (await deps.register.getVersionerad(r.insats.id))
    throw new FormularFelError({
      id: `Det finns redan en insats med id ${r.insats.id}. Ändra den i stället.`,
    });
  const andringar: Andringar = jamfor(null, r.insats);
  if (r.egetDatum) andringar.forfallodatum = { fran: null, till: r.egetDatum };
  const skal = opts.skal?.trim() ?? '';
  await deps.register.skrivInsats(
    { insats: r.insats, forvantadVersion: null },
    {
      handelse: INSATS_HANDELSE.tillagd,
      av: opts.av,
      data: { insats: r.insats.id, namn: r.insats.namn, andringar, ...(skal ? { skal } : {}) },
    },
    await arendenFor(deps, null, r.insats),
  );
  if (r.egetDatum)
    await deps.bevakning.setDatum(bevakningsnyckel.insats(r.insats.id), { datum: r.egetDatum, av: opts.av });
  return r.insats;
}

/**
 * Changes one insats if nobody changed it since the form was read (`version`); a change of money, ärende or
 * due date needs a reason. The id stays (bevakning and the diarium's insats key hang on it).
 */
export async function andraInsats(
  deps: InsatsKansliDeps,
  id: string,
  version: number,
  formular: InsatsFormular,
  opts: { av: string; skal: string },
): Promise<{ insats: Insats; andringar: Andringar }> {
  const nu = await hamtaInsats(deps, id);
  if (!nu) throw new DiariumRegelError(`Insatsen ${id} finns inte i insatsregistret.`);
  const r = tolkaFormular({ ...formular, id }, deps.serie);
  if (!r.ok) throw new FormularFelError(r.fel);
  const andringar = jamfor(nu.insats, r.insats);
  if (nu.egetDatum !== r.egetDatum) andringar.forfallodatum = { fran: nu.egetDatum, till: r.egetDatum };
  if (Object.keys(andringar).length === 0) throw new DiariumRegelError('Inget ändrades.');
  const skal = opts.skal.trim();
  if (kraverSkal(andringar) && !skal)
    throw new FormularFelError({
      skal: 'Ange ett skäl: beviljade medel, ärendet, insatstiden eller sista datum för slutrapporten ändras.',
    });
  await deps.register.skrivInsats(
    { insats: r.insats, forvantadVersion: version },
    {
      handelse: INSATS_HANDELSE.andrad,
      av: opts.av,
      data: { insats: id, namn: r.insats.namn, andringar, ...(skal ? { skal } : {}) },
    },
    await arendenFor(deps, nu.insats, r.insats),
  );
  if ('forfallodatum' in andringar)
    await deps.bevakning.setDatum(
      bevakningsnyckel.insats(id),
      r.egetDatum === null ? null : { datum: r.egetDatum, av: opts.av },
    );
  return { insats: r.insats, andringar };
}

/** What an import would do, shown before it is confirmed. */
export interface ImportPlan {
  nya: Insats[];
  andrade: { fore: VersioneradInsats; efter: Insats; andringar: Andringar }[];
  /** In the file and unchanged. */
  oforandrade: Insats[];
  /** In the register but not in the file: left as they are (an import merges, never removes). */
  lamnade: Insats[];
  fel: string[];
  /** Ärenden the file names that are not in the diarium. */
  arendenSaknas: string[];
  /** Changes money, an ärende or the insatstid of a stored insats: the confirmation needs a reason. */
  kraverSkal: boolean;
  /** SHA-256 of the file, and of the plan with the versions it was made from (the confirmation must match). */
  filSha256: string;
  fingeravtryck: string;
}

/**
 * Reads the file and compares it with the register. Merge, not replace: a row updates the insats with its id
 * (only the columns the file has; an empty cell empties the field), a new id is added, and an insats the file
 * does not name is left as it is.
 */
export async function planeraImport(
  deps: ImportDeps,
  text: string,
  format: 'csv' | 'json',
): Promise<ImportPlan> {
  const filSha256 = createHash('sha256').update(text).digest('hex');
  const lasta = parseInsatsregister(text, format, deps.serie);
  const kolumner = new Set(lasta.kolumner ?? []);
  const lagrade = new Map((await deps.register.listVersionerade()).map((v) => [v.insats.id, v]));
  const plan: ImportPlan = {
    nya: [],
    andrade: [],
    oforandrade: [],
    lamnade: [],
    fel: lasta.fel,
    arendenSaknas: [],
    kraverSkal: false,
    filSha256,
    fingeravtryck: '',
  };
  const iFilen = new Set<string>();
  for (const rad of lasta.insatser) {
    iFilen.add(rad.id);
    const fore = lagrade.get(rad.id);
    if (!fore) {
      plan.nya.push(rad);
      continue;
    }
    const har = (f: keyof Insats) => kolumner.has(f);
    const slut = har('insatstidSlut') ? rad.insatstidSlut : fore.insats.insatstidSlut;
    const kontakt = har('kontakt') ? rad.kontakt : fore.insats.kontakt;
    const efter: Insats = {
      id: fore.insats.id,
      namn: har('namn') ? rad.namn : fore.insats.namn,
      organisation: har('organisation') ? rad.organisation : fore.insats.organisation,
      arende: har('arende') ? rad.arende : fore.insats.arende,
      beviljadeMedel: har('beviljadeMedel') ? rad.beviljadeMedel : fore.insats.beviljadeMedel,
      ...(slut ? { insatstidSlut: slut } : {}),
      ...(kontakt ? { kontakt } : {}),
    };
    const andringar = jamfor(fore.insats, efter);
    if (Object.keys(andringar).length === 0) plan.oforandrade.push(rad);
    else {
      plan.andrade.push({ fore, efter, andringar });
      if (kraverSkal(andringar)) plan.kraverSkal = true;
    }
  }
  plan.lamnade = [...lagrade.values()].filter((v) => !iFilen.has(v.insats.id)).map((v) => v.insats);
  // Every ärende the file names, changed row or not: the preview warns, and --skapa-arenden creates them.
  const namnda = [...new Set(lasta.insatser.map((i) => i.arende).filter((a): a is string => !!a))];
  for (const a of namnda) if (!(await deps.repo.getArende(a))) plan.arendenSaknas.push(a);
  plan.fingeravtryck = createHash('sha256')
    .update(
      JSON.stringify({
        fil: filSha256,
        nya: plan.nya.map((i) => i.id),
        andrade: plan.andrade.map((a) => [a.fore.insats.id, a.fore.version]),
        lamnade: plan.lamnade.map((i) => i.id),
      }),
    )
    .digest('hex');
  return plan;
}

export interface ImportResultatKansli {
  tillagda: number;
  andrade: number;
  arendenSkapade: string[];
}

/**
 * Carries out a plan: each new or changed insats is one conditional write with its entries in the register's
 * log and its ärende's; a summary entry (file, SHA-256, counts) closes it. A plan with errors is refused, and
 * an insats changed by someone else after the preview stops the import there (InsatsKonfliktError).
 */
export async function genomforImport(
  deps: ImportDeps,
  plan: ImportPlan,
  opts: { av: string; skal: string; kalla: string; skapaArenden?: boolean },
): Promise<ImportResultatKansli> {
  if (plan.fel.length > 0) throw new DiariumRegelError('Registret har fel; rätta filen och läs in den igen.');
  const skal = opts.skal.trim();
  if (plan.kraverSkal && !skal)
    throw new FormularFelError({
      skal: 'Ange ett skäl: importen ändrar beviljade medel, ärenden eller insatstider.',
    });
  const arendenSkapade: string[] = [];
  const importArende = deps.repo.importArende?.bind(deps.repo);
  if (opts.skapaArenden && importArende) {
    for (const insats of [...plan.nya, ...plan.andrade.map((a) => a.efter), ...plan.oforandrade]) {
      if (!insats.arende || !plan.arendenSaknas.includes(insats.arende)) continue;
      const n = findDiarienummer(insats.arende, insats.arende.split(' ')[0] ?? '');
      if (!n) continue;
      if (await skapaInsatsArende({ importArende }, insats, n, opts.av)) arendenSkapade.push(insats.arende);
    }
  }
  const gemensamt = { import: opts.kalla, filSha256: plan.filSha256, ...(skal ? { skal } : {}) };
  for (const insats of plan.nya) {
    const arenden = await arendenFor(deps, null, insats);
    await deps.register.skrivInsats(
      { insats, forvantadVersion: null },
      {
        handelse: INSATS_HANDELSE.tillagd,
        av: opts.av,
        data: { insats: insats.id, namn: insats.namn, andringar: jamfor(null, insats), ...gemensamt },
      },
      arenden,
    );
  }
  for (const a of plan.andrade) {
    const arenden = await arendenFor(deps, a.fore.insats, a.efter);
    await deps.register.skrivInsats(
      { insats: a.efter, forvantadVersion: a.fore.version },
      {
        handelse: INSATS_HANDELSE.andrad,
        av: opts.av,
        data: { insats: a.efter.id, namn: a.efter.namn, andringar: a.andringar, ...gemensamt },
      },
      arenden,
    );
  }
  await deps.register.loggaRegister(
    {
      handelse: INSATS_HANDELSE.importerat,
      av: opts.av,
      data: {
        ...gemensamt,
        tillagda: plan.nya.map((i) => i.id),
        andrade: plan.andrade.map((a) => a.efter.id),
        oforandrade: plan.oforandrade.length,
        lamnade: plan.lamnade.length,
      },
    },
    [],
  );
  return { tillagda: plan.nya.length, andrade: plan.andrade.length, arendenSkapade };
}
