import { describe, expect, it } from 'vitest';
import { newHandling, tomRapport } from '../../test/support/new-handling.js';
import type { GranskningDeps as Deps } from './use-cases.js';
import type { LogEvent, MailSender, NewHandling, OutgoingMail, SkickadMail } from '../diarium/ports.js';
import type { Handling } from '../diarium/types.js';
import type { GranskningRepository } from './ports.js';
import type { Beslut, Granskning, Lank } from './types.js';
import { arkivKey } from '../../events/storage-layout.js';
import { finalizeGranskning, runGranskningStep, type GranskningDeps } from './use-cases.js';
import { hashLinkId } from './links.js';

const handling: Handling = {
  ...newHandling(1, {
    mottagen: '2026-03-02T09:00:00.000Z',
    kallaReferens: 's3://inbound/raw/abc',
    beskrivning: 'Slutrapport Stegvis till arbete',
    rapport: { typ: 'slutrapport', slutrapport: { ...tomRapport, insatsnamn: 'Stegvis till arbete' } },
  }),
  diarienummer: 'SFG 26-4.1',
  arende: 'SFG 26-4',
  handlingsnummer: 1,
  registrerad: '2026-03-02T09:00:01.000Z',
};

const beslut: Beslut = {
  granskningId: 'SFG-26-4-1',
  granskareId: 'karin',
  namn: 'Karin Prövare',
  organisation: 'Försäkringskassan',
  utfall: 'godkand',
  kommentar: null,
  tidpunkt: '2026-03-03T10:00:00.000Z',
};

/** An in-memory granskning store with the conditional semantics of the DynamoDB one. */
function memoryGranskningar(
  g: Granskning,
  givnaBeslut: Beslut[],
): GranskningRepository & { g: Granskning; links: Map<string, Lank>; slots: Map<string, string> } {
  const links = new Map<string, Lank>();
  const slots = new Map<string, string>();
  const repo = {
    g,
    links,
    slots,
    create: () => Promise.resolve(false),
    get: () => Promise.resolve(structuredClone(repo.g)),
    setTaskToken: () => Promise.resolve(),
    getTaskToken: () => Promise.resolve(null),
    putMemberLink: (steg: string, lank: Lank, _ttl: number, ersatter: string | null) => {
      const slot = `${lank.granskningId}#${steg}#${lank.granskareId}`;
      const held = slots.get(slot);
      if (held !== undefined && held !== ersatter)
        return Promise.resolve({ typ: 'finns' as const, hash: held });
      if (held === undefined && ersatter !== null) throw new Error('slot saknas');
      const old = ersatter === null ? undefined : links.get(ersatter);
      if (old?.anvand) return Promise.resolve({ typ: 'anvand' as const });
      if (old) links.set(old.hash, { ...old, giltigTill: new Date(0).toISOString() });
      links.set(lank.hash, lank);
      slots.set(slot, lank.hash);
      return Promise.resolve({ typ: 'skapad' as const });
    },
    getLink: (hash: string) => Promise.resolve(links.get(hash) ?? null),
    recordBeslut: () => Promise.resolve({ ok: true as const }),
    listBeslut: () => Promise.resolve(givnaBeslut),
    close: (_id: string, utfall: Granskning['utfall'] & string, nu: string) => {
      if (repo.g.status !== 'pagar') return Promise.resolve({ stangd: false, taskToken: null });
      repo.g = { ...repo.g, status: 'avgjord', utfall, avgjord: nu };
      return Promise.resolve({ stangd: true, taskToken: null });
    },
    listOpen: () => Promise.resolve([]),
    markUtfort: (_id: string, steg: string) => {
      if (repo.g.utfort?.includes(steg)) return Promise.resolve(false);
      repo.g = { ...repo.g, utfort: [...(repo.g.utfort ?? []), steg] };
      return Promise.resolve(true);
    },
  };
  return repo;
}

function setup(g: Partial<Granskning> = {}, givnaBeslut: Beslut[] = [beslut]) {
  const log: LogEvent[] = [];
  const registered: NewHandling[] = [];
  const sent: OutgoingMail[] = [];
  let failNextKansliMail = false;
  let arendeStatus: string | null = null;
  const diarium = {
    getHandling: () => Promise.resolve(handling),
    getArendeDetaljer: () => Promise.resolve(null),
    getArende: () => Promise.resolve(arendeStatus ? { status: arendeStatus } : null),
    appendLog: (_a: string, l: LogEvent) => {
      log.push(l);
      return Promise.resolve();
    },
    updateHandling: (_d: string, _c: unknown, l: LogEvent) => {
      log.push(l);
      return Promise.resolve(handling);
    },
    updateArendeStatus: (_d: string, _s: unknown, l: LogEvent) => {
      log.push(l);
      return Promise.resolve();
    },
    registerHandling: (_t: unknown, nh: NewHandling) => {
      // Idempotent per source key, as the real diarium.
      if (registered.length === 0) registered.push(nh);
      return Promise.resolve({
        handling: { ...handling, diarienummer: 'SFG 26-4.2', handlingsnummer: 2 },
        skapad: registered.length === 1,
      });
    },
  } as unknown as Deps['diarium'];
  const documents = new Map<string, { bytes: Uint8Array; contentType: string }>();
  const puts: string[] = [];
  const unreachable = new Set<string>();
  const mailer: MailSender = {
    send: (m) => {
      if (m.to.some((t) => unreachable.has(t))) return Promise.reject(new Error('SES throttled'));
      if (failNextKansliMail && m.to.includes('kansli@finsamgavleborg.example')) {
        failNextKansliMail = false;
        return Promise.reject(new Error('SES throttled'));
      }
      sent.push(m);
      return Promise.resolve({ messageId: String(sent.length) });
    },
  };
  const granskningar = memoryGranskningar(
    {
      id: 'SFG-26-4-1',
      handling: handling.diarienummer,
      arende: handling.arende,
      status: 'pagar',
      startad: '2026-03-02T09:00:02.000Z',
      steg: 'notifiera',
      utfall: null,
      avgjord: null,
      granskare: [],
      ...g,
    },
    givnaBeslut,
  );
  const deps: Omit<GranskningDeps, 'callback'> = {
    diarium,
    granskningar,
    mailer,
    documents: {
      file: (arkiv, d) => {
        const key = arkivKey(arkiv, d.sha256, d.filnamn);
        puts.push(key);
        documents.set(key, { bytes: d.bytes, contentType: d.contentType });
        return Promise.resolve(key);
      },
    },
    clock: () => new Date('2026-03-03T10:00:01.000Z'),
    config: {
      beredningsgrupp: [],
      policy: { typ: 'forsta' },
      publicBaseUrl: 'https://x.example',
      linkTtlSeconds: 3600,
      forbundschefEmail: 'fc@x.example',
      kansliEmail: 'kansli@finsamgavleborg.example',
    },
  };
  return {
    deps,
    log,
    sent,
    registered,
    granskningar,
    unreachable,
    documents,
    puts,
    failKansli: () => (failNextKansliMail = true),
    closeArende: () => (arendeStatus = 'avslutat'),
  };
}

const input = (utfall: 'godkand' | 'komplettering' | 'inget-beslut' | 'ersatt') => ({
  diarienummer: handling.diarienummer,
  arende: handling.arende,
  granskningId: 'SFG-26-4-1',
  beslut: { utfall, beslut: utfall === 'inget-beslut' ? [] : [beslut] },
});

describe('finalizeGranskning', () => {
  it('ends a replaced granskning without a decision: each member told once of the new version, nothing filed', async () => {
    const ersatt = { ...handling, flaggor: ['ersatt-av:SFG 26-4.3'] };
    const granskare = [
      { id: 'karin', namn: 'Karin Prövare', epost: 'karin@fk.example', organisation: 'Försäkringskassan' },
      { id: 'johan', namn: 'Johan Demosson', epost: 'johan@af.example', organisation: 'Arbetsförmedlingen' },
    ];
    const s = setup({ status: 'avgjord', utfall: 'ersatt', granskare }, []);
    s.deps.diarium.getHandling = () => Promise.resolve(ersatt);
    s.unreachable.add('johan@af.example');
    await expect(finalizeGranskning(s.deps, input('ersatt'))).rejects.toThrow('SES throttled');
    s.unreachable.clear();
    expect(await finalizeGranskning(s.deps, input('ersatt'))).toEqual({
      utfall: 'ersatt',
      beslutshandling: null,
    });
    await finalizeGranskning(s.deps, input('ersatt'));
    expect(s.sent.map((m) => m.to[0])).toEqual(['karin@fk.example', 'johan@af.example']);
    expect(s.sent[0]?.text).toContain('Rapporten har ersatts av en ny version (SFG 26-4.3)');
    // No decision, no ärende status (the new version's granskning owns it), no mail to insatsägare or kansli.
    expect(s.registered).toEqual([]);
    expect(s.log.map((l) => l.handelse)).toEqual(['granskning-avslutad']);
  });

  it('sends no mail twice and doubles no audit entry when the Lambda is retried after a failure', async () => {
    const s = setup();
    s.failKansli();
    await expect(finalizeGranskning(s.deps, input('godkand'))).rejects.toThrow('SES throttled');
    expect(s.sent.map((m) => m.to[0])).toEqual(['sara.provperson@exempelby.example']);
    const retry = await finalizeGranskning(s.deps, input('godkand'));
    expect(retry).toEqual({ utfall: 'godkand', beslutshandling: 'SFG 26-4.2' });
    await finalizeGranskning(s.deps, input('godkand'));
    expect(s.sent.map((m) => m.to[0])).toEqual([
      'sara.provperson@exempelby.example',
      'kansli@finsamgavleborg.example',
    ]);
    expect(s.log.map((l) => l.handelse)).toEqual(['granskning-avslutad', 'arende-status']);
    expect(s.registered).toHaveLength(1);
    expect(s.sent[0]?.text).toContain('SFG 26-4.2');
    // The documents (text and PDF) are written again on every retry, to the same content-addressed keys: two objects.
    expect(s.puts).toHaveLength(6);
    expect(new Set(s.puts).size).toBe(2);
  });

  it('files the decision as a document of the upprättad handling: outcome, rule and every answer', async () => {
    const s = setup({}, [
      beslut,
      {
        ...beslut,
        granskareId: 'olle',
        namn: 'Olle Granskare',
        organisation: 'Region Gävleborg',
        utfall: 'komplettering',
        kommentar: 'Avsnitt 5 saknar resultat.',
        tidpunkt: '2026-03-03T10:30:00.000Z',
      },
    ]);
    await finalizeGranskning(s.deps, input('godkand'));
    const [key, doc] = [...s.documents.entries()][0]!;
    const text = new TextDecoder().decode(doc.bytes);
    expect(doc.contentType).toBe('text/plain; charset=utf-8');
    expect(text).toContain('BESLUT');
    expect(text).toContain('Ärende: SFG 26-4');
    expect(text).toContain('Avser: slutrapport SFG 26-4.1, inkommen 2026-03-02');
    expect(text).toContain('Insats: Stegvis till arbete');
    expect(text).toContain('Beredningsgruppen godkänner slutrapporten.');
    expect(text).toContain('Beslutsregel: Det första svaret från en ledamot avgör.');
    expect(text).toContain('2026-03-03 11:00  Karin Prövare, Försäkringskassan: Godkänd');
    expect(text).toContain(
      '2026-03-03 11:30  Olle Granskare, Region Gävleborg: Komplettering – ”Avsnitt 5 saknar resultat.”',
    );
    expect(s.registered[0]?.filer).toEqual([
      {
        filnamn: 'Beslut SFG 26-4.1.txt',
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
        storlek: doc.bytes.length,
        typ: 'text',
        nyckel: key,
        rapport: false,
      },
      {
        filnamn: 'Beslut SFG 26-4.1.pdf',
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
        storlek: expect.any(Number) as unknown,
        typ: 'pdf',
        nyckel: expect.stringMatching(/\/Beslut SFG 26-4\.1\.pdf$/) as unknown,
        rapport: false,
      },
    ]);
    expect(key).toBe(`handlingar/${s.registered[0]!.filer[0]!.sha256}/Beslut SFG 26-4.1.txt`);
  });

  it('files the decision as a PDF too: fonts embedded, the text extractable, the same bytes on a retry', async () => {
    const s = setup({}, [beslut]);
    await finalizeGranskning(s.deps, input('godkand'));
    await finalizeGranskning(s.deps, input('godkand'));
    const pdfs = [...s.documents.values()].filter((d) => d.contentType === 'application/pdf');
    expect(pdfs).toHaveLength(1);
    const bytes = pdfs[0]!.bytes;
    expect(Buffer.from(bytes).toString('latin1')).toMatch(/\/FontFile2/);
    const { extractText, getDocumentProxy } = await import('unpdf');
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true });
    for (const want of [
      'Samordningsförbund Gävleborg',
      'BESLUT',
      'Ärende: SFG 26-4',
      'Beredningsgruppen godkänner slutrapporten.',
      'Beslutsregel: Det första svaret från en ledamot avgör.',
      'Karin Prövare, Försäkringskassan: Godkänd',
    ])
      expect(text).toContain(want);
  });

  it('keeps a decision reached as the last wait timed out, rather than "inget beslut"', async () => {
    const s = setup({ status: 'avgjord', utfall: 'godkand', avgjord: '2026-03-03T10:00:00.000Z' });
    const res = await finalizeGranskning(s.deps, input('inget-beslut'));
    expect(res.utfall).toBe('godkand');
    expect(s.sent.map((m) => m.subject)).toEqual([
      'Slutrapport godkänd – SFG 26-4.1 [Dnr SFG 26-4]',
      'Slutrapport godkänd – SFG 26-4.1 [Dnr SFG 26-4]',
    ]);
    expect(s.registered[0]?.rapport).toMatchObject({ typ: 'beslut', utfall: 'godkand', beslut: [beslut] });
  });

  it('leaves an ärende the kansli closed closed when its granskning ends, and still logs the outcome', async () => {
    const s = setup();
    s.closeArende();
    const res = await finalizeGranskning(s.deps, input('godkand'));
    expect(res.utfall).toBe('godkand');
    expect(s.log.map((l) => l.handelse)).not.toContain('arende-status');
    expect(s.log.map((l) => l.handelse)).toContain('granskning-avslutad');
  });

  it('closes an unanswered granskning without a decision and tells only the kansli', async () => {
    const s = setup({}, []);
    const res = await finalizeGranskning(s.deps, input('inget-beslut'));
    expect(res.utfall).toBe('inget-beslut');
    expect(s.granskningar.g.status).toBe('avgjord');
    expect(s.sent.map((m) => m.to)).toEqual([['kansli@finsamgavleborg.example']]);
    expect(s.registered[0]?.beskrivning).toBe('Granskning av SFG 26-4.1 avslutad utan beslut');
  });
});

describe('runGranskningStep', () => {
  const grupp = ['anna', 'bo', 'cecilia'].map((id) => ({
    id,
    namn: id,
    epost: `${id}@exempelby.example`,
    organisation: 'Exempelby kommun',
  }));

  it('mails the rest of the beredningsgrupp when one mail fails, and the retry mails only the one missing', async () => {
    const s = setup({}, []);
    s.deps.config.beredningsgrupp = grupp;
    const callback = { sendSuccess: () => Promise.resolve('ok' as const) };
    s.unreachable.add('bo@exempelby.example');
    const input = {
      diarienummer: handling.diarienummer,
      arende: handling.arende,
      granskningId: 'SFG-26-4-1',
    };
    await expect(runGranskningStep({ ...s.deps, callback }, 'notifiera', 'token-1', input)).rejects.toThrow(
      'SES throttled',
    );
    expect(s.sent.map((m) => m.to[0]).sort()).toEqual([
      'anna@exempelby.example',
      'cecilia@exempelby.example',
    ]);
    expect(s.granskningar.g.utfort?.sort()).toEqual(['notifiera:mail:anna', 'notifiera:mail:cecilia']);
    expect(s.log).toHaveLength(0);

    s.unreachable.clear();
    await runGranskningStep({ ...s.deps, callback }, 'notifiera', 'token-2', input);
    expect(s.sent.map((m) => m.to[0]).sort()).toEqual([
      'anna@exempelby.example',
      'bo@exempelby.example',
      'cecilia@exempelby.example',
    ]);
    expect(s.log.map((l) => l.handelse)).toEqual(['granskning-startad', 'arende-status']);
  });

  const stepInput = {
    diarienummer: handling.diarienummer,
    arende: handling.arende,
    granskningId: 'SFG-26-4-1',
  };

  it('notes the SES message id of each invitation and of the beslut notices, against the handling', async () => {
    // The members as the granskning recorded them at its start: each is told the outcome.
    const s = setup({
      granskare: grupp
        .slice(0, 2)
        .map(({ id, namn, epost, organisation }) => ({ id, namn, epost, organisation })),
    });
    s.deps.config.beredningsgrupp = grupp.slice(0, 2);
    const noted: SkickadMail[] = [];
    const skickadeMail = {
      recordSentMail: (m: SkickadMail) => {
        noted.push(m);
        return Promise.resolve();
      },
      findSentMail: () => Promise.resolve(null),
      markMailHandelse: () => Promise.resolve(true),
    };
    const callback = { sendSuccess: () => Promise.resolve('ok' as const) };
    await runGranskningStep({ ...s.deps, skickadeMail, callback }, 'notifiera', 'token-1', stepInput);
    await finalizeGranskning({ ...s.deps, skickadeMail }, input('godkand'));
    expect(noted.map((m) => [m.slag, m.mottagare[0]]).sort()).toEqual([
      ['granskning', 'anna@exempelby.example'],
      ['granskning', 'bo@exempelby.example'],
      // Every member is told the outcome (issue 17), beside the insatsägare and the kansli.
      ['utfall', 'anna@exempelby.example'],
      ['utfall', 'bo@exempelby.example'],
      ['utfall', 'kansli@finsamgavleborg.example'],
      ['utfall', 'sara.provperson@exempelby.example'],
    ]);
    expect(new Set(noted.map((m) => m.meddelandeId)).size).toBe(6);
    expect(noted.every((m) => m.diarienummer === handling.diarienummer)).toBe(true);
  });

  it('a note that cannot be written does not fail the step (that would mail everyone again)', async () => {
    const s = setup({}, []);
    s.deps.config.beredningsgrupp = grupp.slice(0, 1);
    const skickadeMail = {
      recordSentMail: () => Promise.reject(new Error('DynamoDB throttled')),
      findSentMail: () => Promise.resolve(null),
      markMailHandelse: () => Promise.resolve(true),
    };
    const callback = { sendSuccess: () => Promise.resolve('ok' as const) };
    await runGranskningStep({ ...s.deps, skickadeMail, callback }, 'notifiera', 'token-1', stepInput);
    expect(s.sent).toHaveLength(1);
    expect(s.granskningar.g.utfort).toContain('notifiera:mail:anna');
  });
  const linkIn = (m: OutgoingMail) => /\/beslut\/(\S+)/.exec(m.text)?.[1] ?? '';

  it('sends a released held mail its kvittens once, in the first step; never a forward, never a normal one', async () => {
    const input = {
      diarienummer: handling.diarienummer,
      arende: handling.arende,
      granskningId: 'SFG-26-4-1',
    };
    const callback = { sendSuccess: () => Promise.resolve('ok' as const) };
    const kvittenser = async (flaggor: string[]) => {
      const s = setup({}, []);
      s.deps.diarium.getHandling = () => Promise.resolve({ ...handling, flaggor });
      await runGranskningStep({ ...s.deps, callback }, 'notifiera', 'token-1', input);
      await runGranskningStep({ ...s.deps, callback }, 'notifiera', 'token-2', input);
      return s.sent.filter((m) => m.subject.startsWith(`Kvittens ${handling.diarienummer}`)).map((m) => m.to);
    };
    expect(await kvittenser(['dmarc'])).toEqual([['sara.provperson@exempelby.example']]);
    expect(await kvittenser(['spam'])).toHaveLength(1);
    expect(await kvittenser(['dmarc', 'vidarebefordrad'])).toEqual([]);
    expect(await kvittenser(['sekretessprovning'])).toEqual([]);
  });

  it('ends as replaced at its first step when a new version came first: nobody invited, nobody told', async () => {
    const s = setup({}, []);
    s.deps.config.beredningsgrupp = grupp;
    s.deps.diarium.getHandling = () => Promise.resolve({ ...handling, flaggor: ['ersatt-av:SFG 26-4.3'] });
    const resumed: unknown[] = [];
    const callback = {
      sendSuccess: (_t: string, out: unknown) => {
        resumed.push(out);
        return Promise.resolve('ok' as const);
      },
    };
    await runGranskningStep({ ...s.deps, callback }, 'notifiera', 'token-1', stepInput);
    expect(s.sent).toEqual([]);
    expect(s.granskningar.links.size).toBe(0);
    expect(s.granskningar.g).toMatchObject({ status: 'avgjord', utfall: 'ersatt' });
    expect(resumed).toEqual([{ utfall: 'ersatt', beslut: [] }]);

    // Its finalize marks the handling and mails no member: none was shown the report.
    s.granskningar.g = { ...s.granskningar.g, granskare: grupp };
    await finalizeGranskning(s.deps, {
      ...stepInput,
      beslut: { utfall: 'ersatt', beslut: [] },
    });
    expect(s.sent).toEqual([]);
    expect(s.log.map((l) => l.handelse)).toEqual(['granskning-avslutad']);
  });

  it('a replay after the mails were marked sent creates no link and sends nothing', async () => {
    const s = setup({}, []);
    s.deps.config.beredningsgrupp = grupp;
    const callback = { sendSuccess: () => Promise.resolve('ok' as const) };
    await runGranskningStep({ ...s.deps, callback }, 'notifiera', 'token-1', stepInput);
    expect(s.sent).toHaveLength(3);
    const links = new Map(s.granskningar.links);
    await runGranskningStep({ ...s.deps, callback }, 'notifiera', 'token-2', stepInput);
    expect(s.sent).toHaveLength(3);
    expect(s.granskningar.links).toEqual(links);
  });

  it('a crash between a send and its mark: the replay mails that member a fresh link and revokes the old', async () => {
    const s = setup({}, []);
    s.deps.config.beredningsgrupp = grupp;
    const callback = { sendSuccess: () => Promise.resolve('ok' as const) };
    await runGranskningStep({ ...s.deps, callback }, 'notifiera', 'token-1', stepInput);
    // As if the process died after SES accepted bo's mail but before it was marked sent.
    s.granskningar.g = {
      ...s.granskningar.g,
      utfort: s.granskningar.g.utfort?.filter((u) => u !== 'notifiera:mail:bo'),
    };
    const first = s.sent.find((m) => m.to[0] === 'bo@exempelby.example')!;
    await runGranskningStep({ ...s.deps, callback }, 'notifiera', 'token-2', stepInput);
    const toBo = s.sent.filter((m) => m.to[0] === 'bo@exempelby.example');
    expect(s.sent).toHaveLength(4);
    expect(toBo).toHaveLength(2);
    const oldLink = s.granskningar.links.get(hashLinkId(linkIn(first)))!;
    const newLink = s.granskningar.links.get(hashLinkId(linkIn(toBo[1]!)))!;
    expect(oldLink.giltigTill).toBe('1970-01-01T00:00:00.000Z');
    expect(newLink.giltigTill > '2026').toBe(true);
    expect([...s.granskningar.slots.values()]).toHaveLength(3);
    expect(s.granskningar.g.utfort).toContain('notifiera:mail:bo');
  });

  it('a member who already answered with the old link is not mailed again by the replay', async () => {
    const s = setup({}, []);
    s.deps.config.beredningsgrupp = grupp;
    const callback = { sendSuccess: () => Promise.resolve('ok' as const) };
    await runGranskningStep({ ...s.deps, callback }, 'notifiera', 'token-1', stepInput);
    s.granskningar.g = {
      ...s.granskningar.g,
      utfort: s.granskningar.g.utfort?.filter((u) => u !== 'notifiera:mail:bo'),
    };
    for (const [h, l] of s.granskningar.links) {
      if (l.granskareId === 'bo') s.granskningar.links.set(h, { ...l, anvand: '2026-03-03T10:00:00.000Z' });
    }
    await runGranskningStep({ ...s.deps, callback }, 'notifiera', 'token-2', stepInput);
    expect(s.sent).toHaveLength(3);
    expect(s.granskningar.g.utfort).toContain('notifiera:mail:bo');
  });
});
