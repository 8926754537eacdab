import type { Beslut, BeslutPolicy, Utfall } from './types.js';

/**
 * The outcome the decisions so far lead to, or null while undecided.
 * With a quorum, any request for komplettering wins at once: a report must not pass over a reviewer's objection.
 */
export function evaluate(beslut: Beslut[], policy: BeslutPolicy): Utfall | null {
  if (beslut.length === 0) return null;
  if (policy.typ === 'forsta') {
    const first = [...beslut].sort((a, b) => a.tidpunkt.localeCompare(b.tidpunkt))[0];
    return first?.utfall ?? null;
  }
  if (beslut.some((b) => b.utfall === 'komplettering')) return 'komplettering';
  return beslut.filter((b) => b.utfall === 'godkand').length >= policy.antal ? 'godkand' : null;
}

/** Execution names allow letters, digits, - and _; one name per handling makes a duplicate start a no-op. */
export function granskningIdFor(diarienummer: string): string {
  return diarienummer.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
