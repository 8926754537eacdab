import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDELSE } from '../../domain/diarium/audit.js';
import { LAS_IN_MANUELLT } from '../../domain/diarium/registrera.js';
import type { Roll } from '../../domain/kansli/roller.js';
import { makeDocumentClient } from '../../functions/adapters/dynamo-client.js';
import { DynamoDiariumRepository } from '../../functions/adapters/dynamo-diarium/repository.js';
import { DynamoSessionStore } from '../../functions/adapters/dynamo-kansli-sessions.js';
import { startLocalStack, type LocalStack } from '../../local/aws/stack.js';
import { renderTextImage } from '../fixtures/extraction/generate.js';
import { outbox, waitFor } from '../support/local-helpers.js';
import { syntheticReportLines } from '../support/synthetic-report.js';
import { storeSession } from './kansli-support.js';

// "Läs in och starta granskning" on the whole local stack: the kansli function (its role enforced by the IAM
// proxies) sends HandlingLasningBegard to the ingest queue; the ingest reads the scan with OCR, completes the
// handling and publishes HandlingDiarieford; the granskning starts and the beredningsgrupp is mailed.
let stack: LocalStack;
let repo: DynamoDiariumRepository;
let sessions: DynamoSessionStore;
let base: string;

beforeAll(async () => {
  stack = await startLocalStack({
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'rapportflode-las-in-')),
    ports: { smtp: 0, s3: 0, dynamodb: 0, ses: 0, http: 0, aws: 0 },
    reconcileIntervalMs: 0,
    log: () => undefined,
  });
  base = stack.urls.http;
  const doc = makeDocumentClient(stack.clientConfig('DYNAMODB'));
  repo = new DynamoDiariumRepository(doc, { tableName: stack.table });
  sessions = new DynamoSessionStore(doc, stack.table);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const sessionFor = (roll: Roll) => storeSession(sessions, roll);
type Session = Awaited<ReturnType<typeof sessionFor>>;

async function get(s: Session, p: string) {
  const res = await fetch(`${base}${p}`, { headers: { cookie: s.cookie }, redirect: 'manual' });
  return { res, body: await res.text() };
}

async function postForm(s: Session, p: string, fields: Record<string, string>) {
  const res = await fetch(`${base}${p}`, {
    method: 'POST',
    headers: {
      cookie: s.cookie,
      'sec-fetch-site': 'same-origin',
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ csrf: s.csrf, ...fields }).toString(),
    redirect: 'manual',
  });
  return { res, body: await res.text() };
}

/** A scanned report: each page an image of the printed text (300 dpi), no text layer. */
async function scannedReport(): Promise<Uint8Array> {
  const lines = syntheticReportLines({}).flatMap((l) => {
    const out: string[] = [];
    let rest = l;
    while (rest.length > 60) {
      const cut = rest.lastIndexOf(' ', 60) > 0 ? rest.lastIndexOf(' ', 60) : 60;
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut).trimStart();
    }
    out.push(rest);
    return out;
  });
  const pdf = await PDFDocument.create();
  for (let i = 0; i < lines.length; i += 30) {
    const png = await pdf.embedPng(await renderTextImage(lines.slice(i, i + 30), 300));
    pdf.addPage([595, 842]).drawImage(png, { x: 0, y: 0, width: 595, height: 842 });
  }
  return pdf.save();
}

async function registreraPapper(s: Session, pdf: Uint8Array): Promise<string> {
  const fd = new FormData();
  const fields = {
    csrf: s.csrf,
    bekraftat: 'ja',
    nyckel: randomBytes(18).toString('base64url'),
    typ: 'inkommen',
    namn: 'Sara Provperson',
    organisation: 'Exempelby kommun',
    postadress: 'Box 1, 811 00 Exempelby',
    datum: '2026-01-15',
    beskrivning: 'Slutrapport på papper – Stegvis till arbete',
    arendemening: 'Slutrapport – Stegvis till arbete',
    klass: 'slutrapport',
  };
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  fd.set('fil', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'skanning.pdf');
  const res = await fetch(`${base}/kansli/registrera`, {
    method: 'POST',
    headers: { cookie: s.cookie, 'sec-fetch-site': 'same-origin' },
    body: fd,
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  return decodeURIComponent(res.headers.get('location')!.split('/').pop()!);
}

describe('"Läs in och starta granskning" for a paper report registered by hand', () => {
  it('refuses other roles (GET and POST), then reads the scan, completes the handling and starts the granskning', async () => {
    const reg = await sessionFor('registrator');
    const dnr = await registreraPapper(reg, await scannedReport());
    const registrerad = (await repo.getHandling(dnr))!;
    expect(registrerad.bedomning).toBe('lases');
    expect(registrerad.flaggor).toContain(LAS_IN_MANUELLT);
    const arendesida = await get(reg, `/kansli/arende/${encodeURIComponent(registrerad.arende)}`);
    expect(arendesida.body).toContain(`href="/kansli/las-in/${encodeURIComponent(dnr)}"`);
    const loggFore = (await repo.getArendeDetaljer(registrerad.arende))!.logg.length;

    // A läsare and a handläggare: 403 on the form and on the request, and nothing changes.
    for (const roll of ['lasare', 'handlaggare'] as const) {
      const s = await sessionFor(roll);
      expect((await get(s, `/kansli/las-in/${encodeURIComponent(dnr)}`)).res.status, roll).toBe(403);
      const p = await postForm(s, `/kansli/las-in/${encodeURIComponent(dnr)}`, { bekraftat: 'ja' });
      expect(p.res.status, roll).toBe(403);
    }
    // Without the confirmation: the form again, nothing sent.
    const obekraftad = await postForm(reg, `/kansli/las-in/${encodeURIComponent(dnr)}`, {});
    expect(obekraftad.res.status).toBe(400);
    expect(obekraftad.body).toContain('Bekräfta åtgärden');
    // A foreign origin: refused as every other action.
    const annan = await fetch(`${base}/kansli/las-in/${encodeURIComponent(dnr)}`, {
      method: 'POST',
      headers: {
        cookie: reg.cookie,
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ csrf: reg.csrf, bekraftat: 'ja' }).toString(),
      redirect: 'manual',
    });
    expect(annan.status).toBe(403);
    expect((await repo.getHandling(dnr))!.bedomning).toBe('lases');
    expect((await repo.getArendeDetaljer(registrerad.arende))!.logg).toHaveLength(loggFore);
    expect(stack.outcomes.has(`lasning#${dnr}`)).toBe(false);

    const form = await get(reg, `/kansli/las-in/${encodeURIComponent(dnr)}`);
    expect(form.res.status).toBe(200);
    expect(form.body).toContain('ingen kvittens');
    const begard = await postForm(reg, `/kansli/las-in/${encodeURIComponent(dnr)}`, { bekraftat: 'ja' });
    expect(begard.res.status).toBe(303);
    expect(begard.res.headers.get('location')).toBe(`/kansli/las-in/${encodeURIComponent(dnr)}?begard=1`);
    // The request went through the IAM proxy as the kansli's role, to the ingest queue by its name.
    expect(stack.iam!.calls).toContainEqual(
      expect.objectContaining({
        fnId: 'kansli',
        action: 'sqs:SendMessage',
        resource: 'arn:aws:sqs:eu-west-1:000000000000:rapportflode-ingest',
        decision: 'Allowed',
      }),
    );

    const outcome = await waitFor(() => Promise.resolve(stack.outcomes.get(`lasning#${dnr}`)), 300_000);
    expect(outcome.status).toBe('komplett');
    const h = (await repo.getHandling(dnr))!;
    expect(h.granskning).toBe('pagar');
    expect(h.flaggor).not.toContain(LAS_IN_MANUELLT);
    expect(h.avsandare.organisation).toBe('Exempelby kommun');
    expect(h.beskrivning).toBe('Slutrapport på papper – Stegvis till arbete');
    expect(h.filer[0]?.typ).toBe('pdf-ocr');
    const logg = (await repo.getArendeDetaljer(h.arende))!.logg;
    const person = 'Test registrator <registrator@kansli.example> [test-registrator]';
    expect(logg.filter((l) => l.handelse === HANDELSE.inlasningBegard).map((l) => l.av)).toEqual([person]);
    expect(logg.filter((l) => l.handelse === HANDELSE.handlingLast).map((l) => l.av)).toEqual([person]);

    // The granskning started: each member of the beredningsgrupp gets a mail about the handling.
    const grupp = JSON.parse(stack.env['BEREDNINGSGRUPP']!) as { epost: string }[];
    const ledamot = grupp[0]!.epost;
    const inbjudan = await waitFor(async () =>
      (await outbox(stack)).find(
        (m) => m.destination.to.includes(ledamot) && `${m.subject}\n${m.body.text ?? ''}`.includes(dnr),
      ),
    );
    expect(inbjudan).toBeTruthy();
    // No e-post was registered: the sender (on paper) got nothing.
    expect(
      (await outbox(stack)).some((m) => m.destination.to.includes('sara.provperson@exempelby.example')),
    ).toBe(false);

    // Asking again once it is read: refused on the page, nothing sent.
    const igen = await postForm(reg, `/kansli/las-in/${encodeURIComponent(dnr)}`, { bekraftat: 'ja' });
    expect(igen.res.status).toBe(409);
    expect(igen.body).toContain('redan inläst');
  }, 420_000);
});
