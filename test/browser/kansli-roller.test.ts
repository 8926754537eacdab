/**
 * Each role in the browser, logged in through the local OIDC provider: what it finds, what it sees on an
 * ärende, and that the server refuses what the role may not do (403 on the form and on a POST with a valid
 * CSRF token), changing nothing.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markeraSekretess } from '../../domain/diarium/kansli.js';
import { startDiariumDb, type DiariumDb } from '../integration/diarium-support.js';
import { startKansliApp } from '../integration/kansli-support.js';
import { PageChecks, fillProviderLogin, launchChromium, loginAs } from '../support/kansli-browser.js';
import { arendeUrl, checkBothWidths, handlingUrl, mailFabrik } from '../support/kansli-roller.js';

let db: DiariumDb;
let app: Awaited<ReturnType<typeof startKansliApp>>;
let browser: Browser;
const checks = new PageChecks('kansli-roller');
const mail = mailFabrik('roll');

beforeAll(async () => {
  db = await startDiariumDb();
  app = await startKansliApp(db);
  browser = await launchChromium();
});

afterAll(async () => {
  await checks.writeReport('kansli-roller-axe.json');
  await Promise.allSettled([
    (async () => browser.close())(),
    (async () => app.stop())(),
    (async () => db.stop())(),
  ]);
});

async function sok(page: Page, text: string): Promise<string> {
  await page.getByLabel('Sök (avser, avsändare, insats, diarienummer)').fill(text);
  await page.getByRole('button', { name: 'Sök' }).click();
  await page.waitForLoadState();
  return (await page.getByRole('status').first().textContent()) ?? '';
}

const body = async (page: Page) => (await page.locator('main').textContent()) ?? '';
const csrfAv = (page: Page) => page.locator('input[name="csrf"]').first().inputValue();

/** A POST from the logged-in browser (its cookie) with the page's valid CSRF token. */
async function postMedCsrf(context: BrowserContext, page: Page, url: string, form: Record<string, string>) {
  const res = await context.request.post(url, {
    form: { csrf: await csrfAv(page), bekraftat: 'ja', ...form },
    maxRedirects: 0,
  });
  return res.status();
}

describe('logged in as each role', () => {
  it('registrator: searches, opens an ärende, sees every action and the secret handlingar', async () => {
    const o = await app.register(
      mail({ report: { insatsnamn: 'Rollinsatsen Registrator', organisation: 'Exempelby kommun' } }),
    );
    const hemlig = await app.register(
      mail({ report: { insatsnamn: 'Rollinsatsen Hemlig', organisation: 'Exempelby kommun' } }),
    );
    await markeraSekretess({ repo: app.repo, clock: () => new Date() }, hemlig.handling.diarienummer, {
      osl: 'OSL 26 kap. 1 §',
      publikText: 'Slutrapport med uppgifter om enskild',
      skal: 'Hälsouppgifter',
      av: 'Test <test@kansli.example> [test]',
    });
    const { context, page } = await loginAs(browser, `${app.base}/kansli/diarium`, 'registrator');
    expect(await page.locator('header').textContent()).toContain('Rut Registrator (Registrator)');
    expect(await sok(page, 'rollinsatsen')).toContain('2 träffar');
    await checks.inspect(context, page.url(), 'registrator-lista');

    await page.getByRole('link', { name: o.handling.diarienummer }).click();
    await page.waitForURL(/\/kansli\/arende\//);
    expect(await page.locator('h1').textContent()).toBe(`Ärende ${o.handling.arende}`);
    for (const lank of [
      'Makulera',
      'Ändra ankomstdatum',
      'Rätta klass eller offentlig text',
      'Sekretessmarkera',
    ])
      expect(await page.getByRole('link', { name: new RegExp(`^${lank}`) }).count(), lank).toBe(1);
    expect(await page.getByRole('link', { name: 'Avsluta ärendet' }).count()).toBe(1);
    // Release only for held mail, lifting only for a marked handling.
    expect(await page.getByRole('link', { name: /^Frige/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /^Häv sekretess/ }).count()).toBe(0);
    // The files have short-lived download links for a role that may read every file.
    expect(await page.getByRole('link', { name: 'meddelande.eml' }).count()).toBe(1);
    await checks.inspect(context, page.url(), 'registrator-arende');

    await page.goto(arendeUrl(app.base, hemlig.handling.arende));
    expect(await body(page)).toContain('OSL 26 kap. 1 §');
    expect(await page.getByRole('link', { name: /^Häv sekretess/ }).count()).toBe(1);
    await context.close();
  });

  it('handläggare: releases a held mail through the confirmation, and is refused makulering (403) changing nothing', async () => {
    const o = await app.register(
      mail({
        verdicts: { spam: 'FAIL', virus: 'PASS', dmarc: 'pass' },
        report: { insatsnamn: 'Rollinsatsen Kvarhållen', organisation: 'Exempelby kommun' },
      }),
    );
    const dnr = o.handling.diarienummer;
    expect(o.handling.granskning).toBe('vantar-pa-kansliet');
    const { context, page } = await loginAs(browser, `${app.base}/kansli/diarium`, 'handlaggare');
    expect(await page.locator('header').textContent()).toContain('Hugo Handläggare (Handläggare)');
    expect(await sok(page, 'kvarhållen')).toContain('1 träffar');
    await checks.inspect(context, page.url(), 'handlaggare-lista');
    await page.getByRole('link', { name: dnr }).click();
    await page.waitForURL(/\/kansli\/arende\//);
    for (const lank of [/^Makulera/, /^Ändra ankomstdatum/, /^Rätta klass/, /^Sekretessmarkera/])
      expect(await page.getByRole('link', { name: lank }).count(), String(lank)).toBe(0);
    expect(await page.getByRole('link', { name: 'Avsluta ärendet' }).count()).toBe(0);
    await checks.inspect(context, page.url(), 'handlaggare-arende');

    // Makulera: no link, the form 403, a POST with a valid CSRF token 403; nothing changed.
    const loggFore = (await app.repo.getArendeDetaljer(o.handling.arende))!.logg.length;
    const res = await page.goto(handlingUrl(app.base, dnr, 'makulera'));
    expect(res?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('Åtgärden är inte tillåten');
    await checks.inspect(context, page.url(), 'handlaggare-403', 403);
    expect(await postMedCsrf(context, page, handlingUrl(app.base, dnr, 'makulera'), { skal: 'Försök' })).toBe(
      403,
    );
    expect((await app.repo.getHandling(dnr))?.makulerad).toBeNull();
    expect((await app.repo.getArendeDetaljer(o.handling.arende))!.logg).toHaveLength(loggFore);

    // Release the held mail through its confirmation step.
    await page.goto(arendeUrl(app.base, o.handling.arende));
    await page.getByRole('link', { name: /^Frige till granskning/ }).click();
    await page.waitForURL(/\/frige$/);
    expect(await page.locator('h1').textContent()).toBe(`Frige till granskning: ${dnr}`);
    await checks.inspect(context, page.url(), 'handlaggare-frige');
    await page.getByLabel(/Jag bekräftar/).check();
    await page.getByRole('button', { name: 'Frige till granskning' }).click();
    await page.waitForURL(/\/kansli\/arende\/.*klart=frige/);
    const text = await body(page);
    expect(text).toContain('Åtgärden är utförd och skriven i ärendets logg.');
    expect(text).toContain('handling-slappt');
    expect(text).toContain('Hugo Handläggare <handlaggare@kansli.example> [handlaggare]');
    expect(text).toContain('Loggen är verifierad');
    expect((await app.repo.getHandling(dnr))?.granskning).toBe('pagar');
    await context.close();
  });

  it('läsare: does not see secret handlingar, sees no action, and every action is refused (403) changing nothing', async () => {
    const oppen = await app.register(
      mail({ report: { insatsnamn: 'Läsarinsatsen Öppen', organisation: 'Exempelby kommun' } }),
    );
    const hemlig = await app.register(
      mail({ report: { insatsnamn: 'Läsarinsatsen Hemlig', organisation: 'Exempelby kommun' } }),
    );
    const dnr = hemlig.handling.diarienummer;
    await markeraSekretess({ repo: app.repo, clock: () => new Date() }, dnr, {
      osl: 'OSL 26 kap. 1 §',
      publikText: 'Slutrapport med uppgifter om enskild',
      skal: 'Hälsouppgifter i bilagan',
      av: 'Test <test@kansli.example> [test]',
    });
    const fore = await app.repo.getArendeDetaljer(hemlig.handling.arende);

    const { context, page } = await loginAs(browser, `${app.base}/kansli/diarium`, 'lasare');
    expect(await page.locator('header').textContent()).toContain('Lisa Läsare (Läsare)');
    expect(await sok(page, 'läsarinsatsen')).toContain('1 träffar');
    const lista = await body(page);
    expect(lista).toContain(oppen.handling.diarienummer);
    expect(lista).not.toContain(dnr);
    await checks.inspect(context, page.url(), 'lasare-lista');

    await page.getByRole('link', { name: oppen.handling.diarienummer }).click();
    await page.waitForURL(/\/kansli\/arende\//);
    // No action at all: no link to any action address (…/handling/<dnr>/<åtgärd>, …/arende/<dnr>/<åtgärd>).
    const hrefs = await page.evaluate<(string | null)[]>(
      "[...document.querySelectorAll('main a')].map((a) => a.getAttribute('href'))",
    );
    expect(hrefs.filter((h) => /^\/kansli\/(handling|arende)\/[^/]+\/[a-z]+/.test(h ?? ''))).toEqual([]);
    // No download links: a läsare may not read every file.
    expect(await body(page)).toContain('meddelande.eml');
    expect(await page.getByRole('link', { name: 'meddelande.eml' }).count()).toBe(0);
    await checks.inspect(context, page.url(), 'lasare-arende');

    await page.goto(arendeUrl(app.base, hemlig.handling.arende));
    const dold = await body(page);
    expect(dold).toContain('1 handling(ar) med sekretess visas inte för din roll.');
    expect(dold).not.toContain('Hälsouppgifter i bilagan');
    expect(dold).not.toContain(`Handling ${dnr}`);

    const forsok: [string, Record<string, string>][] = [
      [handlingUrl(app.base, dnr, 'makulera'), { skal: 'x' }],
      [handlingUrl(app.base, dnr, 'havsekretess'), { skal: 'x' }],
      [handlingUrl(app.base, dnr, 'ankomstdatum'), { tid: '2026-01-01T10:00:00+01:00', skal: 'x' }],
      [handlingUrl(app.base, dnr, 'klass'), { klass: 'skrappost', skal: 'x' }],
      [handlingUrl(app.base, dnr, 'frige'), {}],
      [`${arendeUrl(app.base, hemlig.handling.arende)}/avsluta`, { skal: 'x' }],
    ];
    for (const [url, form] of forsok) {
      const res = await page.goto(url);
      expect(res?.status(), url).toBe(403);
      expect(await postMedCsrf(context, page, url, form), url).toBe(403);
    }
    await checks.inspect(context, handlingUrl(app.base, dnr, 'makulera'), 'lasare-403', 403);
    const efter = await app.repo.getArendeDetaljer(hemlig.handling.arende);
    expect(efter?.logg).toHaveLength(fore!.logg.length);
    expect(efter?.arende.status).toBe(fore?.arende.status);
    expect(efter?.handlingar).toEqual(fore?.handlingar);
    await context.close();
  });

  it('utan roll: the login ends on a Swedish 403 page and no session is made', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.base}/kansli/diarium`);
    const svar = page.waitForResponse((r) => new URL(r.url()).pathname === '/kansli/inloggad');
    await fillProviderLogin(page, 'utan');
    expect((await svar).status()).toBe(403);
    await page.waitForLoadState();
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');
    expect(await page.locator('h1').textContent()).toBe('Ingen behörighet');
    expect(await body(page)).toContain('Ditt konto har ingen roll i diariet.');
    await checkBothWidths(checks, page, 'utan-403');
    expect((await context.cookies()).map((c) => c.name)).not.toContain('kansli');
    const r = await context.request.get(`${app.base}/kansli/diarium`, { maxRedirects: 0 });
    expect(r.status()).toBe(303);
    await context.close();
  });
});
