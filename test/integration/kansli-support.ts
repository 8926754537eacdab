import type http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { DynamoGranskningRepository } from '../../functions/adapters/dynamo-granskning-repository.js';
import { DynamoBevakningStore } from '../../functions/adapters/dynamo-bevakning-store.js';
import { DynamoSessionStore } from '../../functions/adapters/dynamo-kansli-sessions.js';
import { DynamoDiariumSok } from '../../functions/adapters/dynamo-diarium/sok.js';
import { diariumTable } from '../../functions/adapters/dynamo-diarium/table.js';
import { S3LinkSigner } from '../../functions/adapters/s3-signed-requests.js';
import { makeHandler, type KansliDeps } from '../../functions/kansli/make-handler.js';
import { openIdClient } from '../../functions/kansli/oidc.js';
import { LOCAL_CREDENTIALS } from '../../local/aws/dynamodb-local.js';
import { freePort } from '../../local/aws/dynamodb-local.js';
import { startHttpApi } from '../../local/aws/http-api.js';
import { LOCAL_OIDC_CLIENT_ID, startOidcProvider } from '../../local/aws/oidc-provider.js';
import type { Roll } from '../../domain/kansli/roller.js';
import { fakeIngest, ingestNow, type DiariumDb, type TestMailSpec } from './diarium-support.js';

/** The kansli application over HTTP, on a fresh table, with the local OIDC provider as its issuer. */
export async function startKansliApp(db: DiariumDb, opts: { clock?: () => Date } = {}) {
  const table = await db.newTable();
  const repo = db.repo(table);
  const ingest = fakeIngest(repo);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const oidc = await startOidcProvider({ port: 0, redirectUri: `${base}/kansli/inloggad` });
  const doc = db.doc();
  const sessions = new DynamoSessionStore(doc, table);
  const deps: KansliDeps = {
    repo,
    sok: new DynamoDiariumSok(diariumTable(doc, { tableName: table })),
    sessions,
    granskningar: new DynamoGranskningRepository(doc, table),
    links: new S3LinkSigner('inkorg', 'eu-west-1', 'http://127.0.0.1:4569', LOCAL_CREDENTIALS),
    events: ingest.deps.events,
    // No S3 here: registering with a file is tested on the local stack (kansli-registrera.test.ts).
    registrering: {
      registry: repo,
      insatser: repo,
      documents: { file: () => Promise.reject(new Error('ingen S3 i den här testmiljön')) },
      serie: 'SFG',
    },
    // No ingest queue here: reading a paper report is tested on the local stack (kansli-registrera.test.ts).
    lasning: { begarLasning: () => Promise.reject(new Error('ingen ingestkö i den här testmiljön')) },
    oidc: openIdClient({
      issuer: oidc.issuer,
      clientId: LOCAL_OIDC_CLIENT_ID,
      redirectUri: `${base}/kansli/inloggad`,
    }),
    insatser: {
      register: repo.insatser,
      repo,
      bevakning: new DynamoBevakningStore(doc, table),
      rapportDagar: 60,
      serie: 'SFG',
    },
    config: { baseUrl: `${base}/kansli`, sessionSeconds: 3600 },
    clock: opts.clock ?? (() => new Date()),
    log: () => undefined,
  };
  const handler = makeHandler(deps);
  const none = () => Promise.resolve({ statusCode: 404, body: '' });
  const server: http.Server = await startHttpApi({
    port,
    routes: { beslut: none, postlista: none, kansli: (ev) => handler(ev, {} as never) },
    status: () => ({ code: 404, body: null }),
    outboxUrl: 'http://127.0.0.1:1/',
  });
  const register = (m: TestMailSpec) => ingestNow(ingest.deps, ingest.deliver(m));
  return {
    base,
    issuer: oidc.issuer,
    /** The handler's dependencies, for a test that builds a handler of its own (another base address). */
    deps,
    table,
    repo,
    ingest,
    sessions,
    register,
    /** A session stored directly (as a login would), for tests that are not about the login itself. */
    sessionFor: (roll: Roll, utgar?: Date) => storeSession(sessions, roll, utgar),
    async stop() {
      await new Promise<void>((r) => server.close(() => r()));
      await oidc.close();
    },
  };
}

/** A small browser: a cookie jar (per name; every test host is 127.0.0.1) and redirects followed by hand. */
export class Klient {
  readonly jar = new Map<string, string>();

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...init.headers };
    if (this.jar.size) headers['cookie'] = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      redirect: 'manual',
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(c) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return { res, body: await res.text() };
  }

  /** Follows redirects from `url`; returns the last response. */
  async follow(url: string, init: Parameters<Klient['request']>[1] = {}) {
    let r = await this.request(url, init);
    let at = url;
    for (let i = 0; i < 20 && r.res.status >= 300 && r.res.status < 400; i++) {
      at = new URL(r.res.headers.get('location')!, at).href;
      r = await this.request(at);
    }
    return { ...r, url: at };
  }

  /** Logs in through the OIDC provider's login and consent forms as a demo user. */
  async loggaIn(base: string, anvandare: string) {
    let r = await this.follow(`${base}/kansli/logga-in`);
    for (let i = 0; i < 4 && /<form/.test(r.body) && !r.url.startsWith(base); i++) {
      const action = /<form[^>]*action="([^"]+)"/.exec(r.body)?.[1];
      const prompt = /name="prompt" value="([^"]+)"/.exec(r.body)?.[1] ?? '';
      if (!action) break;
      const form: Record<string, string> =
        prompt === 'login' ? { prompt, login: anvandare, password: 'demo' } : { prompt };
      r = await this.follow(new URL(action, r.url).href, { form });
    }
    return r;
  }
}

/**
 * Synthetic slutrapport mails for a test file: each file its own Message-ID prefix and insats name, so files
 * running side by side never share a source key.
 */
export function mailFactory(prefix: string, insats: string) {
  // `antal`: how many mails were made so far.
  const mail = Object.assign(
    (extra: Partial<TestMailSpec> = {}): TestMailSpec => {
      const n = ++mail.antal;
      return {
        messageId: `${prefix}${n}@exempelby.example`,
        from: 'sara.provperson@exempelby.example',
        fromName: 'Sara Provperson',
        subject: `Slutrapport ${n}`,
        receivedAt: new Date(Date.now() - 3600_000).toISOString(),
        report: { insatsnamn: `${insats} ${n}`, organisation: 'Exempelby kommun' },
        ...extra,
      };
    },
    { antal: 0 },
  );
  return mail;
}

/** A form POST as the kansli's own page sends it (same-origin), with a session's cookie. */
export const postForm = (
  url: string,
  s: { cookie: string } | undefined,
  form: Record<string, string>,
  headers: Record<string, string> = {},
) =>
  fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      ...(s ? { cookie: s.cookie } : {}),
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-site': 'same-origin',
      ...headers,
    },
    body: new URLSearchParams(form).toString(),
  });

/** A GET with a session's cookie (or none), redirects not followed. */
export const getAs = (url: string, s?: { cookie: string }) =>
  fetch(url, { redirect: 'manual', headers: s ? { cookie: s.cookie } : {} });

/** A session stored directly, as a login would store it, for tests that are not about the login itself. */
export async function storeSession(
  sessions: Pick<DynamoSessionStore, 'putSession'>,
  roll: Roll,
  utgar = new Date(Date.now() + 3600_000),
): Promise<{ cookie: string; csrf: string }> {
  const id = randomBytes(32).toString('base64url');
  const csrf = randomBytes(32).toString('base64url');
  await sessions.putSession(createHash('sha256').update(id).digest('hex'), {
    person: { sub: `test-${roll}`, namn: `Test ${roll}`, epost: `${roll}@kansli.example`, roller: [roll] },
    csrf,
    skapad: new Date().toISOString(),
    utgar: utgar.toISOString(),
  });
  return { cookie: `kansli=${id}`, csrf };
}
