import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Context } from 'aws-lambda';
import { makeHandler } from './make-handler.js';
import type { IngestDeps } from '../../domain/ingest/process-incoming.js';
import type { LogLevel } from '../../domain/log.js';

const fixture = JSON.parse(
  readFileSync(new URL('../../events/fixtures/s3-object-created.json', import.meta.url), 'utf8'),
) as { detail: { object: { key: string } } };

const eventFor = (key: string) => ({
  Records: [
    {
      messageId: 'sqs-1',
      body: JSON.stringify({
        ...fixture,
        detail: { ...fixture.detail, object: { ...fixture.detail.object, key } },
      }),
    },
  ],
});

/** Deps whose every port fails the test if touched: the skipped object must reach none of them. */
function untouchedDeps() {
  const logs: { level: LogLevel; message: string }[] = [];
  const touched: string[] = [];
  const port = (name: string) =>
    new Proxy(
      {},
      {
        get: (_t, prop) => () => {
          touched.push(`${name}.${String(prop)}`);
          return Promise.reject(new Error(`${name} används inte`));
        },
      },
    );
  const deps = {
    repo: port('repo'),
    store: port('store'),
    mailer: port('mailer'),
    events: port('events'),
    extractor: port('extractor'),
    config: { serie: 'SFG', kansliEmail: 'kansli@finsamgavleborg.se' },
    clock: () => new Date(),
    log: (level: LogLevel, message: string) => {
      logs.push({ level, message });
    },
  } as unknown as IngestDeps;
  return { deps, logs, touched };
}

describe('the ingest handler', () => {
  it("skips SES's setup notification with an info log: no failure, nothing registered", async () => {
    const { deps, logs, touched } = untouchedDeps();
    const r = await makeHandler(deps)(eventFor('raw/AMAZON_SES_SETUP_NOTIFICATION'), {} as Context);
    expect(r).toEqual({ batchItemFailures: [] });
    expect(touched).toEqual([]);
    expect(logs).toEqual([expect.objectContaining({ level: 'info' })]);
  });

  it('still takes (and here fails, retrying) an ordinary mail object', async () => {
    const { deps, touched } = untouchedDeps();
    const r = await makeHandler(deps)(eventFor('raw/abc123'), {} as Context);
    expect(r).toEqual({ batchItemFailures: [{ itemIdentifier: 'sqs-1' }] });
    expect(touched).toContain('store.get');
  });
});
