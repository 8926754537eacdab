import { describe, expect, it } from 'vitest';
import { emptyHeaderFacts, type ExtractedMail } from '../extraction/types.js';
import { newHandling } from '../../test/support/new-handling.js';
import { hittaOriginal, kvittensMottagare } from './klassning-flode.js';
import type { Handling } from '../diarium/types.js';

function mail(over: Partial<ExtractedMail>): ExtractedMail {
  return {
    messageId: 'm@x',
    subject: 'VB: Slutrapport',
    from: { address: 'inner@tredje.example' },
    envelopeFrom: null,
    to: [],
    date: null,
    receivedAt: null,
    verdicts: { spf: 'pass', dkim: 'pass', dmarc: 'pass' },
    forwardedBy: null,
    headers: emptyHeaderFacts(),
    bodyText: '',
    attachments: [],
    report: null,
    problems: [],
    ...over,
  };
}

describe('who gets the kvittens of a forwarded mail', () => {
  const egna = ['kansli@finsamgavleborg.se'];

  it('answers the inner sender when our own address forwarded it and it passed SPF, DKIM and DMARC', () => {
    expect(kvittensMottagare(mail({ forwardedBy: { address: 'Kansli@finsamgavleborg.se' } }), egna)).toBe(
      'inner@tredje.example',
    );
  });

  it('answers the forwarder when it is someone else, so nobody can make us mail a third party', () => {
    expect(kvittensMottagare(mail({ forwardedBy: { address: 'vem@annan.example' } }), egna)).toBe(
      'vem@annan.example',
    );
  });

  it('answers the forwarder when our own address did not pass DMARC', () => {
    const m = mail({ forwardedBy: { address: 'kansli@finsamgavleborg.se' }, verdicts: { dmarc: 'fail' } });
    expect(kvittensMottagare(m, egna)).toBe('kansli@finsamgavleborg.se');
  });

  it('answers the sender of a mail that is not forwarded', () => {
    expect(kvittensMottagare(mail({}), egna)).toBe('inner@tredje.example');
  });
});

describe('finding the original of a resent document', () => {
  const h = (i: number, sha: string): Handling => ({
    ...newHandling(i, {
      filer: [
        {
          filnamn: 'meddelande.eml',
          sha256: `eml-${i}`,
          storlek: 1,
          typ: 'message/rfc822',
          nyckel: 'k',
          rapport: false,
        },
        { filnamn: 'Slutrapport.docx', sha256: sha, storlek: 1, typ: 'docx', nyckel: 'k', rapport: true },
      ],
    }),
    diarienummer: `SFG 26-1.${i}`,
    arende: 'SFG 26-1',
    handlingsnummer: i,
    registrerad: '2026-01-01T00:00:00.000Z',
  });

  it('finds the handling that holds the same file', () => {
    expect(hittaOriginal([h(1, 'aaa'), h(2, 'bbb')], ['bbb'])?.diarienummer).toBe('SFG 26-1.2');
  });

  it('finds nothing for a new file, or for no file at all', () => {
    expect(hittaOriginal([h(1, 'aaa')], ['ccc'])).toBeNull();
    expect(hittaOriginal([h(1, 'aaa')], [])).toBeNull();
  });
});
