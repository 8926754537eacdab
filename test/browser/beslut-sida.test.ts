import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/kansli-browser.js';
import { hashLinkId } from '../../domain/granskning/links.js';
import {
  GRUPP,
  startHarness,
  submitReport,
  waitForEnd,
  waitForLinks,
  type Harness,
} from '../integration/granskning-support.js';

let h: Harness;
let browser: Browser;

beforeAll(async () => {
  h = await startHarness({
    beslutPolicy: { typ: 'forsta' },
    granskningTimeouts: { svarstid: 120, paminnelse: 60, eskalering: 60 },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  // Either may be missing when beforeAll failed; close what was started.
  await Promise.allSettled([(async () => browser.close())(), (async () => h.stop())()]);
});

describe('the decision page in a browser', () => {
  it('renders the reviewer mail link in Swedish and records the decision from the form', async () => {
    const r = await submitReport(h, { organisation: 'Webbläsarby kommun' });
    const links = await waitForLinks(h, r.diarienummer, 4);
    const page = await browser.newPage();
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') cspErrors.push(m.text());
    });
    const res = await page.goto(links.get(GRUPP.maria)!);
    expect(res?.status()).toBe(200);
    await expect(page.title()).resolves.toContain('Samordningsförbund Gävleborg');
    expect(await page.locator('h1').textContent()).toBe(`Slutrapport ${r.diarienummer}`);
    expect(await page.getByRole('button', { name: 'Godkänn' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Begär komplettering' }).isVisible()).toBe(true);
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).toContain('Hej Maria Exempelsson (Ovanåkers kommun)');
    expect(body).toContain('Ta ställning till slutrapporten nedan.');
    expect(body).toContain('Webbläsarby kommun');
    // The inline style is allowed by its hash: the buttons are styled (the approve button is green).
    const bg = await page.evaluate<unknown>(
      "getComputedStyle(document.querySelector('button.godkann')).backgroundColor",
    );
    expect(bg).toBe('rgb(27, 94, 32)');
    expect(cspErrors).toEqual([]);
    await page.screenshot({ path: '/tmp/beslut-sida.png', fullPage: true });

    await page.getByRole('button', { name: 'Godkänn' }).click();
    await page.waitForLoadState();
    expect(await page.locator('h1').textContent()).toBe('Tack – ditt beslut är registrerat');
    expect(await page.locator('body').textContent()).toContain('Du har godkänt rapporten.');
    await page.screenshot({ path: '/tmp/beslut-tack.png', fullPage: true });
    await page.close();

    expect((await waitForEnd(h, r.diarienummer)).status).toBe('SUCCEEDED');
    const beslut = await h.granskningar.listBeslut(r.granskningId);
    expect(beslut.map((b) => [b.namn, b.utfall])).toEqual([['Maria Exempelsson', 'godkand']]);
  });

  it('asks for a comment before komplettering is requested, in Swedish', async () => {
    const r = await submitReport(h, { organisation: 'Kommentarby kommun' });
    const links = await waitForLinks(h, r.diarienummer, 4);
    const page = await browser.newPage();
    await page.goto(links.get(GRUPP.johan)!);
    await page.getByRole('button', { name: 'Begär komplettering' }).click();
    await page.waitForLoadState();
    expect(await page.locator('body').textContent()).toContain(
      'Skriv en kommentar om vad som behöver kompletteras.',
    );
    await page
      .getByLabel('Kommentar (krävs vid begäran om komplettering)')
      .fill('Ekonomiavsnittet behöver fyllas i.');
    await page.getByRole('button', { name: 'Begär komplettering' }).click();
    await page.waitForLoadState();
    expect(await page.locator('body').textContent()).toContain('Du har begärt komplettering av rapporten.');
    await page.close();
    const beslut = await h.granskningar.listBeslut(r.granskningId);
    expect(beslut.map((b) => [b.utfall, b.kommentar])).toEqual([
      ['komplettering', 'Ekonomiavsnittet behöver fyllas i.'],
    ]);
  });

  it('leaves the granskning untouched when a scanner fetches the link and a headless browser runs it with JavaScript', async () => {
    const r = await submitReport(h, { organisation: 'Skannerby kommun' });
    const links = await waitForLinks(h, r.diarienummer, 4);
    const link = links.get(GRUPP.karin)!;
    // curl-style: GET, HEAD, and a GET without any browser headers at all.
    for (let i = 0; i < 3; i++) {
      expect((await fetch(link, { headers: { 'user-agent': 'curl/8.5.0', accept: '*/*' } })).status).toBe(
        200,
      );
      expect((await fetch(link, { method: 'HEAD' })).status).toBe(200);
    }
    // A Safe Links-like scanner: a fresh context with JavaScript on that loads, waits, follows in-page links.
    const context = await browser.newContext({
      javaScriptEnabled: true,
      userAgent: 'Mozilla/5.0 (compatible; LinkScanner/1.0)',
    });
    const page = await context.newPage();
    await page.goto(link, { waitUntil: 'networkidle' });
    await page.evaluate(
      // What a scripted scanner might try: scroll and hover, but it never presses the buttons.
      "window.scrollTo(0, document.body.scrollHeight); document.querySelectorAll('a').forEach((a) => a.dispatchEvent(new MouseEvent('mouseover')));",
    );
    await page.reload({ waitUntil: 'networkidle' });
    await context.close();

    expect(await h.granskningar.listBeslut(r.granskningId)).toEqual([]);
    const lank = await h.granskningar.getLink(hashLinkId(link.split('/').pop()!));
    expect(lank?.anvand).toBeNull();
    const g = await h.granskningar.get(r.granskningId);
    expect(g?.status).toBe('pagar');
    expect(g?.utfall).toBeNull();
    expect((await h.diarium.getHandling(r.diarienummer))?.granskning).toBe('pagar');
    const logg = (await h.diarium.getArendeDetaljer(r.arende))?.logg ?? [];
    expect(logg.filter((e) => e.handelse === 'granskningsbeslut')).toEqual([]);
  });
});
