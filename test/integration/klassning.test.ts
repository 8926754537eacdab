import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/aws/stack.js';
import { makeDocumentClient } from '../../functions/adapters/dynamo-client.js';
import { DynamoDiariumRepository } from '../../functions/adapters/dynamo-diarium/repository.js';
import { postlistaRows } from '../../domain/diarium/postlista.js';
import { syntheticReportDocx, syntheticReportText } from '../support/synthetic-report.js';
import { composeMail, outbox, sendMail, sendRaw, waitFor, waitForOutcome } from '../support/local-helpers.js';
import type { Handling } from '../../domain/diarium/types.js';
import { runDiariumCli } from '../../local/cli/diarium/main.js';

/** Every class, how many of its test mails were handled right (printed at the end for the closing note). */
const tally = new Map<string, { ratt: number; totalt: number }>();
function rakna(klass: string, ratt: boolean) {
  const t = tally.get(klass) ?? { ratt: 0, totalt: 0 };
  tally.set(klass, { ratt: t.ratt + (ratt ? 1 : 0), totalt: t.totalt + 1 });
}

const fixtures = path.join(import.meta.dirname, '../fixtures/mail');
const fixture = (f: string) => readFileSync(path.join(fixtures, f));
/** A fixture sent from its own From: address (the test mails differ by sender, so each can be counted). */
function withFrom(raw: Buffer, from: string): Buffer {
  return Buffer.from(raw.toString('latin1').replace(/^From: .*$/m, `From: ${from}`), 'latin1');
}

let stack: LocalStack;
let repo: DynamoDiariumRepository;
let kansli: string;

beforeAll(async () => {
  stack = await startLocalStack({
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'rapportflode-klassning-')),
    ports: { smtp: 0, s3: 0, dynamodb: 0, ses: 0, http: 0, aws: 0 },
    log: () => undefined,
  });
  repo = new DynamoDiariumRepository(makeDocumentClient(stack.clientConfig('DYNAMODB')), {
    tableName: stack.table,
  });
  kansli = stack.env['KANSLI_EMAIL']!;
});

afterAll(async () => {
  for (const [klass, t] of tally) console.log(`klassning: ${klass} ${t.ratt}/${t.totalt} rätt hanterade`);
  await stack.stop();
});

async function mailsTo(address: string) {
  return (await outbox(stack)).filter((m) => m.destination.to.includes(address));
}
async function mailTo(address: string, subjectPart: string) {
  return waitFor(async () => (await mailsTo(address)).find((m) => m.subject.includes(subjectPart)));
}
async function handlingOf(key: string, timeout?: number): Promise<Handling> {
  const o = await waitForOutcome(stack, key, timeout);
  return (await repo.getHandling(o.diarienummer))!;
}
/** Nothing sent to the address: waited for by sending a marker mail after it, which the ingest handles in order. */
async function settle() {
  const marker = `markor-${Math.random().toString(36).slice(2)}@kommun.example`;
  await handlingOf(await sendMail(stack, { from: marker, subject: 'Fråga', text: 'En fråga.' }));
}

describe('every kind of mail handled as a registrator would', () => {
  it('registers a question as an allmän handling with a neutral receipt, no granskning, the kansli told', async () => {
    const from = 'fraga@example.org';
    const h = await handlingOf(await sendRaw(stack, withFrom(fixture('fraga.eml'), from), from));
    expect(h.klassning?.klass).toBe('allman-handling');
    expect(h.granskning).toBe('ej-aktuell');
    const kvitto = await mailTo(from, 'Mottagningsbevis');
    expect(`${kvitto.subject}${kvitto.body.text}`).not.toMatch(/slutrapport/i);
    await mailTo(kansli, `Ny allmän handling – ${h.diarienummer}`);
    const [rad] = postlistaRows([h]);
    expect(rad?.avser).toBe('Inkommen skrivelse');
    rakna('allman-handling', true);
  });

  it('stops a mail loop at once: our kvittens answered by an auto-reply, answered again', async () => {
    const from = 'semester@kommun.example';
    const rapport = await handlingOf(
      await sendMail(stack, { from, text: syntheticReportText({ insatsnamn: 'Loopinsats Ljusdal' }) }),
    );
    const kvittens = await mailTo(from, rapport.diarienummer);
    const autosvar = (n: number) =>
      composeMail({
        from,
        subject: `Automatiskt svar: ${kvittens.subject}`,
        text: 'Jag är på semester.',
        headers: { 'Auto-Submitted': 'auto-replied', 'In-Reply-To': `<${kvittens.messageId}>` },
        messageId: `<autosvar-${n}@kommun.example>`,
      });
    const forsta = await handlingOf(await sendRaw(stack, await autosvar(1), from));
    const andra = await handlingOf(await sendRaw(stack, await autosvar(2), from));
    await settle();
    for (const h of [forsta, andra]) {
      expect(h.klassning?.klass).toBe('automatisk');
      expect(h.kvittens).toBeNull();
      rakna('automatisk', h.klassning?.klass === 'automatisk' && h.kvittens === null);
    }
    expect(await mailsTo(from)).toHaveLength(1);
  });

  it('matches a bounce of our kvittens to its handling, tells the kansli and answers no one', async () => {
    const from = 'finns.inte@kommun.example';
    const rapport = await handlingOf(
      await sendMail(stack, { from, text: syntheticReportText({ insatsnamn: 'Studsinsats Nordanstig' }) }),
    );
    await mailTo(from, rapport.diarienummer);
    const sent = (await repo.getHandling(rapport.diarienummer))!.kvittens!;
    const dsn = fixture('studs.eml')
      .toString('utf8')
      .replace('<0100018f-kvittens-1@email.amazonses.com>', `<${sent.meddelandeId}@eu-west-1.amazonses.com>`);
    const studs = await handlingOf(await sendRaw(stack, Buffer.from(dsn), 'MAILER-DAEMON@mx.kommun.example'));
    expect(studs.klassning).toMatchObject({ klass: 'automatisk', automatik: 'studs' });
    await mailTo(kansli, `Kunde inte levereras: kvittensen för ${rapport.diarienummer}`);
    expect((await repo.getHandling(rapport.diarienummer))!.flaggor).toContain('studsad');
    expect(await mailsTo('mailer-daemon@mx.kommun.example')).toHaveLength(0);
    expect(await mailsTo('MAILER-DAEMON@mx.kommun.example')).toHaveLength(0);
    rakna('automatisk', true);
  });

  it('keeps read receipts, newsletters and advertising, answers none and lists none publicly', async () => {
    const fall: [string, string, string][] = [
      ['laskvitto.eml', 'lasare@kommun.example', 'automatisk'],
      ['nyhetsbrev.eml', 'nyheter@nyhetsbrev.example', 'ringa-betydelse'],
      ['reklam.eml', 'erbjudande@butik.example', 'ringa-betydelse'],
      ['egen-adress.eml', 'noreply@finsamgavleborg.se', 'automatisk'],
    ];
    const handlingar: Handling[] = [];
    for (const [fil, from, klass] of fall) {
      const raw = fil === 'egen-adress.eml' ? withFrom(fixture(fil), from) : withFrom(fixture(fil), from);
      const h = await handlingOf(await sendRaw(stack, raw, from));
      handlingar.push(h);
      expect(h.klassning?.klass).toBe(klass);
      expect(h.granskning).toBe('ej-aktuell');
      rakna(klass, h.klassning?.klass === klass);
    }
    await settle();
    for (const [, from] of fall) expect(await mailsTo(from)).toHaveLength(0);
    expect(postlistaRows(handlingar)).toEqual([]);
  });

  it('registers a resent document as a copy: the sender told, the original noted, no second granskning', async () => {
    const from = 'igen@kommun.example';
    const docx = await syntheticReportDocx({
      insatsnamn: 'Dubblettinsats Söderhamn',
      organisation: 'Söderhamns kommun',
    });
    const send = () =>
      sendMail(stack, { from, attachments: [{ filename: 'Slutrapport.docx', content: docx }] });
    const forsta = await handlingOf(await send());
    expect(forsta.granskning).toBe('pagar');
    const kopia = await handlingOf(await send());
    expect(kopia.arende).toBe(forsta.arende);
    expect(kopia.granskning).toBe('ej-aktuell');
    expect(kopia.flaggor).toContain(`kopia-av:${forsta.diarienummer}`);
    const svar = await mailTo(from, 'Redan mottagen');
    expect(svar.body.text).toContain(forsta.diarienummer);
    const original = (await repo.getHandling(forsta.diarienummer))!;
    expect(original.noteringar?.map((n) => n.handling)).toContain(kopia.diarienummer);
    rakna('kopia', true);
  });

  it('lets a new version replace the report under review', async () => {
    const from = 'version@kommun.example';
    const forsta = await handlingOf(
      await sendMail(stack, { from, text: syntheticReportText({ insatsnamn: 'Versionsinsats Ovanåker' }) }),
    );
    const arende = forsta.arende;
    const ny = await handlingOf(
      await sendMail(stack, {
        from,
        subject: `Ny version ${arende}`,
        text: `${syntheticReportText({ insatsnamn: 'Versionsinsats Ovanåker' })}\nRättad version.`,
      }),
    );
    expect(ny.arende).toBe(arende);
    expect(ny.klassning?.klass).toBe('ny-version');
    const gammal = (await repo.getHandling(forsta.diarienummer))!;
    expect(gammal.flaggor).toContain(`ersatt-av:${ny.diarienummer}`);
    const notis = await mailTo(kansli, `Ny version ersätter rapport under granskning – ${ny.diarienummer}`);
    expect(notis.body.text).toContain(forsta.diarienummer);
    rakna('ny-version', true);
  });

  it('holds a handling with a personnummer for sekretessprövning, and the postlista shows no personal data', async () => {
    const from = 'pnr@example.org';
    const h = await handlingOf(await sendRaw(stack, withFrom(fixture('personnummer.eml'), from), from));
    expect(h.sekretess).toBe(true);
    expect(h.flaggor).toContain('sekretessprovning');
    await mailTo(kansli, `Sekretessprövning – ${h.diarienummer}`);
    const text = JSON.stringify(postlistaRows([h]));
    expect(text).not.toMatch(/Tolvan|19121212|1212|pnr@/);
    rakna('allman-handling', true);

    const rapport = await handlingOf(
      await sendMail(stack, {
        from: 'pnr-rapport@kommun.example',
        text: `${syntheticReportText({ insatsnamn: 'Sekretessinsats Hofors' })}\nDeltagare 19121212-1212 slutförde.`,
      }),
    );
    expect(rapport.granskning).toBe('vantar-pa-kansliet');
    rakna('slutrapport', rapport.granskning === 'vantar-pa-kansliet');
  });

  it('strips bidi overrides from file names and reads a raw 8-bit subject as windows-1252', async () => {
    const bidi = await handlingOf(await sendRaw(stack, fixture('bidi-filnamn.eml'), 'okand@example.net'));
    expect(bidi.filer.map((f) => f.filnamn)).toContain('Slutrapportxcod.exe');
    expect(JSON.stringify(bidi)).not.toMatch(/\u202e/);
    const gammal = await handlingOf(
      await sendRaw(stack, fixture('atta-bitars-amne.eml'), 'olle@gammal.example'),
    );
    expect(gammal.beskrivning).toContain('Fråga om årsmötet');
    await mailTo('olle@gammal.example', 'Mottagningsbevis');
    rakna('slutrapport', true);
    rakna('allman-handling', true);
  });

  it('answers a forwarder, not the inner sender, when the forwarder is not our own', async () => {
    const inner = await composeMail({
      from: 'offer@tredje.example',
      text: syntheticReportText({ insatsnamn: 'Vidarebefordrad insats Gävle' }),
    });
    const from = 'vidare@annan.example';
    const h = await handlingOf(
      await sendMail(stack, {
        from,
        subject: 'VB: Slutrapport',
        text: 'Vidarebefordrar.',
        attachments: [{ filename: 'original.eml', content: inner, contentType: 'message/rfc822' }],
      }),
    );
    expect(h.avsandare.epost).toBe('offer@tredje.example');
    await mailTo(from, h.diarienummer);
    expect(await mailsTo('offer@tredje.example')).toHaveLength(0);
    rakna('slutrapport', true);
  });

  it('tells the kansli why a DMARC-failed mail is held and how to release it', async () => {
    const from = 'forfalskad@kommun.example';
    const h = await handlingOf(
      await sendMail(stack, {
        from,
        text: syntheticReportText({ insatsnamn: 'Dmarcinsats Sandviken' }),
        headers: { 'X-Rapportflode-Dmarc': 'fail' },
      }),
    );
    const notis = await mailTo(kansli, `Kvarhållet: mejl som inte klarade DMARC – ${h.diarienummer}`);
    expect(notis.body.text).toContain('DMARC');
    expect(notis.body.text).toContain(`frige ${h.diarienummer}`);
    expect(await mailsTo(from)).toHaveLength(0);
    rakna('skrappost', true);

    // Released by the kansli (twice: a second release re-publishes), the sender gets the kvittens once.
    const io = { out: () => undefined, err: () => undefined, env: {}, clock: () => new Date() };
    const flags = [
      '--endpoint',
      stack.urls.dynamodb,
      '--table',
      stack.table,
      '--eventbridge',
      stack.urls.aws,
    ];
    expect(await runDiariumCli(['frige', h.diarienummer, '--av', 'Anna Kanslist', ...flags], io)).toBe(0);
    const kvittens = await mailTo(from, h.diarienummer);
    expect(kvittens.subject).toContain(`Kvittens ${h.diarienummer}`);
    expect(kvittens.body.text).toContain('Tack för er slutrapport');
    expect(await runDiariumCli(['frige', h.diarienummer, '--av', 'Anna Kanslist', ...flags], io)).toBe(0);
    await waitFor(async () =>
      (await outbox(stack)).some((m) => m.subject.includes(`Granskning av slutrapport ${h.diarienummer} `))
        ? true
        : undefined,
    );
    await settle();
    expect(await mailsTo(from)).toHaveLength(1);
  });

  it('shows the class and its reason in the diarium, and lets the kansli correct it', async () => {
    const from = 'rattas@example.org';
    const h = await handlingOf(
      await sendMail(stack, {
        from,
        subject: 'Inbjudan till konferens',
        text: 'Välkommen på konferens i maj.',
      }),
    );
    expect(h.klassning?.klass).toBe('allman-handling');
    const out: string[] = [];
    const io = {
      out: (t: string) => out.push(t),
      err: (t: string) => out.push(t),
      env: {},
      clock: () => new Date(),
    };
    const flags = ['--endpoint', stack.urls.dynamodb, '--table', stack.table];
    expect(await runDiariumCli(['visa', h.diarienummer, ...flags], io)).toBe(0);
    expect(out.join('\n')).toMatch(/Klass:\s+Allmän handling – Ingen slutrapport/);
    const argv = ['klass', h.diarienummer, '--till', 'ringa-betydelse', '--skal', 'Reklam', '--av', 'Anna'];
    expect(await runDiariumCli([...argv, ...flags], io)).toBe(0);
    const rattad = (await repo.getHandling(h.diarienummer))!;
    expect(rattad.klassning).toMatchObject({ klass: 'ringa-betydelse', av: 'Anna' });
    expect(postlistaRows([rattad])).toEqual([]);
  });
});
