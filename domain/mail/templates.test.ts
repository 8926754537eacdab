import { describe, expect, it } from 'vitest';
import { kvittensMail, granskningsMail, mottagningsbevisMail, redanMottagenMail } from './templates.js';
import { newHandling } from '../../test/support/new-handling.js';
import type { Handling } from '../diarium/types.js';

const handling: Handling = {
  diarienummer: 'SFG 26-4.2',
  arende: 'SFG 26-4',
  handlingsnummer: 2,
  mottagen: '2026-11-23T22:59:59.000Z',
  ankomstdatum: '2026-11-23',
  ankomstAndrad: null,
  kalla: 'epost',
  kallaReferens: 's3://b/raw/x',
  avsandare: {
    namn: 'Åsa Öberg',
    epost: 'asa@ockelbo.example',
    kuvertAvsandare: null,
    organisation: 'Ockelbo kommun',
  },
  beskrivning: 'Slutrapport – Insats <Ä> – Ockelbo kommun',
  bedomning: 'ofullstandig',
  fel: [
    {
      kod: 'UPPGIFTSLAMNARE_SAKNAS',
      falt: 'uppgiftslamnare',
      meddelande: 'Avsnitt 8 Uppgiftslämnare saknas: ange datum och namn.',
    },
  ],
  varningar: [],
  filer: [
    {
      filnamn: 'rapport.docx',
      sha256: 'ab'.repeat(32),
      storlek: 10,
      typ: 'docx',
      nyckel: 'handlingar/x',
      rapport: true,
    },
  ],
  personnummer: [],
  sekretess: false,
  flaggor: [],
  granskning: 'ej-aktuell',
  makulerad: null,
  kvittens: null,
  rapport: { typ: 'ovrig' },
  registrerad: '2026-11-23T23:00:00.000Z',
};

describe('mails to senders and reviewers', () => {
  it('lists exactly what is missing and asks for a reply quoting the ärende', () => {
    const m = kvittensMail(handling, 'asa@ockelbo.example', { problem: [] });
    expect(m.subject).toContain('Komplettering behövs');
    expect(m.text).toContain('Avsnitt 8 Uppgiftslämnare saknas: ange datum och namn.');
    expect(m.text).toContain('behåll ämnesraden (den innehåller diarienumret SFG 26-4)');
    expect(m.subject).toMatch(/ \[Dnr SFG 26-4\]$/);
    expect(m.text).toContain(`rapport.docx (${'ab'.repeat(32)})`);
    expect(m.text).toContain('Mottagen:     2026-11-23 23:59');
  });

  it('escapes sender-controlled text in the HTML part and has no images', () => {
    const m = kvittensMail(handling, 'asa@ockelbo.example', { problem: [] });
    expect(m.html).toContain('Insats &#60;Ä&#62;');
    expect(m.html).not.toMatch(/<img/i);
  });

  it('gives each reviewer a personal link and says opening it changes nothing', () => {
    const m = granskningsMail({
      till: { namn: 'Maria Exempelsson', epost: 'maria@ovanaker.example' },
      handling: { ...handling, bedomning: 'komplett' },
      insatsnamn: 'Insats Ö',
      organisation: 'Ockelbo kommun',
      url: 'https://rapportflode.example/beslut/AAAAAAAAAAAAAAAAAAAAAA',
      giltigTill: '2026-12-07T12:00:00Z',
      paminnelse: false,
    });
    expect(m.to).toEqual(['maria@ovanaker.example']);
    expect(m.text).toContain('https://rapportflode.example/beslut/AAAAAAAAAAAAAAAAAAAAAA');
    expect(m.text).toContain('Att öppna länken ändrar ingenting');
    expect(m.html).toContain('href="https://rapportflode.example/beslut/AAAAAAAAAAAAAAAAAAAAAA"');
  });
});

describe('receipts for what is not a complete report', () => {
  const base = {
    diarienummer: 'SFG 26-7.1',
    arende: 'SFG 26-7',
    handlingsnummer: 1,
    registrerad: '2026-02-02T09:00:00.000Z',
  };

  it('gives an allmän handling a neutral receipt that does not speak of slutrapporter', () => {
    const h = { ...newHandling(7, { bedomning: 'olasbar', granskning: 'ej-aktuell' }), ...base };
    const m = mottagningsbevisMail(h, 'eva@example.org');
    expect(m.subject).toContain('Mottagningsbevis SFG 26-7.1');
    expect(`${m.subject}\n${m.text}`).not.toMatch(/slutrapport|komplettering/i);
    expect(m.text).toContain('allmän handling');
  });

  it('says one cause once: a reading problem replaces the generic "could not read" error', () => {
    const h = {
      ...newHandling(7, {
        bedomning: 'olasbar',
        fel: [{ kod: 'OLASBAR', falt: 'dokument', meddelande: 'Vi kunde inte läsa någon text i rapporten.' }],
      }),
      ...base,
    };
    const m = kvittensMail(h, 'eva@example.org', {
      problem: ['Bilagan saknas: meddelandet nämner en bifogad fil.'],
    });
    expect(m.text).toContain('Bilagan saknas');
    expect(m.text).not.toContain('Vi kunde inte läsa någon text');
  });

  it('says in the kvittens that a report was read from a scan', () => {
    const h = { ...newHandling(7, { flaggor: ['maskinlast'] }), ...base };
    expect(kvittensMail(h, 'eva@example.org', { problem: [] }).text).toContain('lästes från en skanning');
  });

  it('tells a sender who resent a document where the first one is', () => {
    const original = { ...newHandling(7), ...base };
    const kopia = { ...newHandling(8), ...base, diarienummer: 'SFG 26-7.2', handlingsnummer: 2 };
    const m = redanMottagenMail(kopia, original, 'eva@example.org');
    expect(m.text).toContain('redan tagit emot');
    expect(m.text).toContain('SFG 26-7.1');
  });
});
