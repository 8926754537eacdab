import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byggArkivpaket } from '../../domain/arkiv/csip.js';
import { avslutaArende, verifieraArende } from '../../domain/diarium/kansli.js';
import { flyttaHandling } from '../../domain/diarium/flytta.js';
import { runDiariumCli } from '../../local/cli/diarium/main.js';
import { newHandling } from '../support/new-handling.js';
import { startDiariumDb, type DiariumDb, type TestMailSpec } from './diarium-support.js';
import { getAs, mailFactory, postForm, startKansliApp } from './kansli-support.js';
import { recordingIo } from '../support/cli-io.js';

let db: DiariumDb;
let app: Awaited<ReturnType<typeof startKansliApp>>;

beforeAll(async () => {
  db = await startDiariumDb();
  app = await startKansliApp(db);
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await db?.stop();
});

const mail = mailFactory('f', 'Flyttinsatsen');

/** A registered handling whose granskning is decided (a handling under granskning is not moved). */
async function avgjord(spec: TestMailSpec = mail()) {
  const o = await app.register(spec);
  await app.repo.updateHandling(
    o.handling.diarienummer,
    { granskning: 'godkand' },
    { handelse: 'granskning-avgjord', av: 'system', data: { handling: o.handling.diarienummer } },
  );
  return { spec, handling: o.handling };
}

const post = postForm;
const get = getAs;
const flyttaUrl = (dnr: string) => `${app.base}/kansli/handling/${encodeURIComponent(dnr)}/flytta`;
const arendeUrl = (dnr: string) => `${app.base}/kansli/arende/${encodeURIComponent(dnr)}`;
const REGISTRATOR = 'Test registrator <registrator@kansli.example> [test-registrator]';

describe('moving a handling to another ärende in the kansli app', () => {
  it('moves through the confirmation step: a new number in the target, a stub at the old one, both logs verified', async () => {
    const fran = await avgjord();
    const till = await avgjord();
    expect(till.handling.arende).not.toBe(fran.handling.arende);
    const s = await app.sessionFor('registrator');
    const form = await get(flyttaUrl(fran.handling.diarienummer), s);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('Flytta till ärende');

    const skal = 'Hör till <script>alert(1)</script> insatsens ärende';
    const steg1 = await post(flyttaUrl(fran.handling.diarienummer), s, {
      csrf: s.csrf,
      till: till.handling.arende,
      skal,
    });
    expect(steg1.status).toBe(200);
    const bekrafta = await steg1.text();
    expect(bekrafta).toContain(`Bekräfta flytt av ${fran.handling.diarienummer}`);
    expect(bekrafta).toContain(`${till.handling.arende}.2`);
    expect(bekrafta).not.toContain('<script>alert(1)</script>');
    // Nothing is moved before the confirmation.
    expect((await app.repo.getHandling(fran.handling.diarienummer))?.flyttad).toBeUndefined();

    const r = await post(flyttaUrl(fran.handling.diarienummer), s, {
      csrf: s.csrf,
      till: till.handling.arende,
      skal,
      steg: 'bekrafta',
      bekraftat: 'ja',
    });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe(
      `/kansli/arende/${encodeURIComponent(till.handling.arende)}?klart=flytta`,
    );
    const nytt = `${till.handling.arende}.2`;
    const flyttad = await app.repo.getHandling(nytt);
    expect(flyttad?.flyttadFran).toMatchObject({ fran: fran.handling.diarienummer, av: REGISTRATOR, skal });
    expect(flyttad?.filer.map((f) => f.sha256)).toEqual(fran.handling.filer.map((f) => f.sha256));
    expect(flyttad?.filer.map((f) => f.nyckel)).toEqual(fran.handling.filer.map((f) => f.nyckel));
    const stubb = await app.repo.getHandling(fran.handling.diarienummer);
    expect(stubb?.flyttad).toMatchObject({ till: nytt, av: REGISTRATOR, skal });
    expect(stubb?.filer).toEqual([]);

    for (const a of [fran.handling.arende, till.handling.arende]) {
      expect((await verifieraArende(app.repo, a)).avvikelser).toEqual([]);
      const logg = (await app.repo.getArendeDetaljer(a))!.logg.at(-1)!;
      expect(logg.av).toBe(REGISTRATOR);
      expect(logg.data['skal']).toBe(skal);
    }

    const tillSida = await (await get(`${app.base}${r.headers.get('location')}`, s)).text();
    expect(tillSida).toContain('Handlingen är flyttad och flytten är skriven i båda ärendenas logg.');
    expect(tillSida).toContain('Flyttad hit från');
    expect(tillSida).toContain('handling-inflyttad');
    expect(tillSida).toContain('Loggen är verifierad');
    expect(tillSida).not.toContain('<script>alert(1)</script>');
    const franSida = await (await get(arendeUrl(fran.handling.arende), s)).text();
    expect(franSida).toContain('Flyttad till');
    expect(franSida).toContain(nytt);
    expect(franSida).toContain('handling-flyttad');
    // The stub's status is where the handling went, not the granskning it had.
    expect(franSida).toContain(`<dt>Status</dt><dd>Flyttad till ${nytt}</dd>`);
    expect(franSida).toContain('Loggen är verifierad');
    // No action on the stub: its number is a reference now.
    expect(franSida).not.toContain(
      `/kansli/handling/${encodeURIComponent(fran.handling.diarienummer)}/makulera`,
    );

    // Searching for the old number finds the stub, which says where the handling is.
    const lista = await (
      await get(`${app.base}/kansli/diarium?q=${encodeURIComponent(fran.handling.diarienummer)}`, s)
    ).text();
    expect(lista).toContain(`flyttad till ${nytt}`);
    // The list has the new number too, from the same transaction as the move.
    const nyLista = await (await get(`${app.base}/kansli/diarium?q=${encodeURIComponent(nytt)}`, s)).text();
    expect(nyLista).toContain(`flyttad hit från ${fran.handling.diarienummer}`);
    // The same mail delivered again is the moved handling, not a new registration.
    const igen = await app.register(fran.spec);
    expect(igen.handling.diarienummer).toBe(nytt);
  });

  it('exports both ärenden to E-ARK: the stub without files at the old number, the handling with its files at the new', async () => {
    const fran = await avgjord();
    const till = await avgjord();
    const r = await flyttaHandling({ repo: app.repo }, fran.handling.diarienummer, {
      till: till.handling.arende,
      skal: 'Fel ärende',
      av: 'Test registrator [test-registrator]',
    });
    const deps = { repo: app.repo, documents: app.ingest.deps.store, scheman: [], programversion: 'test' };
    const text = (p: Awaited<ReturnType<typeof byggArkivpaket>>) =>
      p.filer.map((f) => `${f.sokvag}\n${new TextDecoder().decode(f.bytes)}`).join('\n');
    const franPaket = text(await byggArkivpaket(deps, fran.handling.arende));
    const tillPaket = text(await byggArkivpaket(deps, till.handling.arende));
    const fil = fran.handling.filer[0]!.filnamn;
    expect(franPaket).toContain(`flyttad-till:${r.flyttad.diarienummer}`);
    expect(franPaket).toContain('handling-flyttad');
    expect(tillPaket).toContain(`flyttad-fran:${fran.handling.diarienummer}`);
    expect(tillPaket).toContain('handling-inflyttad');
    expect(tillPaket).toContain(fil);
    expect(franPaket.split(fil).length).toBeLessThan(tillPaket.split(fil).length);
  });

  it('refuses every other action on the stub: its number only refers to the moved handling', async () => {
    const fran = await avgjord();
    const till = await avgjord();
    await flyttaHandling({ repo: app.repo }, fran.handling.diarienummer, {
      till: till.handling.arende,
      skal: 'Fel ärende',
      av: 'Test registrator [test-registrator]',
    });
    const s = await app.sessionFor('registrator');
    const r = await post(
      `${app.base}/kansli/handling/${encodeURIComponent(fran.handling.diarienummer)}/makulera`,
      s,
      {
        csrf: s.csrf,
        skal: 'Prov',
        bekraftat: 'ja',
      },
    );
    expect(r.status).toBe(409);
    expect(await r.text()).toContain(`är flyttad till ${till.handling.arende}.2`);
    expect((await app.repo.getHandling(fran.handling.diarienummer))?.makulerad).toBeNull();
  });

  it('answers a retried or concurrent identical move with the first one: one new number, one stub', async () => {
    const fran = await avgjord();
    const till = await avgjord();
    const s = await app.sessionFor('registrator');
    const form = {
      csrf: s.csrf,
      till: till.handling.arende,
      skal: 'Fel ärende',
      steg: 'bekrafta',
      bekraftat: 'ja',
    };
    const svar = await Promise.all([1, 2, 3].map(() => post(flyttaUrl(fran.handling.diarienummer), s, form)));
    expect(svar.map((r) => r.status)).toEqual([303, 303, 303]);
    expect((await post(flyttaUrl(fran.handling.diarienummer), s, form)).status).toBe(303);
    const d = (await app.repo.getArendeDetaljer(till.handling.arende))!;
    expect(d.arende.antalHandlingar).toBe(2);
    expect(d.handlingar.map((h) => h.diarienummer).sort()).toEqual([
      `${till.handling.arende}.1`,
      `${till.handling.arende}.2`,
    ]);
    expect(d.logg.filter((l) => l.handelse === 'handling-inflyttad')).toHaveLength(1);
    const f = (await app.repo.getArendeDetaljer(fran.handling.arende))!;
    expect(f.logg.filter((l) => l.handelse === 'handling-flyttad')).toHaveLength(1);
  });

  it('keeps numbers gap-free when a move and registrations into the target run at the same time, and two moves to different ärenden leave the handling in one', async () => {
    const fran = await avgjord();
    const a = await avgjord();
    const b = await avgjord();
    const av = 'Test registrator [test-registrator]';
    const results = await Promise.allSettled([
      flyttaHandling({ repo: app.repo }, fran.handling.diarienummer, {
        till: a.handling.arende,
        skal: 'x',
        av,
      }),
      flyttaHandling({ repo: app.repo }, fran.handling.diarienummer, {
        till: b.handling.arende,
        skal: 'y',
        av,
      }),
      ...[1, 2, 3, 4].map((i) =>
        app.repo.registerHandling(
          { typ: 'befintligt', diarienummer: a.handling.arende },
          newHandling(100 + i),
          `test#samtidig-${mail.antal}-${i}`,
        ),
      ),
    ]);
    const moves = results.slice(0, 2);
    expect(moves.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = moves.find((r) => r.status === 'rejected');
    expect(String(refused?.status === 'rejected' ? refused.reason : '')).toMatch(/redan flyttad/);
    const stubb = (await app.repo.getHandling(fran.handling.diarienummer))!;
    const hos = [a, b].filter((x) => stubb.flyttad!.till.startsWith(`${x.handling.arende}.`));
    expect(hos).toHaveLength(1);
    for (const x of [a, b]) {
      const d = (await app.repo.getArendeDetaljer(x.handling.arende))!;
      const nummer = d.handlingar.map((h) => h.handlingsnummer).sort((p, q) => p - q);
      expect(nummer).toEqual(Array.from({ length: d.arende.antalHandlingar }, (_, i) => i + 1));
      expect((await verifieraArende(app.repo, x.handling.arende)).avvikelser).toEqual([]);
    }
    expect((await app.repo.getArendeDetaljer(a.handling.arende))!.arende.antalHandlingar).toBe(
      hos[0] === a ? 6 : 5,
    );
  });

  it('refuses a move into a closed ärende, of a handling under granskning, without confirmation or to an unknown ärende, changing nothing', async () => {
    const s = await app.sessionFor('registrator');
    const fran = await avgjord();
    const stangt = await avgjord();
    await avslutaArende({ repo: app.repo, clock: () => new Date() }, stangt.handling.arende, {
      skal: 'Klart',
      av: 'Test',
    });
    const pagar = await app.register(mail());
    expect(pagar.handling.granskning).toBe('pagar');
    const oppet = await avgjord();
    const fall: [string, string, Record<string, string>, number, RegExp][] = [
      [fran.handling.diarienummer, stangt.handling.arende, { bekraftat: 'ja' }, 409, /är avslutat/],
      [pagar.handling.diarienummer, oppet.handling.arende, { bekraftat: 'ja' }, 409, /under granskning/],
      [fran.handling.diarienummer, oppet.handling.arende, { steg: 'bekrafta' }, 400, /Bekräfta flytten/],
      [fran.handling.diarienummer, 'SFG 26-9999', { bekraftat: 'ja' }, 409, /finns inte i diariet/],
      [fran.handling.diarienummer, fran.handling.arende, { bekraftat: 'ja' }, 409, /ligger redan i ärendet/],
    ];
    for (const [dnr, till, extra, status, fel] of fall) {
      const r = await post(flyttaUrl(dnr), s, { csrf: s.csrf, till, skal: 'Prov', ...extra });
      expect(r.status, `${dnr} → ${till}`).toBe(status);
      const text = await r.text();
      expect(text).toMatch(fel);
      expect(text).not.toMatch(/at .*\.ts:\d+/);
      expect((await app.repo.getHandling(dnr))?.flyttad).toBeUndefined();
    }
    expect((await app.repo.getArende(oppet.handling.arende))?.antalHandlingar).toBe(1);
  });

  it('refuses a läsare and a handläggare the move with 403, form included, and nothing changes', async () => {
    const fran = await avgjord();
    const till = await avgjord();
    for (const roll of ['lasare', 'handlaggare'] as const) {
      const s = await app.sessionFor(roll);
      expect((await get(flyttaUrl(fran.handling.diarienummer), s)).status).toBe(403);
      const r = await post(flyttaUrl(fran.handling.diarienummer), s, {
        csrf: s.csrf,
        till: till.handling.arende,
        skal: 'x',
        steg: 'bekrafta',
        bekraftat: 'ja',
      });
      expect(r.status).toBe(403);
      const sida = await (await get(arendeUrl(fran.handling.arende), s)).text();
      expect(sida).not.toContain('Flytta till annat ärende');
    }
    expect((await app.repo.getHandling(fran.handling.diarienummer))?.flyttad).toBeUndefined();
    expect((await app.repo.getArende(till.handling.arende))?.antalHandlingar).toBe(1);
  });
});

describe('notes on an ärende', () => {
  it('lets a handläggare add a note that is shown with name and time and logged; a läsare neither sees nor adds one', async () => {
    const o = await avgjord();
    const arende = o.handling.arende;
    const h = await app.sessionFor('handlaggare');
    const text = 'Ringt insatsägaren <script>alert(1)</script> om bilagan.';
    expect((await get(`${arendeUrl(arende)}/anteckning`, h)).status).toBe(200);
    const utan = await post(`${arendeUrl(arende)}/anteckning`, h, { csrf: h.csrf, text });
    expect(utan.status).toBe(400);
    const r = await post(`${arendeUrl(arende)}/anteckning`, h, { csrf: h.csrf, text, bekraftat: 'ja' });
    expect(r.status).toBe(303);
    const sida = await (await get(arendeUrl(arende), h)).text();
    expect(sida).toContain('Ringt insatsägaren &#60;script&#62;alert(1)&#60;/script&#62; om bilagan.');
    expect(sida).toContain('Test handlaggare &#60;handlaggare@kansli.example&#62; [test-handlaggare]');
    expect(sida).toContain('Loggen är verifierad');
    const logg = (await app.repo.getArendeDetaljer(arende))!.logg.at(-1)!;
    expect(logg.handelse).toBe('anteckning');
    expect(logg.av).toContain('[test-handlaggare]');
    expect(logg.data['text']).toBe(text);

    const l = await app.sessionFor('lasare');
    const lasSida = await (await get(arendeUrl(arende), l)).text();
    expect(lasSida).not.toContain('Ringt insatsägaren');
    expect(lasSida).not.toContain('Anteckningar');
    expect(lasSida).not.toContain('>anteckning<');
    expect((await get(`${arendeUrl(arende)}/anteckning`, l)).status).toBe(403);
    const fore = (await app.repo.getArendeDetaljer(arende))!.logg.length;
    const nej = await post(`${arendeUrl(arende)}/anteckning`, l, {
      csrf: l.csrf,
      text: 'x',
      bekraftat: 'ja',
    });
    expect(nej.status).toBe(403);
    expect((await app.repo.getArendeDetaljer(arende))!.logg.length).toBe(fore);
  });

  it('refuses an empty note in Swedish and a note without the CSRF token', async () => {
    const o = await avgjord();
    const s = await app.sessionFor('registrator');
    const tom = await post(`${arendeUrl(o.handling.arende)}/anteckning`, s, {
      csrf: s.csrf,
      text: ' ',
      bekraftat: 'ja',
    });
    expect(tom.status).toBe(400);
    expect(await tom.text()).toContain('Anteckningen måste ha en text.');
    const csrf = await post(`${arendeUrl(o.handling.arende)}/anteckning`, s, { text: 'x', bekraftat: 'ja' });
    expect(csrf.status).toBe(400);
    expect(
      (await app.repo.getArendeDetaljer(o.handling.arende))!.logg.some((e) => e.handelse === 'anteckning'),
    ).toBe(false);
  });
});

describe('npm run diarium -- flytta and anteckning', () => {
  const io = () => recordingIo({ repo: app.repo });

  it('moves with the same use case, answers a repeat with the first move, and refuses in one Swedish line with exit 1', async () => {
    const fran = await avgjord();
    const till = await avgjord();
    const args = [
      'flytta',
      fran.handling.diarienummer,
      '--till',
      till.handling.arende,
      '--skal',
      'Fel ärende',
      '--av',
      'Rut',
    ];
    const a = io();
    expect(await runDiariumCli(args, a.io)).toBe(0);
    expect(a.out.join('\n')).toContain(
      `${fran.handling.diarienummer} är flyttad till ${till.handling.arende}.2`,
    );
    const b = io();
    expect(await runDiariumCli(args, b.io)).toBe(0);
    expect(b.out.join('\n')).toContain('var redan flyttad');
    const c = io();
    expect(
      await runDiariumCli(
        ['flytta', `${till.handling.arende}.2`, '--till', till.handling.arende, '--skal', 'x', '--av', 'Rut'],
        c.io,
      ),
    ).toBe(1);
    expect(c.err).toEqual([
      `Handlingen ${till.handling.arende}.2 ligger redan i ärendet ${till.handling.arende}.`,
    ]);
    const d = io();
    expect(
      await runDiariumCli(['flytta', fran.handling.diarienummer, '--till', till.handling.arende], d.io),
    ).toBe(1);
    expect(d.err.join('\n')).toMatch(/^--skal saknas\./);
  });

  it('adds a note and lists the notes of an ärende', async () => {
    const o = await avgjord();
    const a = io();
    expect(
      await runDiariumCli(
        ['anteckning', o.handling.arende, '--text', 'Mejlat insatsägaren.', '--av', 'Hugo'],
        a.io,
      ),
    ).toBe(0);
    const b = io();
    expect(await runDiariumCli(['anteckning', o.handling.arende], b.io)).toBe(0);
    expect(b.out.join('\n')).toMatch(/Hugo\n {2}Mejlat insatsägaren\./);
    const c = io();
    expect(await runDiariumCli(['anteckning', 'SFG 26-9999', '--text', 'x', '--av', 'Hugo'], c.io)).toBe(1);
    expect(c.err).toEqual(['Ärendet SFG 26-9999 finns inte i diariet.']);
  });
});
