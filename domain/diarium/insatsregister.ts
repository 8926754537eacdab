import * as z from 'zod';
import { parseAmountSek } from '../slutrapport/index.js';
import { parseCsv } from './csv.js';
import { findDiarienummer, formatArende } from './diarienummer.js';
import type { DiariumReader, HandlingRegistry, InsatsRegister } from './ports.js';
import type { Insats } from './types.js';

/** Column names as people write them in Excel: "Insatsens namn", "Huvudman", "Beviljade medel (kr)" … */
const ALIASES: Record<keyof Insats, string[]> = {
  id: ['id', 'insatsid', 'nr', 'nummer', 'insatsnummer'],
  namn: ['namn', 'insatsnamn', 'insats', 'insatsensnamn', 'name'],
  organisation: [
    'organisation',
    'org',
    'insatsagare',
    'huvudman',
    'huvudmanforinsats',
    'ansvarigorganisation',
    'organisationsnamn',
  ],
  arende: ['arende', 'arendenummer', 'diarienummer', 'dnr', 'arendedr'],
  beviljadeMedel: [
    'beviljademedel',
    'beviljat',
    'beviljatbelopp',
    'belopp',
    'medel',
    'beviljademedelkr',
    'beviljademedelforinsatsen',
  ],
  insatstidSlut: ['insatstidslut', 'slutdatum', 'insatsenslut', 'tom', 'insatstidtom', 'avslutas'],
  kontakt: ['kontakt', 'epost', 'kontaktepost', 'kontaktperson', 'email', 'mejl'],
};

const headerKey = (h: string) =>
  h
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\(.*?\)/g, '')
    .replace(/[^a-z0-9]/g, '');

function fieldFor(header: string): keyof Insats | null {
  const k = headerKey(header);
  for (const [field, names] of Object.entries(ALIASES) as [keyof Insats, string[]][]) {
    if (names.includes(k)) return field;
  }
  return null;
}

/**
 * A beviljade-medel cell: "2 458 000 kr", "625 000,00", "934 tkr", "1.200.000:-", 450000 → kronor; empty →
 * null; anything but one amount → NaN, so that a note in the cell is reported rather than half read.
 */
export function parseBelopp(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  return parseAmountSek(value, { whole: true }) ?? Number.NaN;
}

const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export interface RegisterImport {
  insatser: Insats[];
  /** Swedish, one per problem row, with the row number as in the file (header = row 1). */
  fel: string[];
  /** The fields the file has a column (or a JSON key) for: an import merges only these into a stored insats. */
  kolumner?: (keyof Insats)[];
}

const rowSchema = z.object({
  id: z.string().optional(),
  namn: z.string().trim().min(1, 'insatsens namn saknas'),
  organisation: z.string().trim().min(1, 'organisation saknas'),
  arende: z.string().optional(),
  beviljadeMedel: z.unknown().optional(),
  insatstidSlut: z
    .string()
    .trim()
    .regex(/^(\d{4}-\d{2}-\d{2})?$/, 'insatstidens slut ska skrivas ÅÅÅÅ-MM-DD')
    .optional(),
  kontakt: z.union([z.literal(''), z.email('kontakt ska vara en e-postadress')]).optional(),
});

function toInsats(raw: Record<string, unknown>, serie: string, rad: number, fel: string[]): Insats | null {
  const r = rowSchema.safeParse(raw);
  if (!r.success) {
    fel.push(`Rad ${rad}: ${r.error.issues.map((i) => i.message).join(', ')}.`);
    return null;
  }
  let arende: string | null = null;
  const dnrText = r.data.arende?.trim() ?? '';
  if (dnrText) {
    const found = findDiarienummer(dnrText, serie);
    if (!found) {
      fel.push(`Rad ${rad}: "${dnrText}" är inget ärendenummer i serien ${serie} (t.ex. ${serie} 21-3).`);
      return null;
    }
    arende = formatArende(found);
  }
  const belopp = parseBelopp(r.data.beviljadeMedel);
  if (belopp !== null && Number.isNaN(belopp)) {
    fel.push(`Rad ${rad}: beviljade medel "${String(r.data.beviljadeMedel)}" är inget belopp.`);
    return null;
  }
  const id = r.data.id?.trim() || slug(`${r.data.namn} ${r.data.organisation}`);
  return {
    id,
    namn: r.data.namn,
    organisation: r.data.organisation,
    arende,
    beviljadeMedel: belopp,
    // Only when given, so a register without them reads as before.
    ...(r.data.insatstidSlut ? { insatstidSlut: r.data.insatstidSlut } : {}),
    ...(r.data.kontakt?.trim() ? { kontakt: r.data.kontakt.trim() } : {}),
  };
}

/** Reads an insats register exported from Excel (CSV, `,` or `;`) or written as JSON (an array of objects). */
export function parseInsatsregister(text: string, format: 'csv' | 'json', serie: string): RegisterImport {
  const fel: string[] = [];
  const records: Record<string, unknown>[] = [];
  const kolumner = new Set<keyof Insats>();
  if (format === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (err) {
      return {
        insatser: [],
        fel: [`Filen är inte giltig JSON: ${err instanceof Error ? err.message : String(err)}`],
      };
    }
    const arr = z
      .array(z.record(z.string(), z.unknown()))
      .safeParse(Array.isArray(data) ? data : (data as { insatser?: unknown } | null)?.insatser);
    if (!arr.success)
      return {
        insatser: [],
        fel: ['JSON-filen ska vara en lista av insatser, t.ex. [{"id": …, "namn": …}].'],
      };
    for (const o of arr.data) {
      const rec: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(o)) {
        const f = fieldFor(k);
        if (f) kolumner.add(f);
        if (f)
          rec[f] = typeof v === 'number' && f !== 'beviljadeMedel' ? String(v) : v === null ? undefined : v;
      }
      records.push(rec);
    }
  } else {
    const rows = parseCsv(text);
    const header = rows[0] ?? [];
    const fields = header.map(fieldFor);
    for (const f of fields) if (f) kolumner.add(f);
    for (const need of ['namn', 'organisation'] as const) {
      if (!fields.includes(need))
        fel.push(`Kolumnen för ${need === 'namn' ? 'insatsens namn' : 'organisation'} saknas i rubrikraden.`);
    }
    if (fel.length > 0) return { insatser: [], fel };
    for (const row of rows.slice(1)) {
      const rec: Record<string, unknown> = {};
      fields.forEach((f, i) => {
        if (f && row[i] !== undefined) rec[f] = row[i];
      });
      records.push(rec);
    }
  }
  const insatser: Insats[] = [];
  const ids = new Set<string>();
  records.forEach((rec, i) => {
    const rad = format === 'csv' ? i + 2 : i + 1;
    const insats = toInsats(rec, serie, rad, fel);
    if (!insats) return;
    if (ids.has(insats.id)) {
      fel.push(`Rad ${rad}: id "${insats.id}" förekommer mer än en gång.`);
      return;
    }
    ids.add(insats.id);
    insatser.push(insats);
  });
  return { insatser, fel, kolumner: [...kolumner] };
}

export interface ImportResultat {
  sparade: number;
  arendenSkapade: string[];
  /** Ärenden the register names that are not in the diarium (reports for them fall back to a new ärende). */
  arendenSaknas: string[];
}

/**
 * Creates the ärende the register names for an insats, with that number (an earlier diarium's, the demo
 * register's); true when it was created now.
 */
export async function skapaInsatsArende(
  repo: Pick<HandlingRegistry, 'importArende'>,
  insats: Pick<Insats, 'id' | 'namn' | 'organisation'>,
  n: { serie: string; ar: number; nummer: number },
  av: string,
): Promise<boolean> {
  const { skapad } = await repo.importArende(
    {
      serie: n.serie,
      ar: n.ar,
      nummer: n.nummer,
      arendemening: `Samverkansmedel – ${insats.namn} – ${insats.organisation}`,
      insatsId: insats.id,
      // The key resolveArende uses for a register match, so later reports find this ärende either way.
      insatsnyckel: `insats:${insats.id}`,
    },
    av,
  );
  return skapad;
}

/**
 * Saves the register (upsert by id; rows are never removed by an import). Ärenden the register names are
 * created with that number when `skapaArenden` (the demo register, a migration); otherwise they are reported
 * as missing and matching falls back to the sender's earlier ärende or a new one.
 */
export async function sparaInsatsregister(
  repo: DiariumReader & HandlingRegistry & InsatsRegister,
  insatser: Insats[],
  opts: { skapaArenden: boolean; av: string },
): Promise<ImportResultat> {
  const arendenSkapade: string[] = [];
  const arendenSaknas: string[] = [];
  for (const insats of insatser) {
    if (!insats.arende) continue;
    if (await repo.getArende(insats.arende)) continue;
    const n = findDiarienummer(insats.arende, insats.arende.split(' ')[0] ?? '');
    if (!opts.skapaArenden || !n) {
      arendenSaknas.push(insats.arende);
      continue;
    }
    if (await skapaInsatsArende(repo, insats, n, opts.av)) arendenSkapade.push(insats.arende);
  }
  await repo.putInsatser(insatser);
  return { sparade: insatser.length, arendenSkapade, arendenSaknas };
}
