import { describe, expect, it } from 'vitest';
import type { Beslut } from './types.js';
import { evaluate, kravdaGodkannanden } from './policy.js';

const b = (id: string, utfall: Beslut['utfall'], tidpunkt = '2026-03-03T10:00:00.000Z'): Beslut => ({
  granskningId: 'g',
  granskareId: id,
  namn: id,
  organisation: 'X',
  utfall,
  kommentar: utfall === 'jav' ? 'Skäl' : null,
  tidpunkt,
});

describe('the decision rule with jäv', () => {
  it('jäv counts as no vote: it decides nothing under "first answer decides"', () => {
    expect(evaluate([b('a', 'jav')], { typ: 'forsta' }, 4)).toBeNull();
    expect(evaluate([b('a', 'jav'), b('b', 'komplettering')], { typ: 'forsta' }, 4)).toBe('komplettering');
  });

  it('a quorum counts the members without jäv', () => {
    const q = { typ: 'kvorum', antal: 2 } as const;
    expect(kravdaGodkannanden([b('a', 'jav')], q, 4)).toBe(2);
    expect(kravdaGodkannanden([b('a', 'jav'), b('b', 'jav'), b('c', 'jav')], q, 4)).toBe(1);
    expect(evaluate([b('a', 'jav'), b('b', 'jav'), b('c', 'jav'), b('d', 'godkand')], q, 4)).toBe('godkand');
    expect(evaluate([b('a', 'jav'), b('d', 'godkand')], q, 4)).toBeNull();
    // Everyone jävig: no rule can be met, the granskning waits for the escalation to the förbundschef.
    expect(
      evaluate(
        ['a', 'b', 'c', 'd'].map((id) => b(id, 'jav')),
        q,
        4,
      ),
    ).toBeNull();
  });
});
