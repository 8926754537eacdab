import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiariumDb, type DiariumDb } from '../integration/diarium-support.js';
import { mailFactory, startKansliApp } from '../integration/kansli-support.js';
import { BREDDER, PageChecks, launchChromium, loginAs } from '../support/kansli-browser.js';

let db: DiariumDb;
let app: Awaited<ReturnType<typeof startKansliApp>>;
let browser: Browser;
const checks = new PageChecks('kansli-flytta');

beforeAll(async () => {
  db = await startDiariumDb();
  app = await startKansliApp(db);
  browser = await launchChromium();
});

afterAll(async () => {
  await checks.writeReport('kansli-flytta-axe.json');
  await Promise.allSettled([
    (async () => browser.close())(),
    (async () => app.stop())(),
    (async () => db.stop())(),
  ]);
});

const mail = mailFactory('bf', 'Flyttinsatsen i webbläsaren');

/** A registered handling whose granskning is decided: one under granskning is not moved. */
async function avgjord() {
  const o = await app.register(mail());
  await app.repo.updateHandling(
    o.handling.diarienummer,
    { granskning: 'godkand' },
    { handelse: 'granskning-avgjord', av: 'system', data: { handling: o.handling.diarienummer } },
  );
  return o.handling;
}

const arendeUrl = (dnr: string) => `${app.base}/kansli/arende/${encodeURIComponent(dnr)}`;

describe('moving a handling and notes in a browser', () => {
  it('lets a registrator move a handling through the confirmation step and see the stub and the audit entry', async () => {
    const fran = await avgjord();
    const till = await avgjord();
    const { context, page } = await loginAs(browser, arendeUrl(fran.arende), 'registrator');
    await page.waitForURL(/\/kansli\/arende\//);
    await page.getByRole('link', { name: /^Flytta till annat ärende/ }).click();
    await page.waitForURL(/\/flytta$/);
    await checks.inspect(context, page.url(), 'formular');

    await page.getByLabel('Flytta till ärende (t.ex. SFG 26-7)').fill(till.arende);
    await page.getByLabel(/^Skäl/).fill('Registrerad i fel ärende, hör till insatsens ärende');
    await page.getByRole('button', { name: 'Granska flytten' }).click();
    await page.waitForLoadState();
    expect(await page.locator('h1').textContent()).toBe(`Bekräfta flytt av ${fran.diarienummer}`);
    for (const viewport of [BREDDER.telefon, BREDDER.dator]) {
      await page.setViewportSize(viewport);
      await checks.checkOpen(page, `bekrafta-${viewport.width}`);
    }
    // Keyboard only: the confirmation box and the button.
    await page.getByLabel(/Jag bekräftar/).focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Flytta', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/klart=flytta/);
    const nytt = `${till.arende}.2`;
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).toContain('Handlingen är flyttad och flytten är skriven i båda ärendenas logg.');
    expect(text).toContain(`Handling ${nytt}`);
    expect(text).toContain('handling-inflyttad');
    expect(text).toContain('Rut Registrator <registrator@kansli.example> [registrator]');
    expect(text).toContain('Loggen är verifierad');
    await checks.inspect(context, arendeUrl(till.arende), 'mal');

    await page.getByRole('link', { name: fran.diarienummer }).first().click();
    await page.waitForURL(/\/kansli\/arende\//);
    const stubb = (await page.locator('body').textContent()) ?? '';
    expect(stubb).toContain('Flyttad till');
    expect(stubb).toContain(nytt);
    expect(stubb).toContain('handling-flyttad');
    expect(stubb).toContain('Registrerad i fel ärende, hör till insatsens ärende');
    expect(stubb).toContain('Loggen är verifierad');
    await checks.inspect(context, page.url(), 'stubb');
    await context.close();
  });

  it('lets a handläggare add a note, which a läsare does not see', async () => {
    const h = await avgjord();
    const { context, page } = await loginAs(browser, arendeUrl(h.arende), 'handlaggare');
    await page.waitForURL(/\/kansli\/arende\//);
    expect(await page.getByRole('link', { name: /^Flytta/ }).count()).toBe(0);
    await page.getByLabel('Ny anteckning').fill('Ringt insatsägaren om bilagan.');
    await page.getByLabel(/Jag förstår att anteckningen sparas/).check();
    await page.getByRole('button', { name: 'Spara anteckningen' }).click();
    await page.waitForURL(/klart=anteckning/);
    const text = (await page.locator('#anteckningar ~ ol').textContent()) ?? '';
    expect(text).toContain('Ringt insatsägaren om bilagan.');
    expect(text).toContain('[handlaggare]');
    await checks.inspect(context, arendeUrl(h.arende), 'anteckning');
    await context.close();

    const l = await loginAs(browser, arendeUrl(h.arende), 'lasare');
    await l.page.waitForURL(/\/kansli\/arende\//);
    expect(await l.page.locator('body').textContent()).not.toContain('Ringt insatsägaren');
    expect(await l.page.getByLabel('Ny anteckning').count()).toBe(0);
    await l.context.close();
  });
});
