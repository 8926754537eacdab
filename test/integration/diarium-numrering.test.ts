import { KVITTENS_CLAIM_MS } from '../../functions/adapters/dynamo-diarium/repository.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { newHandling } from '../support/new-handling.js';
import {
  crashingClient,
  fakeIngest,
  InjectedCrash,
  startDiariumDb,
  type DiariumDb,
  type TestMailSpec,
  ingestNow,
} from './diarium-support.js';

let db: DiariumDb;

beforeAll(async () => {
  db = await startDiariumDb();
});

afterAll(async () => {
  await db.stop();
});

const handling = (mottagen: string, i: number) => newHandling(i, { mottagen });

const nytt = (i: number) =>
  ({
    typ: 'nytt',
    serie: 'SFG',
    ar: 2026,
    arendemening: `Slutrapport – Insats ${i}`,
    insatsId: null,
    insatsnyckel: null,
  }) as const;

async function allItems(table: string, pk: string) {
  const r = await db.doc().send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    }),
  );
  return r.Items ?? [];
}

describe('numbering under concurrency', () => {
  it('gives 200 concurrent registrations of new ärenden the numbers 1..200 exactly', async () => {
    const table = await db.newTable();
    // Eight repositories stand for eight Lambda instances: each serialises its own registrations, so the
    // conditional transaction is what keeps the instances from taking the same number.
    const repos = Array.from({ length: 8 }, () => db.repo(table));
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        repos[i % 8]!.registerHandling(nytt(i), handling('2026-02-02T09:00:00.000Z', i), `test#${i}`),
      ),
    );
    expect(results.every((r) => r.skapad)).toBe(true);
    const numbers = results
      .map((r) => Number(/^SFG 26-(\d+)\.1$/.exec(r.handling.diarienummer)?.[1]))
      .sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const counter = await allItems(table, 'RAKNARE#SFG#2026');
    expect(counter[0]?.['senaste']).toBe(200);
  }, 240_000);

  it('gives 100 concurrent handlingar in one ärende the handling numbers 2..101 and a log that verifies', async () => {
    const table = await db.newTable();
    const repo = db.repo(table);
    const first = await repo.registerHandling(nytt(0), handling('2026-02-02T09:00:00.000Z', 0), 'forsta');
    const instances = Array.from({ length: 8 }, () => db.repo(table));
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        instances[i % 8]!.registerHandling(
          { typ: 'befintligt', diarienummer: first.handling.arende },
          handling('2026-02-03T09:00:00.000Z', i),
          `bilaga#${i}`,
        ),
      ),
    );
    expect(results.map((r) => r.handling.handlingsnummer).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 2),
    );
    const d = await repo.getArendeDetaljer(first.handling.arende);
    expect(d?.arende.antalHandlingar).toBe(101);
    expect(d?.logg.map((e) => e.seq)).toEqual(Array.from({ length: 102 }, (_, i) => i + 1));
    const { verifieraArende } = await import('../../domain/diarium/kansli.js');
    expect((await verifieraArende(repo, first.handling.arende)).ok).toBe(true);
  });

  it('opens one ärende when two different reports for the same new insats arrive at once', async () => {
    const table = await db.newTable();
    const repo = db.repo(table);
    const target = { ...nytt(1), insatsnyckel: 'stegvis till arbete|exempelby kommun' };
    const [a, b] = await Promise.all([
      repo.registerHandling(target, handling('2026-02-02T09:00:00.000Z', 1), 'rapport-a'),
      repo.registerHandling(target, handling('2026-02-02T09:00:01.000Z', 2), 'rapport-b'),
    ]);
    expect(a.handling.arende).toBe(b.handling.arende);
    expect([a.handling.handlingsnummer, b.handling.handlingsnummer].sort()).toEqual([1, 2]);
    expect((await repo.findArendeByInsatsnyckel(target.insatsnyckel))?.diarienummer).toBe(a.handling.arende);
  });

  it('appends to an ärende log another instance has written to since, keeping the chain intact', async () => {
    const table = await db.newTable();
    const a = db.repo(table);
    const b = db.repo(table);
    const { handling: h } = await a.registerHandling(nytt(3), handling('2026-02-02T09:00:00.000Z', 3), 'a');
    // a remembers the log head it wrote; b moves the head on behind its back.
    await b.appendLog(h.arende, { handelse: 'anteckning', av: 'kansli', data: { text: 'från b' } });
    await a.appendLog(h.arende, { handelse: 'anteckning', av: 'kansli', data: { text: 'från a' } });
    const d = await a.getArendeDetaljer(h.arende);
    expect(d?.logg.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(d?.logg.slice(2).map((e) => e.data['text'])).toEqual(['från b', 'från a']);
    const { verifieraArende } = await import('../../domain/diarium/kansli.js');
    expect((await verifieraArende(a, h.arende)).ok).toBe(true);
  });

  it('continues after an imported ärende that took the next number, without reusing it', async () => {
    const table = await db.newTable();
    const repo = db.repo(table);
    await repo.importArende(
      { serie: 'SFG', ar: 2026, nummer: 1, arendemening: 'Importerat', insatsId: null, insatsnyckel: null },
      'test',
    );
    const r = await repo.registerHandling(nytt(2), handling('2026-02-02T09:00:00.000Z', 2), 'efter-import');
    expect(r.handling.diarienummer).toBe('SFG 26-2.1');
  });
});

function mail(i: number, extra: Partial<TestMailSpec> = {}): TestMailSpec {
  return {
    messageId: `rapport-${i}@exempelby.example`,
    from: 'sara.provperson@exempelby.example',
    fromName: 'Sara Provperson',
    subject: `Slutrapport insats ${i}`,
    receivedAt: '2026-02-02T09:00:00Z',
    report: { insatsnamn: `Stegvis till arbete ${i}`, organisation: 'Exempelby kommun' },
    ...extra,
  };
}

describe('idempotent registration', () => {
  it('registers the same mail delivered three times at once as one handling with one kvittens', async () => {
    const table = await db.newTable();
    const ingest = fakeIngest(db.repo(table));
    const obj = ingest.deliver(mail(1));
    // Three deliveries of the same stored object (SMTP resend, duplicate S3 event, Lambda retry).
    const settled = await Promise.allSettled([
      ingestNow(ingest.deps, obj),
      ingestNow(ingest.deps, obj),
      ingestNow(ingest.deps, obj),
    ]);
    // A delivery that finds the kvittens being sent by another fails, so SQS brings it back later.
    for (const r of settled) if (r.status === 'rejected') expect(String(r.reason)).toMatch(/skickas redan/);
    const redelivered = await ingestNow(ingest.deps, obj);
    const outcomes = [...settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])), redelivered];
    expect(redelivered.kvittens).toBe('redan-skickad');
    const dnrs = new Set(outcomes.map((o) => o.handling.diarienummer));
    expect(dnrs).toEqual(new Set(['SFG 26-1.1']));
    expect(outcomes.filter((o) => o.skapad)).toHaveLength(1);
    expect(ingest.sent.filter((m) => m.subject.includes('SFG 26-1.1'))).toHaveLength(1);
    const h = await db.repo(table).getHandling('SFG 26-1.1');
    expect(h?.kvittens?.meddelandeId).toBe('ses-1');
    expect((await allItems(table, 'RAKNARE#SFG#2026'))[0]?.['senaste']).toBe(1);
  });

  it('registers the same Message-ID with different content as two handlings (a new mail, not a resend)', async () => {
    const table = await db.newTable();
    const ingest = fakeIngest(db.repo(table));
    const a = await ingestNow(ingest.deps, ingest.deliver(mail(1)));
    const b = await ingestNow(ingest.deps, ingest.deliver(mail(1, { body: 'Nu med rätt bilaga.' })));
    expect(a.handling.diarienummer).not.toBe(b.handling.diarienummer);
  });
});

describe('a crash between any two steps of registration', () => {
  /** Runs one mail through ingest on a fresh table after an earlier one; returns what a clean run sends. */
  async function scenario(crash: { at: number; when: 'fore' | 'efter' } | null) {
    const table = await db.newTable();
    const healthy = db.repo(table);
    const setup = fakeIngest(healthy);
    await ingestNow(setup.deps, setup.deliver(mail(0)));
    const { doc, seen } = crashingClient(db.local, crash);
    const crashing = fakeIngest(db.repo(table, { client: doc }));
    const obj = crashing.deliver(mail(1));
    let crashed: unknown = null;
    try {
      await ingestNow(crashing.deps, obj);
    } catch (err) {
      crashed = err;
    }
    // The one window no store can close: the kvittens left SES but the crash came before it was marked sent.
    const h = await healthy.getHandling('SFG 26-2.1');
    const sentButUnmarked =
      crashing.sent.some((m) => m.subject.includes('SFG 26-2.1')) && h?.kvittens === null;
    return { table, healthy, crashing, obj, seen, crashed, sentButUnmarked };
  }

  it('leaves one handling, no gap, and a kvittens, whichever DynamoDB call the crash hits', async () => {
    const clean = await scenario(null);
    const steps = clean.seen.length;
    expect(steps).toBeGreaterThan(5);
    const injected: string[] = [];
    for (let at = 1; at <= steps; at++) {
      for (const when of ['fore', 'efter'] as const) {
        const s = await scenario({ at, when });
        expect(s.crashed, `krasch ${when} ${at} (${s.seen[at - 1]})`).toBeInstanceOf(InjectedCrash);
        injected.push(`${when}:${s.seen[at - 1] ?? '?'}`);
        // The retry (SQS redelivery) runs after the kvittens claim of the dead invocation has gone stale.
        const retry = fakeIngest(s.healthy, { clock: () => new Date('2030-06-15T12:16:00Z') });
        retry.deliver(mail(1));
        const outcome = await ingestNow(retry.deps, s.obj);
        expect(outcome.handling.diarienummer, `${when} ${at}`).toBe('SFG 26-2.1');
        const counter = await allItems(s.table, 'RAKNARE#SFG#2026');
        expect(counter[0]?.['senaste'], `${when} ${at}`).toBe(2);
        const arende = await s.healthy.getArendeDetaljer('SFG 26-2');
        expect(arende?.handlingar.map((h) => h.diarienummer)).toEqual(['SFG 26-2.1']);
        const h = arende?.handlingar[0];
        expect(h?.kvittens, `${when} ${at}: kvittensen har skickats och markerats`).not.toBeNull();
        const kvittenser = [...s.crashing.sent, ...retry.sent].filter((m) =>
          m.subject.includes('SFG 26-2.1'),
        );
        // Exactly once, except when the crash fell between the SES send and marking it sent: at least once.
        if (s.sentButUnmarked) expect(kvittenser.length).toBeGreaterThanOrEqual(1);
        else expect(kvittenser, `${when} ${at}`).toHaveLength(1);
        expect(arende?.logg.filter((e) => e.handelse === 'kvittens-skickad')).toHaveLength(1);
        const { verifieraArende } = await import('../../domain/diarium/kansli.js');
        expect((await verifieraArende(s.healthy, 'SFG 26-2')).ok).toBe(true);
        expect(
          [...s.crashing.published, ...retry.published].some((e) => e.diarienummer === 'SFG 26-2.1'),
        ).toBe(true);
      }
    }
    expect(injected).toContain('efter:TransactWriteItemsCommand');
  });

  it('retries a kvittens whose sender died right after registering (and so claiming) it, once the claim has gone stale', async () => {
    const clean = await scenario(null);
    // The registration transaction carries the kvittens claim.
    const claimAt = clean.seen.indexOf('TransactWriteItemsCommand') + 1;
    const s = await scenario({ at: claimAt, when: 'efter' });
    // At once: the claim may belong to an invocation still sending, so the message must come back later.
    const early = fakeIngest(s.healthy);
    early.deliver(mail(1));
    await expect(ingestNow(early.deps, s.obj)).rejects.toThrow(/skickas redan/);
    expect(early.sent).toHaveLength(0);
    // SQS redelivers after the visibility timeout, long after the claim has gone stale.
    const later = fakeIngest(s.healthy, {
      clock: () => new Date(Date.parse('2030-06-15T12:00:00Z') + KVITTENS_CLAIM_MS + 1000),
    });
    later.deliver(mail(1));
    await ingestNow(later.deps, s.obj);
    expect(later.sent.filter((m) => m.subject.includes('SFG 26-2.1'))).toHaveLength(1);
  });
});
