import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, waitForOutcome, sendMail } from '../support/local-helpers.js';
import { syntheticReportDocx, syntheticReportText } from '../support/synthetic-report.js';
import { granskningIdFor } from '../../domain/granskning/policy.js';
import {
  GRUPP,
  decide,
  mailsTo,
  openForm,
  post,
  startHarness,
  submitReport,
  waitForEnd,
  waitForLinks,
  type Harness,
} from './granskning-support.js';

/** The first answer decides: four members answering at the same moment. */
let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    beslutPolicy: { typ: 'forsta' },
    granskningTimeouts: { svarstid: 120, paminnelse: 60, eskalering: 60 },
  });
});

afterAll(async () => {
  await h.stop();
});

const ALLA = [GRUPP.maria, GRUPP.karin, GRUPP.johan, GRUPP.lena] as const;

/** Opens every member's page first, then posts all answers at once. */
async function allAtOnce(
  links: Map<string, string>,
  svar: Record<string, { utfall: string; kommentar?: string }>,
): Promise<Map<string, Response>> {
  const forms = await Promise.all(
    Object.keys(svar).map(async (m) => [m, (await openForm(links.get(m)!)).csrf!] as const),
  );
  const res = await Promise.all(
    forms.map(async ([m, csrf]) => {
      const s = svar[m]!;
      return [
        m,
        await post(links.get(m)!, { csrf, utfall: s.utfall, kommentar: s.kommentar ?? '' }),
      ] as const;
    }),
  );
  return new Map(res);
}

describe('answers at the same moment, first answer decides', () => {
  it('records exactly one of four simultaneous answers; the others get 409 with the outcome', async () => {
    const r = await submitReport(h, { organisation: 'Samtidigby kommun' });
    const links = await waitForLinks(h, r.diarienummer, 4);
    const res = await allAtOnce(links, {
      [GRUPP.maria]: { utfall: 'godkand' },
      [GRUPP.karin]: { utfall: 'komplettering', kommentar: 'Avsnitt 5.1 saknar mål.' },
      [GRUPP.johan]: { utfall: 'godkand' },
      [GRUPP.lena]: { utfall: 'komplettering', kommentar: 'Budgeten behöver förklaras.' },
    });
    const statuses = [...res.values()].map((x) => x.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409]);
    const beslut = await h.granskningar.listBeslut(r.granskningId);
    expect(beslut).toHaveLength(1);
    const [vinnare] = beslut;
    expect(res.get(vinnare!.granskareId)?.status).toBe(200);
    const utfall = vinnare!.utfall;
    const visas = utfall === 'godkand' ? 'Utfall: Godkänd' : 'Utfall: Komplettering begärd';
    for (const [m, x] of res) {
      if (m === vinnare!.granskareId) continue;
      const html = await x.text();
      expect(html).toContain('Granskningen är avslutad');
      expect(html).toContain(visas);
    }
    const exec = await waitForEnd(h, r.diarienummer);
    expect(JSON.parse(exec.output ?? '{}')).toMatchObject({ avslut: { resultat: { utfall } } });
    expect((await h.granskningar.get(r.granskningId))?.utfall).toBe(utfall);
    // The beslut names the one answer that was counted.
    const beslutshandling = (await h.diarium.getArendeDetaljer(r.arende))?.handlingar.find(
      (x) => x.kalla === 'upprattad' && x.rapport.typ === 'beslut',
    );
    expect(beslutshandling?.rapport).toMatchObject({ typ: 'beslut', utfall, beslut: [{ utfall }] });
    // Every member is told the outcome, also those whose answer was refused.
    for (const m of ALLA) {
      await waitFor(async () => {
        const got = await mailsTo(h, m, `Granskningen avslutad: ${r.diarienummer}`);
        return got.length === 1 ? got : undefined;
      });
    }
  });
});

describe('a POST from another site', () => {
  it('is refused with 403 even with a valid CSRF value, by Origin or by Sec-Fetch-Site', async () => {
    const r = await submitReport(h, { organisation: 'Förfalskningsby kommun' });
    const links = await waitForLinks(h, r.diarienummer, 4);
    const link = links.get(GRUPP.johan)!;
    const { csrf } = await openForm(link);
    const body = new URLSearchParams({ csrf: csrf!, utfall: 'godkand', kommentar: '' }).toString();
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    for (const headers of [
      { ...form, origin: 'https://angripare.example' },
      { ...form, origin: 'null', 'sec-fetch-site': 'cross-site' },
      { ...form, 'sec-fetch-site': 'cross-site' },
      { ...form, 'sec-fetch-site': 'same-site', origin: new URL(link).origin },
    ]) {
      const res = await fetch(link, { method: 'POST', headers, body });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.text()).toContain('Otillåten begäran');
    }
    expect(await h.granskningar.listBeslut(r.granskningId)).toEqual([]);
    // The page itself may post: Chromium sends `Origin: null` from it (the page's Referrer-Policy is no-referrer).
    const fromPage = await fetch(links.get(GRUPP.karin)!, {
      method: 'POST',
      headers: { ...form, origin: 'null', 'sec-fetch-site': 'same-origin' },
      body: 'csrf=fel&utfall=godkand',
    });
    expect(fromPage.status).toBe(400);
    const ok = await fetch(link, {
      method: 'POST',
      headers: { ...form, origin: new URL(link).origin, 'sec-fetch-site': 'same-origin' },
      body,
    });
    expect(ok.status).toBe(200);
  });
});

describe('the report on the page', () => {
  it('renders the report section by section with formatted amounts, and a working link to an uploaded file', async () => {
    const s3 = new S3Client({
      endpoint: h.stack.urls.s3,
      region: 'eu-west-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const docx = await syntheticReportDocx({
      insatsnamn: 'Uppladdad insats Ljusdal',
      organisation: 'Ljusdals kommun',
      beviljade: '2 458 000 kr',
      utnyttjade: '2 458 000 kr',
    });
    const key = 'uppladdat/Slutrapport Ljusdal.docx';
    await s3.send(new PutObjectCommand({ Bucket: h.stack.bucket, Key: key, Body: docx }));
    s3.destroy();
    const outcome = await waitForOutcome(h.stack, key);
    const links = await waitForLinks(h, outcome.diarienummer, 4);
    const html = await (await fetch(links.get(GRUPP.karin)!)).text();
    for (const rubrik of [
      '1. Allmänna uppgifter',
      '2. Ansvarig för genomförande av insatsen',
      '3. Samverkansparter',
      '4. Insatsbeskrivning',
      '5. Resultat och utfall av insats',
      '6. Analys',
      '7. Ekonomiuppföljning utnyttjade medel',
      '8. Uppgiftslämnare',
    ])
      expect(html).toContain(rubrik);
    expect(html).toContain('2 458 000 kr');
    expect(html).toContain('Beviljade medel är helt utnyttjade (7.1).');
    expect(html).toContain('4.1 Syfte och bakgrund');
    expect(html).toContain('0 av 4 ledamöter har svarat.');
    // The uploaded file stays under uppladdat/: beslut's role must be allowed to sign a link that works.
    const url = /href="([^"]+)"[^>]*>Öppna rapporten/.exec(html)?.[1]?.replaceAll('&#38;', '&');
    expect(url).toBeDefined();
    const file = await fetch(url!);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(docx)).toBe(true);
  });

  it('shows a report pasted in the mail body as text, with no raw mail to download', async () => {
    const from = 'pelle.pahittad@nordanstig.example';
    const key = await sendMail(h.stack, {
      from,
      subject: 'Slutrapport Inklistrad insats',
      text: `Hej! Bilagan gick inte att skicka.\n\n${syntheticReportText({ insatsnamn: 'Inklistrad insats Nordanstig', organisation: 'Nordanstigs kommun' })}`,
    });
    const outcome = await waitForOutcome(h.stack, key);
    expect(outcome.status).toBe('komplett');
    const links = await waitForLinks(h, outcome.diarienummer, 4);
    const html = await (await fetch(links.get(GRUPP.lena)!)).text();
    expect(html).toContain('inklistrad i mejlets text');
    expect(html).toContain('Inklistrad insats Nordanstig');
    expect(html).toContain('5.1 Måluppfyllelse');
    expect(html).not.toContain('Öppna rapporten');
    expect(html).not.toContain('.eml');
  });

  it('keeps the report, the file link and the typed comment when komplettering is sent without a comment', async () => {
    const r = await submitReport(h, { organisation: 'Felinmatningsby kommun' });
    const links = await waitForLinks(h, r.diarienummer, 4);
    const link = links.get(GRUPP.maria)!;
    const { csrf } = await openForm(link);
    const jav = await post(link, {
      csrf: csrf!,
      utfall: 'jav',
      javskal: '   ',
      kommentar: 'Påbörjad <b>text</b>',
    });
    expect(jav.status).toBe(400);
    const html = await jav.text();
    expect(html).toContain('Skriv kort varför du är jävig.');
    expect(html).toContain('Påbörjad &#60;b&#62;text&#60;/b&#62;</textarea>');
    expect(html).toContain('Öppna rapporten');
    expect(html).toContain('4.1 Syfte och bakgrund');
    expect(html).toContain('<details open>');
    expect(await h.granskningar.listBeslut(r.granskningId)).toEqual([]);
  });
});

describe('jäv with "first answer decides"', () => {
  it('records the jäv with its reason, decides nothing, and the next answer decides', async () => {
    const r = await submitReport(h, { organisation: 'Jävby kommun' });
    const links = await waitForLinks(h, r.diarienummer, 4);
    const link = links.get(GRUPP.karin)!;
    const { csrf } = await openForm(link);
    const res = await post(link, { csrf: csrf!, utfall: 'jav', javskal: 'Min make leder insatsen.' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Du har anmält jäv.');
    expect((await h.granskningar.get(r.granskningId))?.status).toBe('pagar');
    const other = await (await fetch(links.get(GRUPP.johan)!)).text();
    expect(other).toContain('Karin Prövare, Försäkringskassan: har anmält jäv (röstar inte)');
    // The reason is not shown to the others before the end.
    expect(other).not.toContain('Min make leder insatsen.');
    expect((await decide(links.get(GRUPP.johan)!, 'godkand')).status).toBe(200);
    const exec = await waitForEnd(h, r.diarienummer);
    expect(JSON.parse(exec.output ?? '{}')).toMatchObject({ avslut: { resultat: { utfall: 'godkand' } } });
    const logg = (await h.diarium.getArendeDetaljer(r.arende))?.logg ?? [];
    expect(logg.find((e) => e.handelse === 'granskning-jav')?.data).toMatchObject({
      utfall: 'jav',
      kommentar: 'Min make leder insatsen.',
    });
    // After the end: outcome, rule, date, every answer with its comment, and nothing to press.
    const closed = await (await fetch(links.get(GRUPP.lena)!)).text();
    expect(closed).toContain('Utfall: Godkänd');
    expect(closed).toContain('Det första svaret från en ledamot avgör.');
    expect(closed).toMatch(/<dt>Avgjord<\/dt><dd>\d{4}-\d{2}-\d{2} \d{2}:\d{2}<\/dd>/);
    expect(closed).toContain('anmält jäv');
    expect(closed).toContain('Min make leder insatsen.');
    expect(closed).not.toMatch(/<form|<button/);
    expect(granskningIdFor(r.diarienummer)).toBe(r.granskningId);
  });
});
