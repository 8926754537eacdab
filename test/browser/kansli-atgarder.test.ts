/**
 * Every registrator action that exists today, in the browser, through its confirmation step: the audit entry
 * naming the person on the ärende page, and the verified hash chain. One action by keyboard only.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiariumDb, type DiariumDb } from '../integration/diarium-support.js';
import { startKansliApp } from '../integration/kansli-support.js';
import { PageChecks, launchChromium, loginAs } from '../support/kansli-browser.js';
import { arendeUrl, fokus, mailFabrik, tabbaTill } from '../support/kansli-roller.js';

let db: DiariumDb;
let app: Awaited<ReturnType<typeof startKansliApp>>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const checks = new PageChecks('kansli-atgard');
const mail = mailFabrik('atg');
const RUT = 'Rut Registrator <registrator@kansli.example> [registrator]';

beforeAll(async () => {
  db = await startDiariumDb();
  app = await startKansliApp(db);
  browser = await launchChromium();
  ({ context, page } = await loginAs(browser, `${app.base}/kansli/diarium`, 'registrator'));
});

afterAll(async () => {
  await checks.writeReport('kansli-atgard-axe.json');
  await Promise.allSettled([
    (async () => browser.close())(),
    (async () => app.stop())(),
    (async () => db.stop())(),
  ]);
});

const main = async () => (await page.locator('main').textContent()) ?? '';

/** The last row of the ärende's log on the page: [nr, tid, händelse, av, skäl]. */
async function sistaLoggrad(): Promise<string[]> {
  return page.locator('table[aria-labelledby="logg-rubrik"] tbody tr').last().locator('td').allTextContents();
}

/** Opens the action's confirmation page from the ärende page by its link, and runs the page checks on it. */
async function oppnaAtgard(arende: string, lank: RegExp | string, namn: string): Promise<void> {
  await page.goto(arendeUrl(app.base, arende));
  await page.getByRole('link', { name: lank }).click();
  await page.waitForLoadState();
  expect(await page.locator('form[method="post"] input[name="csrf"]').count()).toBeGreaterThan(0);
  await checks.inspect(context, page.url(), namn);
}

/** Ticks the confirmation, submits, and checks the result on the ärende page: message, entry, verified log. */
async function bekrafta(knapp: string, handelse: string, skal: string | null): Promise<void> {
  await page.getByLabel(/^Jag bekräftar/).check();
  await page.getByRole('button', { name: knapp, exact: true }).click();
  await page.waitForURL(/\/kansli\/arende\/[^/]+\?klart=/);
  expect(await page.getByRole('status').first().textContent()).toBe(
    'Åtgärden är utförd och skriven i ärendets logg.',
  );
  const [, , h, av, s] = await sistaLoggrad();
  expect(h).toBe(handelse);
  expect(av).toBe(RUT);
  if (skal !== null) expect(s).toBe(skal);
  expect(await main()).toMatch(/Loggen är verifierad: \d+ poster, obruten hashkedja\./);
}

describe('a registrator performs every action in the browser', () => {
  it('makulerar a handling', async () => {
    const o = await app.register(mail());
    const dnr = o.handling.diarienummer;
    await oppnaAtgard(o.handling.arende, /^Makulera/, 'makulera');
    await page.getByLabel('Skäl (krävs, skrivs i ärendets logg)').fill('Registrerad två gånger');
    // Without the confirmation box ticked the browser itself stops the form (required): nothing is done.
    const url = page.url();
    await page.getByRole('button', { name: 'Makulera', exact: true }).click();
    expect(page.url()).toBe(url);
    expect(await page.locator('#bekraftat:invalid').count()).toBe(1);
    expect((await app.repo.getHandling(dnr))?.makulerad).toBeNull();
    await bekrafta('Makulera', 'handling-makulerad', 'Registrerad två gånger');
    expect(await main()).toContain(`Makulerad – ${RUT}: Registrerad två gånger`);
    await checks.inspect(context, page.url(), 'arende-efter-atgard');
    expect((await app.repo.getHandling(dnr))?.makulerad?.av).toBe(RUT);
  });

  it('corrects the ankomstdatum, and shows a Swedish error for a bad time first', async () => {
    const o = await app.register(mail());
    const dnr = o.handling.diarienummer;
    await oppnaAtgard(o.handling.arende, /^Ändra ankomstdatum/, 'ankomstdatum');
    const tid = page.getByLabel(/^Ny ankomsttid/);
    await tid.fill('igår');
    await page.getByLabel('Skäl (krävs, skrivs i ärendets logg)').fill('Låg i en kollegas inkorg');
    await page.getByLabel(/^Jag bekräftar/).check();
    await page.getByRole('button', { name: 'Ändra ankomstdatum', exact: true }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('alert').textContent()).toContain('Ange tiden som ISO 8601 med tidszon');
    await checks.checkOpen(page, 'ankomstdatum-fel');
    // The form keeps what was written.
    expect(await page.getByLabel('Skäl (krävs, skrivs i ärendets logg)').inputValue()).toBe(
      'Låg i en kollegas inkorg',
    );
    const igar = new Date(Date.now() - 86_400_000);
    const ny = `${igar.toISOString().slice(0, 10)}T09:15:00+01:00`;
    await tid.fill(ny);
    await bekrafta('Ändra ankomstdatum', 'ankomst-andrad', 'Låg i en kollegas inkorg');
    expect((await app.repo.getHandling(dnr))?.ankomstdatum).toBe(ny.slice(0, 10));
    expect(await main()).toContain(`ändrat av ${RUT}: Låg i en kollegas inkorg`);
  });

  it('releases a held mail (frige)', async () => {
    const o = await app.register(mail({ verdicts: { spam: 'FAIL', virus: 'PASS', dmarc: 'pass' } }));
    await oppnaAtgard(o.handling.arende, /^Frige till granskning/, 'frige');
    expect(await main()).toContain('Handlingen hölls kvar');
    await bekrafta('Frige till granskning', 'handling-slappt', null);
    expect((await app.repo.getHandling(o.handling.diarienummer))?.granskning).toBe('pagar');
    expect(app.ingest.begard).toContainEqual({
      diarienummer: o.handling.diarienummer,
      arende: o.handling.arende,
      av: RUT,
    });
  });

  it('corrects the class and the public text', async () => {
    const o = await app.register(mail());
    await oppnaAtgard(o.handling.arende, /^Rätta klass eller offentlig text/, 'klass');
    await page.getByLabel('Klass', { exact: true }).selectOption('allman-handling');
    await page.getByLabel(/^Offentlig text i postlistan/).fill('Fråga om ansökan om samverkansmedel');
    await page.getByLabel('Skäl (krävs, skrivs i ärendets logg)').fill('Ingen slutrapport, en fråga');
    await bekrafta('Rätta klass eller offentlig text', 'klass-andrad', 'Ingen slutrapport, en fråga');
    expect(await main()).toContain('offentlig text: ”Fråga om ansökan om samverkansmedel”');
  });

  it('marks sekretess with the OSL provision and public text, and lifts it', async () => {
    const o = await app.register(mail());
    const dnr = o.handling.diarienummer;
    await oppnaAtgard(o.handling.arende, /^Sekretessmarkera/, 'sekretess');
    await page.getByLabel(/^Sekretessbestämmelse/).fill('OSL 26 kap. 1 §');
    await page.getByLabel(/^Offentlig text i postlistan medan/).fill('Slutrapport med uppgifter om enskild');
    await page.getByLabel('Skäl (krävs, skrivs i ärendets logg)').fill('Hälsouppgifter i bilagan');
    await bekrafta('Sekretessmarkera', 'sekretess-markerad', 'Hälsouppgifter i bilagan');
    expect(await main()).toContain(
      `Ja – OSL 26 kap. 1 §, i postlistan: ”Slutrapport med uppgifter om enskild” (${RUT})`,
    );
    expect((await app.repo.getHandling(dnr))?.sekretess).toBe(true);

    await oppnaAtgard(o.handling.arende, /^Häv sekretess/, 'havsekretess');
    await page.getByLabel('Skäl (krävs, skrivs i ärendets logg)').fill('Prövad: inget sekretessbelagt');
    await bekrafta('Häv sekretess', 'sekretess-havd', 'Prövad: inget sekretessbelagt');
    expect((await app.repo.getHandling(dnr))?.sekretess).toBe(false);
  });

  it('closes and reopens the ärende', async () => {
    const o = await app.register(mail());
    const arende = o.handling.arende;
    const fore = (await app.repo.getArende(arende))!.status;
    await oppnaAtgard(arende, 'Avsluta ärendet', 'avsluta');
    await page.getByLabel('Skäl (krävs, skrivs i ärendets logg)').fill('Slutredovisat');
    await bekrafta('Avsluta ärendet', 'arende-avslutat', 'Slutredovisat');
    expect(await main()).toContain('StatusAvslutat');
    expect((await app.repo.getArende(arende))?.status).toBe('avslutat');

    await oppnaAtgard(arende, 'Återöppna ärendet', 'ateroppna');
    await page.getByLabel('Skäl (krävs, skrivs i ärendets logg)').fill('Ny fråga från insatsägaren');
    await bekrafta('Återöppna ärendet', 'arende-ateroppnat', 'Ny fråga från insatsägaren');
    expect((await app.repo.getArende(arende))?.status).toBe(fore);
  });

  it('closes an ärende with the keyboard only, from the ärende page to the audit entry', async () => {
    const o = await app.register(mail());
    await page.goto(arendeUrl(app.base, o.handling.arende));
    await tabbaTill(page, (f) => f.tag === 'a' && f.text === 'Avsluta ärendet', 'länken Avsluta ärendet');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/avsluta$/);
    await tabbaTill(page, (f) => f.id === 'skal', 'fältet Skäl');
    await page.keyboard.type('Slutredovisat, med tangentbordet');
    await tabbaTill(page, (f) => f.id === 'bekraftat', 'rutan Jag bekräftar');
    await page.keyboard.press('Space');
    expect(await page.locator('#bekraftat').isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await fokus(page)).toMatchObject({ tag: 'button', text: 'Avsluta ärendet' });
    await page.keyboard.press('Enter');
    await page.waitForURL(/klart=avsluta/);
    const [, , h, av, skal] = await sistaLoggrad();
    expect([h, av, skal]).toEqual(['arende-avslutat', RUT, 'Slutredovisat, med tangentbordet']);
    expect(await main()).toContain('Loggen är verifierad');
  });
});
