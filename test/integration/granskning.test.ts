import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { outbox, sendMail, waitFor, waitForOutcome } from '../support/local-helpers.js';
import { syntheticReportDocx } from '../support/synthetic-report.js';
import { granskningIdFor } from '../../domain/granskning/policy.js';
import { S3DocumentStore, makeS3Client } from '../../functions/adapters/s3-document-store.js';
import {
  GRUPP,
  KANSLI,
  decide,
  mailsTo,
  reviewerMails,
  startHarness,
  submitReport,
  waitForEnd,
  waitForLinks,
  type Harness,
} from './granskning-support.js';

let h: Harness;
const stdout: string[] = [];

beforeAll(async () => {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array, ...rest: never[]) => {
    stdout.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return write(chunk, ...rest);
  };
  h = await startHarness({
    // Lena Fiktiv is away: her ersättare Anders Påhittad is asked instead.
    franvarande: [GRUPP.lena],
    beslutPolicy: { typ: 'forsta' },
    granskningTimeouts: { svarstid: 120, paminnelse: 60, eskalering: 60 },
  });
});

afterAll(async () => {
  await h.stop();
});

describe('granskning with "first decision decides"', () => {
  let rapport: Awaited<ReturnType<typeof submitReport>>;
  let links: Map<string, string>;

  it('mails every member, or the ersättare of an absent member, a personal link and never the task token', async () => {
    rapport = await submitReport(h, {
      organisation: 'Provköpings kommun',
      from: 'sara.provperson@provkoping.example',
    });
    links = await waitForLinks(h, rapport.diarienummer, 4);
    expect([...links.keys()].sort()).toEqual([GRUPP.anders, GRUPP.johan, GRUPP.karin, GRUPP.maria].sort());
    expect(new Set(links.values()).size).toBe(4);
    const mails = await reviewerMails(h, rapport.diarienummer);
    const tillAnders = mails.find((m) => m.destination.to.includes(GRUPP.anders));
    expect(tillAnders?.body.text).toContain('Hej Anders Påhittad!');
    expect(tillAnders?.body.html).toContain(links.get(GRUPP.anders));
    // No tracking: the HTML part has no images or remote resources.
    expect(tillAnders?.body.html).not.toMatch(/<img|src=/i);

    const token = await h.granskningar.getTaskToken(rapport.granskningId);
    expect(token).toBeTruthy();
    for (const m of await outbox(h.stack)) {
      expect(m.body.text ?? '').not.toContain(token);
      expect(m.body.html ?? '').not.toContain(token);
      expect(m.subject).not.toContain(token);
    }
    // The page loads are logged at most with a prefix of the link id, never the token.
    await fetch(links.get(GRUPP.maria)!);
    const logged = [...h.logLines, ...stdout].join('\n');
    expect(logged).not.toContain(token);
    for (const l of links.values()) expect(logged).not.toContain(l.split('/').pop());
  });

  it('records the approval, files the decision as an upprättad handling and tells insatsägare and kansli once', async () => {
    const res = await decide(links.get(GRUPP.anders)!, 'godkand');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Du har godkänt rapporten.');

    const exec = await waitForEnd(h, rapport.diarienummer);
    expect(exec.status).toBe('SUCCEEDED');
    const output = JSON.parse(exec.output ?? '{}') as {
      avslut?: { resultat?: { utfall: string; beslutshandling: string } };
    };
    expect(output.avslut?.resultat?.utfall).toBe('godkand');
    const beslutsnummer = output.avslut?.resultat?.beslutshandling ?? '';
    expect(beslutsnummer.startsWith(`${rapport.arende}.`)).toBe(true);
    expect(beslutsnummer).not.toBe(rapport.diarienummer);

    const detaljer = await h.diarium.getArendeDetaljer(rapport.arende);
    expect(detaljer?.arende.status).toBe('godkant');
    const beslutshandling = detaljer?.handlingar.find((x) => x.diarienummer === beslutsnummer);
    expect(beslutshandling?.kalla).toBe('upprattad');
    expect(beslutshandling?.beskrivning).toContain('godkänd av beredningsgruppen');
    // The decision is a document too: filed in the bucket and listed as the handling's file.
    const fil = beslutshandling?.filer[0];
    expect(fil?.filnamn).toBe(`Beslut ${rapport.diarienummer}.txt`);
    const dokument = await new S3DocumentStore(makeS3Client(h.stack.clientConfig('S3')), h.stack.bucket).get(
      fil?.nyckel ?? '',
    );
    const text = new TextDecoder().decode(dokument.bytes);
    expect(text).toContain('Beredningsgruppen godkänner slutrapporten.');
    expect(text).toContain('Anders Påhittad, Region Gävleborg: Godkänd');
    expect(detaljer?.handlingar.find((x) => x.diarienummer === rapport.diarienummer)?.granskning).toBe(
      'godkand',
    );
    const beslutLog = detaljer?.logg.filter((e) => e.handelse === 'granskningsbeslut') ?? [];
    expect(beslutLog).toHaveLength(1);
    expect(beslutLog[0]?.av).toBe('Anders Påhittad (Region Gävleborg)');
    expect(beslutLog[0]?.data).toMatchObject({
      utfall: 'godkand',
      handling: rapport.diarienummer,
      kommentar: null,
    });

    const tillAgare = await waitFor(async () => {
      const m = await mailsTo(h, rapport.from, 'Slutrapport godkänd');
      return m.length > 0 ? m : undefined;
    });
    const tillKansli = await mailsTo(h, KANSLI, `Slutrapport godkänd – ${rapport.diarienummer}`);
    expect(tillAgare).toHaveLength(1);
    expect(tillKansli).toHaveLength(1);
    expect(tillAgare[0]?.body.text).toContain(beslutsnummer);

    // The other reviewers' links now say the granskning is over, and change nothing.
    const karin = await fetch(links.get(GRUPP.karin)!);
    expect(karin.status).toBe(200);
    expect(await karin.text()).toContain('Granskningen är avslutad');
    const late = await decide(links.get(GRUPP.maria)!, 'komplettering', 'För sent').catch(() => null);
    expect(late).toBeNull(); // a finished granskning has no form to submit
    expect(await h.granskningar.listBeslut(rapport.granskningId)).toHaveLength(1);
  });

  it('starts no second execution for a duplicate HandlingDiarieford event', async () => {
    const running = await submitReport(h, { organisation: 'Dubbelby kommun' });
    await waitForLinks(h, running.diarienummer, 4);
    const before = h.stack.sfn.executionNames().length;
    const eb = new EventBridgeClient({
      endpoint: h.stack.urls.aws,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    for (const r of [running, rapport]) {
      const handling = await h.diarium.getHandling(r.diarienummer);
      await eb.send(
        new PutEventsCommand({
          Entries: [
            {
              Source: 'rapportflode.diarium',
              DetailType: 'HandlingDiarieford',
              EventBusName: 'rapportflode-lokal',
              Detail: JSON.stringify({
                diarienummer: r.diarienummer,
                arende: r.arende,
                bedomning: 'komplett',
                granskning: 'pagar',
                ankomstdatum: handling?.ankomstdatum,
                status: 'komplett',
              }),
            },
          ],
        }),
      );
    }
    eb.destroy();
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.stack.sfn.executionNames().length).toBe(before);
    expect(
      h.stack.sfn.executionNames().filter((n) => n === granskningIdFor(running.diarienummer)),
    ).toHaveLength(1);
    expect(await reviewerMails(h, running.diarienummer)).toHaveLength(4);
    expect(await reviewerMails(h, rapport.diarienummer)).toHaveLength(4);
  });

  it('asks for komplettering with the comments and the diarienummer; the reply in the same ärende is reviewed anew', async () => {
    const r = await submitReport(h, {
      organisation: 'Kompletteringsby kommun',
      from: 'ulla.uppgift@kompletteringsby.example',
    });
    const l = await waitForLinks(h, r.diarienummer, 4);
    const res = await decide(
      l.get(GRUPP.karin)!,
      'komplettering',
      'Avsnitt 7 saknar en redovisning av utnyttjade medel per år.',
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Du har begärt komplettering');
    expect((await waitForEnd(h, r.diarienummer)).status).toBe('SUCCEEDED');

    const [begaran] = await waitFor(async () => {
      const m = await mailsTo(h, r.from, 'Komplettering begärd');
      return m.length > 0 ? m : undefined;
    });
    expect(begaran?.subject).toContain(r.arende);
    expect(begaran?.body.text).toContain(
      'Karin Prövare, Försäkringskassan: Avsnitt 7 saknar en redovisning av utnyttjade medel per år.',
    );
    expect(begaran?.body.text).toContain(`behåll ämnesraden (den innehåller diarienumret ${r.arende})`);
    expect(begaran?.subject).toContain(`[Dnr ${r.arende}]`);
    expect((await h.diarium.getArende(r.arende))?.status).toBe('komplettering-begard');
    const logg = (await h.diarium.getArendeDetaljer(r.arende))?.logg ?? [];
    expect(logg.find((e) => e.handelse === 'granskningsbeslut')?.data).toMatchObject({
      utfall: 'komplettering',
      kommentar: 'Avsnitt 7 saknar en redovisning av utnyttjade medel per år.',
    });

    // The insatsägare replies with the diarienummer in the subject and a corrected report.
    const key = await sendMail(h.stack, {
      from: r.from,
      subject: `SV: ${begaran?.subject ?? ''}`,
      text: 'Hej! Här kommer den kompletterade rapporten.',
      attachments: [
        {
          filename: 'Slutrapport komplettering.docx',
          content: await syntheticReportDocx({
            insatsnamn: 'Annan rubrik helt',
            organisation: 'Kompletteringsby kommun',
          }),
        },
      ],
    });
    const svar = await waitForOutcome(h.stack, key);
    expect(svar.status).toBe('komplett');
    expect(svar.diarienummer.startsWith(`${r.arende}.`)).toBe(true);
    const nya = await waitForLinks(h, svar.diarienummer, 4);
    await waitFor(async () => (await h.diarium.getArende(r.arende))?.status === 'under-granskning');
    expect((await decide(nya.get(GRUPP.johan)!, 'godkand')).status).toBe(200);
    expect((await waitForEnd(h, svar.diarienummer)).status).toBe('SUCCEEDED');
    expect((await h.diarium.getArende(r.arende))?.status).toBe('godkant');
    const beslut =
      (await h.diarium.getArendeDetaljer(r.arende))?.logg.filter((e) => e.handelse === 'granskningsbeslut') ??
      [];
    expect(beslut.map((e) => e.av)).toEqual([
      'Karin Prövare (Försäkringskassan)',
      'Johan Demosson (Arbetsförmedlingen)',
    ]);
  });
});
