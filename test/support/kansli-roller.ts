/**
 * Helpers of the browser tests of the kansli's roles, actions and security: test mail, the page checks on a
 * page that cannot be fetched again (a POST's answer, the login's 403), and keyboard-only navigation.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestMailSpec } from '../integration/diarium-support.js';
import { BREDDER, type PageChecks } from './kansli-browser.js';

/** A synthetic mail with a report; `prefix` keeps message ids apart between test files. */
export function mailFabrik(prefix: string): (extra?: Partial<TestMailSpec>) => TestMailSpec {
  let n = 0;
  return (extra = {}) => {
    n++;
    return {
      messageId: `${prefix}${n}@exempelby.example`,
      from: 'sara.provperson@exempelby.example',
      fromName: 'Sara Provperson',
      subject: `Slutrapport ${prefix} ${n}`,
      receivedAt: new Date(Date.now() - 3600_000).toISOString(),
      report: { insatsnamn: `Stegvis till arbete ${prefix} ${n}`, organisation: 'Exempelby kommun' },
      ...extra,
    };
  };
}

export const arendeUrl = (base: string, arende: string) =>
  `${base}/kansli/arende/${encodeURIComponent(arende)}`;
export const handlingUrl = (base: string, dnr: string, atgard: string) =>
  `${base}/kansli/handling/${encodeURIComponent(dnr)}/${atgard}`;

/**
 * The page checks on a page already open that cannot be fetched again (the answer to a POST, the login's
 * 403): its size, and scroll, axe-core and a screenshot at phone and desktop width.
 */
export async function checkBothWidths(checks: PageChecks, page: Page, namn: string): Promise<void> {
  const bytes = Buffer.byteLength(await page.content(), 'utf8');
  checks.bytes[namn] = bytes;
  expect(bytes, namn).toBeLessThan(150 * 1024);
  for (const [bredd, viewport] of Object.entries(BREDDER)) {
    await page.setViewportSize(viewport);
    await checks.checkOpen(page, `${namn}-${bredd}`);
  }
}

/** What has the keyboard focus: its tag, id and text (or value for a button/input). */
export async function fokus(page: Page): Promise<{ tag: string; id: string; text: string }> {
  return page.evaluate(
    "(() => { const a = document.activeElement; return { tag: a ? a.tagName.toLowerCase() : '', id: a ? a.id : '', text: a ? (a.textContent || '').trim() : '' }; })()",
  );
}

/** Presses Tab (only the keyboard) until the focused element matches; fails if it never does. */
export async function tabbaTill(
  page: Page,
  match: (f: { tag: string; id: string; text: string }) => boolean,
  beskrivning: string,
): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (match(await fokus(page))) return;
  }
  throw new Error(`Tangentbordet nådde aldrig ${beskrivning}`);
}
