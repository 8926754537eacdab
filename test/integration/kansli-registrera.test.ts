import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, GetObjectRetentionCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDocumentClient } from '../../functions/adapters/dynamo-client.js';
import { DynamoDiariumRepository } from '../../functions/adapters/dynamo-diarium/repository.js';
import { DynamoSessionStore } from '../../functions/adapters/dynamo-kansli-sessions.js';
import { makeS3Client } from '../../functions/adapters/s3-document-store.js';
import type { Roll } from '../../domain/kansli/roller.js';
import { runDiariumCli } from '../../local/cli/diarium/main.js';
import { startLocalStack, type LocalStack } from '../../local/aws/stack.js';
import { storeSession } from './kansli-support.js';

// Registering by hand on the whole local stack: the kansli function as deployed (its own role enforced by the
// IAM proxies), the HTTP API stand-in with AWS's size limits, DynamoDB Local and the Object Lock records store.
let stack: LocalStack;
let repo: DynamoDiariumRepository;
let sessions: DynamoSessionStore;
let s3: S3Client;
let base: string;

const PDF = Buffer.from('%PDF-1.4\n% Brev från Exempelby kommun\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(64)]);

beforeAll(async () => {
  stack = await startLocalStack({
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'rapportflode-registrera-')),
    ports: { smtp: 0, s3: 0, dynamodb: 0, ses: 0, http: 0, aws: 0 },
    reconcileIntervalMs: 0,
    log: () => undefined,
  });
  base = stack.urls.http;
  const doc = makeDocumentClient(stack.clientConfig('DYNAMODB'));
  repo = new DynamoDiariumRepository(doc, { tableName: stack.table });
  sessions = new DynamoSessionStore(doc, stack.table);
  s3 = makeS3Client(stack.clientConfig('S3'));
}, 180_000);

afterAll(async () => {
  s3?.destroy();
  await stack?.stop();
});

const sessionFor = (roll: Roll) => storeSession(sessions, roll);

type Session = Awaited<ReturnType<typeof sessionFor>>;

async function get(s: Session, p: string) {
  const res = await fetch(`${base}${p}`, { headers: { cookie: s.cookie }, redirect: 'manual' });
  return { res, body: await res.text() };
}

const nyckel = () => randomBytes(18).toString('base64url');

async function post(
  s: Session,
  fields: Record<string, string>,
  fil?: { namn: string; bytes: Buffer; typ: string },
) {
  const fd = new FormData();
  fd.set('csrf', s.csrf);
  fd.set('bekraftat', 'ja');
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  if (fil) fd.set('fil', new Blob([new Uint8Array(fil.bytes)], { type: fil.typ }), fil.namn);
  const res = await fetch(`${base}/kansli/registrera`, {
    method: 'POST',
    headers: { cookie: s.cookie, 'sec-fetch-site': 'same-origin' },
    body: fd,
    redirect: 'manual',
  });
  return { res, body: await res.text() };
}

async function nyttArende(s: Session, arendemening: string) {
  const r = await post(
    s,
    { nyckel: nyckel(), typ: 'upprattad', beskrivning: 'PM om uppföljning', arendemening },
    undefined,
  );
  expect(r.res.status).toBe(303);
  const dnr = decodeURIComponent(r.res.headers.get('location')!.split('/').pop()!);
  return (await repo.getHandling(dnr))!;
}

const papper = (arende: string, over: Record<string, string> = {}) => ({
  nyckel: nyckel(),
  typ: 'inkommen',
  namn: '<script>alert(1)</script>',
  organisation: 'Exempelby kommun',
  postadress: 'Box 1, 811 00 Exempelby',
  datum: '2026-01-15',
  beskrivning: 'Brev om insatsen Prova på',
  arende,
  klass: 'allman-handling',
  ...over,
});

describe('registering a handling by hand in the kansli application', () => {
  it('registers paper post with its scan: the number at once, the file under retention, the person in the log', async () => {
    const s = await sessionFor('registrator');
    const upprattad = await nyttArende(s, 'Uppföljning av Prova på');
    const r = await post(s, papper(upprattad.arende), {
      namn: '<img src=x onerror=alert(1)>.pdf',
      bytes: PDF,
      typ: 'application/pdf',
    });
    expect(r.res.status).toBe(303);
    const location = r.res.headers.get('location')!;
    expect(location).toMatch(/^\/kansli\/registrerad\//);
    const dnr = decodeURIComponent(location.split('/').pop()!);
    expect(dnr).toBe(`${upprattad.arende}.2`);

    const h = (await repo.getHandling(dnr))!;
    const sha = createHash('sha256').update(PDF).digest('hex');
    expect(h).toMatchObject({
      kalla: 'papper',
      ankomstdatum: '2026-01-15',
      avsandare: { namn: '<script>alert(1)</script>', organisation: 'Exempelby kommun' },
      filer: [{ sha256: sha, storlek: PDF.length, typ: 'pdf', filnamn: 'img_src_x_onerror_alert_1_.pdf' }],
    });
    const key = h.filer[0]!.nyckel;
    expect(key).toBe(`handlingar/${sha}/img_src_x_onerror_alert_1_.pdf`);
    const stored = await s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: key }));
    expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(PDF)).toBe(true);
    const retention = await s3.send(new GetObjectRetentionCommand({ Bucket: stack.bucket, Key: key }));
    expect(retention.Retention?.Mode).toBe('GOVERNANCE');
    expect(retention.Retention!.RetainUntilDate!.getTime()).toBeGreaterThan(Date.now());

    const d = (await repo.getArendeDetaljer(h.arende))!;
    const entry = d.logg.find((l) => l.handelse === 'handling-registrerad' && l.data['handling'] === dnr);
    expect(entry?.av).toBe('Test registrator <registrator@kansli.example> [test-registrator]');

    // The result page shows the number to write on the paper, the file and the log entry; all escaped.
    const page = await get(s, location);
    expect(page.res.status).toBe(200);
    expect(page.body).toContain(`Diarienummer: <strong>${dnr}</strong>`);
    expect(page.body).toContain(sha);
    expect(page.body).toContain('Test registrator &#60;registrator@kansli.example&#62; [test-registrator]');
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    // The kansli function did nothing its role does not allow.
    expect(stack.iam?.denied().filter((c) => c.fnId === 'kansli')).toEqual([]);
  });

  it('registers an upprättad handling without a file and an expedierad one with its recipient', async () => {
    const s = await sessionFor('registrator');
    const upprattad = await nyttArende(s, 'Insatsen Steg för steg');
    expect(upprattad).toMatchObject({ kalla: 'upprattad', filer: [], beskrivning: 'PM om uppföljning' });
    const r = await post(
      s,
      {
        nyckel: nyckel(),
        typ: 'expedierad',
        namn: 'Sara Provperson',
        organisation: 'Exempelby kommun',
        postadress: 'Box 1, 811 00 Exempelby',
        beskrivning: 'Begäran om komplettering',
        satt: 'post',
        arende: upprattad.arende,
      },
      { namn: 'utgaende.png', bytes: PNG, typ: 'image/png' },
    );
    expect(r.res.status).toBe(303);
    const h = (await repo.getHandling(decodeURIComponent(r.res.headers.get('location')!.split('/').pop()!)))!;
    expect(h).toMatchObject({
      kalla: 'upprattad',
      flaggor: ['expedierad'],
      beskrivning: 'Expedierad: Begäran om komplettering',
      expediering: { mottagare: { namn: 'Sara Provperson' }, satt: 'post' },
      filer: [{ typ: 'png', filnamn: 'utgaende.png' }],
    });
  });

  it('flags a paper slutrapport for the kansli to read in and start the granskning', async () => {
    const s = await sessionFor('registrator');
    const a = await nyttArende(s, 'Slutrapport på papper');
    const r = await post(s, papper(a.arende, { klass: 'slutrapport' }), {
      namn: 'slutrapport.pdf',
      bytes: PDF,
      typ: 'application/pdf',
    });
    const location = r.res.headers.get('location')!;
    const h = (await repo.getHandling(decodeURIComponent(location.split('/').pop()!)))!;
    expect(h.flaggor).toContain('las-in-manuellt');
    expect(h.granskning).toBe('ej-aktuell');
    expect((await get(s, location)).body).toContain('Läs in och starta granskning manuellt');
  });

  it('registers a form sent twice once, and says so', async () => {
    const s = await sessionFor('registrator');
    const a = await nyttArende(s, 'Dubbelklick');
    const fields = papper(a.arende);
    const fil = { namn: 'brev.pdf', bytes: PDF, typ: 'application/pdf' };
    const [first, second] = await Promise.all([post(s, fields, fil), post(s, fields, fil)]);
    const locations = [first, second].map((r) => r.res.headers.get('location')!.replace(/\?igen=1$/, ''));
    expect(locations[0]).toBe(locations[1]);
    expect([first, second].filter((r) => r.res.headers.get('location')!.endsWith('?igen=1'))).toHaveLength(1);
    expect((await repo.getArende(a.arende))!.antalHandlingar).toBe(2);
    expect((await get(s, `${locations[0]!}?igen=1`)).body).toContain('Formuläret hade redan skickats');
  });

  it('refuses a läsare and a handläggare (403 on the form and on the post) and registers nothing', async () => {
    const reg = await sessionFor('registrator');
    const a = await nyttArende(reg, 'Behörighet');
    for (const roll of ['lasare', 'handlaggare'] as const) {
      const s = await sessionFor(roll);
      expect((await get(s, '/kansli/registrera')).res.status).toBe(403);
      const r = await post(s, papper(a.arende), { namn: 'brev.pdf', bytes: PDF, typ: 'application/pdf' });
      expect(r.res.status, roll).toBe(403);
    }
    expect((await repo.getArende(a.arende))!.antalHandlingar).toBe(1);
  });

  it('ties missing fields to Swedish messages on the form and registers nothing', async () => {
    const s = await sessionFor('registrator');
    const a = await nyttArende(s, 'Felaktigt formulär');
    const r = await post(s, {
      nyckel: nyckel(),
      typ: 'inkommen',
      namn: '',
      organisation: '',
      datum: '2099-01-01',
      beskrivning: '',
      arende: a.arende,
      klass: 'allman-handling',
    });
    expect(r.res.status).toBe(400);
    expect(r.body).toContain(
      '<strong class="fel" id="namn-fel">Ange avsändarens namn eller organisation.</strong>',
    );
    expect(r.body).toMatch(/id="namn" name="namn" aria-describedby="namn-fel" aria-invalid="true"/);
    expect(r.body).toContain('id="datum-fel">Datumet kan inte ligga i framtiden.');
    expect(r.body).toContain('id="beskrivning-fel">Ange vad handlingen avser.');
    expect(r.body).toContain('id="fil-fel">Bifoga den skannade handlingen.');
    expect((await repo.getArende(a.arende))!.antalHandlingar).toBe(1);
  });

  it('refuses a request larger than AWS takes with 413, as API Gateway and Lambda do, and registers nothing', async () => {
    const s = await sessionFor('registrator');
    const a = await nyttArende(s, 'För stor skanning');
    // 5 MB of file: under API Gateway's 10 MB, but base64 in the event it is more than Lambda's 6 MB.
    const stor = Buffer.concat([PDF, randomBytes(5 * 1024 * 1024)]);
    const r = await post(s, papper(a.arende), { namn: 'stor.pdf', bytes: stor, typ: 'application/pdf' });
    expect(r.res.status).toBe(413);
    // Over 10 MB: API Gateway's own limit.
    const mycket = Buffer.concat([PDF, randomBytes(11 * 1024 * 1024)]);
    const r2 = await post(s, papper(a.arende), { namn: 'mycket.pdf', bytes: mycket, typ: 'application/pdf' });
    expect(r2.res.status).toBe(413);
    // Just over the form's 4 MB: the function refuses it with a Swedish page.
    const over = Buffer.concat([PDF, randomBytes(4 * 1024 * 1024)]);
    const r3 = await post(s, papper(a.arende), { namn: 'over.pdf', bytes: over, typ: 'application/pdf' });
    expect(r3.res.status).toBe(413);
    expect(r3.body).toContain('npm run diarium -- registrera');
    expect((await repo.getArende(a.arende))!.antalHandlingar).toBe(1);
  });

  it('registers the same way from the command line, also a file larger than the form takes', async () => {
    const s = await sessionFor('registrator');
    const a = await nyttArende(s, 'Stor skanning via kommandot');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rapportflode-registrera-cli-'));
    const fil = path.join(dir, 'stor skanning.pdf');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(fil, Buffer.concat([PDF, randomBytes(5 * 1024 * 1024)]));
    const out: string[] = [];
    const err: string[] = [];
    const argv = [
      'registrera',
      '--typ',
      'inkommen',
      '--organisation',
      'Exempelby kommun',
      '--avser',
      'Slutrapport Prova på (papper)',
      '--klass',
      'slutrapport',
      '--arende',
      a.arende,
      '--fil',
      fil,
      '--av',
      'Rut Registrator',
      '--endpoint',
      stack.urls.dynamodb,
      '--table',
      stack.table,
      '--s3',
      stack.urls.s3,
      '--bucket',
      stack.bucket,
    ];
    const io = {
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      env: { RAPPORTFLODE_DATA: dir },
      clock: () => new Date(),
    };
    expect(await runDiariumCli(argv, io)).toBe(0);
    expect(out.join('\n')).toContain(`Registrerad: ${a.arende}.2`);
    expect(out.join('\n')).toContain('Läs in och starta granskning manuellt');
    // Run again: nothing new.
    expect(await runDiariumCli(argv, io)).toBe(0);
    expect(out.join('\n')).toContain(`Redan registrerad: ${a.arende}.2`);
    expect((await repo.getArende(a.arende))!.antalHandlingar).toBe(2);

    // A missing field: exit code 1, the flag named, no stack trace.
    const fel: string[] = [];
    const code = await runDiariumCli(
      [
        'registrera',
        '--typ',
        'inkommen',
        '--avser',
        'x',
        '--av',
        'Rut',
        '--endpoint',
        stack.urls.dynamodb,
        '--table',
        stack.table,
      ],
      { ...io, err: (t: string) => fel.push(t) },
    );
    expect(code).toBe(1);
    expect(fel.join('\n')).toContain('--namn: Ange avsändarens namn eller organisation.');
    expect(fel.join('\n')).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
