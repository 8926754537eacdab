import { mkdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiariumDb, type DiariumDb, type TestMailSpec } from '../integration/diarium-support.js';
import { startKansliApp } from '../integration/kansli-support.js';

const OUT = process.env['TEST_OUTPUT_DIR'] ?? path.resolve('test-output/browser');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const BREDDER = { telefon: { width: 360, height: 740 }, dator: { width: 1280, height: 900 } } as const;

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: unknown[];
}

let db: DiariumDb;
let app: Awaited<ReturnType<typeof startKansliApp>>;
let browser: Browser;
const axeLog: Record<string, { violations: { id: string; impact: string | null; nodes: number }[] }> = {};
const sizes: Record<string, number> = {};

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  db = await startDiariumDb();
  app = await startKansliApp(db);
  browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await writeFile(path.join(OUT, 'kansli-axe.json'), JSON.stringify({ axe: axeLog, bytes: sizes }, null, 2));
  await Promise.allSettled([
    (async () => browser.close())(),
    (async () => app.stop())(),
    (async () => db.stop())(),
  ]);
});

let n = 0;
function mail(extra: Partial<TestMailSpec> = {}): TestMailSpec {
  n++;
  return {
    messageId: `b${n}@exempelby.example`,
    from: 'sara.provperson@exempelby.example',
    fromName: 'Sara Provperson',
    subject: `Slutrapport ${n}`,
    receivedAt: new Date(Date.now() - 3600_000).toISOString(),
    report: { insatsnamn: `Stegvis till arbete ${n}`, organisation: 'Exempelby kommun' },
    ...extra,
  };
}

/** The current page at phone and desktop width: under 150 KB, no horizontal scroll, axe-core, screenshots. */
async function inspect(context: BrowserContext, url: string, namn: string): Promise<void> {
  for (const [bredd, viewport] of Object.entries(BREDDER)) {
    const page: Page = await context.newPage();
    await page.setViewportSize(viewport);
    const res = await page.goto(url);
    expect(res?.status(), namn).toBe(200);
    const bytes = (await res?.body())?.byteLength ?? 0;
    sizes[namn] = bytes;
    expect(bytes, namn).toBeLessThan(150 * 1024);
    const scroll = await page.evaluate<{ sw: number; cw: number }>(
      '({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth })',
    );
    expect(scroll.sw, `${namn} ${bredd}: horisontell rullning`).toBeLessThanOrEqual(scroll.cw);
    await page.screenshot({ path: path.join(OUT, `kansli-${namn}-${bredd}.png`), fullPage: true });
    await page.evaluate(AXE);
    const result = await page.evaluate<{ violations: AxeViolation[] }>(
      "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })",
    );
    axeLog[`${namn}-${bredd}`] = {
      violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })),
    };
    const allvarliga = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      allvarliga.map((v) => v.id),
      `${namn} ${bredd}`,
    ).toEqual([]);
    await page.close();
  }
}

describe('the kansli diarium in a browser', () => {
  it('logs a registrator in through the OIDC provider, searches, opens an ärende and makulerar with the audit entry shown', async () => {
    const hittad = await app.register(
      mail({ report: { insatsnamn: 'Webbläsarinsatsen', organisation: 'Webbläsarby kommun' } }),
    );
    await app.register(mail());
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.base}/kansli/diarium`);
    // The provider's development login form (local only), then its consent.
    await page.locator('input[name="login"]').fill('registrator');
    await page.locator('input[name="password"]').fill('demo');
    await page.locator('button[type="submit"]').click();
    await page.waitForLoadState();
    if (await page.locator('input[name="prompt"][value="consent"]').count()) {
      await page.locator('button[type="submit"]').click();
    }
    await page.waitForURL(/\/kansli\/diarium/);
    expect(await page.locator('h1').textContent()).toBe('Diariet');
    expect(await page.locator('header').textContent()).toContain('Rut Registrator');

    await page.getByLabel('Sök (avser, avsändare, insats, diarienummer)').fill('webbläsarinsatsen');
    await page.getByRole('button', { name: 'Sök' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('status').first().textContent()).toContain('1 träffar');
    await inspect(context, page.url(), 'lista');

    await page.getByRole('link', { name: hittad.handling.diarienummer }).click();
    await page.waitForLoadState();
    expect(await page.locator('h1').textContent()).toBe(`Ärende ${hittad.handling.arende}`);
    await inspect(context, page.url(), 'arende');

    await page.getByRole('link', { name: new RegExp(`^Makulera`) }).click();
    await page.waitForLoadState();
    await inspect(context, page.url(), 'makulera');
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
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.base}/kansli/arende/${encodeURIComponent(o.handling.arende)}`);
    await page.locator('input[name="login"]').fill('lasare');
    await page.locator('input[name="password"]').fill('demo');
    await page.locator('button[type="submit"]').click();
    await page.waitForLoadState();
    if (await page.locator('input[name="prompt"][value="consent"]').count()) {
      await page.locator('button[type="submit"]').click();
    }
    await page.waitForURL(/\/kansli\/arende\//);
    expect(await page.getByRole('link', { name: /^Makulera/ }).count()).toBe(0);
    const res = await page.goto(
      `${app.base}/kansli/handling/${encodeURIComponent(o.handling.diarienummer)}/makulera`,
    );
    expect(res?.status()).toBe(403);
    await context.close();
  });
});
