import { describe, expect, it } from 'vitest';
import { emptyHeaderFacts, type MailHeaderFacts } from '../extraction/types.js';
import { besvaras, iPostlistan, klassa } from './klassa.js';
import type { InnehallFacts, KlassningInput } from './types.js';

function input(
  over: Partial<Omit<KlassningInput, 'header' | 'innehall'>> & {
    header?: Partial<MailHeaderFacts>;
    innehall?: Partial<InnehallFacts>;
  } = {},
): KlassningInput {
  return {
    from: 'anna@kommun.example',
    envelopeFrom: 'anna@kommun.example',
    subject: 'Hej',
    spam: false,
    egnaAdresser: ['kontakt@finsamgavleborg.se'],
    ...over,
    header: { ...emptyHeaderFacts(), ...over.header },
    innehall: {
      rapportFunnen: false,
      rapportAviserad: false,
      antalBilagor: 0,
      arendeReferens: null,
      svarPaVartMail: false,
      ...over.innehall,
    },
  };
}

const OPPET = { diarienummer: 'SFG 2026-0012', oppet: true, harSlutrapport: true };

describe('klassa', () => {
  it('never lets an automatic mail through, whatever it carries', () => {
    const rapport = { rapportFunnen: true };
    expect(klassa(input({ header: { autoSubmitted: 'auto-replied' }, innehall: rapport })).klass).toBe(
      'automatisk',
    );
    expect(klassa(input({ header: { autoSubmitted: 'auto-generated' } })).automatik).toBe('autosvar');
    expect(klassa(input({ header: { reportType: 'delivery-status' } })).automatik).toBe('studs');
    expect(klassa(input({ header: { reportType: 'disposition-notification' } })).automatik).toBe('laskvitto');
    expect(klassa(input({ from: 'MAILER-DAEMON@mx.example' })).automatik).toBe('studs');
    expect(klassa(input({ from: 'postmaster@mx.example' })).automatik).toBe('studs');
    expect(klassa(input({ from: 'no-reply@tjanst.example' })).automatik).toBe('systemavsandare');
    expect(klassa(input({ envelopeFrom: '' })).automatik).toBe('systemavsandare');
    expect(klassa(input({ from: 'Kontakt@finsamgavleborg.se' })).automatik).toBe('egen-adress');
    expect(klassa(input({ subject: 'Out of Office: Kvittens' })).automatik).toBe('autosvar');
    expect(klassa(input({ header: { autoReplyHeader: true } })).automatik).toBe('autosvar');
  });

  it('treats Auto-Submitted: no as a person writing', () => {
    expect(klassa(input({ header: { autoSubmitted: 'no' } })).klass).toBe('allman-handling');
  });

  it('keeps lists and bulk mail as of minor importance', () => {
    for (const precedence of ['bulk', 'list', 'junk'])
      expect(klassa(input({ header: { precedence } })).klass).toBe('ringa-betydelse');
    expect(klassa(input({ header: { listId: '<x.example>' } })).klass).toBe('ringa-betydelse');
    expect(klassa(input({ header: { listUnsubscribe: true } })).klass).toBe('ringa-betydelse');
  });

  it('holds spam', () => {
    expect(klassa(input({ spam: true, innehall: { rapportFunnen: true } })).klass).toBe('skrappost');
  });

  it('tells a report, a new version, a komplettering, a reply and an allmän handling apart', () => {
    expect(klassa(input({ innehall: { rapportFunnen: true } })).klass).toBe('slutrapport');
    expect(klassa(input({ innehall: { rapportFunnen: true, arendeReferens: OPPET } })).klass).toBe(
      'ny-version',
    );
    expect(
      klassa(
        input({ innehall: { rapportFunnen: true, arendeReferens: { ...OPPET, harSlutrapport: false } } }),
      ).klass,
    ).toBe('slutrapport');
    expect(klassa(input({ innehall: { antalBilagor: 1, arendeReferens: OPPET } })).klass).toBe(
      'komplettering',
    );
    expect(klassa(input({ innehall: { arendeReferens: OPPET } })).klass).toBe('svar-arende');
    expect(klassa(input({ innehall: { svarPaVartMail: true } })).klass).toBe('svar-arende');
    expect(klassa(input({ innehall: { rapportAviserad: true } })).klass).toBe('slutrapport');
    expect(klassa(input()).klass).toBe('allman-handling');
  });

  it('gives every decision a Swedish reason', () => {
    const k = klassa(input({ header: { precedence: 'bulk' } }));
    expect(k.orsak).toMatch(/massutskick/);
    expect(k.av).toBe('system');
  });

  it('answers people and keeps machines, lists and spam out of the postlista', () => {
    expect(besvaras('allman-handling')).toBe(true);
    expect(besvaras('automatisk')).toBe(false);
    expect(besvaras('ringa-betydelse')).toBe(false);
    expect(besvaras('skrappost')).toBe(false);
    expect(iPostlistan('ringa-betydelse')).toBe(false);
    expect(iPostlistan('svar-arende')).toBe(true);
  });
});
