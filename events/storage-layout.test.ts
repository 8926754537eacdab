import { describe, expect, it } from 'vitest';
import { INKORG_PREFIXES, arkivKey, inkorgOf, isSesSetupNotification, rawMailKey } from './storage-layout.js';

describe('the inbound bucket layout', () => {
  it('tells mail from uploads by key, and takes none of its own filed documents', () => {
    expect(inkorgOf(rawMailKey('abc'))).toBe('epost');
    expect(inkorgOf('uppladdat/Slutrapport.docx')).toBe('uppladdning');
    expect(inkorgOf(arkivKey('handling', 'aa', 'x.pdf'))).toBeNull();
    expect(inkorgOf(arkivKey('karantan', 'aa', 'x.pdf'))).toBeNull();
  });

  it('files a beslut among the handlingar, content-addressed', () => {
    expect(arkivKey('beslut', 'ff', 'Beslut SFG 26-4.1.txt')).toBe('handlingar/ff/Beslut SFG 26-4.1.txt');
    expect(arkivKey('karantan', 'ff', 'a.exe')).toBe('karantan/ff/a.exe');
  });

  it('has the inboxes the event rule and the reconciliation read', () => {
    expect(INKORG_PREFIXES).toEqual(['raw/', 'uppladdat/']);
  });

  it("recognises SES's setup notification object under the rule's prefix", () => {
    expect(isSesSetupNotification(rawMailKey('AMAZON_SES_SETUP_NOTIFICATION'))).toBe(true);
    expect(isSesSetupNotification(rawMailKey('abc123'))).toBe(false);
  });
});
