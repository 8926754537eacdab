import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiariumDb, type DiariumDb } from '../integration/diarium-support.js';
import { startKansliApp } from '../integration/kansli-support.js';
import { BREDDER, PageChecks, launchChromium, loginAs } from '../support/kansli-browser.js';

let db: DiariumDb;
let app: Awaited<ReturnType<typeof startKansliApp>>;
let browser: Browser;
const checks = new PageChecks('kansli-insatser');

beforeAll(async () => {
  db = await startDiariumDb();
  app = await startKansliApp(db);
  browser = await launchChromium();
  await app.repo.importArende(
    {
      serie: 'SFG',
      ar: 24,
      nummer: 3,
      arendemening: 'Samverkansmedel – Stegvis till arbete – Exempelby kommun',
      insatsId: 'stegvis',
      insatsnyckel: 'insats:stegvis',
    },
    'test',
  );
  await app.repo.insatser.skrivInsats(
    {
      insats: {
        id: 'stegvis',
        namn: 'Stegvis till arbete',
        organisation: 'Exempelby kommun',
        arende: 'SFG 24-3',
        beviljadeMedel: 2_458_000,
        insatstidSlut: '2026-09-30',
        kontakt: 'sara.provperson@exempelby.example',
      },
      forvantadVersion: null,
    },
    { handelse: 'insats-tillagd', av: 'test', data: { insats: 'stegvis' } },
    ['SFG 24-3'],
  );
}, 120_000);

afterAll(async () => {
  await checks.writeReport('kansli-insatser-axe.json');
  await Promise.allSettled([
    (async () => browser.close())(),
    (async () => app.stop())(),
    (async () => db.stop())(),
  ]);
});

describe('the insats register in a browser', () => {
  it('lets a registrator edit an insats and import a small CSV through the preview', async () => {
    const { context, page } = await loginAs(browser, `${app.base}/kansli/insatser`, 'registrator');
    await page.waitForURL(/\/kansli\/insatser/);
    expect(await page.locator('h1').textContent()).toBe('Insatsregistret');
    expect(await page.locator('table').first().textContent()).toContain('2 458 000 kr');
    await checks.inspect(context, page.url(), 'register');

    await page.getByRole('link', { name: 'Ändra Stegvis till arbete' }).click();
    await page.waitForLoadState();
    await checks.inspect(context, page.url(), 'andra');
    await page.getByLabel('Beviljade medel', { exact: true }).fill('2 600 000 kr');
    await page.getByLabel(/^Skäl/).fill('Utökat enligt styrelsens beslut 2026-11-20');
    // Keyboard only: the confirmation box and the button.
    await page.getByLabel('Jag bekräftar ändringen').focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Spara ändringen' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/klart=andrad/);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('Ändringen är sparad');
    expect(text).toContain('2 600 000 kr');
    expect(text).toContain('Beviljade medel: 2 458 000 kr → 2 600 000 kr');
    expect(text).toContain('Rut Registrator <registrator@kansli.example> [registrator]');
    expect(text).toContain('Loggen är verifierad');

    await page.getByRole('link', { name: 'Importera från fil' }).click();
    await page.waitForLoadState();
    await checks.inspect(context, page.url(), 'importera');
    await page.getByLabel('Fil (.csv eller .json, högst 1 MB)').setInputFiles({
      name: 'register.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'Id;Insatsens namn;Huvudman;Beviljade medel;Insatstid slut\ntrappan;Trappan;Provstad kommun;450 tkr;2027-03-31\n',
      ),
    });
    await page.getByRole('button', { name: 'Förhandsgranska' }).click();
    await page.waitForLoadState();
    expect(await page.locator('h1').textContent()).toBe('Förhandsgranska importen');
    const forhand = (await page.locator('main').textContent()) ?? '';
    expect(forhand).toContain('1 läggs till');
    expect(forhand).toContain('1 finns i registret men inte i filen och lämnas som de är');
    for (const [bredd, viewport] of Object.entries(BREDDER)) {
      await page.setViewportSize(viewport);
      await checks.checkOpen(page, `forhandsgranskning-${bredd}`);
    }
    await page.getByLabel(/Jag bekräftar importen/).check();
    await page.getByRole('button', { name: 'Importera' }).click();
    await page.waitForURL(/klart=import/);
    const efter = (await page.locator('main').textContent()) ?? '';
    expect(efter).toContain('Importen är klar');
    expect(efter).toContain('Trappan');
    expect(efter).toContain('450 000 kr');
    expect(efter).toContain('2027-05-30'); // 60 days after the insatstid
    expect(efter).toContain('Register importerat');
    await context.close();
    expect((await app.repo.insatser.getVersionerad('trappan'))?.insats.organisation).toBe('Provstad kommun');
  });

  it('shows a läsare the table without edit controls, and the server refuses the form with 403', async () => {
    const { context, page } = await loginAs(browser, `${app.base}/kansli/insatser`, 'lasare');
    await page.waitForURL(/\/kansli\/insatser/);
    expect(await page.locator('table').first().textContent()).toContain('Stegvis till arbete');
    expect(await page.getByRole('link', { name: /^Ändra/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /Lägg till|Importera/ }).count()).toBe(0);
    await checks.inspect(context, page.url(), 'register-lasare');
    const res = await page.goto(`${app.base}/kansli/insatser/insats/stegvis`);
    expect(res?.status()).toBe(403);
    await context.close();
  });
});
