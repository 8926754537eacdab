import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiariumDb, type DiariumDb } from '../integration/diarium-support.js';
import { mailFactory, startKansliApp } from '../integration/kansli-support.js';
import { OUT, PageChecks, launchChromium, loginAs } from '../support/kansli-browser.js';

let db: DiariumDb;
let app: Awaited<ReturnType<typeof startKansliApp>>;
let browser: Browser;
const checks = new PageChecks();

beforeAll(async () => {
  db = await startDiariumDb();
  app = await startKansliApp(db);
  browser = await launchChromium();
});

afterAll(async () => {
  await checks.writeReport('kansli-axe.json');
  await Promise.allSettled([
    (async () => browser.close())(),
    (async () => app.stop())(),
    (async () => db.stop())(),
  ]);
});

const mail = mailFactory('b', 'Stegvis till arbete');

describe('the kansli diarium in a browser', () => {
  it('logs a registrator in through the OIDC provider, searches, opens an ärende and makulerar with the audit entry shown', async () => {
    const hittad = await app.register(
      mail({ report: { insatsnamn: 'Webbläsarinsatsen', organisation: 'Webbläsarby kommun' } }),
    );
    await app.register(mail());
    const { context, page } = await loginAs(browser, `${app.base}/kansli/diarium`, 'registrator');
    await page.waitForURL(/\/kansli\/diarium/);
    expect(await page.locator('h1').textContent()).toBe('Diariet');
    expect(await page.locator('header').textContent()).toContain('Rut Registrator');

    await page.getByLabel('Sök (avser, avsändare, insats, diarienummer)').fill('webbläsarinsatsen');
    await page.getByRole('button', { name: 'Sök' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('status').first().textContent()).toContain('1 träffar');
    await checks.inspect(context, page.url(), 'lista');

    await page.getByRole('link', { name: hittad.handling.diarienummer }).click();
    await page.waitForLoadState();
    expect(await page.locator('h1').textContent()).toBe(`Ärende ${hittad.handling.arende}`);
    await checks.inspect(context, page.url(), 'arende');

    await page.getByRole('link', { name: new RegExp(`^Makulera`) }).click();
    await page.waitForLoadState();
    await checks.inspect(context, page.url(), 'makulera');
    await page
      .getByLabel('Skäl (krävs, skrivs i ärendets logg)')
      .fill('Registrerad av misstag i webbläsartestet');
    // Keyboard only: the confirmation box and the button.
    await page.getByLabel(/Jag bekräftar/).focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Makulera' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/kansli\/arende\//);
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).toContain('Åtgärden är utförd och skriven i ärendets logg.');
    expect(text).toContain('handling-makulerad');
    expect(text).toContain('Rut Registrator <registrator@kansli.example> [registrator]');
    expect(text).toContain('Registrerad av misstag i webbläsartestet');
    expect(text).toContain('Loggen är verifierad');
    await page.screenshot({ path: path.join(OUT, 'kansli-makulerad-dator.png'), fullPage: true });
    await context.close();
    expect((await app.repo.getHandling(hittad.handling.diarienummer))?.makulerad?.av).toContain(
      '[registrator]',
    );
  });

  it('shows a läsare no makulera link, and the server refuses the form with 403', async () => {
    const o = await app.register(mail());
    const { context, page } = await loginAs(
      browser,
      `${app.base}/kansli/arende/${encodeURIComponent(o.handling.arende)}`,
      'lasare',
    );
    await page.waitForURL(/\/kansli\/arende\//);
    expect(await page.getByRole('link', { name: /^Makulera/ }).count()).toBe(0);
    const res = await page.goto(
      `${app.base}/kansli/handling/${encodeURIComponent(o.handling.diarienummer)}/makulera`,
    );
    expect(res?.status()).toBe(403);
    await context.close();
  });
});
