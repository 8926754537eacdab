/**
 * The kansli application's refusals over every action route (not only makulera, which kansli-app.test.ts
 * covers): a forged, expired or missing session, a missing CSRF token, another site's request, a role
 * without the right — each refused and nothing changed; escaping of hostile names on every page; the strict
 * CSP on every kind of answer; the cookies' Secure and __Host- form on an https address.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/kansli/make-handler.js';
import { openIdClient } from '../../functions/kansli/oidc.js';
import { LOCAL_OIDC_CLIENT_ID } from '../../local/aws/oidc-provider.js';
import { markeraSekretess } from '../../domain/diarium/kansli.js';
import { startDiariumDb, type DiariumDb } from './diarium-support.js';
import { Klient, mailFactory, startKansliApp } from './kansli-support.js';

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

const mail = mailFactory('s', 'Säker insats');

const post = (
  url: string,
  cookie: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
) =>
  fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie,
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-site': 'same-origin',
      ...headers,
    },
    body: new URLSearchParams(form).toString(),
  });
const get = (url: string, cookie?: string) =>
  fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });

/**
 * One held handling (so frige is offered) in its own ärende, and every action route on it with a form that
 * would succeed for a registrator.
 */
async function allaAtgarder() {
  const o = await app.register(mail({ verdicts: { spam: 'FAIL', virus: 'PASS', dmarc: 'pass' } }));
  const dnr = o.handling.diarienummer;
  const h = `${app.base}/kansli/handling/${encodeURIComponent(dnr)}`;
  const a = `${app.base}/kansli/arende/${encodeURIComponent(o.handling.arende)}`;
  const routes: [string, Record<string, string>][] = [
    [`${h}/makulera`, { skal: 'Fel' }],
    [`${h}/ankomstdatum`, { tid: new Date(Date.now() - 86_400_000).toISOString(), skal: 'Fel' }],
    [`${h}/frige`, {}],
    [`${h}/klass`, { klass: 'skrappost', skal: 'Fel' }],
    [`${h}/sekretess`, { osl: 'OSL 26 kap. 1 §', publik: 'Text', skal: 'Fel' }],
    [`${h}/havsekretess`, { skal: 'Fel' }],
    [`${a}/avsluta`, { skal: 'Fel' }],
    [`${a}/ateroppna`, { skal: 'Fel' }],
  ];
  /** Everything a refused request could have changed: the ärende, its handlingar and its log. */
  const tillstand = async () => JSON.stringify(await app.repo.getArendeDetaljer(o.handling.arende));
  return { o, dnr, routes, tillstand };
}

describe('refusals over every action route change nothing', () => {
  it('a forged, an expired or no session gets 401 on every action', async () => {
    const { routes, tillstand } = await allaAtgarder();
    const fore = await tillstand();
    const utgangen = await app.sessionFor('registrator', new Date(Date.now() - 1000));
    for (const cookie of ['kansli=forfalskad', utgangen.cookie, '']) {
      for (const [url, form] of routes) {
        const r = await post(url, cookie, { csrf: utgangen.csrf, bekraftat: 'ja', ...form });
        expect(r.status, `${cookie} ${url}`).toBe(401);
        expect(await r.text()).toContain('Din session är ogiltig eller har gått ut');
      }
    }
    expect(await tillstand()).toBe(fore);
  });

  it('a missing or wrong CSRF token gets 400 on every action and on logout, which then does not log out', async () => {
    const { routes, tillstand } = await allaAtgarder();
    const fore = await tillstand();
    const s = await app.sessionFor('registrator');
    for (const [url, form] of [...routes, [`${app.base}/kansli/logga-ut`, {}] as const]) {
      expect((await post(url, s.cookie, { bekraftat: 'ja', ...form })).status, url).toBe(400);
      expect((await post(url, s.cookie, { csrf: `${s.csrf}x`, bekraftat: 'ja', ...form })).status, url).toBe(
        400,
      );
    }
    expect(await tillstand()).toBe(fore);
    expect((await get(`${app.base}/kansli/diarium`, s.cookie)).status).toBe(200);
  });

  it('another site (foreign Origin, Sec-Fetch-Site same-site or cross-site) gets 403 on every action and on logout', async () => {
    const { routes, tillstand } = await allaAtgarder();
    const fore = await tillstand();
    const s = await app.sessionFor('registrator');
    const andra: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      // Another port on the same host is the same site, but not the same origin.
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const [url, form] of [...routes, [`${app.base}/kansli/logga-ut`, {}] as const]) {
      for (const headers of andra) {
        const r = await post(url, s.cookie, { csrf: s.csrf, bekraftat: 'ja', ...form }, headers);
        expect(r.status, `${url} ${JSON.stringify(headers)}`).toBe(403);
        expect(await r.text()).toContain('Otillåten begäran');
      }
      // Without Sec-Fetch-Site (an older browser), a foreign Origin decides.
      const r = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          cookie: s.cookie,
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://angripare.example',
        },
        body: new URLSearchParams({ csrf: s.csrf, bekraftat: 'ja', ...form }).toString(),
      });
      expect(r.status, url).toBe(403);
    }
    expect(await tillstand()).toBe(fore);
    expect((await get(`${app.base}/kansli/diarium`, s.cookie)).status).toBe(200);
  });

  it('a läsare gets 403 on every action, form and post; a handläggare on every registrator action', async () => {
    const { routes, tillstand } = await allaAtgarder();
    const fore = await tillstand();
    for (const roll of ['lasare', 'handlaggare'] as const) {
      const s = await app.sessionFor(roll);
      for (const [url, form] of routes) {
        if (roll === 'handlaggare' && url.endsWith('/frige')) continue; // the handläggare's own right
        expect((await get(url, s.cookie)).status, `${roll} GET ${url}`).toBe(403);
        const r = await post(url, s.cookie, { csrf: s.csrf, bekraftat: 'ja', ...form });
        expect(r.status, `${roll} POST ${url}`).toBe(403);
        expect(await r.text()).toContain('Din roll har inte behörighet till det här.');
      }
    }
    expect(await tillstand()).toBe(fore);
  });

  it('a läsare cannot reach a secret handling through its address either', async () => {
    const o = await app.register(mail());
    await markeraSekretess({ repo: app.repo, clock: () => new Date() }, o.handling.diarienummer, {
      osl: 'OSL 26 kap. 1 §',
      publikText: 'Slutrapport med uppgifter om enskild',
      skal: 'Hemliga uppgifter om en deltagare',
      av: 'Test <test@kansli.example> [test]',
    });
    const s = await app.sessionFor('lasare');
    const arende = await (await get(`${app.base}/kansli/arende/${o.handling.arende}`, s.cookie)).text();
    expect(arende).not.toContain('Hemliga uppgifter');
    expect(arende).not.toContain('meddelande.eml');
    const csv = await (await get(`${app.base}/kansli/diarium.csv`, s.cookie)).text();
    expect(csv).not.toContain(o.handling.diarienummer);
  });

  it('a GET never changes anything: a GET of the logout address does not log out', async () => {
    const s = await app.sessionFor('registrator');
    expect((await get(`${app.base}/kansli/logga-ut`, s.cookie)).status).toBe(404);
    expect((await get(`${app.base}/kansli/diarium`, s.cookie)).status).toBe(200);
  });

  it('sends the login back only to an address of the application (no open redirect)', async () => {
    const k = new Klient();
    let r = await k.follow(
      `${app.base}/kansli/logga-in?tillbaka=${encodeURIComponent('//angripare.example/x')}`,
    );
    for (let i = 0; i < 4 && /<form/.test(r.body) && !r.url.startsWith(app.base); i++) {
      const action = /<form[^>]*action="([^"]+)"/.exec(r.body)?.[1];
      const prompt = /name="prompt" value="([^"]+)"/.exec(r.body)?.[1] ?? '';
      if (!action) break;
      r = await k.follow(new URL(action, r.url).href, {
        form: prompt === 'login' ? { prompt, login: 'lasare', password: 'demo' } : { prompt },
      });
    }
    expect(r.body).toContain('Du är inloggad');
    expect(r.body).toContain('url=/kansli/diarium"');
    expect(r.body).not.toContain('angripare');
  });
});

describe('escaping', () => {
  const SKRIPT = '<script>alert(1)</script>';
  const BILD = '"><img src=x onerror=alert(2)>';

  it('shows hostile subjects, names and file names escaped on the list, the ärende and every confirmation page', async () => {
    const o = await app.register(
      mail({
        subject: SKRIPT,
        fromName: BILD,
        verdicts: { spam: 'FAIL', virus: 'PASS', dmarc: 'pass' },
        report: { insatsnamn: `Fientlig ${SKRIPT}`, organisation: `${BILD} kommun` },
        bilagor: [
          { filnamn: `${SKRIPT}.pdf`, text: 'a' },
          { filnamn: `${BILD}.docx`, text: 'b' },
        ],
      }),
    );
    const s = await app.sessionFor('registrator');
    const dnr = encodeURIComponent(o.handling.diarienummer);
    const sidor = [
      `/kansli/diarium?q=fientlig`,
      `/kansli/arende/${o.handling.arende}`,
      ...['makulera', 'ankomstdatum', 'frige', 'klass', 'sekretess'].map(
        (a) => `/kansli/handling/${dnr}/${a}`,
      ),
      `/kansli/arende/${o.handling.arende}/avsluta`,
      // The address itself is hostile: echoed in the 404 message.
      `/kansli/arende/${encodeURIComponent(SKRIPT)}`,
      `/kansli/handling/${encodeURIComponent(BILD)}/makulera`,
    ];
    for (const sida of sidor) {
      const body = await (await get(`${app.base}${sida}`, s.cookie)).text();
      expect(body, sida).not.toMatch(/<script|<img/i);
    }
    const arende = await (await get(`${app.base}/kansli/arende/${o.handling.arende}`, s.cookie)).text();
    expect(arende).toContain('&#60;script&#62;alert(1)&#60;/script&#62;.pdf');
    expect(arende).toContain('&#34;&#62;&#60;img src=x onerror=alert(2)&#62;.docx');
    const fel = await post(`${app.base}/kansli/handling/${dnr}/sekretess`, s.cookie, {
      csrf: s.csrf,
      osl: SKRIPT,
      publik: BILD,
      skal: SKRIPT,
      bekraftat: 'ja',
    });
    // Refused (no OSL provision) and shown again with what was written, escaped.
    expect(fel.status).toBe(409);
    expect(await fel.text()).not.toMatch(/<script|<img/i);
  });
});

describe('strict CSP on every kind of answer', () => {
  it('sends the CSP without script and with the page style by hash on pages, refusals and errors', async () => {
    const o = await app.register(mail());
    const reg = await app.sessionFor('registrator');
    const las = await app.sessionFor('lasare');
    const dnr = o.handling.diarienummer;
    const svar: [string, Response][] = [
      ['lista', await get(`${app.base}/kansli/diarium`, reg.cookie)],
      ['ärende', await get(`${app.base}/kansli/arende/${o.handling.arende}`, reg.cookie)],
      ['bekräftelse', await get(`${app.base}/kansli/handling/${dnr}/makulera`, reg.cookie)],
      ['403', await get(`${app.base}/kansli/handling/${dnr}/makulera`, las.cookie)],
      ['404', await get(`${app.base}/kansli/finns-inte`, reg.cookie)],
      ['400 datum', await get(`${app.base}/kansli/diarium?fran=igar`, reg.cookie)],
      ['400 csrf', await post(`${app.base}/kansli/handling/${dnr}/makulera`, reg.cookie, {})],
      ['401', await post(`${app.base}/kansli/handling/${dnr}/makulera`, 'kansli=x', {})],
      [
        '403 annan webbplats',
        await post(`${app.base}/kansli/logga-ut`, reg.cookie, {}, { 'sec-fetch-site': 'cross-site' }),
      ],
      ['400 inloggning', await get(`${app.base}/kansli/inloggad?code=x&state=y`)],
      ['utloggad', await post(`${app.base}/kansli/logga-ut`, reg.cookie, { csrf: reg.csrf })],
    ];
    for (const [namn, r] of svar) {
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp, namn).toMatch(
        /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/,
      );
      expect(r.headers.get('cache-control'), namn).toBe('no-store');
      expect(r.headers.get('x-content-type-options'), namn).toBe('nosniff');
      const body = await r.text();
      expect(body, namn).not.toMatch(/<script|<[a-z][^>]*\son[a-z]+=/i);
      // The one inline style is the one the policy's hash allows.
      const style = /<style>([\s\S]*?)<\/style>/.exec(body)?.[1] ?? '';
      expect(csp, namn).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    }
  });
});

describe('cookies on an https address (as on AWS)', () => {
  it('names them __Host- and marks them Secure, and does not take the plain local cookie', async () => {
    const base = 'https://kansli.example';
    const handler = makeHandler({
      ...app.deps,
      oidc: openIdClient({
        issuer: app.issuer,
        clientId: LOCAL_OIDC_CLIENT_ID,
        redirectUri: `${base}/kansli/inloggad`,
      }),
      config: { baseUrl: `${base}/kansli`, sessionSeconds: 3600 },
    });
    const ev = (method: string, rawPath: string, cookies: string[] = [], body?: string) => ({
      rawPath,
      rawQueryString: '',
      cookies,
      requestContext: { http: { method }, domainName: 'kansli.example' },
      headers: {
        host: 'kansli.example',
        'sec-fetch-site': 'same-origin',
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body ? { body } : {}),
      isBase64Encoded: false,
    });
    const call = async (e: ReturnType<typeof ev>) =>
      (await handler(e, {} as never)) as {
        statusCode: number;
        cookies?: string[];
        headers?: Record<string, string>;
      };

    const start = await call(ev('GET', '/kansli/logga-in'));
    expect(start.statusCode).toBe(303);
    expect(start.cookies?.[0]).toMatch(
      /^__Host-kansli-login=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600; Secure$/,
    );
    expect(start.headers?.['location']).toContain(encodeURIComponent(`${base}/kansli/inloggad`));

    const s = await app.sessionFor('registrator');
    const id = s.cookie.slice('kansli='.length);
    // The local cookie name is not read on https: only the __Host- one (bound to this host, Secure).
    expect((await call(ev('GET', '/kansli/diarium', [`kansli=${id}`]))).statusCode).toBe(303);
    expect((await call(ev('GET', '/kansli/diarium', [`__Host-kansli=${id}`]))).statusCode).toBe(200);
    const ut = await call(
      ev(
        'POST',
        '/kansli/logga-ut',
        [`__Host-kansli=${id}`],
        new URLSearchParams({ csrf: s.csrf }).toString(),
      ),
    );
    expect(ut.statusCode).toBe(200);
    expect(ut.cookies).toEqual(['__Host-kansli=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure']);
    const sessionHash = createHash('sha256').update(id).digest('hex');
    expect(await app.sessions.getSession(sessionHash, new Date())).toBeNull();
  });
});
