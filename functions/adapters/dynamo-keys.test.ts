import { describe, expect, it } from 'vitest';
import { boundedKeyPart, keys } from './dynamo-keys.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('DynamoDB keys built from input', () => {
  it('keeps short parts as they are, so existing items keep their keys', () => {
    expect(keys.source('epost#<a@b>#ff')).toEqual({ pk: 'KALLA#epost#<a@b>#ff', sk: 'K' });
    expect(keys.insatsArende('trisam 2.0|sandvikens kommun').pk).toBe(
      'INSATSNYCKEL#trisam 2.0|sandvikens kommun',
    );
  });

  it('hashes a long part, stably and apart from its neighbours, within the key limits', () => {
    const long = `epost#<${'x'.repeat(3000)}@b>#ff`;
    const k = keys.source(long);
    expect(k.pk).toMatch(/^KALLA#sha256:[0-9a-f]{64}$/);
    expect(keys.source(long)).toEqual(k);
    expect(keys.source(`${long}0`).pk).not.toBe(k.pk);
    // Multi-byte characters count by their UTF-8 bytes.
    const aao = 'åäö'.repeat(1000);
    expect(bytes(keys.insatsArende(aao).pk)).toBeLessThanOrEqual(2048);
    expect(bytes(keys.beslut('g', aao).sk)).toBeLessThanOrEqual(1024);
    for (const f of [keys.arende, keys.insats, keys.granskning, keys.lank]) {
      expect(bytes(f('y'.repeat(5000)).pk)).toBeLessThanOrEqual(2048);
    }
    expect(boundedKeyPart('a'.repeat(512))).toBe('a'.repeat(512));
    expect(boundedKeyPart('a'.repeat(513))).toMatch(/^sha256:/);
  });
});
