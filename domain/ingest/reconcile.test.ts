import { describe, expect, it } from 'vitest';
import { reconcile } from './reconcile.js';
import { sourceKeyFor } from './source-key.js';
import type { DocumentLister, DocumentReader, HandlingRegistry } from '../diarium/ports.js';

const now = new Date('2026-11-23T12:00:00Z');
const objects = new Map<string, { bytes: Uint8Array; lastModified: string }>([
  [
    'raw/registrerad',
    { bytes: Buffer.from('Message-ID: <a@x>\r\n\r\nA'), lastModified: '2026-11-23T10:00:00Z' },
  ],
  [
    'raw/borttappad',
    { bytes: Buffer.from('Message-ID: <b@x>\r\n\r\nB'), lastModified: '2026-11-23T09:00:00Z' },
  ],
  ['raw/pa-vag', { bytes: Buffer.from('Message-ID: <c@x>\r\n\r\nC'), lastModified: '2026-11-23T11:55:00Z' }],
  ['raw/gammal', { bytes: Buffer.from('Message-ID: <d@x>\r\n\r\nD'), lastModified: '2026-11-10T09:00:00Z' }],
  ['uppladdat/fil.docx', { bytes: Buffer.from('PK'), lastModified: '2026-11-23T08:00:00Z' }],
]);

const store: DocumentLister & DocumentReader = {
  list: (prefix) =>
    Promise.resolve(
      [...objects]
        .filter(([k]) => k.startsWith(prefix))
        .map(([key, o]) => ({ key, lastModified: o.lastModified })),
    ),
  get: (key) => Promise.resolve({ key, bytes: objects.get(key)!.bytes, versionId: null }),
};
const registered = new Set([sourceKeyFor('raw/registrerad', objects.get('raw/registrerad')!.bytes)]);
const unused = () => Promise.reject(new Error('not used by reconcile'));
const repo: HandlingRegistry = {
  findBySource: (k) => Promise.resolve(registered.has(k) ? ({} as never) : null),
  registerHandling: unused,
  importArende: unused,
};

describe('reconciliation', () => {
  it('re-drives stored mail and uploads that have no registration, and leaves young and old objects alone', async () => {
    const redriven: string[] = [];
    const result = await reconcile(
      {
        store,
        repo,
        redrive: (o) => {
          redriven.push(o.key);
          return Promise.resolve();
        },
        clock: () => now,
        log: () => undefined,
      },
      { windowHours: 48, graceMinutes: 15 },
    );
    expect(redriven).toEqual(['raw/borttappad', 'uppladdat/fil.docx']);
    expect(result).toEqual({ granskade: 3, saknade: ['raw/borttappad', 'uppladdat/fil.docx'] });
  });
});
