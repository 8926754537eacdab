import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiariumDb, type DiariumDb } from '../integration/diarium-support.js';
import { mailFactory, startKansliApp } from '../integration/kansli-support.js';
import { PageChecks, launchChromium, loginAs } from '../support/kansli-browser.js';

let db: DiariumDb;
let app: Awaited<ReturnType<typeof startKansliApp>>;
let browser: Browser;
const checks = new PageChecks('kansli-lista');

beforeAll(async () => {
  db = await startDiariumDb();
  app = await startKansliApp(db);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await checks.writeReport('kansli-lista-axe.json');
  await Promise.allSettled([
    (async () => browser.close())(),
    (async () => app.stop())(),
    (async () => db.stop())(),
  ]);
});

const mail = mailFactory('bl', 'Listinsats');

describe('the diarium list in a browser', () => {
  it('filters by class, sorts by a column with the keyboard, and tells the order with aria-sort', async () => {
    for (let i = 0; i < 11; i++) await app.register(mail());
    const fraga = await app.register(
      mail({ subject: 'Fråga om ansökningsblanketten', body: 'Hej! Var finns blanketten?', report: null }),
    );
    const klass = fraga.handling.klassning!.klass;
    expect(klass).not.toBe('slutrapport');
    const { context, page } = await loginAs(browser, `${app.base}/kansli/diarium`, 'registrator');
    await page.waitForURL(/\/kansli\/diarium/);
    await checks.inspect(context, page.url(), 'lista');

    // Filter by class: only the question is left.
    await page.getByLabel('Klass').selectOption(klass);
    await page.getByRole('button', { name: 'Sök' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('status').first().textContent()).toContain('1 träffar');
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody').textContent()).toContain(fraga.handling.diarienummer);

    // Back to slutrapporter, then sort by diarienummer with the keyboard only.
    await page.getByLabel('Klass').selectOption('slutrapport');
    await page.getByRole('button', { name: 'Sök' }).click();
    await page.waitForLoadState();
    const rubrik = page.getByRole('columnheader', { name: /Diarienummer/ });
    expect(await rubrik.getAttribute('aria-sort')).toBeNull();
    await page.getByRole('link', { name: 'Diarienummer, sortera stigande' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/sortera=diarienummer/);
    expect(await rubrik.getAttribute('aria-sort')).toBe('ascending');
    const nummer = async () =>
      (await page.locator('tbody tr td:first-child').allTextContents()).map((d) =>
        Number(/-(\d+)\./.exec(d)![1]),
      );
    const upp = await nummer();
    expect(upp).toHaveLength(11);
    expect(upp).toEqual([...upp].sort((a, b) => a - b));
    // The class filter stayed; the sort link now turns the order.
    expect(await page.getByLabel('Klass').inputValue()).toBe('slutrapport');
    await page.getByRole('link', { name: 'Diarienummer, sortera fallande' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/ordning=fallande/);
    expect(await rubrik.getAttribute('aria-sort')).toBe('descending');
    expect(await nummer()).toEqual([...upp].reverse());
    await checks.inspect(context, page.url(), 'sorterad');
    await context.close();
  }, 180_000);
});
