import { describe, expect, it } from 'vitest';
import { reconcile } from './reconcile.js';
import { sourceKeyFor } from './source-key.js';
import type { HandlingRegistry } from '../diarium/ports.js';
import type { ReconcileDeps } from './reconcile.js';
import type { Inkorg } from '../document-archive.js';

const now = new Date('2026-11-23T12:00:00Z');
const mail = (id: string): Uint8Array => Buffer.from(`Message-ID: <${id}@x>\r\n\r\n${id}`);
const objects = new Map<string, { inkorg: Inkorg; bytes: Uint8Array; lastModified: string }>([
  ['raw/registrerad', { inkorg: 'epost', bytes: mail('a'), lastModified: '2026-11-23T10:00:00Z' }],
  ['raw/borttappad', { inkorg: 'epost', bytes: mail('b'), lastModified: '2026-11-23T09:00:00Z' }],
  ['raw/pa-vag', { inkorg: 'epost', bytes: mail('c'), lastModified: '2026-11-23T11:55:00Z' }],
  ['raw/gammal', { inkorg: 'epost', bytes: mail('d'), lastModified: '2026-11-10T09:00:00Z' }],
  ['raw/ofardig', { inkorg: 'epost', bytes: mail('e'), lastModified: '2026-11-23T09:30:00Z' }],
  [
    'uppladdat/fil.docx',
    { inkorg: 'uppladdning', bytes: Buffer.from('PK'), lastModified: '2026-11-23T08:00:00Z' },
  ],
]);

const retained: string[] = [];
const store: ReconcileDeps['store'] = {
  listIncoming: (inkorg) =>
    Promise.resolve(
      [...objects]
        .filter(([, o]) => o.inkorg === inkorg)
        .map(([key, o]) => ({ key, lastModified: o.lastModified })),
    ),
  get: (key) => Promise.resolve({ key, bytes: objects.get(key)!.bytes, versionId: null }),
  retain: (o) => {
    retained.push(o.key);
    return Promise.resolve();
  },
};
// raw/registrerad was registered before arrivals were filed (its file is the inbox object, which stays);
// raw/ofardig was registered, filed, and its ingest stopped before it took the object out of the inbox.
const registered = new Map([
  [sourceKeyFor('epost', objects.get('raw/registrerad')!.bytes), 'raw/registrerad'],
  [sourceKeyFor('epost', objects.get('raw/ofardig')!.bytes), 'handlingar/e/meddelande.eml'],
]);
const unused = () => Promise.reject(new Error('not used by reconcile'));
const repo: HandlingRegistry = {
  findBySource: (k) => {
    const nyckel = registered.get(k);
    return Promise.resolve(nyckel ? ({ diarienummer: 'SFG 2026-1.1', filer: [{ nyckel }] } as never) : null);
  },
  registerHandling: unused,
  importArende: unused,
};

describe('reconciliation', () => {
  it('re-drives stored mail and uploads without a registration or whose ingest did not finish, and leaves young and old objects alone', async () => {
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
    expect(redriven).toEqual(['raw/borttappad', 'raw/ofardig', 'uppladdat/fil.docx']);
    expect(result).toEqual({
      granskade: 4,
      saknade: ['raw/borttappad', 'uppladdat/fil.docx'],
      ofardiga: ['raw/ofardig'],
    });
    // What it re-drives is put under retention first, even if its ingest keeps failing.
    expect(retained).toEqual(['raw/borttappad', 'uppladdat/fil.docx']);
  });

  it('with grace 0 and no window (a start-up pass) re-drives also what arrived just before, and the old', async () => {
    const redriven: string[] = [];
    await reconcile(
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
      { windowHours: Number.POSITIVE_INFINITY, graceMinutes: 0 },
    );
    expect(redriven).toEqual([
      'raw/borttappad',
      'raw/pa-vag',
      'raw/gammal',
      'raw/ofardig',
      'uppladdat/fil.docx',
    ]);
  });
});
