import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiariumDb, type DiariumDb } from './diarium-support.js';
import { getAs, Klient, mailFactory, postForm, startKansliApp } from './kansli-support.js';

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

const mail = mailFactory('k', 'Stegvis till arbete');

const post = postForm;
const get = getAs;

describe('login through the OIDC provider (code flow with PKCE)', () => {
  it('logs a registrator in, shows the diarium, and logs out', async () => {
    const k = new Klient();
    const r = await k.loggaIn(app.base, 'registrator');
    expect(r.res.status).toBe(200);
    expect(r.body).toContain('Du är inloggad');
    const cookie = [...k.jar.keys()].find((c) => c === 'kansli');
    expect(cookie).toBe('kansli');
    const lista = await k.request(`${app.base}/kansli/diarium`);
    expect(lista.res.status).toBe(200);
    expect(lista.body).toContain('Rut Registrator');
    expect(lista.res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const csrf = /name="csrf" value="([^"]+)"/.exec(lista.body)![1]!;
    const sessionId = k.jar.get('kansli')!;
    const ut = await k.request(`${app.base}/kansli/logga-ut`, {
      form: { csrf },
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(ut.body).toContain('Du är utloggad');
    // The old session id no longer works, even if a copy of the cookie was kept.
    const efter = await get(`${app.base}/kansli/diarium`, { cookie: `kansli=${sessionId}` });
    expect(efter.status).toBe(303);
  });

  it('sets the session cookie HttpOnly and SameSite=Strict', async () => {
    const k = new Klient();
    let r = await k.request(`${app.base}/kansli/logga-in`);
    expect(r.res.headers.get('location')).toMatch(/code_challenge_method=S256/);
    r = await k.loggaIn(app.base, 'lasare');
    const setCookie = r.res.headers.getSetCookie().find((c) => c.startsWith('kansli='));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
  });

  it('refuses a user whose token carries no role (403)', async () => {
    const r = await new Klient().loggaIn(app.base, 'utan');
    expect(r.res.status).toBe(403);
    expect(r.body).toContain('Ingen behörighet');
  });

  it('refuses a callback with a state this browser did not start', async () => {
    const r = await get(`${app.base}/kansli/inloggad?code=x&state=forfalskad`);
    expect(r.status).toBe(400);
  });
});

describe('sessions', () => {
  it('sends a request without a session, or with a forged one, to the login', async () => {
    expect((await get(`${app.base}/kansli/diarium`)).status).toBe(303);
    const r = await get(`${app.base}/kansli/diarium`, { cookie: 'kansli=forfalskad' });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toMatch(/^\/kansli\/logga-in\?tillbaka=/);
  });

  it('refuses an expired session: a page redirects, an action gets 401 and changes nothing', async () => {
    const o = await app.register(mail());
    const s = await app.sessionFor('registrator', new Date(Date.now() - 1000));
    expect((await get(`${app.base}/kansli/diarium`, s)).status).toBe(303);
    const r = await post(`${app.base}/kansli/handling/${o.handling.diarienummer}/makulera`, s, {
      csrf: s.csrf,
      skal: 'Fel',
      bekraftat: 'ja',
    });
    expect(r.status).toBe(401);
    expect((await app.repo.getHandling(o.handling.diarienummer))?.makulerad).toBeNull();
  });
});

describe('actions', () => {
  it('refuses a missing or wrong CSRF token (400) and changes nothing', async () => {
    const o = await app.register(mail());
    const s = await app.sessionFor('registrator');
    const url = `${app.base}/kansli/handling/${o.handling.diarienummer}/makulera`;
    expect((await post(url, s, { skal: 'Fel', bekraftat: 'ja' })).status).toBe(400);
    expect((await post(url, s, { csrf: 'fel', skal: 'Fel', bekraftat: 'ja' })).status).toBe(400);
    expect((await app.repo.getHandling(o.handling.diarienummer))?.makulerad).toBeNull();
  });

  it('refuses a post from another site (Sec-Fetch-Site, foreign Origin) with 403 and changes nothing', async () => {
    const o = await app.register(mail());
    const s = await app.sessionFor('registrator');
    const url = `${app.base}/kansli/handling/${o.handling.diarienummer}/makulera`;
    const form = { csrf: s.csrf, skal: 'Fel', bekraftat: 'ja' };
    expect((await post(url, s, form, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    const noFetchMeta = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: s.cookie,
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://angripare.example',
      },
      body: new URLSearchParams(form).toString(),
    });
    expect(noFetchMeta.status).toBe(403);
    expect((await app.repo.getHandling(o.handling.diarienummer))?.makulerad).toBeNull();
  });

  it('refuses a läsare a registrator action with 403, on the form and the post, and changes nothing', async () => {
    const o = await app.register(mail());
    const s = await app.sessionFor('lasare');
    const url = `${app.base}/kansli/handling/${o.handling.diarienummer}/makulera`;
    expect((await get(url, s)).status).toBe(403);
    expect((await post(url, s, { csrf: s.csrf, skal: 'Fel', bekraftat: 'ja' })).status).toBe(403);
    expect((await app.repo.getHandling(o.handling.diarienummer))?.makulerad).toBeNull();
  });

  it('requires the confirmation and the reason', async () => {
    const o = await app.register(mail());
    const s = await app.sessionFor('registrator');
    const url = `${app.base}/kansli/handling/${o.handling.diarienummer}/makulera`;
    expect((await post(url, s, { csrf: s.csrf, skal: 'Fel' })).status).toBe(400);
    const utanSkal = await post(url, s, { csrf: s.csrf, skal: ' ', bekraftat: 'ja' });
    expect(utanSkal.status).toBe(409);
    expect(await utanSkal.text()).toContain('Skäl för makulering måste anges');
    expect((await app.repo.getHandling(o.handling.diarienummer))?.makulerad).toBeNull();
  });

  it('makulerar with the person in the audit log, and shows the entry and the verified log', async () => {
    const o = await app.register(mail());
    const s = await app.sessionFor('registrator');
    const r = await post(`${app.base}/kansli/handling/${o.handling.diarienummer}/makulera`, s, {
      csrf: s.csrf,
      skal: 'Registrerad två gånger',
      bekraftat: 'ja',
    });
    expect(r.status).toBe(303);
    const h = await app.repo.getHandling(o.handling.diarienummer);
    expect(h?.makulerad).toMatchObject({
      skal: 'Registrerad två gånger',
      av: 'Test registrator <registrator@kansli.example> [test-registrator]',
    });
    const sida = await (await get(`${app.base}${r.headers.get('location')}`, s)).text();
    expect(sida).toContain('Registrerad två gånger');
    expect(sida).toContain('Test registrator &#60;registrator@kansli.example&#62; [test-registrator]');
    expect(sida).toContain('Loggen är verifierad');
    expect(sida).toContain('Makulerad');
  });

  it('corrects the ankomstdatum with a reason in the log', async () => {
    const o = await app.register(mail({ receivedAt: '2026-03-02T09:00:00Z' }));
    const s = await app.sessionFor('registrator');
    const r = await post(`${app.base}/kansli/handling/${o.handling.diarienummer}/ankomstdatum`, s, {
      csrf: s.csrf,
      tid: '2026-02-27T15:30:00+01:00',
      skal: 'Låg i en kollegas inkorg',
      bekraftat: 'ja',
    });
    expect(r.status).toBe(303);
    const h = await app.repo.getHandling(o.handling.diarienummer);
    expect(h?.ankomstdatum).toBe('2026-02-27');
    const d = await app.repo.getArendeDetaljer(h!.arende);
    expect(d?.logg.at(-1)?.handelse).toMatch(/ankomst/i);
    expect(d?.logg.at(-1)?.av).toContain('[test-registrator]');
  });

  it('lets a handläggare release a held mail, and refuses a handläggare makulering', async () => {
    const o = await app.register(mail({ verdicts: { spam: 'FAIL', virus: 'PASS', dmarc: 'pass' } }));
    expect(o.handling.granskning).toBe('vantar-pa-kansliet');
    const s = await app.sessionFor('handlaggare');
    const base = `${app.base}/kansli/handling/${o.handling.diarienummer}`;
    expect((await post(`${base}/makulera`, s, { csrf: s.csrf, skal: 'x', bekraftat: 'ja' })).status).toBe(
      403,
    );
    const r = await post(`${base}/frige`, s, { csrf: s.csrf, bekraftat: 'ja' });
    expect(r.status).toBe(303);
    expect((await app.repo.getHandling(o.handling.diarienummer))?.granskning).toBe('pagar');
    expect(app.ingest.begard).toContainEqual({
      diarienummer: o.handling.diarienummer,
      arende: o.handling.arende,
      av: 'Test handlaggare <handlaggare@kansli.example> [test-handlaggare]',
    });
  });
});

describe('list and search', () => {
  it('finds by free text over avsändare and insats, filters on status, and exports the result as CSV', async () => {
    const a = await app.register(
      mail({ report: { insatsnamn: 'Kompassen Sökbar', organisation: 'Exempelby kommun' } }),
    );
    await app.register(mail({ fromName: 'Olle Annanperson', from: 'olle@annanstad.example' }));
    const s = await app.sessionFor('lasare');
    const r = await (await get(`${app.base}/kansli/diarium?q=kompassen+s%C3%B6kbar`, s)).text();
    expect(r).toContain(a.handling.diarienummer);
    expect(r).toContain('1 träffar');
    const olle = await (await get(`${app.base}/kansli/diarium?q=annanperson`, s)).text();
    expect(olle).toContain('1 träffar');
    const makulerade = await (await get(`${app.base}/kansli/diarium?status=makulerad`, s)).text();
    expect(makulerade).not.toContain(a.handling.diarienummer);
    const csv = await get(`${app.base}/kansli/diarium.csv?q=kompassen`, s);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const text = await csv.text();
    expect(text).toContain(a.handling.diarienummer);
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(2);
  });

  it('escapes a hostile subject and sender name in the list and the ärende view', async () => {
    const o = await app.register(
      mail({
        fromName: '<script>alert(1)</script>',
        report: { insatsnamn: '<img src=x onerror=alert(1)>', organisation: 'Exempelby kommun' },
      }),
    );
    const s = await app.sessionFor('registrator');
    const lista = await (await get(`${app.base}/kansli/diarium`, s)).text();
    const arende = await (await get(`${app.base}/kansli/arende/${o.handling.arende}`, s)).text();
    for (const page of [lista, arende]) {
      expect(page).not.toContain('<script>alert');
      expect(page).not.toContain('<img src=x');
    }
    expect(lista).toContain('&#60;script&#62;alert(1)');
  });

  it('refuses a malformed date range with 400', async () => {
    const s = await app.sessionFor('lasare');
    expect((await get(`${app.base}/kansli/diarium?fran=igar`, s)).status).toBe(400);
  });
});

describe('klass and public text', () => {
  it('lets a registrator correct the class and the public text, with the person and the reason in the log', async () => {
    const o = await app.register(mail());
    const dnr = o.handling.diarienummer;
    const s = await app.sessionFor('registrator');
    const form = await get(`${app.base}/kansli/handling/${dnr}/klass`, s);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('<label for="klass">Klass</label>');
    const r = await post(`${app.base}/kansli/handling/${dnr}/klass`, s, {
      csrf: s.csrf,
      klass: 'allman-handling',
      publik: 'Fråga om <b>ansökan</b>',
      skal: 'Ingen slutrapport, en fråga',
      bekraftat: 'ja',
    });
    expect(r.status).toBe(303);
    const h = await app.repo.getHandling(dnr);
    expect(h?.klassning).toMatchObject({ klass: 'allman-handling', publikText: 'Fråga om <b>ansökan</b>' });
    const d = await app.repo.getArendeDetaljer(h!.arende);
    expect(d?.logg.at(-1)).toMatchObject({
      handelse: 'klass-andrad',
      av: 'Test registrator <registrator@kansli.example> [test-registrator]',
      data: { handling: dnr, till: 'allman-handling', skal: 'Ingen slutrapport, en fråga' },
    });
    const sida = await (await get(`${app.base}${r.headers.get('location')}`, s)).text();
    expect(sida).toContain('Fråga om &#60;b&#62;ansökan&#60;/b&#62;');
    expect(sida).not.toContain('<b>ansökan');
  });

  it('refuses a form that changes nothing (409) and a handläggare (403), changing nothing', async () => {
    const o = await app.register(mail());
    const dnr = o.handling.diarienummer;
    const fore = await app.repo.getHandling(dnr);
    const reg = await app.sessionFor('registrator');
    const same = await post(`${app.base}/kansli/handling/${dnr}/klass`, reg, {
      csrf: reg.csrf,
      klass: fore!.klassning!.klass,
      publik: '',
      skal: 'Inget',
      bekraftat: 'ja',
    });
    expect(same.status).toBe(409);
    expect(await same.text()).toContain('Ändra klassen eller den offentliga texten');
    const hl = await app.sessionFor('handlaggare');
    expect((await get(`${app.base}/kansli/handling/${dnr}/klass`, hl)).status).toBe(403);
    const r = await post(`${app.base}/kansli/handling/${dnr}/klass`, hl, {
      csrf: hl.csrf,
      klass: 'skrappost',
      skal: 'x',
      bekraftat: 'ja',
    });
    expect(r.status).toBe(403);
    expect((await app.repo.getHandling(dnr))?.klassning).toEqual(fore?.klassning);
    const d = await app.repo.getArendeDetaljer(o.handling.arende);
    expect(d?.logg.map((l) => l.handelse)).not.toContain('klass-andrad');
  });
});

describe('sekretessmarkering', () => {
  it('marks a handling secret with the OSL provision and public text, hides it from a läsare, and lifts it', async () => {
    const o = await app.register(
      mail({ report: { insatsnamn: 'Hemlig sekretessinsats', organisation: 'Exempelby kommun' } }),
    );
    const dnr = o.handling.diarienummer;
    const s = await app.sessionFor('registrator');
    const r = await post(`${app.base}/kansli/handling/${dnr}/sekretess`, s, {
      csrf: s.csrf,
      osl: 'OSL 26 kap. 1 §',
      publik: 'Slutrapport med uppgifter om enskild',
      skal: 'Hälsouppgifter i bilagan',
      bekraftat: 'ja',
    });
    expect(r.status).toBe(303);
    const h = await app.repo.getHandling(dnr);
    expect(h?.sekretess).toBe(true);
    expect(h?.sekretessmarkering).toMatchObject({
      osl: 'OSL 26 kap. 1 §',
      publikText: 'Slutrapport med uppgifter om enskild',
      av: 'Test registrator <registrator@kansli.example> [test-registrator]',
    });
    const d = await app.repo.getArendeDetaljer(h!.arende);
    expect(d?.logg.at(-1)).toMatchObject({
      handelse: 'sekretess-markerad',
      av: 'Test registrator <registrator@kansli.example> [test-registrator]',
      data: { osl: 'OSL 26 kap. 1 §', skal: 'Hälsouppgifter i bilagan' },
    });
    expect(await (await get(`${app.base}/kansli/arende/${h!.arende}`, s)).text()).toContain(
      'OSL 26 kap. 1 §',
    );
    // The sekretess filter (on the list index) finds it; a läsare sees neither the row nor the handling.
    const med = await (await get(`${app.base}/kansli/diarium?q=sekretessinsats&sekretess=ja`, s)).text();
    expect(med).toContain('1 träffar');
    const utan = await (await get(`${app.base}/kansli/diarium?q=sekretessinsats&sekretess=nej`, s)).text();
    expect(utan).toContain('0 träffar');
    const l = await app.sessionFor('lasare');
    expect(await (await get(`${app.base}/kansli/diarium?q=sekretessinsats`, l)).text()).toContain(
      '0 träffar',
    );
    const lasarensArende = await (await get(`${app.base}/kansli/arende/${h!.arende}`, l)).text();
    expect(lasarensArende).toContain('1 handling(ar) med sekretess visas inte');
    expect(lasarensArende).not.toContain('Hälsouppgifter i bilagan');

    const hav = await post(`${app.base}/kansli/handling/${dnr}/havsekretess`, s, {
      csrf: s.csrf,
      skal: 'Prövad: inget sekretessbelagt',
      bekraftat: 'ja',
    });
    expect(hav.status).toBe(303);
    const efter = await app.repo.getHandling(dnr);
    expect(efter?.sekretess).toBe(false);
    expect(efter?.sekretessmarkering).toBeNull();
    const d2 = await app.repo.getArendeDetaljer(h!.arende);
    expect(d2?.logg.at(-1)).toMatchObject({
      handelse: 'sekretess-havd',
      data: { osl: 'OSL 26 kap. 1 §', skal: 'Prövad: inget sekretessbelagt' },
    });
  });

  it('refuses a reference that is no OSL provision (409), a läsare and a handläggare (403), changing nothing', async () => {
    const o = await app.register(mail());
    const dnr = o.handling.diarienummer;
    const url = `${app.base}/kansli/handling/${dnr}/sekretess`;
    const form = (s: { csrf: string }, osl = 'OSL 26 kap. 1 §') => ({
      csrf: s.csrf,
      osl,
      publik: 'Text',
      skal: 'Skäl',
      bekraftat: 'ja',
    });
    const reg = await app.sessionFor('registrator');
    const fel = await post(url, reg, form(reg, 'hemligt'));
    expect(fel.status).toBe(409);
    expect(await fel.text()).toContain('OSL 26 kap. 1 §');
    for (const roll of ['lasare', 'handlaggare'] as const) {
      const s = await app.sessionFor(roll);
      expect((await get(url, s)).status).toBe(403);
      expect((await post(url, s, form(s))).status).toBe(403);
      expect((await post(`${app.base}/kansli/handling/${dnr}/havsekretess`, s, form(s))).status).toBe(403);
    }
    const h = await app.repo.getHandling(dnr);
    expect(h?.sekretess).toBe(false);
    expect(h?.sekretessmarkering).toBeUndefined();
    const d = await app.repo.getArendeDetaljer(o.handling.arende);
    expect(d?.logg.map((x) => x.handelse)).not.toContain('sekretess-markerad');
  });
});

describe('closing and reopening an ärende', () => {
  it('closes with a required reason and reopens to the status it had, each logged with the person', async () => {
    const o = await app.register(mail());
    const arende = o.handling.arende;
    const fore = (await app.repo.getArende(arende))!.status;
    const s = await app.sessionFor('registrator');
    expect((await get(`${app.base}/kansli/arende/${arende}/avsluta`, s)).status).toBe(200);
    const utanSkal = await post(`${app.base}/kansli/arende/${arende}/avsluta`, s, {
      csrf: s.csrf,
      skal: ' ',
      bekraftat: 'ja',
    });
    expect(utanSkal.status).toBe(409);
    expect(
      (await post(`${app.base}/kansli/arende/${arende}/avsluta`, s, { csrf: s.csrf, skal: 'x' })).status,
    ).toBe(400);
    expect((await app.repo.getArende(arende))?.status).toBe(fore);

    const r = await post(`${app.base}/kansli/arende/${arende}/avsluta`, s, {
      csrf: s.csrf,
      skal: 'Slutredovisat',
      bekraftat: 'ja',
    });
    expect(r.status).toBe(303);
    expect((await app.repo.getArende(arende))?.status).toBe('avslutat');
    const sida = await (await get(`${app.base}${r.headers.get('location')}`, s)).text();
    expect(sida).toContain('Återöppna ärendet');
    expect(sida).toContain('Slutredovisat');
    expect(sida).toContain('Loggen är verifierad');

    const igen = await post(`${app.base}/kansli/arende/${arende}/ateroppna`, s, {
      csrf: s.csrf,
      skal: 'Ny fråga från insatsägaren',
      bekraftat: 'ja',
    });
    expect(igen.status).toBe(303);
    expect((await app.repo.getArende(arende))?.status).toBe(fore);
    const d = await app.repo.getArendeDetaljer(arende);
    const reg = 'Test registrator <registrator@kansli.example> [test-registrator]';
    expect(d?.logg.slice(-2)).toMatchObject([
      { handelse: 'arende-avslutat', av: reg, data: { skal: 'Slutredovisat' } },
      { handelse: 'arende-ateroppnat', av: reg, data: { till: fore } },
    ]);
  });

  it('refuses a läsare and a handläggare (403) and changes nothing', async () => {
    const o = await app.register(mail());
    const arende = o.handling.arende;
    const fore = await app.repo.getArendeDetaljer(arende);
    for (const roll of ['lasare', 'handlaggare'] as const) {
      const s = await app.sessionFor(roll);
      expect((await get(`${app.base}/kansli/arende/${arende}/avsluta`, s)).status).toBe(403);
      const r = await post(`${app.base}/kansli/arende/${arende}/avsluta`, s, {
        csrf: s.csrf,
        skal: 'x',
        bekraftat: 'ja',
      });
      expect(r.status).toBe(403);
      expect(await (await get(`${app.base}/kansli/arende/${arende}`, s)).text()).not.toContain(
        'Avsluta ärendet',
      );
    }
    const efter = await app.repo.getArendeDetaljer(arende);
    expect(efter?.arende.status).toBe(fore?.arende.status);
    expect(efter?.logg).toHaveLength(fore!.logg.length);
  });
});
