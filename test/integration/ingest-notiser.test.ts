import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../../domain/diarium/ports.js';
import { syntheticReportText } from '../support/synthetic-report.js';
import { fakeIngest, ingestNow, startDiariumDb, type DiariumDb } from './diarium-support.js';

let db: DiariumDb;

beforeAll(async () => {
  db = await startDiariumDb();
});

afterAll(async () => {
  await db.stop();
});

const KANSLI = 'kansli@finsamgavleborg.example';

describe("the kansli's notices from the ingest, each sent once", () => {
  it('a notice SES refused is sent by the retry, once, and a further retry sends nothing', async () => {
    const repo = db.repo(await db.newTable());
    const ingest = fakeIngest(repo);
    const sent: OutgoingMail[] = [];
    let vagra = 1;
    ingest.deps.mailer = {
      send: (m) => {
        if (m.to.includes(KANSLI) && vagra-- > 0) return Promise.reject(new Error('SES throttled'));
        sent.push(m);
        return Promise.resolve({ messageId: `ses-${sent.length}` });
      },
    };
    // A complete report with a personnummer: kvittens to the sender, "Sekretessprövning" to the kansli.
    const obj = ingest.deliver({
      messageId: 'pnr-1@exempelby.example',
      from: 'sara.provperson@exempelby.example',
      subject: 'Slutrapport Sekretessinsats',
      receivedAt: '2026-02-02T09:00:00Z',
      report: {
        text: `${syntheticReportText({ insatsnamn: 'Sekretessinsats Hofors' })}\nDeltagare 19121212-1212 slutförde.`,
      },
    });
    await expect(ingestNow(ingest.deps, obj)).rejects.toThrow('SES throttled');
    const forst = await ingestNow(ingest.deps, obj);
    expect(forst.handling.sekretess).toBe(true);
    expect(forst.kvittens).toBe('skickad');
    await ingestNow(ingest.deps, obj);

    const tillKansli = sent.filter((m) => m.to.includes(KANSLI));
    expect(tillKansli.map((m) => m.subject.split(' – ')[0])).toEqual(['Sekretessprövning']);
    expect(sent.filter((m) => m.to.includes('sara.provperson@exempelby.example'))).toHaveLength(1);
  });

  it('a claim is taken once, held while another invocation sends, and final once marked', async () => {
    const repo = db.repo(await db.newTable());
    const ingest = fakeIngest(repo);
    const o = await ingestNow(
      ingest.deps,
      ingest.deliver({
        messageId: 'fraga-1@exempelby.example',
        from: 'fragare@exempelby.example',
        subject: 'En fråga',
        body: 'Hur söker man medel?',
        receivedAt: '2026-02-02T09:00:00Z',
        report: null,
      }),
    );
    const dnr = o.handling.diarienummer;
    const nu = '2030-06-15T12:00:00.000Z';
    expect(await repo.claimNotis(dnr, 'maskinlast', nu)).toBe('tagen');
    expect(await repo.claimNotis(dnr, 'maskinlast', nu)).toBe('upptagen');
    // A claim older than two minutes is an invocation that died before sending: taken over.
    expect(await repo.claimNotis(dnr, 'maskinlast', '2030-06-15T12:03:00.000Z')).toBe('tagen');
    await repo.releaseNotis(dnr, 'maskinlast');
    expect(await repo.claimNotis(dnr, 'maskinlast', nu)).toBe('tagen');
    await repo.markNotis(dnr, 'maskinlast', nu);
    expect(await repo.claimNotis(dnr, 'maskinlast', '2030-06-15T13:00:00.000Z')).toBe('skickad');
    // The allmän handling's own notice went once, and the handling reads back as before.
    expect(await repo.claimNotis(dnr, 'allman-handling', nu)).toBe('skickad');
    expect((await repo.getHandling(dnr))?.diarienummer).toBe(dnr);
  });
});
