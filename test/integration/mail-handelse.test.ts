import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../../domain/diarium/ports.js';
import { makeHandler } from '../../functions/mail-handelse/make-handler.js';
import { fakeIngest, startDiariumDb, type DiariumDb, ingestNow } from './diarium-support.js';

let db: DiariumDb;

beforeAll(async () => {
  db = await startDiariumDb();
});

afterAll(async () => {
  await db.stop();
});

const KANSLI = 'kansli@finsamgavleborg.example';

/** The bounce fixture, about the given SES message id. */
function bounceFor(messageId: string): Record<string, unknown> {
  const raw = readFileSync(
    path.resolve(import.meta.dirname, '../../events/fixtures/ses-email-bounced.json'),
    'utf8',
  );
  return JSON.parse(raw.replace('0102019a-kvittens-message-000000', messageId)) as Record<string, unknown>;
}

describe('an SES bounce of a kvittens, on DynamoDB Local with the real repository', () => {
  it('flags the handling, logs the bounce in its ärende and tells the kansli once', async () => {
    const repo = db.repo(await db.newTable());
    const ingest = fakeIngest(repo);
    const o = await ingestNow(
      ingest.deps,
      ingest.deliver({
        messageId: 'studs-1@exempelby.example',
        from: 'saknas@exempel.se',
        subject: 'Slutrapport',
        receivedAt: '2026-11-24T08:14:00Z',
        report: { insatsnamn: 'Stegvis till arbete', organisation: 'Exempelby kommun' },
      }),
    );
    expect(o.kvittens).toBe('skickad');
    const meddelandeId = (await repo.getHandling(o.handling.diarienummer))?.kvittens?.meddelandeId;
    expect(meddelandeId).toBeTruthy();
    expect(await repo.findSentMail(meddelandeId!)).toMatchObject({
      diarienummer: o.handling.diarienummer,
      slag: 'kvittens',
      mottagare: ['saknas@exempel.se'],
    });

    const sent: OutgoingMail[] = [];
    const handler = makeHandler({
      diarium: repo,
      mailer: {
        send: (m) => {
          sent.push(m);
          return Promise.resolve({ messageId: `kansli-${sent.length}` });
        },
      },
      config: { kansliEmail: KANSLI },
      log: () => undefined,
    });
    const ctx = {} as never;

    expect(await handler(bounceFor(meddelandeId!), ctx)).toEqual({ status: 'noterad' });

    const h = await repo.getHandling(o.handling.diarienummer);
    expect(h?.flaggor).toContain('studsad');
    const detaljer = await repo.getArendeDetaljer(o.handling.arende);
    const entry = detaljer?.logg.find((e) => e.handelse === 'mail-studsade');
    expect(entry?.data).toMatchObject({
      handling: o.handling.diarienummer,
      meddelandeId,
      slag: 'kvittens',
      mottagare: ['saknas@exempel.se'],
      text: 'Kvittensen kunde inte levereras till saknas@exempel.se: Permanent/General: smtp; 550 5.1.1 user unknown',
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toEqual([KANSLI]);
    expect(sent[0]!.subject).toContain(o.handling.diarienummer);
    expect(sent[0]!.text).toContain('saknas@exempel.se');

    // EventBridge delivers at least once: the same event again changes nothing.
    expect(await handler(bounceFor(meddelandeId!), ctx)).toEqual({ status: 'redan-noterad' });
    expect(sent).toHaveLength(1);
    const igen = await repo.getArendeDetaljer(o.handling.arende);
    expect(igen?.logg.filter((e) => e.handelse === 'mail-studsade')).toHaveLength(1);

    // A bounce of a mail we never sent (or whose note expired) is ignored.
    expect(await handler(bounceFor('okant-meddelande'), ctx)).toEqual({ status: 'okand' });
    expect(sent).toHaveLength(1);
  });
});
