import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/aws/stack.js';
import { PageChecks, launchChromium, loginAs } from '../support/kansli-browser.js';

// On the whole local stack: the scan goes through the HTTP API stand-in into the Object Lock records store.
let stack: LocalStack;
let browser: Browser;
const checks = new PageChecks('kansli-registrera');

const PDF = Buffer.from('%PDF-1.4\n% Skannat brev\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

beforeAll(async () => {
  stack = await startLocalStack({
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'rapportflode-registrera-browser-')),
    ports: { smtp: 0, s3: 0, dynamodb: 0, ses: 0, http: 0, aws: 0 },
    reconcileIntervalMs: 0,
    log: () => undefined,
  });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await checks.writeReport('kansli-registrera-axe.json');
  await Promise.allSettled([(async () => browser?.close())(), (async () => stack?.stop())()]);
});

describe('registering paper post in a browser', () => {
  it('lets a registrator register a scanned letter with the keyboard and shows the diarienummer and the log entry', async () => {
    const base = stack.urls.http;
    const { context, page } = await loginAs(browser, `${base}/kansli/registrera`, 'registrator');
    await page.waitForURL(/\/kansli\/registrera/);
    expect(await page.locator('h1').textContent()).toBe('Registrera handling');
    await checks.inspect(context, page.url(), 'formular');

    // Keyboard only: type into each field, choose with the arrow keys, tick with Space, send with Enter.
    await page.getByLabel('Inkommen handling (papperspost)').focus();
    await page.keyboard.press('Space');
    await page.getByLabel('Namn', { exact: true }).focus();
    await page.keyboard.type('Sara Provperson');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Exempelby kommun');
    await page.getByLabel('Postadress (valfri)', { exact: true }).focus();
    await page.keyboard.type('Box 1, 811 00 Exempelby');
    await page.getByLabel('Avser').focus();
    await page.keyboard.type('Brev om insatsen Prova på');
    await page.getByLabel('Ärendemening för ett nytt ärende').focus();
    await page.keyboard.type('Brev från Exempelby kommun');
    // The file chooser is the operating system's; the test hands it the file.
    await page.getByLabel('Fil (PDF, JPEG, PNG eller TIFF)').setInputFiles({
      name: 'skannat brev.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await page.getByLabel(/Jag bekräftar/).focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Registrera' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/kansli\/registrerad\//);

    const text = (await page.locator('body').textContent()) ?? '';
    const dnr = /Diarienummer: (SFG \d{2}-\d+\.\d+)/.exec(text)?.[1];
    expect(dnr).toBeDefined();
    expect(text).toContain('Skriv numret på pappershandlingen.');
    expect(text).toContain('skannat_brev.pdf');
    expect(text).toContain('handling-registrerad');
    expect(text).toContain('Rut Registrator <registrator@kansli.example> [registrator]');
    await checks.checkOpen(page, 'registrerad-dator');
    await checks.inspect(context, page.url(), 'registrerad');

    // The ärende shows the handling and the registration in its verified log.
    await page.getByRole('link', { name: /^Öppna ärendet/ }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/kansli\/arende\//);
    const arende = (await page.locator('body').textContent()) ?? '';
    expect(arende).toContain(`Handling ${dnr!}`);
    expect(arende).toContain('Registrerad för hand från papper');
    expect(arende).toContain('Loggen är verifierad');
    await checks.inspect(context, page.url(), 'arende');
    await context.close();
  });

  it('shows a refused form with each error tied to its field, passing axe-core', async () => {
    const { context, page } = await loginAs(browser, `${stack.urls.http}/kansli/registrera`, 'registrator');
    await page.waitForURL(/\/kansli\/registrera/);
    await page.getByLabel('Avser').fill('Brev utan avsändare');
    await page.getByLabel('Ärendemening för ett nytt ärende').fill('Ofullständigt');
    await page.getByLabel(/Jag bekräftar/).check();
    await page.getByRole('button', { name: 'Registrera' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('alert').first().textContent()).toContain(
      'Ange avsändarens namn eller organisation.',
    );
    await expect
      .poll(() => page.getByLabel('Namn', { exact: true }).getAttribute('aria-invalid'))
      .toBe('true');
    await checks.checkOpen(page, 'fel-dator');
    await page.setViewportSize({ width: 360, height: 740 });
    await checks.checkOpen(page, 'fel-telefon');
    await context.close();
  });

  it('offers "Läs in och starta granskning" on a paper slutrapport, with a confirmation page passing axe-core', async () => {
    const base = stack.urls.http;
    const { context, page } = await loginAs(browser, `${base}/kansli/registrera`, 'registrator');
    await page.waitForURL(/\/kansli\/registrera/);
    await page.getByLabel('Inkommen handling (papperspost)').check();
    await page.getByLabel('Organisation', { exact: true }).fill('Exempelby kommun');
    await page.getByLabel('Avser').fill('Slutrapport på papper');
    await page.getByLabel('Ärendemening för ett nytt ärende').fill('Slutrapport – Prova på');
    await page.getByLabel('Klass (inkommen handling)').selectOption('slutrapport');
    await page.getByLabel('Fil (PDF, JPEG, PNG eller TIFF)').setInputFiles({
      name: 'rapport.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await page.getByLabel(/Jag bekräftar/).check();
    await page.getByRole('button', { name: 'Registrera' }).click();
    await page.waitForURL(/\/kansli\/registrerad\//);
    await page.getByRole('link', { name: /^Öppna ärendet/ }).click();
    await page.waitForURL(/\/kansli\/arende\//);
    // Keyboard only: the action is a link on the handling; its page asks for confirmation before anything is sent.
    await page.getByRole('link', { name: /^Läs in och starta granskning/ }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/kansli\/las-in\//);
    expect(await page.locator('h1').textContent()).toMatch(/^Läs in och starta granskning: SFG/);
    expect(await page.locator('body').textContent()).toContain('avsändaren får ingen kvittens');
    await checks.inspect(context, page.url(), 'las-in');
    await context.close();
  });

  it('gives a läsare 403 for the form', async () => {
    const { context, page } = await loginAs(browser, `${stack.urls.http}/kansli/diarium`, 'lasare');
    await page.waitForURL(/\/kansli\/diarium/);
    expect(await page.getByRole('link', { name: 'Registrera handling' }).count()).toBe(0);
    const res = await page.goto(`${stack.urls.http}/kansli/registrera`);
    expect(res?.status()).toBe(403);
    await context.close();
  });
});
