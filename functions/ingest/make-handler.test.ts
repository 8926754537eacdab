import { describe, expect, it } from 'vitest';
import type { IngestDeps } from '../../domain/ingest/process-incoming.js';
import type { Handling } from '../../domain/diarium/types.js';
import { newHandling } from '../../test/support/new-handling.js';
import { makeHandler } from './make-handler.js';

const event = (key: string) =>
  JSON.stringify({
    version: '0',
    id: `id-${key}`,
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '000000000000',
    time: '2026-11-23T10:00:00Z',
    region: 'eu-north-1',
    resources: [],
    detail: { version: '0', bucket: { name: 'inbound' }, object: { key } },
  });

/** Every object is already registered and acknowledged, except `raw/saknas`, which cannot be read. */
function deps(logged: unknown[]): IngestDeps {
  const unused = () => Promise.reject(new Error('används inte av testet'));
  const registered: Handling = {
    ...newHandling(1, { kvittens: { skickad: '2026-11-23T10:00:00Z', meddelandeId: 'ses-1' } }),
    diarienummer: 'SFG 2026-1.1',
    arende: 'SFG 2026-1',
    handlingsnummer: 1,
    registrerad: '2026-11-23T10:00:00Z',
  };
  const removed: string[] = [];
  return {
    store: {
      retain: () => Promise.resolve(),
      get: (key) =>
        key === 'raw/saknas'
          ? Promise.reject(new Error('NoSuchKey'))
          : Promise.resolve({ key, bytes: Buffer.from(`Message-ID: <${key}@x>\r\n\r\nA`), versionId: null }),
      file: unused,
      removeIncoming: (key) => {
        removed.push(key);
        return Promise.resolve();
      },
    },
    repo: {
      findBySource: () => Promise.resolve(registered),
      registerHandling: unused,
      recordSentMail: unused,
      findSentMail: unused,
      markMailHandelse: unused,
      importArende: unused,
      updateHandling: unused,
      updateArendeStatus: unused,
      appendLog: unused,
      getLogHuvud: unused,
      claimKvittens: unused,
      markKvittens: unused,
      releaseKvittens: unused,
      claimNotis: unused,
      markNotis: unused,
      releaseNotis: unused,
      getHandling: unused,
      getArende: unused,
      getArenden: unused,
      getArendeDetaljer: unused,
      findArendeByInsatsnyckel: unused,
      listDiarium: unused,
      listInsatser: unused,
      putInsatser: unused,
    },
    mailer: { send: unused },
    events: { handlingDiarieford: () => Promise.resolve(), granskningBegard: unused },
    extractor: { openMail: unused, readMail: unused, extractMail: unused, extractDocument: unused },
    config: { serie: 'SFG', kansliEmail: 'kansli@finsamgavleborg.example' },
    clock: () => new Date('2026-11-23T10:00:00Z'),
    log: (level, message, data) => logged.push({ level, message, data }),
  };
}

const ctx = {} as never;

describe('ingest handler (SQS partial batch)', () => {
  it('processes every record and reports only the failed ones, each by its message id', async () => {
    const logged: unknown[] = [];
    const res = await makeHandler(deps(logged))(
      {
        Records: [
          { messageId: 'm1', body: event('raw/a') },
          { messageId: 'm2', body: 'inte json' },
          { messageId: 'm3', body: event('raw/saknas') },
          { messageId: 'm4', body: event('raw/b') },
        ],
      },
      ctx,
    );
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] });
    expect(logged).toContainEqual({
      level: 'error',
      message: 'Kunde inte behandla inkommande objekt; försöker igen',
      data: { messageId: 'm3', error: 'Error: NoSuchKey' },
    });
  });

  it('answers a batch where every record failed with each failure instead of throwing', async () => {
    const res = await makeHandler(deps([]))(
      { Records: [{ messageId: 'm1', body: event('raw/saknas') }] },
      ctx,
    );
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(await makeHandler(deps([]))({ Records: [] }, ctx)).toEqual({ batchItemFailures: [] });
  });
});
