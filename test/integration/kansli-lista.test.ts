import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiariumDb, type DiariumDb } from './diarium-support.js';
import { getAs, mailFactory, postForm, startKansliApp } from './kansli-support.js';

let db: DiariumDb;
let app: Awaited<ReturnType<typeof startKansliApp>>;

beforeAll(async () => {
  db = await startDiariumDb();
  app = await startKansliApp(db);
  await app.repo.putInsatser([
    {
      id: 'ins-kompassen',
      namn: 'Kompassen Listfilter',
      organisation: 'Exempelby kommun',
      arende: null,
      beviljadeMedel: 1_200_000,
    },
  ]);
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await db?.stop();
});

const mail = mailFactory('lista', 'Listinsats');

const get = getAs;
const post = postForm;

/** The diarienummer in the list's rows, in page order. */
const rader = (html: string) =>
  [...html.matchAll(/<tr[^>]*><td[^>]*><a href="\/kansli\/arende\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]!);
const lista = async (q: string, s: { cookie: string }) => {
  const r = await get(`${app.base}/kansli/diarium?${q}`, s);
  expect(r.status).toBe(200);
  return r.text();
};
const unescape = (s: string) => s.replaceAll('&#38;', '&').replaceAll('&amp;', '&');

describe('diarium list filters', () => {
  it('filters on the class of mail, the insats of the ärende, held mail and sekretess', async () => {
    const rapport = await app.register(
      mail({ report: { insatsnamn: 'Kompassen Listfilter', organisation: 'Exempelby kommun' } }),
    );
    const fraga = await app.register(
      mail({ subject: 'Fråga om ansökningsblanketten', body: 'Hej! Var finns blanketten?', report: null }),
    );
    const kvar = await app.register(mail({ verdicts: { spam: 'FAIL', virus: 'PASS', dmarc: 'pass' } }));
    expect(rapport.handling.klassning?.klass).toBe('slutrapport');
    expect(fraga.handling.klassning?.klass).not.toBe('slutrapport');
    expect((await app.repo.getArende(rapport.handling.arende))?.insatsId).toBe('ins-kompassen');
    const s = await app.sessionFor('registrator');

    const slutrapporter = rader(await lista('klass=slutrapport', s));
    expect(slutrapporter).toContain(rapport.handling.diarienummer);
    expect(slutrapporter).not.toContain(fraga.handling.diarienummer);
    const fragor = rader(await lista(`klass=${fraga.handling.klassning!.klass}`, s));
    expect(fragor).toContain(fraga.handling.diarienummer);
    expect(fragor).not.toContain(rapport.handling.diarienummer);

    const insatsSida = await lista('insats=ins-kompassen', s);
    expect(rader(insatsSida)).toEqual([rapport.handling.diarienummer]);
    expect(insatsSida).toContain(
      '<option value="ins-kompassen" selected>Kompassen Listfilter – Exempelby kommun</option>',
    );

    expect(rader(await lista('status=vantar-pa-kansliet', s))).toEqual([kvar.handling.diarienummer]);
    expect(rader(await lista('sekretess=ja', s))).not.toContain(rapport.handling.diarienummer);
  });

  it('answers an unknown filter value as no filter, and a bad date with 400', async () => {
    const s = await app.sessionFor('lasare');
    const alla = rader(await lista('', s));
    expect(rader(await lista('klass=inget&sortera=nagot', s))).toEqual(alla);
    expect((await get(`${app.base}/kansli/diarium?fran=2026-13-45x`, s)).status).toBe(400);
  });
});

describe('diarium list sorting, paging and CSV', () => {
  it('sorts by diarienummer as numbers, both ways, with aria-sort and links that keep the filters', async () => {
    // Enough ärenden for SFG yy-10 and later: a text sort would put 10 before 2.
    while (mail.antal < 12) await app.register(mail());
    const s = await app.sessionFor('registrator');
    const upp = await lista('klass=slutrapport&sortera=diarienummer&ordning=stigande', s);
    const nummer = rader(upp).map((d) => Number(/-(\d+)\./.exec(d)![1]));
    expect(nummer.length).toBeGreaterThan(9);
    expect(nummer).toEqual([...nummer].sort((a, b) => a - b));
    expect(upp).toMatch(
      /<th scope="col" role="columnheader" aria-sort="ascending"><a href="[^"]*sortera=diarienummer&#38;ordning=fallande/,
    );
    expect(upp).not.toMatch(
      /<th scope="col" role="columnheader" aria-sort="[a-z]+"><a href="[^"]*sortera=ankomstdatum/,
    );
    // Every header link keeps the class filter; the search form keeps the sort.
    for (const m of upp.matchAll(/<th scope="col"[^>]*><a href="([^"]+)"/g))
      expect(unescape(m[1]!)).toContain('klass=slutrapport');
    expect(upp).toContain('<input type="hidden" name="sortera" value="diarienummer">');

    const ned = await lista('klass=slutrapport&sortera=diarienummer&ordning=fallande', s);
    expect(rader(ned)).toEqual([...rader(upp)].reverse());
    expect(ned).toContain('aria-sort="descending"');
    // Without a chosen order: newest first, shown on the ankomstdatum column.
    expect(await lista('', s)).toMatch(
      /<th scope="col" role="columnheader" aria-sort="descending"><a href="[^"]*sortera=ankomstdatum/,
    );
  });

  it('pages with the filters and the sort, and exports the current result as CSV in that order', async () => {
    const s = await app.sessionFor('registrator');
    const q = 'klass=slutrapport&sortera=avsandare&ordning=stigande';
    const sida = await lista(q, s);
    const csvLank = unescape(/<a href="(\/kansli\/diarium\.csv\?[^"]+)">/.exec(sida)![1]!);
    expect(csvLank).toContain('klass=slutrapport');
    expect(csvLank).toContain('sortera=avsandare');
    const csv = await (await get(`${app.base}${csvLank}`, s)).text();
    const csvRader = csv.split('\r\n').filter(Boolean).slice(1);
    expect(csvRader.map((r) => r.split(',')[0])).toEqual(rader(sida));
    expect(csv).toContain('Slutrapport');
    expect(csv).not.toContain('Fråga om ansökningsblanketten');

    // 51 rows or more give a second page; its link keeps the filters and the sort.
    while (mail.antal < 53) await app.register(mail());
    const forsta = await lista('klass=slutrapport&sortera=diarienummer&ordning=stigande', s);
    const nasta = unescape(/<a href="(\/kansli\/diarium\?[^"]+)">Nästa sida<\/a>/.exec(forsta)![1]!);
    expect(nasta).toContain('klass=slutrapport');
    expect(nasta).toContain('sortera=diarienummer');
    expect(nasta).toContain('ordning=stigande');
    const andra = await (await get(`${app.base}${nasta}`, s)).text();
    const a = rader(forsta);
    const b = rader(andra);
    expect(a).toHaveLength(50);
    expect(b.length).toBeGreaterThan(0);
    const num = (d: string) => Number(/-(\d+)\./.exec(d)![1]);
    expect(num(b[0]!)).toBeGreaterThan(num(a.at(-1)!));
  }, 120_000);
});

describe('the list index follows every change of a handling', () => {
  it('after makulera, klass, sekretess, frige, granskning status and a new ankomstdatum', async () => {
    const s = await app.sessionFor('registrator');
    const l = await app.sessionFor('lasare');
    const o = await app.register(mail({ receivedAt: '2026-05-12T09:00:00Z' }));
    const dnr = o.handling.diarienummer;
    const maj = 'fran=2026-05-01&till=2026-05-31';
    expect(rader(await lista(`${maj}&status=pagar`, s))).toEqual([dnr]);

    // Granskning status, as the granskning writes it.
    await app.repo.updateHandling(
      dnr,
      { granskning: 'godkand' },
      { handelse: 'granskning-avslutad', av: 'system', data: { handling: dnr } },
    );
    expect(rader(await lista(`${maj}&status=godkand`, s))).toEqual([dnr]);
    expect(rader(await lista(`${maj}&status=pagar`, s))).toEqual([]);

    // Klass.
    const klass = await post(`${app.base}/kansli/handling/${dnr}/klass`, s, {
      csrf: s.csrf,
      klass: 'komplettering',
      publik: '',
      skal: 'Kompletterar en tidigare rapport',
      bekraftat: 'ja',
    });
    expect(klass.status).toBe(303);
    expect(rader(await lista(`${maj}&klass=komplettering`, s))).toEqual([dnr]);
    expect(rader(await lista(`${maj}&klass=slutrapport`, s))).toEqual([]);

    // Sekretess: found under sekretess=ja, and gone for a läsare.
    const sek = await post(`${app.base}/kansli/handling/${dnr}/sekretess`, s, {
      csrf: s.csrf,
      osl: 'OSL 26 kap. 1 §',
      publik: 'Handling med uppgifter om enskild',
      skal: 'Hälsouppgifter',
      bekraftat: 'ja',
    });
    expect(sek.status).toBe(303);
    expect(rader(await lista(`${maj}&sekretess=ja`, s))).toEqual([dnr]);
    expect(rader(await lista(maj, l))).not.toContain(dnr);

    // Ankomstdatum moved back into April: the row leaves May.
    const ank = await post(`${app.base}/kansli/handling/${dnr}/ankomstdatum`, s, {
      csrf: s.csrf,
      tid: '2026-04-28T15:30:00+02:00',
      skal: 'Låg i en kollegas inkorg',
      bekraftat: 'ja',
    });
    expect(ank.status).toBe(303);
    expect(rader(await lista(maj, s))).not.toContain(dnr);
    const april = await lista('fran=2026-04-01&till=2026-04-30', s);
    expect(rader(april)).toEqual([dnr]);
    expect(april).toContain('2026-04-28');

    // Makulera.
    const mak = await post(`${app.base}/kansli/handling/${dnr}/makulera`, s, {
      csrf: s.csrf,
      skal: 'Registrerad två gånger',
      bekraftat: 'ja',
    });
    expect(mak.status).toBe(303);
    expect(rader(await lista('fran=2026-04-01&till=2026-04-30&status=makulerad', s))).toEqual([dnr]);
  });

  it('after a held mail is released', async () => {
    const o = await app.register(
      mail({ receivedAt: '2026-06-03T09:00:00Z', verdicts: { spam: 'FAIL', virus: 'PASS', dmarc: 'pass' } }),
    );
    const dnr = o.handling.diarienummer;
    const h = await app.sessionFor('handlaggare');
    const juni = 'fran=2026-06-01&till=2026-06-30';
    expect(rader(await lista(`${juni}&status=vantar-pa-kansliet`, h))).toEqual([dnr]);
    const r = await post(`${app.base}/kansli/handling/${dnr}/frige`, h, { csrf: h.csrf, bekraftat: 'ja' });
    expect(r.status).toBe(303);
    expect(rader(await lista(`${juni}&status=vantar-pa-kansliet`, h))).toEqual([]);
    expect(rader(await lista(`${juni}&status=pagar`, h))).toEqual([dnr]);
  });
});
