import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runInsatserImport } from '../../local/cli/insatser-import.js';
import { verifyChain } from '../../domain/diarium/audit.js';
import { startDiariumDb, type DiariumDb } from './diarium-support.js';
import { getAs, postForm, startKansliApp } from './kansli-support.js';
import { recordingIo } from '../support/cli-io.js';

let db: DiariumDb;
let app: Awaited<ReturnType<typeof startKansliApp>>;

beforeAll(async () => {
  db = await startDiariumDb();
}, 120_000);

// A fresh table per test: the register is one per table.
beforeEach(async () => {
  await app?.stop();
  app = await startKansliApp(db);
  await app.repo.importArende(
    {
      serie: 'SFG',
      ar: 24,
      nummer: 3,
      arendemening: 'Samverkansmedel – Stegvis till arbete – Exempelby kommun',
      insatsId: 'stegvis',
      insatsnyckel: 'insats:stegvis',
    },
    'test',
  );
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await db?.stop();
});

const REGISTRATOR = 'Test registrator <registrator@kansli.example> [test-registrator]';

const post = postForm;
const get = getAs;

const STEGVIS = {
  namn: 'Stegvis till arbete',
  organisation: 'Exempelby kommun',
  arende: 'SFG 24-3',
  beviljadeMedel: '2 458 000 kr',
  insatstidSlut: '2026-09-30',
  kontakt: 'sara.provperson@exempelby.example',
};

async function laggTill(s: { cookie: string; csrf: string }, extra: Record<string, string> = {}) {
  const r = await post(`${app.base}/kansli/insatser/ny`, s, {
    csrf: s.csrf,
    id: 'stegvis',
    ...STEGVIS,
    bekraftat: 'ja',
    ...extra,
  });
  expect(r.status, await r.clone().text()).toBe(303);
}

describe('the insats register in the kansli app', () => {
  it('adds an insats: the table shows it with kronor, dates and the due date, and both logs name the person', async () => {
    const s = await app.sessionFor('registrator');
    await laggTill(s);
    const sida = await (await get(`${app.base}/kansli/insatser`, s)).text();
    expect(sida).toContain('2 458 000 kr');
    expect(sida).toContain('2026-09-30');
    expect(sida).toContain('2026-11-29'); // 60 days after the insatstid
    expect(sida).toContain('<a href="/kansli/arende/SFG%2024-3">SFG 24-3</a>');
    expect(sida).toContain('Loggen är verifierad: 1 poster');
    const logg = await app.repo.insatser.listRegisterLogg();
    expect(logg.map((l) => [l.handelse, l.av])).toEqual([['insats-tillagd', REGISTRATOR]]);
    const arende = await app.repo.getArendeDetaljer('SFG 24-3');
    expect(arende?.logg.at(-1)).toMatchObject({ handelse: 'insats-tillagd', av: REGISTRATOR });
    expect(verifyChain(arende!.logg)).toEqual({ ok: true });
  });

  it('edits an insats: a change of beviljade medel needs a reason, and is logged from and to', async () => {
    const s = await app.sessionFor('registrator');
    await laggTill(s);
    const form = await (await get(`${app.base}/kansli/insatser/insats/stegvis`, s)).text();
    expect(form).toContain('name="version" value="1"');
    expect(form).toContain('value="2 458 000 kr"');
    const utanSkal = await post(`${app.base}/kansli/insatser/insats/stegvis`, s, {
      csrf: s.csrf,
      version: '1',
      ...STEGVIS,
      beviljadeMedel: '2 600 000',
      bekraftat: 'ja',
    });
    expect(utanSkal.status).toBe(400);
    const text = await utanSkal.text();
    expect(text).toContain('Ange ett skäl');
    expect(text).toContain('aria-invalid="true"');
    expect((await app.repo.insatser.getVersionerad('stegvis'))?.insats.beviljadeMedel).toBe(2_458_000);

    const med = await post(`${app.base}/kansli/insatser/insats/stegvis`, s, {
      csrf: s.csrf,
      version: '1',
      ...STEGVIS,
      beviljadeMedel: '2 600 000',
      skal: 'Utökat enligt styrelsens beslut 2026-11-20',
      bekraftat: 'ja',
    });
    expect(med.status).toBe(303);
    expect(med.headers.get('location')).toBe('/kansli/insatser?klart=andrad');
    expect(await app.repo.insatser.getVersionerad('stegvis')).toMatchObject({
      version: 2,
      insats: { beviljadeMedel: 2_600_000 },
    });
    const entry = (await app.repo.getArendeDetaljer('SFG 24-3'))?.logg.at(-1);
    expect(entry).toMatchObject({
      handelse: 'insats-andrad',
      av: REGISTRATOR,
      data: {
        andringar: { beviljadeMedel: { fran: 2_458_000, till: 2_600_000 } },
        skal: 'Utökat enligt styrelsens beslut 2026-11-20',
      },
    });
    const sida = await (await get(`${app.base}/kansli/insatser?klart=andrad`, s)).text();
    expect(sida).toContain('Beviljade medel: 2 458 000 kr → 2 600 000 kr');
  });

  it('refuses a stale edit with a Swedish 409 and overwrites nothing', async () => {
    const s = await app.sessionFor('registrator');
    await laggTill(s);
    const forst = await post(`${app.base}/kansli/insatser/insats/stegvis`, s, {
      csrf: s.csrf,
      version: '1',
      ...STEGVIS,
      kontakt: 'forst@exempelby.example',
      bekraftat: 'ja',
    });
    expect(forst.status).toBe(303);
    const sen = await post(`${app.base}/kansli/insatser/insats/stegvis`, s, {
      csrf: s.csrf,
      version: '1',
      ...STEGVIS,
      kontakt: 'sen@exempelby.example',
      bekraftat: 'ja',
    });
    expect(sen.status).toBe(409);
    const text = await sen.text();
    expect(text).toContain('har ändrats av någon annan');
    expect(text).toContain('name="version" value="2"');
    expect((await app.repo.insatser.getVersionerad('stegvis'))?.insats.kontakt).toBe(
      'forst@exempelby.example',
    );
    expect((await app.repo.insatser.listRegisterLogg()).map((l) => l.handelse)).toEqual([
      'insats-tillagd',
      'insats-andrad',
    ]);
  });

  it('lets exactly one of two simultaneous edits of the same version through', async () => {
    const s = await app.sessionFor('registrator');
    await laggTill(s);
    const svar = await Promise.all(
      ['a@exempelby.example', 'b@exempelby.example'].map((kontakt) =>
        post(`${app.base}/kansli/insatser/insats/stegvis`, s, {
          csrf: s.csrf,
          version: '1',
          ...STEGVIS,
          kontakt,
          bekraftat: 'ja',
        }),
      ),
    );
    expect(svar.map((r) => r.status).sort()).toEqual([303, 409]);
    expect((await app.repo.insatser.getVersionerad('stegvis'))?.version).toBe(2);
    expect(await app.repo.insatser.listRegisterLogg()).toHaveLength(2);
  });

  it('sets the slutrapport’s own due date with a reason, shown in the table', async () => {
    const s = await app.sessionFor('registrator');
    await laggTill(s);
    const r = await post(`${app.base}/kansli/insatser/insats/stegvis`, s, {
      csrf: s.csrf,
      version: '1',
      ...STEGVIS,
      forfallodatum: '2027-01-15',
      skal: 'Förlängt efter samtal med insatsägaren',
      bekraftat: 'ja',
    });
    expect(r.status).toBe(303);
    const sida = await (await get(`${app.base}/kansli/insatser`, s)).text();
    expect(sida).toContain('2027-01-15 (eget datum)');
  });

  it('previews an uploaded CSV (added, changed, left, row errors in Swedish) and imports it on confirmation', async () => {
    const s = await app.sessionFor('registrator');
    await laggTill(s);
    await laggTill(s, { id: 'kvar', namn: 'Kvar i registret', arende: '' });
    const felaktig = new FormData();
    felaktig.set('csrf', s.csrf);
    felaktig.set(
      'fil',
      new Blob(['Id;Namn;Organisation;Insatstid slut\nx;A;B;30/9 2026\ny;;C;\n'], { type: 'text/csv' }),
      'fel.csv',
    );
    const felSvar = await fetch(`${app.base}/kansli/insatser/importera`, {
      method: 'POST',
      headers: { cookie: s.cookie, 'sec-fetch-site': 'same-origin' },
      body: felaktig,
    });
    expect(felSvar.status).toBe(200);
    const felText = await felSvar.text();
    expect(felText).toContain('Rad 2: insatstidens slut ska skrivas ÅÅÅÅ-MM-DD.');
    expect(felText).toContain('Rad 3: insatsens namn saknas.');
    expect(felText).not.toContain('importera/bekrafta');

    const fd = new FormData();
    fd.set('csrf', s.csrf);
    fd.set(
      'fil',
      new Blob(
        [
          '\uFEFFId;Insatsens namn;Huvudman;Beviljade medel\nstegvis;Stegvis till arbete;Exempelby kommun;2 700 000 kr\ntrappan;Trappan;Exempelby kommun;450 tkr\n',
        ],
        { type: 'text/csv' },
      ),
      'register.csv',
    );
    const forhand = await fetch(`${app.base}/kansli/insatser/importera`, {
      method: 'POST',
      headers: { cookie: s.cookie, 'sec-fetch-site': 'same-origin' },
      body: fd,
    });
    expect(forhand.status).toBe(200);
    const html = await forhand.text();
    expect(html).toContain('<li>1 läggs till</li>');
    expect(html).toContain('<li>1 ändras</li>');
    expect(html).toContain('<li>1 finns i registret men inte i filen och lämnas som de är</li>');
    expect(html).toContain('Beviljade medel: 2 458 000 kr → 2 700 000 kr');
    // Nothing is written by the preview.
    expect(await app.repo.insatser.getVersionerad('trappan')).toBeNull();

    const falt = (namn: string) => new RegExp(`name="${namn}" value="([^"]*)"`).exec(html)![1]!;
    const bekrafta = {
      csrf: s.csrf,
      innehall: falt('innehall'),
      format: falt('format'),
      kalla: falt('kalla'),
      fingeravtryck: falt('fingeravtryck'),
      bekraftat: 'ja',
    };
    const utanSkal = await post(`${app.base}/kansli/insatser/importera/bekrafta`, s, bekrafta);
    expect(utanSkal.status).toBe(400);
    expect(await app.repo.insatser.getVersionerad('trappan')).toBeNull();
    const ok = await post(`${app.base}/kansli/insatser/importera/bekrafta`, s, {
      ...bekrafta,
      skal: 'Registret från ekonomin 2026-11',
    });
    expect(ok.status).toBe(303);
    expect((await app.repo.insatser.getVersionerad('trappan'))?.insats.beviljadeMedel).toBe(450_000);
    expect((await app.repo.insatser.getVersionerad('stegvis'))?.insats).toMatchObject({
      beviljadeMedel: 2_700_000,
      kontakt: STEGVIS.kontakt,
      arende: 'SFG 24-3',
    });
    expect((await app.repo.insatser.getVersionerad('kvar'))?.version).toBe(1);
    const logg = await app.repo.insatser.listRegisterLogg();
    expect(logg.slice(2).map((l) => [l.handelse, l.av])).toEqual([
      ['insats-tillagd', REGISTRATOR],
      ['insats-andrad', REGISTRATOR],
      ['insatsregister-importerat', REGISTRATOR],
    ]);
    expect(logg.at(-1)?.data).toMatchObject({
      import: 'register.csv',
      skal: 'Registret från ekonomin 2026-11',
    });
    expect(verifyChain(logg)).toEqual({ ok: true });

    // The same confirmation again: the register moved on, so it is refused with a new preview.
    const igen = await post(`${app.base}/kansli/insatser/importera/bekrafta`, s, {
      ...bekrafta,
      skal: 'igen',
    });
    expect(igen.status).toBe(409);
    expect(await igen.text()).toContain('Registret har ändrats sedan du förhandsgranskade');
    expect(await app.repo.insatser.listRegisterLogg()).toHaveLength(logg.length);
  });

  it('imports pasted text as well', async () => {
    const s = await app.sessionFor('registrator');
    const r = await post(`${app.base}/kansli/insatser/importera`, s, {
      csrf: s.csrf,
      text: 'Namn,Organisation\nKlistrad insats,Provstad kommun\n',
    });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('<li>1 läggs till</li>');
  });

  it('lets a läsare see the table without edit controls, and refuses every change with 403', async () => {
    const reg = await app.sessionFor('registrator');
    await laggTill(reg);
    const s = await app.sessionFor('lasare');
    const sida = await get(`${app.base}/kansli/insatser`, s);
    expect(sida.status).toBe(200);
    const html = await sida.text();
    expect(html).toContain('Stegvis till arbete');
    expect(html).not.toContain('/kansli/insatser/ny');
    expect(html).not.toContain('/kansli/insatser/insats/');
    expect(html).not.toContain('/kansli/insatser/importera');
    for (const url of [
      '/kansli/insatser/ny',
      '/kansli/insatser/insats/stegvis',
      '/kansli/insatser/importera',
    ])
      expect((await get(`${app.base}${url}`, s)).status, url).toBe(403);
    const edit = await post(`${app.base}/kansli/insatser/insats/stegvis`, s, {
      csrf: s.csrf,
      version: '1',
      ...STEGVIS,
      beviljadeMedel: '1',
      skal: 'x',
      bekraftat: 'ja',
    });
    expect(edit.status).toBe(403);
    const ny = await post(`${app.base}/kansli/insatser/ny`, s, {
      csrf: s.csrf,
      namn: 'X',
      organisation: 'Y',
      bekraftat: 'ja',
    });
    expect(ny.status).toBe(403);
    const imp = await post(`${app.base}/kansli/insatser/importera/bekrafta`, s, {
      csrf: s.csrf,
      innehall: Buffer.from('Namn,Organisation\nX,Y\n').toString('base64'),
      format: 'csv',
      kalla: 'x',
      fingeravtryck: 'x',
      bekraftat: 'ja',
    });
    expect(imp.status).toBe(403);
    expect(await app.repo.insatser.listVersionerade()).toHaveLength(1);
    expect((await app.repo.insatser.getVersionerad('stegvis'))?.insats.beviljadeMedel).toBe(2_458_000);
    expect(await app.repo.insatser.listRegisterLogg()).toHaveLength(1);
  });

  it('refuses a change without the CSRF token and escapes hostile names', async () => {
    const s = await app.sessionFor('registrator');
    const utan = await post(`${app.base}/kansli/insatser/ny`, s, { ...STEGVIS, bekraftat: 'ja' });
    expect(utan.status).toBe(400);
    expect(await app.repo.insatser.listVersionerade()).toHaveLength(0);
    await laggTill(s, { id: 'fientlig', namn: '<script>alert(1)</script>', arende: '' });
    const html = await (await get(`${app.base}/kansli/insatser`, s)).text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });

  it('edits an insats written before versions (the demo register) as version 0', async () => {
    await app.repo.putInsatser([
      {
        id: 'demo',
        namn: 'Demoinsatsen',
        organisation: 'Provstad kommun',
        arende: null,
        beviljadeMedel: 100_000,
      },
    ]);
    const s = await app.sessionFor('registrator');
    const form = await (await get(`${app.base}/kansli/insatser/insats/demo`, s)).text();
    expect(form).toContain('name="version" value="0"');
    const r = await post(`${app.base}/kansli/insatser/insats/demo`, s, {
      csrf: s.csrf,
      version: '0',
      namn: 'Demoinsatsen',
      organisation: 'Provstad kommun',
      beviljadeMedel: '100 000',
      kontakt: 'demo@provstad.example',
      bekraftat: 'ja',
    });
    expect(r.status).toBe(303);
    expect(await app.repo.insatser.getVersionerad('demo')).toMatchObject({
      version: 1,
      insats: { kontakt: 'demo@provstad.example' },
    });
  });
});

describe('the insatser:import CLI on the same use case', () => {
  const io = (user = 'provanvandare') => recordingIo({ env: { USER: user } });

  it('logs its changes in the register as the page does, and wants a reason to change money', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'insatser-'));
    const file = path.join(dir, 'register.csv');
    writeFileSync(
      file,
      'Id;Namn;Organisation;Ärende;Beviljade medel\nstegvis;Stegvis till arbete;Exempelby kommun;SFG 24-3;2 458 000 kr\n',
    );
    const flags = ['--endpoint', db.local.endpoint, '--table', app.table];
    const t = io();
    expect(await runInsatserImport([file, ...flags], t.io)).toBe(0);
    expect(t.out.join('\n')).toContain('1 tillagda');
    const logg = await app.repo.insatser.listRegisterLogg();
    expect(logg.map((l) => [l.handelse, l.av])).toEqual([
      ['insats-tillagd', 'insatser:import (provanvandare)'],
      ['insatsregister-importerat', 'insatser:import (provanvandare)'],
    ]);
    expect((await app.repo.getArendeDetaljer('SFG 24-3'))?.logg.at(-1)?.handelse).toBe('insats-tillagd');

    writeFileSync(
      file,
      'Id;Namn;Organisation;Ärende;Beviljade medel\nstegvis;Stegvis till arbete;Exempelby kommun;SFG 24-3;2 900 000 kr\n',
    );
    const utan = io();
    expect(await runInsatserImport([file, ...flags], utan.io)).toBe(64);
    expect(utan.err.join('\n')).toContain('--skal');
    expect((await app.repo.insatser.getVersionerad('stegvis'))?.insats.beviljadeMedel).toBe(2_458_000);
    const med = io();
    expect(
      await runInsatserImport([file, ...flags, '--skal', 'Nytt beslut', '--av', 'Rut Registrator'], med.io),
    ).toBe(0);
    expect((await app.repo.insatser.listRegisterLogg()).at(-2)).toMatchObject({
      handelse: 'insats-andrad',
      av: 'Rut Registrator',
      data: { skal: 'Nytt beslut', andringar: { beviljadeMedel: { fran: 2_458_000, till: 2_900_000 } } },
    });
  });
});
