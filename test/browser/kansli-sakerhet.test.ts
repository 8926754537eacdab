/**
 * The kansli application's security in a real browser: logout ends the session, an expired session is sent
 * to the login (GET) or refused (POST, 401), a form posted from another origin is refused (403), and hostile
 * subjects, names and file names are shown as text while the CSP blocks any inline script.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Dialog } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiariumDb, type DiariumDb } from '../integration/diarium-support.js';
import { startKansliApp } from '../integration/kansli-support.js';
import { PageChecks, launchChromium, loginAs } from '../support/kansli-browser.js';
import { arendeUrl, checkBothWidths, handlingUrl, mailFabrik } from '../support/kansli-roller.js';

let db: DiariumDb;
let app: Awaited<ReturnType<typeof startKansliApp>>;
let browser: Browser;
const checks = new PageChecks('kansli-sakerhet');
const mail = mailFabrik('sak');
/** The application's clock runs this far ahead of the real one: moving it expires a session. */
let framflyttning = 0;

beforeAll(async () => {
  db = await startDiariumDb();
  app = await startKansliApp(db, { clock: () => new Date(Date.now() + framflyttning) });
  browser = await launchChromium();
});

afterAll(async () => {
  await checks.writeReport('kansli-sakerhet-axe.json');
  await Promise.allSettled([
    (async () => browser.close())(),
    (async () => app.stop())(),
    (async () => db.stop())(),
  ]);
});

describe('sessions in the browser', () => {
  it('logs out: the page says so, and the old session cookie no longer opens anything', async () => {
    const { context, page } = await loginAs(browser, `${app.base}/kansli/diarium`, 'registrator');
    const gammal = (await context.cookies()).find((c) => c.name === 'kansli');
    expect(gammal?.httpOnly).toBe(true);
    expect(gammal?.sameSite).toBe('Strict');
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.waitForLoadState();
    expect(await page.locator('h1').textContent()).toBe('Du är utloggad');
    expect(await page.locator('header').count()).toBe(0);
    await checkBothWidths(checks, page, 'utloggad');
    expect((await context.cookies()).map((c) => c.name)).not.toContain('kansli');
    await context.close();

    // A copy of the cookie kept from before the logout: the server has ended the session.
    const kopia = await browser.newContext();
    await kopia.addCookies([{ ...gammal! }]);
    const r = await kopia.request.get(`${app.base}/kansli/diarium`, { maxRedirects: 0 });
    expect(r.status()).toBe(303);
    expect(r.headers()['location']).toMatch(/^\/kansli\/logga-in\?tillbaka=/);
    const sida = await kopia.newPage();
    await sida.goto(`${app.base}/kansli/diarium`);
    expect(sida.url().startsWith(app.issuer)).toBe(true);
    expect(await sida.locator('input[name="login"]').count()).toBe(1);
    await kopia.close();
  });

  it('sends a page of an expired session to the login, and refuses its form post with 401 changing nothing', async () => {
    const o = await app.register(mail());
    const dnr = o.handling.diarienummer;
    const { context, page } = await loginAs(browser, handlingUrl(app.base, dnr, 'makulera'), 'registrator');
    await page.getByLabel('Skäl (krävs, skrivs i ärendets logg)').fill('Efter en lång lunch');
    await page.getByLabel(/^Jag bekräftar/).check();
    try {
      framflyttning = 2 * 3600_000; // past the session's hour
      await page.getByRole('button', { name: 'Makulera', exact: true }).click();
      await page.waitForLoadState();
      expect(await page.locator('h1').textContent()).toBe('Inte inloggad');
      expect(await page.locator('main').textContent()).toContain('Din session är ogiltig eller har gått ut');
      await checkBothWidths(checks, page, 'utgangen-401');
      expect((await app.repo.getHandling(dnr))?.makulerad).toBeNull();

      const r = await context.request.get(`${app.base}/kansli/diarium`, { maxRedirects: 0 });
      expect(r.status()).toBe(303);
      expect(r.headers()['location']).toBe('/kansli/logga-in?tillbaka=%2Fkansli%2Fdiarium');
      await page.goto(arendeUrl(app.base, o.handling.arende));
      // The provider still knows the browser, so the login goes straight back to a new session.
      await page.waitForURL((u) => u.pathname.startsWith('/kansli/arende/'));
    } finally {
      framflyttning = 0;
    }
    await context.close();
  });

  it('refuses a form posted from a page of another origin (403), even with a valid CSRF token', async () => {
    const o = await app.register(mail());
    const dnr = o.handling.diarienummer;
    const { context, page } = await loginAs(browser, `${app.base}/kansli/diarium`, 'registrator');
    const csrf = await page.locator('input[name="csrf"]').first().inputValue();
    // Another origin (another port: same site, so the SameSite=Strict cookie is even sent along).
    const angripare = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html lang="sv"><title>Angripare</title><form method="post" action="${handlingUrl(app.base, dnr, 'makulera')}"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="skal" value="Förfalskad"><input type="hidden" name="bekraftat" value="ja"><button>Vinn ett pris</button></form></html>`,
      );
    });
    await new Promise<void>((r) => angripare.listen(0, '127.0.0.1', r));
    try {
      await page.goto(`http://127.0.0.1:${(angripare.address() as AddressInfo).port}/`);
      const svar = page.waitForResponse((r) => r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Vinn ett pris' }).click();
      expect((await svar).status()).toBe(403);
      await page.waitForLoadState();
      expect(await page.locator('h1').textContent()).toBe('Otillåten begäran');
      await checkBothWidths(checks, page, 'annan-webbplats-403');
    } finally {
      await new Promise<void>((r) => angripare.close(() => r()));
    }
    // The same with only a foreign Origin header (an older browser without Sec-Fetch-Site).
    const r = await context.request.post(handlingUrl(app.base, dnr, 'makulera'), {
      form: { csrf, skal: 'Förfalskad', bekraftat: 'ja' },
      headers: { origin: 'https://angripare.example' },
      maxRedirects: 0,
    });
    expect(r.status()).toBe(403);
    expect((await app.repo.getHandling(dnr))?.makulerad).toBeNull();
    await context.close();
  });
});

describe('hostile text in the browser', () => {
  const SKRIPT = '<script>alert(1)</script>';
  const BILD = '"><img src=x onerror=alert(2)>';

  it('shows hostile subjects, names and file names as text, opens no dialog, and the CSP blocks inline script', async () => {
    const o = await app.register(
      mail({
        subject: SKRIPT,
        fromName: SKRIPT,
        report: { insatsnamn: `Fientliga ${BILD}`, organisation: `${SKRIPT} kommun` },
        bilagor: [
          { filnamn: `${SKRIPT}.pdf`, text: 'bilaga 1' },
          { filnamn: `${BILD}.docx`, text: 'bilaga 2' },
        ],
      }),
    );
    const dnr = o.handling.diarienummer;
    const { context, page } = await loginAs(browser, `${app.base}/kansli/diarium?q=fientliga`, 'registrator');
    const dialoger: string[] = [];
    const fangaDialog = (d: Dialog) => {
      dialoger.push(d.message());
      void d.dismiss();
    };
    context.on('page', (p) => p.on('dialog', fangaDialog));
    page.on('dialog', fangaDialog);
    const fientlig = async (namn: string) => {
      const text = (await page.locator('main').textContent()) ?? '';
      expect(text, namn).toContain(SKRIPT);
      expect(await page.locator('main script, main img, [onerror]').count(), namn).toBe(0);
    };

    const res = await page.goto(`${app.base}/kansli/diarium?q=fientliga`);
    const csp = res?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|script-src/);
    expect(await page.locator('main').textContent()).toContain(dnr);
    await fientlig('lista');
    await checks.inspect(context, page.url(), 'fientlig-lista');

    await page.goto(arendeUrl(app.base, o.handling.arende));
    await fientlig('ärende');
    expect(await page.getByRole('link', { name: `${SKRIPT}.pdf` }).count()).toBe(1);
    expect(await page.getByRole('link', { name: `${BILD}.docx` }).count()).toBe(1);
    await checks.inspect(context, page.url(), 'fientlig-arende');

    await page.goto(handlingUrl(app.base, dnr, 'makulera'));
    await fientlig('bekräftelse');
    await checks.inspect(context, page.url(), 'fientlig-makulera');

    // Even a script that got into the page would not run: the CSP refuses inline script.
    const korde = await page.evaluate(
      "(() => { const s = document.createElement('script'); s.textContent = 'window.__korde = true'; document.body.append(s); return window.__korde === true; })()",
    );
    expect(korde).toBe(false);
    expect(dialoger).toEqual([]);
    await context.close();
  });
});
