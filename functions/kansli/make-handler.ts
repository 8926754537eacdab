import { crossSite } from '../runtime/cross-site.js';
import { createHash, randomBytes } from 'node:crypto';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpUrlencodeBodyParser from '@middy/http-urlencode-body-parser';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { DiariumRegelError, HandlingNotFoundError } from '../../domain/diarium/errors.js';
import {
  ateroppnaArende,
  avslutaArende,
  frigeHandling,
  havSekretess,
  korrigeraAnkomstdatum,
  makuleraHandling,
  markeraSekretess,
  verifieraArende,
} from '../../domain/diarium/kansli.js';
import { andraKlass, parseKlass } from '../../domain/klassning/kansli.js';
import type {
  ArendeLog,
  DiariumReader,
  DocumentLinks,
  EventPublisher,
  HandlingFlytt,
  InsatsRegister,
} from '../../domain/diarium/ports.js';
import { anteckningarI } from '../../domain/diarium/anteckningar.js';
import { HANDELSE } from '../../domain/diarium/audit.js';
import { anteckningarSektion } from '../pages/kansli-flytta-pages.js';
import {
  ANTECKNING_PATH,
  FLYTTA_PATH,
  anteckningGet,
  anteckningPost,
  flyttaGet,
  flyttaPost,
  type FlyttKontext,
} from './flytta.js';
import { safeEqual } from '../../domain/granskning/links.js';
import { granskningIdFor } from '../../domain/granskning/policy.js';
import type { GranskningRepository } from '../../domain/granskning/ports.js';
import type { Log } from '../../domain/log.js';
import type { Handling } from '../../domain/diarium/types.js';
import { harRatt, loggNamn, rollerAv, type Person, type Ratt } from '../../domain/kansli/roller.js';
import type { SessionStore } from '../../domain/kansli/session.js';
import type { DiariumSok } from '../../domain/kansli/sok.js';
import {
  KANSLI_HEADERS,
  arendeBekraftaSida,
  arendeSida,
  atgardRatt,
  bekraftaSida,
  isArendeAtgard,
  isAtgard,
  meddelandeSida,
  vidareSida,
  type Inloggad,
  type Varden,
} from '../pages/kansli-pages.js';
import { securityHeaders } from '../runtime/security-headers.js';
import type { Oidc } from './oidc.js';
import { registreraGet, registreraPost, type KansliRegistrering, type RegistreraCtx } from './registrera.js';
import type { InsatsKansliDeps } from '../../domain/diarium/insatsregister-kansli.js';
import { insatserRequest } from './insatser.js';
import { multipartBody, multipartFel } from './multipart.js';
import { randomNonce, randomState, randomVerifier } from './oidc.js';
import { diariumLista } from './lista.js';
import type { LasningKo } from '../../domain/ingest/las-in.js';
import { lasInGet, lasInPost, type LasInCtx } from './las-in.js';

export interface KansliDeps {
  repo: DiariumReader & ArendeLog & HandlingFlytt & Pick<InsatsRegister, 'listInsatser'>;
  sok: DiariumSok;
  sessions: SessionStore;
  granskningar: Pick<GranskningRepository, 'get' | 'listBeslut'>;
  links: DocumentLinks;
  events: EventPublisher;
  oidc: Oidc;
  /** Registering a handling by hand (functions/kansli/registrera.ts). */
  registrering: KansliRegistrering;
  /** The insats register pages (functions/kansli/insatser.ts). */
  insatser: InsatsKansliDeps;
  /** Asking the ingest to read a paper report registered by hand (functions/kansli/las-in.ts). */
  lasning: LasningKo;
  config: {
    /** The application's own address (https on AWS), e.g. https://…/kansli: decides Secure and the redirect URI. */
    baseUrl: string;
    sessionSeconds: number;
  };
  clock: () => Date;
  log: Log;
}

const eventSchema = z.object({
  rawPath: z.string(),
  rawQueryString: z.string().optional(),
  cookies: z.array(z.string()).optional(),
  requestContext: z.object({ http: z.object({ method: z.string() }), domainName: z.string().optional() }),
  headers: z.record(z.string(), z.string().optional()).optional(),
  body: z.unknown().optional(),
});

const LOGIN_SECONDS = 600;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const random = () => randomBytes(32).toString('base64url');

function cookiesOf(ev: z.infer<typeof eventSchema>): Map<string, string> {
  // API Gateway (payload 2.0) moves the Cookie header into `cookies`; read either.
  const parts = ev.cookies ?? (ev.headers?.['cookie'] ?? '').split(';');
  const m = new Map<string, string>();
  for (const p of parts) {
    const i = p.indexOf('=');
    if (i > 0) m.set(p.slice(0, i).trim(), p.slice(i + 1).trim());
  }
  return m;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const formBody: middy.MiddlewareObj<any> = httpUrlencodeBodyParser({ disableContentTypeError: true });

/** The kansli's diarium application: login (OIDC code flow with PKCE), the list, the ärende, the actions. */
export function makeHandler(deps: KansliDeps) {
  const base = new URL(deps.config.baseUrl);
  const secure = base.protocol === 'https:';
  // __Host- binds the cookie to this host and path / (only allowed with Secure).
  const SESSION = secure ? '__Host-kansli' : 'kansli';
  const LOGIN = secure ? '__Host-kansli-login' : 'kansli-login';
  const attrs = (sameSite: 'Strict' | 'Lax', maxAge: number) =>
    `Path=/; HttpOnly; SameSite=${sameSite}; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
  const redirectUri = `${base.origin}/kansli/inloggad`;

  const html = (
    statusCode: number,
    body: string,
    cookies: string[] = [],
  ): APIGatewayProxyStructuredResultV2 => ({
    statusCode,
    headers: { ...KANSLI_HEADERS },
    body,
    ...(cookies.length ? { cookies } : {}),
  });
  const redirect = (location: string, cookies: string[] = []): APIGatewayProxyStructuredResultV2 => ({
    statusCode: 303,
    headers: { location, 'cache-control': 'no-store' },
    ...(cookies.length ? { cookies } : {}),
  });

  /** Correcting the class or the public text: only what the form changed is passed to the use case. */
  async function rattaKlass(h: Handling, v: Varden, av: string): Promise<void> {
    const skal = (v.skal ?? '').trim();
    if (!skal) throw new DiariumRegelError('Skäl för ändringen måste anges.');
    const klass = v.klass ? parseKlass(v.klass) : undefined;
    const publik = (v.publik ?? '').trim();
    const nyKlass = klass !== undefined && klass !== (h.klassning?.klass ?? 'allman-handling');
    const nyText = publik !== (h.klassning?.publikText ?? '');
    if (!nyKlass && !nyText) throw new DiariumRegelError('Ändra klassen eller den offentliga texten.');
    await andraKlass({ repo: deps.repo, events: deps.events }, h.diarienummer, {
      ...(nyKlass ? { klass } : {}),
      ...(nyText ? { publikText: publik } : {}),
      skal,
      av,
    });
  }

  /** Closing or reopening an ärende: the registrator's right, a confirmation and a reason. */
  async function arendeAtgardPost(
    m: RegExpExecArray,
    body: Record<string, unknown>,
    person: Person,
    who: Inloggad,
    forbidden: () => APIGatewayProxyStructuredResultV2,
  ): Promise<APIGatewayProxyStructuredResultV2> {
    const dnr = decodeURIComponent(m[1]!);
    const atgard = m[2]!;
    if (!isArendeAtgard(atgard))
      return html(404, meddelandeSida('Sidan finns inte', 'Åtgärden finns inte.', who));
    if (!harRatt(person, 'avsluta')) return forbidden();
    const a = await deps.repo.getArende(dnr);
    if (!a)
      return html(404, meddelandeSida('Ärendet finns inte', `Ärendet ${dnr} finns inte i diariet.`, who));
    const skal = typeof body['skal'] === 'string' ? body['skal'] : '';
    if (body['bekraftat'] !== 'ja')
      return html(
        400,
        arendeBekraftaSida({
          who,
          arende: a,
          atgard,
          skal,
          fel: 'Bekräfta åtgärden genom att kryssa i rutan.',
        }),
      );
    const kdeps = { repo: deps.repo, clock: deps.clock };
    const av = loggNamn(person);
    try {
      if (atgard === 'avsluta') await avslutaArende(kdeps, dnr, { skal, av });
      else await ateroppnaArende(kdeps, dnr, { skal, av });
    } catch (err) {
      if (err instanceof DiariumRegelError || err instanceof HandlingNotFoundError)
        return html(409, arendeBekraftaSida({ who, arende: a, atgard, skal, fel: err.message }));
      throw err;
    }
    deps.log('info', 'Åtgärd utförd', { atgard, arende: dnr, sub: person.sub });
    return redirect(`/kansli/arende/${encodeURIComponent(dnr)}?klart=${atgard}`);
  }

  async function handle(ev: z.infer<typeof eventSchema>): Promise<APIGatewayProxyStructuredResultV2> {
    const method = ev.requestContext.http.method.toUpperCase();
    const path = ev.rawPath.replace(/\/+$/, '') || '/';
    const query = new URLSearchParams(ev.rawQueryString ?? '');
    const headers = ev.headers ?? {};
    const cookies = cookiesOf(ev);
    const nu = deps.clock();

    if (path === '/kansli/logga-in' && method === 'GET') {
      const state = randomState();
      const nonce = randomNonce();
      const verifier = randomVerifier();
      const t = query.get('tillbaka') ?? '';
      const tillbaka = /^\/kansli\/[\w./%?=&-]*$/.test(t) ? t : '/kansli/diarium';
      await deps.sessions.putInloggning(
        state,
        { nonce, verifier, tillbaka },
        new Date(nu.getTime() + LOGIN_SECONDS * 1000),
      );
      const url = await deps.oidc.authorizationUrl({ state, nonce, verifier });
      return redirect(url.href, [`${LOGIN}=${state}; ${attrs('Lax', LOGIN_SECONDS)}`]);
    }
    if (path === '/kansli/inloggad' && method === 'GET') {
      const state = query.get('state') ?? '';
      const cookieState = cookies.get(LOGIN) ?? '';
      const clear = `${LOGIN}=; ${attrs('Lax', 0)}`;
      // The state must be the one this browser started with (login CSRF), and is used once.
      const l = state && safeEqual(state, cookieState) ? await deps.sessions.takeInloggning(state, nu) : null;
      if (!l)
        return html(
          400,
          meddelandeSida(
            'Inloggningen misslyckades',
            'Inloggningen är ogiltig eller har gått ut. Försök igen.',
            null,
            { href: '/kansli/logga-in', text: 'Logga in' },
          ),
          [clear],
        );
      let id;
      try {
        const callback = new URL(`${redirectUri}?${ev.rawQueryString ?? ''}`);
        id = await deps.oidc.exchange(callback, { state, nonce: l.nonce, verifier: l.verifier });
      } catch (err) {
        deps.log('warn', 'Inloggning avvisad', { fel: err instanceof Error ? err.message : String(err) });
        return html(
          400,
          meddelandeSida(
            'Inloggningen misslyckades',
            'Identitetsleverantören gav inget giltigt svar. Försök igen.',
            null,
            { href: '/kansli/logga-in', text: 'Logga in' },
          ),
          [clear],
        );
      }
      const roller = rollerAv(id.grupper);
      if (roller.length === 0) {
        deps.log('warn', 'Inloggning utan roll', { sub: id.sub });
        return html(
          403,
          meddelandeSida(
            'Ingen behörighet',
            'Ditt konto har ingen roll i diariet. Kontakta kansliets administratör.',
          ),
          [clear],
        );
      }
      const sessionId = random();
      const person: Person = { sub: id.sub, namn: id.namn, epost: id.epost, roller };
      await deps.sessions.putSession(sha256(sessionId), {
        person,
        csrf: random(),
        skapad: nu.toISOString(),
        utgar: new Date(nu.getTime() + deps.config.sessionSeconds * 1000).toISOString(),
      });
      deps.log('info', 'Inloggad', { sub: id.sub, roller });
      return html(200, vidareSida(l.tillbaka), [
        clear,
        `${SESSION}=${sessionId}; ${attrs('Strict', deps.config.sessionSeconds)}`,
      ]);
    }

    // Everything else needs a valid session.
    const sid = cookies.get(SESSION);
    const session = sid ? await deps.sessions.getSession(sha256(sid), nu) : null;
    if (!session) {
      if (method === 'GET' || method === 'HEAD') {
        const tillbaka = `${path}${ev.rawQueryString ? `?${ev.rawQueryString}` : ''}`;
        return redirect(`/kansli/logga-in?tillbaka=${encodeURIComponent(tillbaka)}`);
      }
      return html(
        401,
        meddelandeSida('Inte inloggad', 'Din session är ogiltig eller har gått ut. Logga in igen.', null, {
          href: '/kansli/logga-in',
          text: 'Logga in',
        }),
      );
    }
    const who: Inloggad = { person: session.person, csrf: session.csrf };
    const forbidden = () =>
      html(
        403,
        meddelandeSida('Åtgärden är inte tillåten', 'Din roll har inte behörighet till det här.', who),
      );
    const reg: RegistreraCtx = {
      registrering: deps.registrering,
      repo: deps.repo,
      clock: deps.clock,
      log: deps.log,
      who,
      person: session.person,
      html: (status, body) => html(status, body),
      redirect: (location) => redirect(location),
      forbidden,
    };
    const flytt: FlyttKontext = { repo: deps.repo, log: deps.log, who, html, redirect, forbidden };
    const flyttM = FLYTTA_PATH.exec(path);
    const anteckningM = ANTECKNING_PATH.exec(path);
    const lasIn: LasInCtx = { ...reg, repo: deps.repo, lasning: deps.lasning };

    if (method === 'POST') {
      if (crossSite(headers, ev.requestContext.domainName)) {
        deps.log('warn', 'Begäran från annan webbplats avvisad', { path, origin: headers['origin'] ?? null });
        return html(
          403,
          meddelandeSida('Otillåten begäran', 'Begäran måste komma från diariets egna sidor.', who),
        );
      }
      const refused = multipartFel(ev.body, path, who, reg.html);
      if (refused) return refused;
      const body: Record<string, unknown> =
        typeof ev.body === 'object' && ev.body !== null ? (ev.body as Record<string, unknown>) : {};
      const csrf = typeof body['csrf'] === 'string' ? body['csrf'] : '';
      if (!csrf || !safeEqual(csrf, session.csrf)) {
        deps.log('warn', 'Ogiltig CSRF-token', { path, sub: session.person.sub });
        return html(
          400,
          meddelandeSida(
            'Ogiltig begäran',
            'Formuläret kunde inte tas emot. Ladda om sidan och försök igen.',
            who,
          ),
        );
      }
      if (path === '/kansli/logga-ut') {
        await deps.sessions.endSession(sha256(sid ?? ''), nu);
        return html(
          200,
          meddelandeSida('Du är utloggad', 'Du har loggat ut från diariet.', null, {
            href: '/kansli/logga-in',
            text: 'Logga in igen',
          }),
          [`${SESSION}=; ${attrs('Strict', 0)}`],
        );
      }
      const registrerad = await registreraPost(reg, path, body);
      if (registrerad) return registrerad;
      const insatsSvar = await insatserRequest(deps, {
        method: 'POST',
        path,
        query,
        body,
        person: session.person,
        who,
        html,
        redirect,
        forbidden,
      });
      if (insatsSvar) return insatsSvar;
      if (flyttM) return flyttaPost(flytt, decodeURIComponent(flyttM[1]!), body);
      if (anteckningM) return anteckningPost(flytt, decodeURIComponent(anteckningM[1]!), body);
      const inlasning = await lasInPost(lasIn, path, body);
      if (inlasning) return inlasning;
      const arendeAtgard = /^\/kansli\/arende\/([^/]+)\/([a-z]+)$/.exec(path);
      if (arendeAtgard) return arendeAtgardPost(arendeAtgard, body, session.person, who, forbidden);
      const m = /^\/kansli\/handling\/([^/]+)\/([a-z]+)$/.exec(path);
      if (!m) return html(404, meddelandeSida('Sidan finns inte', 'Adressen finns inte i diariet.', who));
      const dnr = decodeURIComponent(m[1]!);
      const atgard = m[2]!;
      if (!isAtgard(atgard))
        return html(404, meddelandeSida('Sidan finns inte', 'Åtgärden finns inte.', who));
      if (!harRatt(session.person, atgardRatt(atgard))) return forbidden();
      const h = await deps.repo.getHandling(dnr);
      if (!h)
        return html(
          404,
          meddelandeSida('Handlingen finns inte', `Handlingen ${dnr} finns inte i diariet.`, who),
        );
      const falt = (k: keyof Varden) => (typeof body[k] === 'string' ? body[k] : '');
      const skal = falt('skal');
      const varden: Varden = {
        skal,
        tid: falt('tid'),
        klass: falt('klass'),
        publik: falt('publik'),
        osl: falt('osl'),
      };
      if (body['bekraftat'] !== 'ja')
        return html(
          400,
          bekraftaSida({
            who,
            handling: h,
            atgard,
            fel: 'Bekräfta åtgärden genom att kryssa i rutan.',
            varden,
          }),
        );
      const av = loggNamn(session.person);
      const kdeps = { repo: deps.repo, clock: deps.clock };
      try {
        if (atgard === 'makulera') await makuleraHandling(kdeps, dnr, { skal, av });
        else if (atgard === 'ankomstdatum')
          await korrigeraAnkomstdatum(kdeps, dnr, { tid: varden.tid ?? '', skal, av });
        else if (atgard === 'klass') await rattaKlass(h, varden, av);
        else if (atgard === 'sekretess')
          await markeraSekretess(kdeps, dnr, {
            osl: varden.osl ?? '',
            publikText: varden.publik ?? '',
            skal,
            av,
          });
        else if (atgard === 'havsekretess') await havSekretess(kdeps, dnr, { skal, av });
        else await frigeHandling({ ...kdeps, events: deps.events }, dnr, { av });
      } catch (err) {
        if (err instanceof DiariumRegelError || err instanceof HandlingNotFoundError)
          return html(409, bekraftaSida({ who, handling: h, atgard, fel: err.message, varden }));
        throw err;
      }
      deps.log('info', 'Åtgärd utförd', { atgard, handling: dnr, sub: session.person.sub });
      return redirect(`/kansli/arende/${encodeURIComponent(h.arende)}?klart=${atgard}`);
    }
    if (method !== 'GET' && method !== 'HEAD')
      return { statusCode: 405, headers: { ...KANSLI_HEADERS, allow: 'GET, HEAD, POST' }, body: '' };
    if (!harRatt(session.person, 'las')) return forbidden();
    const sesSekretess = harRatt(session.person, 'las-sekretess');
    const registrera = await registreraGet(reg, path, query);
    if (registrera) return registrera;
    const insatsSida = await insatserRequest(deps, {
      method: 'GET',
      path,
      query,
      body: {},
      person: session.person,
      who,
      html,
      redirect,
      forbidden,
    });
    if (insatsSida) return insatsSida;
    const inlasning = await lasInGet(lasIn, path, query);
    if (inlasning) return inlasning;

    if (path === '/kansli' || path === '/kansli/diarium' || path === '/kansli/diarium.csv') {
      if (path === '/kansli') return redirect('/kansli/diarium');
      return diariumLista({
        sokIndex: deps.sok,
        insatser: deps.repo,
        who,
        sesSekretess,
        query,
        csv: path === '/kansli/diarium.csv',
        nu,
        log: deps.log,
      });
    }
    const arendeM = /^\/kansli\/arende\/([^/]+)$/.exec(path);
    if (arendeM) {
      const dnr = decodeURIComponent(arendeM[1]!);
      const d = await deps.repo.getArendeDetaljer(dnr);
      if (!d)
        return html(404, meddelandeSida('Ärendet finns inte', `Ärendet ${dnr} finns inte i diariet.`, who));
      const synliga = d.handlingar.filter((h) => sesSekretess || !h.sekretess);
      const dolda = new Set(d.handlingar.filter((h) => !synliga.includes(h)).map((h) => h.diarienummer));
      const verifiering = await verifieraArende(deps.repo, dnr);
      const handlingar = await Promise.all(
        synliga.map(async (h) => {
          // A moved handling's granskning (if any, it was decided before the move) is under its first number.
          let gid = granskningIdFor(h.diarienummer);
          if (h.flyttadFran && !(await deps.granskningar.get(gid)))
            gid = granskningIdFor(h.flyttadFran.ursprung);
          const [granskning, beslut] = await Promise.all([
            deps.granskningar.get(gid),
            deps.granskningar.listBeslut(gid),
          ]);
          // Short-lived links only for a role that may read every file.
          const lankar =
            sesSekretess && method === 'GET'
              ? new Map(
                  await Promise.all(
                    h.filer.map(
                      async (f) =>
                        [f.nyckel, await deps.links.presignedGetUrl(f.nyckel, 900, f.filnamn)] as const,
                    ),
                  ),
                )
              : null;
          return { handling: h, lankar, granskning, beslut };
        }),
      );
      const klart = query.get('klart');
      // Notes are working notes: only the roles that read everything see them (docs/kansli-flytta.md).
      const lasAnteckningar = harRatt(session.person, 'las-anteckningar');
      return html(
        200,
        arendeSida({
          who,
          arende: d.arende,
          handlingar,
          // A läsare sees no entry about a handling hidden from them (a reason may tell what is secret).
          logg: d.logg.filter(
            (l) =>
              (sesSekretess || !dolda.has(String(l.data['handling']))) &&
              (lasAnteckningar || l.handelse !== HANDELSE.anteckning),
          ),
          verifiering,
          dolda: d.handlingar.length - synliga.length,
          ...(klart && (isAtgard(klart) || isArendeAtgard(klart) || klart === 'anteckning')
            ? { meddelande: 'Åtgärden är utförd och skriven i ärendets logg.' }
            : klart === 'flytta'
              ? { meddelande: 'Handlingen är flyttad och flytten är skriven i båda ärendenas logg.' }
              : {}),
          ...(lasAnteckningar
            ? {
                tillagg: anteckningarSektion({
                  who,
                  arende: d.arende.diarienummer,
                  anteckningar: anteckningarI(d.logg),
                }),
              }
            : {}),
        }),
      );
    }
    if (flyttM) return flyttaGet(flytt, decodeURIComponent(flyttM[1]!));
    if (anteckningM) return anteckningGet(flytt, decodeURIComponent(anteckningM[1]!));
    const arendeAtgardM = /^\/kansli\/arende\/([^/]+)\/([a-z]+)$/.exec(path);
    if (arendeAtgardM && isArendeAtgard(arendeAtgardM[2]!)) {
      if (!harRatt(session.person, 'avsluta')) return forbidden();
      const a = await deps.repo.getArende(decodeURIComponent(arendeAtgardM[1]!));
      if (!a) return html(404, meddelandeSida('Ärendet finns inte', 'Ärendet finns inte i diariet.', who));
      return html(200, arendeBekraftaSida({ who, arende: a, atgard: arendeAtgardM[2] }));
    }
    const atgardM = /^\/kansli\/handling\/([^/]+)\/([a-z]+)$/.exec(path);
    if (atgardM && isAtgard(atgardM[2]!)) {
      const atgard = atgardM[2];
      if (!harRatt(session.person, atgardRatt(atgard) satisfies Ratt)) return forbidden();
      const h = await deps.repo.getHandling(decodeURIComponent(atgardM[1]!));
      if (!h)
        return html(404, meddelandeSida('Handlingen finns inte', 'Handlingen finns inte i diariet.', who));
      return html(200, bekraftaSida({ who, handling: h, atgard }));
    }
    return html(404, meddelandeSida('Sidan finns inte', 'Adressen finns inte i diariet.', who));
  }

  return middy(async (event: unknown): Promise<APIGatewayProxyStructuredResultV2> => {
    const ev = eventSchema.parse(event);
    const r = await handle(ev);
    return ev.requestContext.http.method.toUpperCase() === 'HEAD' ? { ...r, body: '' } : r;
  })
    .use(httpHeaderNormalizer())
    .use(formBody)
    .use(multipartBody())
    .use(securityHeaders());
}
