import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDocumentClient } from '../../functions/adapters/dynamo-client.js';
import { keys } from '../../functions/adapters/dynamo-keys.js';
import { hashLinkId, newLinkId } from '../../domain/granskning/links.js';
import {
  GRUPP,
  decide,
  openForm,
  post,
  startHarness,
  submitReport,
  waitForEnd,
  waitForLinks,
  type Harness,
} from './granskning-support.js';

let h: Harness;
let rapport: Awaited<ReturnType<typeof submitReport>>;
let links: Map<string, string>;
const seen: number[] = [];

/** Every response: Swedish HTML with the security headers, never a 500. */
async function check(res: Response): Promise<string> {
  seen.push(res.status);
  expect(res.status).toBeLessThan(500);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("form-action 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
  const html = await res.text();
  if (res.status !== 405 && html) expect(html).toContain('<html lang="sv">');
  // No third-party assets: nothing is loaded from anywhere.
  expect(html).not.toMatch(/<script|<img|<link |src=/i);
  return html;
}

const base = () => links.get(GRUPP.maria)!.replace(/[^/]+$/, '');

beforeAll(async () => {
  h = await startHarness({
    beslutPolicy: { typ: 'forsta' },
    granskningTimeouts: { svarstid: 120, paminnelse: 60, eskalering: 60 },
  });
  rapport = await submitReport(h, { organisation: 'Länkby kommun' });
  links = await waitForLinks(h, rapport.diarienummer, 4);
});

afterAll(async () => {
  await h.stop();
  expect(seen.filter((s) => s >= 500)).toEqual([]);
});

const nothingRecorded = async () => {
  expect(await h.granskningar.listBeslut(rapport.granskningId)).toEqual([]);
  expect((await h.granskningar.get(rapport.granskningId))?.status).toBe('pagar');
};

describe('the decision link', () => {
  it('GET and HEAD render the page and change nothing, however often', async () => {
    const link = links.get(GRUPP.maria)!;
    for (let i = 0; i < 3; i++) {
      const html = await check(await fetch(link));
      expect(html).toContain('Slutrapport');
      expect(html).toContain('Länkby kommun');
      expect(html).toContain('450 000 kr');
      expect(html).toContain('2024-01-01 – 2025-06-30');
      expect(html).toContain('Godkänn');
      expect(html).toContain('Begär komplettering');
      expect(html).toContain('Öppna rapporten');
      const head = await fetch(link, { method: 'HEAD' });
      expect(head.status).toBe(200);
      await check(head);
    }
    await nothingRecorded();
    const lank = await h.granskningar.getLink(hashLinkId(link.split('/').pop()!));
    expect(lank?.anvand).toBeNull();
  });

  it('answers forged and garbage ids with a 404 page', async () => {
    for (const id of [
      newLinkId(),
      'abc',
      'x'.repeat(300),
      '%3Cscript%3E',
      'AAAAAAAAAAAAAAAAAAAAAA',
      '..%2F..%2Fetc',
    ]) {
      for (const method of ['GET', 'HEAD', 'POST']) {
        const res = await fetch(`${base()}${id}`, {
          method,
          ...(method === 'POST'
            ? {
                body: 'csrf=x&utfall=godkand',
                headers: { 'content-type': 'application/x-www-form-urlencoded' },
              }
            : {}),
        });
        expect(res.status).toBe(404);
        const html = await check(res);
        if (method !== 'HEAD') expect(html).toContain('Länken hittades inte');
      }
    }
  });

  it('refuses a POST without or with a wrong CSRF value (400) and records nothing', async () => {
    const link = links.get(GRUPP.maria)!;
    const utan = await post(link, { utfall: 'godkand' });
    expect(utan.status).toBe(400);
    expect(await check(utan)).toContain('Ogiltig begäran');
    const fel = await post(link, { csrf: 'förfalskad', utfall: 'godkand' });
    expect(fel.status).toBe(400);
    await check(fel);
    const { csrf: annans } = await openForm(links.get(GRUPP.karin)!);
    const lant = await post(link, { csrf: annans!, utfall: 'godkand' });
    expect(lant.status).toBe(400);
    await check(lant);
    const { csrf } = await openForm(link);
    const konstigt = await post(link, { csrf: csrf!, utfall: 'kanske' });
    expect(konstigt.status).toBe(400);
    await check(konstigt);
    const put = await fetch(link, { method: 'PUT' });
    expect(put.status).toBe(404); // the local HTTP API, like API Gateway, has no such route
    await nothingRecorded();
  });

  it('asks again for a comment when komplettering is requested without one (400 with the form)', async () => {
    const link = links.get(GRUPP.maria)!;
    const { csrf } = await openForm(link);
    const res = await post(link, { csrf: csrf!, utfall: 'komplettering', kommentar: '   ' });
    expect(res.status).toBe(400);
    const html = await check(res);
    expect(html).toContain('Skriv en kommentar om vad som behöver kompletteras.');
    expect(html).toContain('name="csrf"');
    expect(html).toContain('Begär komplettering');
    await nothingRecorded();
  });

  it('answers an expired link with a 410 page', async () => {
    const link = links.get(GRUPP.johan)!;
    const { csrf } = await openForm(link);
    const db = makeDocumentClient(h.stack.clientConfig('DYNAMODB'));
    await db.send(
      new UpdateCommand({
        TableName: h.stack.table,
        Key: keys.lank(hashLinkId(link.split('/').pop()!)),
        UpdateExpression: 'SET giltigTill = :t',
        ExpressionAttributeValues: { ':t': '2020-01-01T00:00:00.000Z' },
      }),
    );
    const get = await fetch(link);
    expect(get.status).toBe(410);
    expect(await check(get)).toContain('Länken har gått ut');
    const res = await post(link, { csrf: csrf!, utfall: 'godkand' });
    expect(res.status).toBe(410);
    await check(res);
    await nothingRecorded();
  });

  it('records a POST once; a second POST gets a 409 page saying who decided and when', async () => {
    const link = links.get(GRUPP.karin)!;
    const { csrf } = await openForm(link);
    const first = await post(link, { csrf: csrf!, utfall: 'komplettering', kommentar: 'Bilaga saknas.' });
    expect(first.status).toBe(200);
    expect(await check(first)).toContain('ditt beslut är registrerat');
    const second = await post(link, { csrf: csrf!, utfall: 'godkand' });
    expect(second.status).toBe(409);
    const html = await check(second);
    expect(html).toContain('Redan besvarad');
    expect(html).toMatch(
      /Karin Prövare \(Försäkringskassan\) har redan begärt komplettering \d{4}-\d{2}-\d{2} \d{2}:\d{2}/,
    );
    const get = await fetch(link);
    expect(get.status).toBe(200);
    expect(await check(get)).toContain('Redan besvarad');
    const beslut = await h.granskningar.listBeslut(rapport.granskningId);
    expect(beslut.map((b) => [b.granskareId, b.utfall, b.kommentar])).toEqual([
      [GRUPP.karin, 'komplettering', 'Bilaga saknas.'],
    ]);
  });

  it('shows the links of a finished granskning as such (GET 200, POST 409), never a 500', async () => {
    expect((await waitForEnd(h, rapport.diarienummer)).status).toBe('SUCCEEDED');
    const link = links.get(GRUPP.maria)!;
    const get = await fetch(link);
    expect(get.status).toBe(200);
    expect(await check(get)).toContain('Granskningen är avslutad');
    const res = await post(link, { csrf: 'vad-som-helst', utfall: 'godkand' });
    expect(res.status).toBe(409);
    expect(await check(res)).toContain('Granskningen är avslutad');
    await expect(decide(link, 'godkand')).rejects.toThrow('CSRF');
    expect(await h.granskningar.listBeslut(rapport.granskningId)).toHaveLength(1);
  });
});
