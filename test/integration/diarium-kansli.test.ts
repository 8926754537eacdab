import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  korrigeraAnkomstdatum,
  makuleraHandling,
  frigeHandling,
  verifieraArende,
} from '../../domain/diarium/kansli.js';
import { DiariumRegelError } from '../../domain/diarium/errors.js';
import { postlistaRows } from '../../domain/diarium/postlista.js';
import { makeHandler as makePostlista } from '../../functions/postlista/make-handler.js';
import { runDiariumCli, type CliIo, type ListRad } from '../../local/cli/diarium/main.js';
import { runInsatserImport } from '../../local/cli/insatser-import.js';
import { seedDemoInsatser } from '../../local/aws/demo-insatser.js';
import { startAwsApiServer, type BusEvent } from '../../local/aws/aws-api-server.js';
import { freePort } from '../../local/aws/dynamodb-local.js';
import { syntheticReportLines } from '../support/synthetic-report.js';
import {
  fakeIngest,
  startDiariumDb,
  type DiariumDb,
  type TestMailSpec,
  ingestNow,
} from './diarium-support.js';
import { recordingIo } from '../support/cli-io.js';

let db: DiariumDb;

beforeAll(async () => {
  db = await startDiariumDb();
});

afterAll(async () => {
  await db.stop();
});

let n = 0;
function mail(extra: Partial<TestMailSpec> = {}): TestMailSpec {
  n++;
  return {
    messageId: `m${n}@exempelby.example`,
    from: 'sara.provperson@exempelby.example',
    fromName: 'Sara Provperson',
    subject: `Slutrapport ${n}`,
    receivedAt: '2026-02-02T09:00:00Z',
    report: { insatsnamn: `Stegvis till arbete ${n}`, organisation: 'Exempelby kommun' },
    ...extra,
  };
}

async function setup(clock?: () => Date) {
  const table = await db.newTable();
  const repo = db.repo(table, clock ? { clock } : {});
  const ingest = fakeIngest(repo);
  const register = (m: TestMailSpec) => ingestNow(ingest.deps, ingest.deliver(m));
  return { table, repo, ingest, register };
}

describe('ankomstdatum at midnight, New Year and the DST switches (Europe/Stockholm)', () => {
  const cases: [string, string, string][] = [
    ['23:59:59 on New Year’s Eve', '2025-12-31T22:59:59Z', '2025-12-31'],
    ['00:00:00 on New Year’s Day', '2025-12-31T23:00:00Z', '2026-01-01'],
    ['23:59:59 the evening before the spring switch', '2026-03-28T22:59:59Z', '2026-03-28'],
    ['00:00:00 on the spring switch day (CET)', '2026-03-28T23:00:00Z', '2026-03-29'],
    ['01:59:59 CET, the last second before clocks go forward', '2026-03-29T00:59:59Z', '2026-03-29'],
    ['03:00:00 CEST, the first second after', '2026-03-29T01:00:00Z', '2026-03-29'],
    ['23:59:59 on the spring switch day (CEST)', '2026-03-29T21:59:59Z', '2026-03-29'],
    ['00:00:00 the day after the spring switch', '2026-03-29T22:00:00Z', '2026-03-30'],
    ['23:59:59 the evening before the autumn switch (CEST)', '2026-10-24T21:59:59Z', '2026-10-24'],
    ['00:00:00 on the autumn switch day', '2026-10-24T22:00:00Z', '2026-10-25'],
    ['02:30 CEST, the first pass through the repeated hour', '2026-10-25T00:30:00Z', '2026-10-25'],
    ['02:30 CET, the second pass', '2026-10-25T01:30:00Z', '2026-10-25'],
    ['23:59:59 on the autumn switch day (CET)', '2026-10-25T22:59:59Z', '2026-10-25'],
    ['00:00:00 the day after the autumn switch', '2026-10-25T23:00:00Z', '2026-10-26'],
    ['a receipt time written with an offset', '2026-01-01T00:00:00+01:00', '2026-01-01'],
  ];

  it.each(cases)(
    'registers a mail received at %s (%s) with ankomstdatum %s, from the receipt time not the clock',
    async (_, at, dag) => {
      const { repo, register } = await setup();
      const o = await register(mail({ receivedAt: at }));
      expect(o.handling.ankomstdatum).toBe(dag);
      expect(o.handling.mottagen).toBe(new Date(at).toISOString());
      // A new ärende takes the year of the ankomstdatum.
      expect(o.handling.arende).toBe(`SFG ${dag.slice(2, 4)}-1`);
      // The diarium by date finds it on that day, and not on the neighbouring ones.
      expect((await repo.listDiarium(dag, dag)).map((h) => h.diarienummer)).toEqual([
        o.handling.diarienummer,
      ]);
      const prev = new Date(Date.parse(`${dag}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      const next = new Date(Date.parse(`${dag}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      expect(await repo.listDiarium(prev, prev)).toEqual([]);
      expect(await repo.listDiarium(next, next)).toEqual([]);
    },
  );

  it('keeps the two passes through the repeated autumn hour in arrival order', async () => {
    const { repo, register } = await setup();
    const second = await register(mail({ receivedAt: '2026-10-25T01:30:00Z' }));
    const first = await register(mail({ receivedAt: '2026-10-25T00:30:00Z' }));
    expect((await repo.listDiarium('2026-10-25', '2026-10-25')).map((h) => h.diarienummer)).toEqual([
      first.handling.diarienummer,
      second.handling.diarienummer,
    ]);
  });
});

describe('the right ärende', () => {
  async function withArende2312() {
    const s = await setup();
    await s.repo.importArende(
      {
        serie: 'SFG',
        ar: 2023,
        nummer: 12,
        arendemening: 'Slutrapport – Trappan – Exempelby kommun',
        insatsId: null,
        insatsnyckel: null,
      },
      'test',
    );
    return s;
  }

  it.each([
    ['the subject', { subject: 'Komplettering SFG 23-12' }],
    ['the subject, with an en dash and a handling number', { subject: 'Ang. SFG 23–12.5' }],
    ['the subject, without spaces', { subject: 'Rapport SFG23-12.5' }],
    [
      'the body, with spaces around the dash',
      { subject: 'Slutrapport', body: 'Hej! Detta gäller vårt ärende SFG 23 - 12. Mvh Sara' },
    ],
  ])('files a handling quoting the diarienummer in %s in that ärende', async (_, extra) => {
    const { register } = await withArende2312();
    const o = await register(mail(extra));
    expect(o.handling.diarienummer).toBe('SFG 23-12.1');
  });

  it('files a handling whose report states the diarienummer in its header in that ärende', async () => {
    const { register } = await withArende2312();
    const lines = syntheticReportLines({ insatsnamn: 'Trappan', organisation: 'Exempelby kommun' });
    const i = lines.indexOf('Diarienummer Signatur');
    lines.splice(i + 1, 0, 'SFG 23-12 AKH');
    const o = await register(mail({ subject: 'Slutrapport', report: { text: lines.join('\n') } }));
    expect(o.handling.diarienummer).toBe('SFG 23-12.1');
  });

  it('does not file into an ärende that does not exist, but opens a new one', async () => {
    const { register } = await withArende2312();
    const o = await register(mail({ subject: 'Ang. SFG 23-99' }));
    expect(o.handling.arende).toBe('SFG 26-1');
  });

  it('matches the demo insats register on name and organisation, tolerant to spelling', async () => {
    const { repo, register } = await setup();
    const seeded = await seedDemoInsatser(repo);
    expect(seeded.arendenSkapade).toHaveLength(19);
    expect((await seedDemoInsatser(repo)).arendenSkapade).toEqual([]);
    const sandviken = await register(
      mail({ report: { insatsnamn: 'Trisam 2.0', organisation: 'Sandvikens kommun' } }),
    );
    expect(sandviken.handling.diarienummer).toBe('SFG 21-6.1');
    const hudiksvall = await register(
      mail({
        report: {
          insatsnamn: 'Lokal individinriktad insats efter Trisam Hudiksvall',
          organisation: 'Hudiksvalls Kommun',
        },
      }),
    );
    expect(hudiksvall.handling.arende).toBe('SFG 21-18');
    const ovanaker = await register(
      mail({ report: { insatsnamn: 'Ett hallbart arbetsliv Ovanaker', organisation: 'Ovanåker kommun' } }),
    );
    expect(ovanaker.handling.arende).toBe('SFG 21-2');
    // Seeded ärenden start at handling 1 and keep the year's counter at 19: the next new ärende is SFG 21-20.
    const ny = await register(
      mail({
        receivedAt: '2021-06-01T10:00:00Z',
        report: { insatsnamn: 'Helt ny insats', organisation: 'Nordanstigs kommun' },
      }),
    );
    expect(ny.handling.diarienummer).toBe('SFG 21-20.1');
  });

  it('files a komplettering answering the kvittens in the same ärende as the report it completes', async () => {
    const { register, ingest, repo } = await setup();
    const first = await register(
      mail({ report: { insatsnamn: 'Trappan', organisation: 'Exempelby kommun', utanAvsnitt8: true } }),
    );
    expect(first.handling.bedomning).toBe('ofullstandig');
    const request = ingest.sent.find((m) => m.subject.includes(first.handling.diarienummer));
    expect(request?.text).toContain(first.handling.arende);
    const reply = await register(
      mail({
        subject: `Re: ${request?.subject ?? ''}`,
        report: { insatsnamn: 'Trappan', organisation: 'Exempelby kommun' },
      }),
    );
    expect(reply.handling.diarienummer).toBe(`${first.handling.arende}.2`);
    expect(reply.handling.bedomning).toBe('komplett');
    // Without quoting a number, the sender's earlier ärende for the same insats is used.
    const again = await register(
      mail({ subject: 'Ny version', report: { insatsnamn: 'Trappan', organisation: 'Exempelby kommun' } }),
    );
    expect(again.handling.diarienummer).toBe(`${first.handling.arende}.3`);
    expect((await verifieraArende(repo, first.handling.arende)).ok).toBe(true);
  });
});

describe('the kansli’s actions', () => {
  it('voids a handling: it keeps its number, records reason and who, and shows as makulerad in the postlista', async () => {
    const { repo, register } = await setup(() => new Date('2026-02-03T10:00:00Z'));
    const o = await register(mail());
    const h = await makuleraHandling(
      { repo, clock: () => new Date('2026-02-03T10:00:00Z') },
      o.handling.diarienummer,
      {
        skal: 'Felregistrerad dubblett av SFG 26-1.1',
        av: 'Anna Kanslist',
      },
    );
    expect(h.makulerad).toEqual({
      av: 'Anna Kanslist',
      skal: 'Felregistrerad dubblett av SFG 26-1.1',
      tidpunkt: '2026-02-03T10:00:00.000Z',
    });
    expect((await repo.getHandling(o.handling.diarienummer))?.makulerad?.av).toBe('Anna Kanslist');
    await expect(
      makuleraHandling({ repo, clock: () => new Date() }, o.handling.diarienummer, {
        skal: 'igen',
        av: 'Bo',
      }),
    ).rejects.toThrow(DiariumRegelError);
    const d = await repo.getArendeDetaljer(o.handling.arende);
    expect(d?.logg.filter((e) => e.handelse === 'handling-makulerad').map((e) => e.av)).toEqual([
      'Anna Kanslist',
    ]);
    // The number is not reused.
    const next = await register(mail({ subject: `Ang. ${o.handling.arende}` }));
    expect(next.handling.diarienummer).toBe(`${o.handling.arende}.2`);

    const rows = postlistaRows(
      await repo.listDiarium('2026-02-02', '2026-02-02'),
      await repo.getArenden([o.handling.arende]),
    );
    expect(rows[0]).toMatchObject({ diarienummer: o.handling.diarienummer, status: 'Makulerad' });
    const page = await makePostlista({ repo, clock: () => new Date('2026-02-03T10:00:00Z') })(
      { queryStringParameters: { fran: '2026-02-01', till: '2026-02-03' } },
      {} as never,
    );
    expect(page.body).toContain('Makulerad');
    expect(page.body).toContain(o.handling.diarienummer);
    expect((await verifieraArende(repo, o.handling.arende)).ok).toBe(true);
  });

  it('keeps private individuals’ names and addresses out of the postlista', async () => {
    const { repo, register } = await setup();
    const o = await register(
      mail({
        from: 'kalle.karlsson@privat.example',
        fromName: 'Kalle Karlsson',
        subject: 'Fråga från Kalle Karlsson, tel 070-123 45 67',
        report: null,
      }),
    );
    const page = await makePostlista({ repo, clock: () => new Date('2026-02-03T10:00:00Z') })(
      { queryStringParameters: { fran: '2026-02-01', till: '2026-02-03' } },
      {} as never,
    );
    expect(page.body).toContain(o.handling.diarienummer);
    expect(page.body).not.toMatch(/Kalle|Karlsson|privat\.example|070-123/);
    expect(page.body).toContain('Enskild eller okänd avsändare');
  });

  it('overrides the arrival time of a late-registered document, audited, and refuses a time in the future', async () => {
    const { repo, register } = await setup();
    const o = await register(mail({ receivedAt: '2026-01-07T08:00:00Z' }));
    const deps = { repo, clock: () => new Date('2026-01-07T09:00:00Z') };
    const h = await korrigeraAnkomstdatum(deps, o.handling.diarienummer, {
      tid: '2026-01-02T16:45:00+01:00',
      skal: 'Låg i en medarbetares inkorg under helgerna',
      av: 'Anna Kanslist',
    });
    expect(h).toMatchObject({ mottagen: '2026-01-02T15:45:00.000Z', ankomstdatum: '2026-01-02' });
    expect(h.ankomstAndrad).toEqual({
      av: 'Anna Kanslist',
      skal: 'Låg i en medarbetares inkorg under helgerna',
      ursprunglig: '2026-01-07T08:00:00.000Z',
    });
    expect((await repo.listDiarium('2026-01-02', '2026-01-02')).map((x) => x.diarienummer)).toEqual([
      o.handling.diarienummer,
    ]);
    expect(await repo.listDiarium('2026-01-07', '2026-01-07')).toEqual([]);
    expect(h.diarienummer).toBe(o.handling.diarienummer);
    const ver = await verifieraArende(repo, o.handling.arende);
    expect(ver.ok).toBe(true);
    await expect(
      korrigeraAnkomstdatum(deps, o.handling.diarienummer, {
        tid: '2026-02-01T00:00:00Z',
        skal: 'x',
        av: 'y',
      }),
    ).rejects.toThrow(/framtiden/);
    await expect(
      korrigeraAnkomstdatum(deps, o.handling.diarienummer, { tid: '2026-01-02 16:45', skal: 'x', av: 'y' }),
    ).rejects.toThrow(/ISO 8601/);
    await expect(
      korrigeraAnkomstdatum(deps, o.handling.diarienummer, {
        tid: '2026-01-02T10:00:00Z',
        skal: ' ',
        av: 'y',
      }),
    ).rejects.toThrow(/Skäl/);
  });

  it('releases a spam-flagged handling to granskning once, and re-publishes on a second release', async () => {
    const { repo, register, ingest } = await setup();
    const o = await register(mail({ verdicts: { spam: 'FAIL', virus: 'PASS', dmarc: 'pass' } }));
    expect(o.handling.granskning).toBe('vantar-pa-kansliet');
    expect(o.handling.flaggor).toContain('spam');
    const r = await frigeHandling(
      { repo, clock: () => new Date(), events: ingest.deps.events },
      o.handling.diarienummer,
      { av: 'Anna Kanslist' },
    );
    expect(r).toMatchObject({ redanFrigiven: false, handling: { granskning: 'pagar' } });
    expect(ingest.begard).toEqual([
      { diarienummer: o.handling.diarienummer, arende: o.handling.arende, av: 'Anna Kanslist' },
    ]);
    const again = await frigeHandling(
      { repo, clock: () => new Date(), events: ingest.deps.events },
      o.handling.diarienummer,
      { av: 'Anna Kanslist' },
    );
    expect(again.redanFrigiven).toBe(true);
    expect(ingest.begard).toHaveLength(2);
    const normal = await register(mail());
    await expect(
      frigeHandling(
        { repo, clock: () => new Date(), events: ingest.deps.events },
        normal.handling.diarienummer,
        { av: 'x' },
      ),
    ).rejects.toThrow(/väntar inte på kansliet/);
  });
});

describe('the audit chain', () => {
  it('verifies, and finds an entry edited directly in DynamoDB, an edited registration and a removed last entry', async () => {
    const { repo, register, table } = await setup();
    const o = await register(mail());
    await register(mail({ subject: `Ang. ${o.handling.arende}` }));
    const arende = o.handling.arende;
    expect(await verifieraArende(repo, arende)).toMatchObject({ ok: true, avvikelser: [] });
    const doc = db.doc();
    const pk = `ARENDE#${arende}`;

    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk, sk: 'L#00000002' },
        UpdateExpression: 'SET av = :av',
        ExpressionAttributeValues: { ':av': 'någon annan' },
      }),
    );
    const tampered = await verifieraArende(repo, arende);
    expect(tampered.ok).toBe(false);
    expect(tampered.avvikelser[0]?.seq).toBe(2);
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk, sk: 'L#00000002' },
        UpdateExpression: 'SET av = :av',
        ExpressionAttributeValues: { ':av': 'system' },
      }),
    );
    expect((await verifieraArende(repo, arende)).ok).toBe(true);

    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk, sk: 'H#000001' },
        UpdateExpression: 'SET ankomstdatum = :d',
        ExpressionAttributeValues: { ':d': '2026-01-15' },
      }),
    );
    const moved = await verifieraArende(repo, arende);
    expect(moved.avvikelser.map((a) => a.handling)).toContain(`${arende}.1`);
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk, sk: 'H#000001' },
        UpdateExpression: 'SET ankomstdatum = :d',
        ExpressionAttributeValues: { ':d': '2026-02-02' },
      }),
    );

    const last = (await repo.getArendeDetaljer(arende))!.logg.length;
    await doc.send(
      new DeleteCommand({ TableName: table, Key: { pk, sk: `L#${String(last).padStart(8, '0')}` } }),
    );
    const truncated = await verifieraArende(repo, arende);
    expect(truncated.ok).toBe(false);
    expect(truncated.avvikelser.some((a) => a.meddelande.includes('logghuvud'))).toBe(true);
  });
});

describe('the kansli CLI and the register import', () => {
  function io(extra: Pick<CliIo, 'cwd' | 'store'> = {}) {
    return recordingIo({ clock: () => new Date('2026-02-10T12:00:00Z'), ...extra });
  }

  it('fetches a handling’s files checked against the diarium’s SHA-256, and writes no file whose content changed', async () => {
    const { table, register, ingest } = await setup();
    const a = await register(mail());
    const flags = ['--endpoint', db.local.endpoint, '--table', table];
    const dir = mkdtempSync(path.join(os.tmpdir(), 'diarium-filer-'));
    const fil = a.handling.filer[0]!;

    const ok = io({ cwd: dir, store: ingest.deps.store });
    expect(await runDiariumCli(['filer', a.handling.diarienummer, '--till', 'ut', ...flags], ok.io)).toBe(0);
    const written = path.join(dir, 'ut', `${a.handling.diarienummer} ${fil.filnamn}`);
    expect(readFileSync(written).equals(Buffer.from(ingest.objects.get(fil.nyckel)!))).toBe(true);
    expect(ok.out.join('\n')).toContain('SHA-256 stämmer');

    ingest.objects.set(fil.nyckel, Buffer.from('ändrat i efterhand'));
    const changed = io({ cwd: dir, store: ingest.deps.store });
    expect(
      await runDiariumCli(['filer', a.handling.diarienummer, '--till', 'igen', ...flags], changed.io),
    ).toBe(1);
    expect(changed.err.join('\n')).toContain('stämmer inte med diariets SHA-256');
    expect(() => readFileSync(path.join(dir, 'igen', `${a.handling.diarienummer} ${fil.filnamn}`))).toThrow();

    const arende = io({ cwd: dir, store: ingest.deps.store });
    expect(await runDiariumCli(['filer', a.handling.arende, ...flags], arende.io)).not.toBe(0);
    expect(arende.err.join('\n')).toContain('Ange en handlings diarienummer');
  });

  it('lists, shows, exports, voids, verifies and overrides arrival against DynamoDB Local through the flags', async () => {
    const { table, register } = await setup();
    const a = await register(mail({ receivedAt: '2026-02-02T09:00:00Z', subject: 'Slutrapport, "Stegvis"' }));
    const b = await register(mail({ receivedAt: '2026-02-05T22:59:59Z' }));
    const flags = ['--endpoint', db.local.endpoint, '--table', table];
    const t = io();

    expect(await runDiariumCli(['list', '--json', ...flags], t.io)).toBe(0);
    const list = JSON.parse(t.out.join('')) as ListRad[];
    expect(list.map((r) => Object.keys(r).sort())).toEqual(
      Array(2).fill(
        [
          'ankomstdatum',
          'arende',
          'avsandare',
          'beskrivning',
          'diarienummer',
          'granskning',
          'mottagen',
          'status',
        ].sort(),
      ),
    );
    expect(list.map((r) => r.diarienummer)).toEqual([a.handling.diarienummer, b.handling.diarienummer]);
    expect(list[1]).toMatchObject({
      ankomstdatum: '2026-02-05',
      mottagen: '2026-02-05T22:59:59.000Z',
      status: 'komplett',
      granskning: 'pagar',
    });

    const ranged = io();
    await runDiariumCli(
      ['list', '--json', '--from', '2026-02-03', '--to', '2026-02-05', ...flags],
      ranged.io,
    );
    expect((JSON.parse(ranged.out.join('')) as ListRad[]).map((r) => r.diarienummer)).toEqual([
      b.handling.diarienummer,
    ]);

    const show = io();
    expect(await runDiariumCli(['show', a.handling.diarienummer, ...flags], show.io)).toBe(0);
    const shown = show.out.join('\n');
    expect(shown).toContain(`Handling ${a.handling.diarienummer}`);
    expect(shown).toContain('SHA-256');
    expect(shown).toContain(a.handling.filer[0]!.sha256);
    expect(shown).toContain('handling-registrerad');
    expect(shown).toContain('hashkedjan');

    const dir = mkdtempSync(path.join(os.tmpdir(), 'diarium-export-'));
    const exp = io({ cwd: dir });
    expect(await runDiariumCli(['export', '--csv', '--fil', 'ut.csv', ...flags], exp.io)).toBe(0);
    const csv = readFileSync(path.join(dir, 'ut.csv'), 'utf8');
    expect(csv.startsWith('\uFEFFDiarienummer,Ärende,Ärendemening,Ankomstdatum')).toBe(true);
    expect(csv).toContain('\r\n');
    expect(csv).toContain(',Slutrapport – Stegvis till arbete');
    expect(csv.trimEnd().split('\r\n')).toHaveLength(3);

    const mak = io();
    expect(
      await runDiariumCli(
        ['makulera', b.handling.diarienummer, '--skal', 'Fel mottagare', '--av', 'Anna Kanslist', ...flags],
        mak.io,
      ),
    ).toBe(0);
    const after = io();
    await runDiariumCli(['list', '--json', ...flags], after.io);
    expect((JSON.parse(after.out.join('')) as ListRad[])[1]?.status).toBe('makulerad');

    const ank = io();
    expect(
      await runDiariumCli(
        [
          'korrigera-ankomstdatum',
          a.handling.diarienummer,
          '--tid',
          '2026-02-01T23:30:00+01:00',
          '--skal',
          'Sent registrerad',
          '--av',
          'Anna Kanslist',
          ...flags,
        ],
        ank.io,
      ),
    ).toBe(0);
    expect(ank.out.join('\n')).toContain('ankomstdatum 2026-02-01');

    const ver = io();
    expect(await runDiariumCli(['verifiera', a.handling.arende, ...flags], ver.io)).toBe(0);
    expect(ver.out.join('\n')).toContain('är hel');

    const bad = io();
    expect(
      await runDiariumCli(
        ['makulera', b.handling.diarienummer, '--skal', 'igen', '--av', 'Bo', ...flags],
        bad.io,
      ),
    ).toBe(1);
    expect(bad.err.join('\n')).toContain('makulerades redan');
  });

  it('says in Swedish that the local stack is not running when nothing answers', async () => {
    const port = await freePort();
    const t = io();
    expect(await runDiariumCli(['list', '--endpoint', `http://127.0.0.1:${port}`], t.io)).toBe(2);
    expect(t.err.join('\n')).toContain('Den lokala stacken körs inte');
  });

  it('releases a flagged handling through the EventBridge API of the local stack', async () => {
    const { table, register } = await setup();
    const o = await register(mail({ verdicts: { spam: 'PASS', virus: 'PASS', dmarc: 'fail' } }));
    const received: BusEvent[] = [];
    const port = await freePort();
    const server = await startAwsApiServer({
      port,
      sfn: () => {
        throw new Error('används inte');
      },
      rules: () => [
        {
          name: 'alla',
          pattern: { source: ['rapportflode.diarium'] },
          target: (e) => Promise.resolve(void received.push(e)),
        },
      ],
      log: () => undefined,
    });
    try {
      const t = io();
      const code = await runDiariumCli(
        [
          'frige',
          o.handling.diarienummer,
          '--av',
          'Anna Kanslist',
          '--endpoint',
          db.local.endpoint,
          '--table',
          table,
          '--eventbridge',
          `http://127.0.0.1:${port}`,
        ],
        t.io,
      );
      expect(t.err).toEqual([]);
      expect(code).toBe(0);
      await expect.poll(() => received.length).toBe(1);
      expect(received[0]).toMatchObject({
        'detail-type': 'GranskningBegard',
        detail: { diarienummer: o.handling.diarienummer, av: 'Anna Kanslist' },
      });
      expect((await db.repo(table).getHandling(o.handling.diarienummer))?.granskning).toBe('pagar');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('imports an insats register from CSV with Swedish headers and reports ärenden that do not exist', async () => {
    const { table, repo } = await setup();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'insatser-'));
    const file = path.join(dir, 'insatser.csv');
    writeFileSync(
      file,
      '\uFEFFId;Insatsens namn;Huvudman;Ärende;Beviljade medel\r\nstegvis;Stegvis till arbete;Exempelby kommun;SFG 24-3;"2 458 000 kr"\r\ntrappan;Trappan;Exempelby kommun;;450 tkr\r\n',
    );
    const t = io();
    expect(await runInsatserImport([file, '--endpoint', db.local.endpoint, '--table', table], t.io)).toBe(0);
    expect(t.out.join('\n')).toContain('Läste in 2 insatser');
    expect(t.out.join('\n')).toContain('SFG 24-3 finns inte');
    expect((await repo.listInsatser()).sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      {
        id: 'stegvis',
        namn: 'Stegvis till arbete',
        organisation: 'Exempelby kommun',
        arende: 'SFG 24-3',
        beviljadeMedel: 2_458_000,
      },
      {
        id: 'trappan',
        namn: 'Trappan',
        organisation: 'Exempelby kommun',
        arende: null,
        beviljadeMedel: 450_000,
      },
    ]);
    const json = path.join(dir, 'insatser.json');
    writeFileSync(
      json,
      JSON.stringify([
        {
          id: 'stegvis',
          namn: 'Stegvis till arbete',
          organisation: 'Exempelby kommun',
          arende: 'SFG 24-3',
          beviljadeMedel: 2458000,
        },
      ]),
    );
    const t2 = io();
    expect(
      await runInsatserImport(
        [json, '--skapa-arenden', '--endpoint', db.local.endpoint, '--table', table],
        t2.io,
      ),
    ).toBe(0);
    expect((await repo.getArende('SFG 24-3'))?.insatsId).toBe('stegvis');
  });
});
