import type { Beslut, BeslutPolicy, Utfall } from './types.js';

/**
 * The outcome the answers so far lead to, or null while undecided.
 * With a quorum, any request for komplettering wins at once: a report must not pass over a reviewer's objection.
 * Jäv counts as no vote, and the quorum counts the remaining members: with `ledamoter` members of whom some
 * declared jäv, at most that many approvals can come, so the quorum is capped there (docs/granskning.md).
 */
export function evaluate(beslut: Beslut[], policy: BeslutPolicy, ledamoter = Infinity): Utfall | null {
  const roster = beslut.filter((b): b is Beslut & { utfall: Utfall } => b.utfall !== 'jav');
  if (roster.length === 0) return null;
  if (policy.typ === 'forsta') {
    const first = [...roster].sort((a, b) => a.tidpunkt.localeCompare(b.tidpunkt))[0];
    return first?.utfall ?? null;
  }
  if (roster.some((b) => b.utfall === 'komplettering')) return 'komplettering';
  return roster.length >= kravdaGodkannanden(beslut, policy, ledamoter) ? 'godkand' : null;
}

/** How many approvals the quorum needs, given the jäv declared so far (never below one). */
export function kravdaGodkannanden(beslut: Beslut[], policy: BeslutPolicy, ledamoter = Infinity): number {
  if (policy.typ === 'forsta') return 1;
  const jav = beslut.filter((b) => b.utfall === 'jav').length;
  return Math.max(1, Math.min(policy.antal, ledamoter - jav));
}

/** The rule in Swedish, as the page and the members' mail state it. */
export function beslutsregel(policy: BeslutPolicy): string {
  return policy.typ === 'forsta'
    ? 'Det första svaret från en ledamot avgör.'
    : `${policy.antal} ledamöters godkännande krävs; en begäran om komplettering avgör direkt. Jäv räknas inte som röst, och kvorumet räknas bland de ledamöter som inte anmält jäv.`;
}

/** Execution names allow letters, digits, - and _; one name per handling makes a duplicate start a no-op. */
export function granskningIdFor(diarienummer: string): string {
  return diarienummer.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
