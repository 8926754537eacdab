import { findDiarienummer, formatArende } from '../diarium/diarienummer.js';
import type { ArendeTarget, DiariumReader, InsatsRegister } from '../diarium/ports.js';
import type { Insats } from '../diarium/types.js';
import { arendeIMarkering } from '../mail/amnesmarkning.js';

/** Lower-case, no diacritics, single spaces: "Trisam 2.0 – Sandvikens Kommun" ≈ "trisam 2.0 sandvikens kommun". */
export function normalize(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, ' ')
    .trim();
}

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  const t = ` ${s} `;
  for (let i = 0; i < t.length - 1; i++) {
    const g = t.slice(i, i + 2);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

/** Sørensen–Dice on character bigrams: tolerant to typos and word order, 1 = identical. */
export function similarity(a: string, b: string): number {
  const na = normalize(a);
  const nb = normalize(b);
  if (!na || !nb) return 0;
  if (na === nb) return 1;
  const ba = bigrams(na);
  const bb = bigrams(nb);
  let overlap = 0;
  for (const [g, n] of ba) overlap += Math.min(n, bb.get(g) ?? 0);
  const total = [...ba.values()].reduce((x, y) => x + y, 0) + [...bb.values()].reduce((x, y) => x + y, 0);
  return (2 * overlap) / total;
}

export function insatsnyckel(insatsnamn: string | null, organisation: string | null): string | null {
  if (!insatsnamn || !organisation) return null;
  return `${normalize(insatsnamn)}|${normalize(organisation)}`;
}

/** The register entry for a report, if one is close enough on name (and organisation, when both have one). */
export function matchInsats(
  register: Insats[],
  insatsnamn: string | null,
  organisation: string | null,
): Insats | null {
  if (!insatsnamn) return null;
  let best: { insats: Insats; score: number } | null = null;
  const wanted = normalize(insatsnamn);
  for (const insats of register) {
    const registered = normalize(insats.namn);
    // "Ett hållbart arbetsliv" in the report, "Ett hållbart arbetsliv – Hofors" in the register: containment counts.
    const contained =
      Math.min(wanted.length, registered.length) >= 8 &&
      (registered.includes(wanted) || wanted.includes(registered));
    const name = Math.max(similarity(insats.namn, insatsnamn), contained ? 0.85 : 0);
    const org = organisation ? similarity(insats.organisation, organisation) : 0.7;
    const score = name * 0.75 + org * 0.25;
    if (name >= 0.75 && org >= 0.5 && (!best || score > best.score)) best = { insats, score };
  }
  return best?.insats ?? null;
}

export interface ResolveInput {
  serie: string;
  ankomstdatum: string;
  /** Subject, body and the report's own header, searched for a diarienummer in that order. */
  texter: (string | null)[];
  insatsnamn: string | null;
  organisation: string | null;
  avsandare: string | null;
}

export interface Resolution {
  target: ArendeTarget;
  /** `svar`: a reply to a mail we sent, recognised by the `[Dnr …]` marking of its subject. */
  grund: 'svar' | 'diarienummer' | 'insatsregister' | 'tidigare-arende' | 'nytt';
  insats: Insats | null;
}

/**
 * Which ärende a new handling belongs to: the ärende marked in a reply to our mail, a diarienummer the sender
 * quoted, then the insats register, then an earlier ärende for the same insats, else a new ärende.
 */
export async function resolveArende(
  repo: DiariumReader & InsatsRegister,
  input: ResolveInput,
): Promise<Resolution> {
  // Our own marking first: a reply may quote other numbers (an earlier year's report) before it.
  for (const text of input.texter) {
    const dnr = text ? arendeIMarkering(text, input.serie) : null;
    if (dnr && (await repo.getArende(dnr)))
      return { target: { typ: 'befintligt', diarienummer: dnr }, grund: 'svar', insats: null };
  }
  for (const text of input.texter) {
    if (!text) continue;
    const found = findDiarienummer(text, input.serie);
    if (!found) continue;
    const dnr = formatArende(found);
    if (await repo.getArende(dnr))
      return { target: { typ: 'befintligt', diarienummer: dnr }, grund: 'diarienummer', insats: null };
  }
  const register = await repo.listInsatser();
  const insats = matchInsats(register, input.insatsnamn, input.organisation);
  if (insats?.arende && (await repo.getArende(insats.arende))) {
    return { target: { typ: 'befintligt', diarienummer: insats.arende }, grund: 'insatsregister', insats };
  }
  const nyckel = insats ? `insats:${insats.id}` : insatsnyckel(input.insatsnamn, input.organisation);
  if (nyckel) {
    const earlier = await repo.findArendeByInsatsnyckel(nyckel);
    if (earlier)
      return {
        target: { typ: 'befintligt', diarienummer: earlier.diarienummer },
        grund: 'tidigare-arende',
        insats,
      };
  }
  const namn = insats?.namn ?? input.insatsnamn;
  const org = insats?.organisation ?? input.organisation;
  const arendemening =
    namn && org
      ? `Slutrapport – ${namn} – ${org}`
      : namn
        ? `Slutrapport – ${namn}`
        : // No e-mail address here: the ärendemening is public, a private sender's address is not.
          'Inkommen handling utan läsbar slutrapport';
  return {
    target: {
      typ: 'nytt',
      serie: input.serie,
      ar: Number(input.ankomstdatum.slice(0, 4)),
      arendemening,
      insatsId: insats?.id ?? null,
      insatsnyckel: nyckel,
    },
    grund: 'nytt',
    insats,
  };
}
