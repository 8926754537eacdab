/**
 * Shared set-up of the kansli's browser tests: Chromium, the OIDC login as a role, and the per-page checks
 * every page must pass (size, no horizontal scroll at phone width, axe-core, screenshots at both widths).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const OUT = process.env['TEST_OUTPUT_DIR'] ?? path.resolve('test-output/browser');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export const BREDDER = {
  telefon: { width: 360, height: 740 },
  dator: { width: 1280, height: 900 },
} as const;

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: unknown[];
}

export async function launchChromium(): Promise<Browser> {
  mkdirSync(OUT, { recursive: true });
  return chromium.launch({
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
}

/**
 * Logs in through the local OIDC provider's development form (and its consent) as one of its demo users
 * (`registrator`, `handlaggare`, `lasare`, `utan`); the page must be on the provider's login form.
 */
export async function fillProviderLogin(page: Page, anvandare: string): Promise<void> {
  await page.locator('input[name="login"]').fill(anvandare);
  await page.locator('input[name="password"]').fill('demo');
  await page.locator('button[type="submit"]').click();
  await page.waitForLoadState();
  if (await page.locator('input[name="prompt"][value="consent"]').count()) {
    await page.locator('button[type="submit"]').click();
  }
}

/** A new browser context logged in as the demo user, left on `url` (an address under /kansli). */
export async function loginAs(
  browser: Browser,
  url: string,
  anvandare: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await fillProviderLogin(page, anvandare);
  await page.waitForURL(
    (u) => u.pathname.startsWith('/kansli/') && !u.pathname.startsWith('/kansli/inloggad'),
  );
  return { context, page };
}

/** What the checks found, written to `<OUT>/<file>` by `writeReport`. */
export class PageChecks {
  readonly axe: Record<string, { violations: { id: string; impact: string | null; nodes: number }[] }> = {};
  readonly bytes: Record<string, number> = {};

  constructor(private readonly prefix = 'kansli') {}

  /** The page at `url` at phone and desktop width: under 150 KB, no horizontal scroll, axe-core, screenshots. */
  async inspect(context: BrowserContext, url: string, namn: string, status = 200): Promise<void> {
    for (const [bredd, viewport] of Object.entries(BREDDER)) {
      const page: Page = await context.newPage();
      await page.setViewportSize(viewport);
      const res = await page.goto(url);
      expect(res?.status(), namn).toBe(status);
      const bytes = (await res?.body())?.byteLength ?? 0;
      this.bytes[namn] = bytes;
      expect(bytes, namn).toBeLessThan(150 * 1024);
      await this.checkOpen(page, `${namn}-${bredd}`);
      await page.close();
    }
  }

  /** The checks on a page already open (a result after a POST): scroll, axe-core and a screenshot. */
  async checkOpen(page: Page, namn: string): Promise<void> {
    const scroll = await page.evaluate<{ sw: number; cw: number }>(
      '({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth })',
    );
    expect(scroll.sw, `${namn}: horisontell rullning`).toBeLessThanOrEqual(scroll.cw);
    await page.screenshot({ path: path.join(OUT, `${this.prefix}-${namn}.png`), fullPage: true });
    await page.evaluate(AXE);
    const result = await page.evaluate<{ violations: AxeViolation[] }>(
      "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })",
    );
    this.axe[namn] = {
      violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })),
    };
    const allvarliga = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      allvarliga.map((v) => v.id),
      namn,
    ).toEqual([]);
  }

  async writeReport(file: string): Promise<void> {
    await writeFile(path.join(OUT, file), JSON.stringify({ axe: this.axe, bytes: this.bytes }, null, 2));
  }
}
