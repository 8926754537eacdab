import { describe, expect, it } from 'vitest';
import { hanteraMailHandelse, type MailHandelse, type MailHandelseDeps } from './mail-handelse.js';
import type { HandlingChange, LogEvent, OutgoingMail, SkickadMail } from './ports.js';
import type { Handling } from './types.js';

const KANSLI = 'kansli@finsamgavleborg.example';

function handling(): Handling {
  return {
    diarienummer: 'SFG 26-4.1',
    arende: 'SFG 26-4',
    handlingsnummer: 1,
    mottagen: '2026-11-23T09:00:00.000Z',
    ankomstdatum: '2026-11-23',
    ankomstAndrad: null,
    kalla: 'epost',
    kallaReferens: 's3://b/raw/x',
    avsandare: { namn: null, epost: 'saknas@exempel.se', kuvertAvsandare: null, organisation: null },
    beskrivning: 'Slutrapport – Stegvis till arbete',
    bedomning: 'komplett',
    fel: [],
    varningar: [],
    filer: [],
    personnummer: [],
    sekretess: false,
    flaggor: ['vidarebefordrad'],
    granskning: 'pagar',
    makulerad: null,
    kvittens: { skickad: '2026-11-23T09:00:05.000Z', meddelandeId: 'ses-1' },
    rapport: { typ: 'ovrig' },
    registrerad: '2026-11-23T09:00:01.000Z',
  };
}

/** The ports in memory: one handling, the sent-mail notes, the log entries and the mail sent. */
function fake(sentMail: SkickadMail[]) {
  let h = handling();
  const utfort = new Map<string, string[]>();
  const logg: LogEvent[] = [];
  const mails: OutgoingMail[] = [];
  const notImplemented = () => Promise.reject(new Error('används inte'));
  const deps: MailHandelseDeps = {
    diarium: {
      findSentMail: (id) => {
        const m = sentMail.find((s) => s.meddelandeId === id);
        return Promise.resolve(m ? { ...m, utfort: [...(utfort.get(id) ?? [])] } : null);
      },
      markMailHandelse: (id, steg) => {
        const done = utfort.get(id) ?? [];
        if (done.includes(steg)) return Promise.resolve(false);
        utfort.set(id, [...done, steg]);
        return Promise.resolve(true);
      },
      recordSentMail: notImplemented,
      getHandling: (dnr) => Promise.resolve(dnr === h.diarienummer ? h : null),
      updateHandling: (_dnr: string, change: HandlingChange, log: LogEvent, guard) => {
        guard?.(h);
        h = { ...h, ...change };
        logg.push(log);
        return Promise.resolve(h);
      },
      updateArendeStatus: notImplemented,
      appendLog: notImplemented,
      getLogHuvud: notImplemented,
      getArende: notImplemented,
      getArenden: notImplemented,
      getArendeDetaljer: notImplemented,
      findArendeByInsatsnyckel: notImplemented,
      listDiarium: notImplemented,
    },
    mailer: {
      send: (m) => {
        mails.push(m);
        return Promise.resolve({ messageId: `kansli-${mails.length}` });
      },
    },
    config: { kansliEmail: KANSLI },
    log: () => undefined,
  };
  return { deps, logg, mails, handling: () => h };
}

const kvittens: SkickadMail = {
  meddelandeId: 'ses-1',
  diarienummer: 'SFG 26-4.1',
  slag: 'kvittens',
  mottagare: ['saknas@exempel.se'],
  skickad: '2026-11-23T09:00:05.000Z',
};

const studs: MailHandelse = {
  typ: 'studs',
  meddelandeId: 'ses-1',
  mottagare: ['saknas@exempel.se'],
  orsak: 'Permanent/General: smtp; 550 5.1.1 user unknown',
};

describe('hanteraMailHandelse', () => {
  it('notes a bounced kvittens: flag, log entry, one notice to the kansli', async () => {
    const f = fake([kvittens]);
    expect(await hanteraMailHandelse(f.deps, studs)).toBe('noterad');
    expect(f.handling().flaggor).toEqual(['vidarebefordrad', 'studsad']);
    expect(f.logg).toHaveLength(1);
    expect(f.logg[0]).toMatchObject({
      handelse: 'mail-studsade',
      av: 'system',
      data: {
        handling: 'SFG 26-4.1',
        slag: 'kvittens',
        text: 'Kvittensen kunde inte levereras till saknas@exempel.se: Permanent/General: smtp; 550 5.1.1 user unknown',
      },
    });
    expect(f.mails).toHaveLength(1);
    const notice = f.mails[0]!;
    expect(notice.to).toEqual([KANSLI]);
    expect(notice.subject).toContain('SFG 26-4.1');
    expect(notice.text).toContain('saknas@exempel.se');
    expect(notice.text).toContain('Kontakta avsändaren på annat sätt');
  });

  it('does nothing new for a repeated event', async () => {
    const f = fake([kvittens]);
    await hanteraMailHandelse(f.deps, studs);
    expect(await hanteraMailHandelse(f.deps, studs)).toBe('redan-noterad');
    expect(f.logg).toHaveLength(1);
    expect(f.mails).toHaveLength(1);
    expect(f.handling().flaggor).toEqual(['vidarebefordrad', 'studsad']);
  });

  it('ignores a message id it does not know', async () => {
    const f = fake([kvittens]);
    expect(await hanteraMailHandelse(f.deps, { ...studs, meddelandeId: 'annat' })).toBe('okand');
    expect(f.logg).toHaveLength(0);
    expect(f.mails).toHaveLength(0);
  });

  it('notes a complaint about a reviewer invitation with its own flag', async () => {
    const f = fake([{ ...kvittens, slag: 'granskning', mottagare: ['ledamot@exempel.se'] }]);
    const r = await hanteraMailHandelse(f.deps, {
      typ: 'klagomal',
      meddelandeId: 'ses-1',
      mottagare: ['ledamot@exempel.se'],
      orsak: 'abuse',
    });
    expect(r).toBe('noterad');
    expect(f.handling().flaggor).toContain('klagomal');
    expect(f.logg[0]?.handelse).toBe('mail-klagomal');
    expect(f.mails).toHaveLength(1);
    expect(f.mails[0]!.subject).toContain('skräppost');
  });

  it('never mails the address that bounced, not even when it is the kansli', async () => {
    const f = fake([{ ...kvittens, slag: 'kansli-avisering', mottagare: [KANSLI] }]);
    expect(await hanteraMailHandelse(f.deps, { ...studs, mottagare: [KANSLI] })).toBe('noterad');
    expect(f.handling().flaggor).toContain('studsad');
    expect(f.mails).toHaveLength(0);
  });
});
