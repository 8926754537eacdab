import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { ankomstdatum } from '../../domain/diarium/ankomstdatum.js';
import { HANDELSE } from '../../domain/diarium/audit.js';
import { DiariumRegelError, HandlingNotFoundError } from '../../domain/diarium/errors.js';
import type { DiariumReader, HandlingRegistry, InsatsRegister } from '../../domain/diarium/ports.js';
import {
  RegistreringError,
  registreraHandling,
  type RegistreraInput,
} from '../../domain/diarium/registrera.js';
import type { DocumentFiler } from '../../domain/document-archive.js';
import { harRatt, loggNamn, type Person } from '../../domain/kansli/roller.js';
import type { Log } from '../../domain/log.js';
import { meddelandeSida, type Inloggad } from '../pages/kansli-pages.js';
import { MAX_WEBBFIL } from './multipart.js';
import { registreradSida, registreraSida, type RegistreraVarden } from '../pages/kansli-registrera-pages.js';

/** What registering by hand needs beyond the application's reading of the diarium. */
export interface KansliRegistrering {
  registry: HandlingRegistry;
  insatser: Pick<InsatsRegister, 'listInsatser'>;
  /** The records store (handlingar/ with Object Lock retention). */
  documents: DocumentFiler;
  serie: string;
}

export interface RegistreraCtx {
  registrering: KansliRegistrering;
  repo: Pick<DiariumReader, 'getArende' | 'findArendeByInsatsnyckel' | 'getHandling' | 'getArendeDetaljer'>;
  clock: () => Date;
  log: Log;
  who: Inloggad;
  person: Person;
  html: (statusCode: number, body: string) => APIGatewayProxyStructuredResultV2;
  redirect: (location: string) => APIGatewayProxyStructuredResultV2;
  forbidden: () => APIGatewayProxyStructuredResultV2;
}

const filSchema = z.object({ filename: z.string(), content: z.instanceof(Buffer) });
const nyNyckel = () => randomBytes(24).toString('base64url');

async function formSida(
  ctx: RegistreraCtx,
  status: number,
  opts: { varden?: RegistreraVarden; fel?: RegistreraFelArgs; nyckel?: string; meddelande?: string } = {},
) {
  const insatser = await ctx.registrering.insatser.listInsatser();
  return ctx.html(
    status,
    registreraSida({
      who: ctx.who,
      nyckel: opts.nyckel ?? nyNyckel(),
      idag: ankomstdatum(ctx.clock().toISOString()),
      maxFilstorlek: MAX_WEBBFIL,
      insatser: [...insatser].sort((a, b) => a.namn.localeCompare(b.namn, 'sv')),
      ...(opts.varden ? { varden: opts.varden } : {}),
      ...(opts.fel ? { fel: opts.fel } : {}),
      ...(opts.meddelande ? { meddelande: opts.meddelande } : {}),
    }),
  );
}
type RegistreraFelArgs = RegistreringError['falt'];

/** GET /kansli/registrera (the form) and /kansli/registrerad/<dnr> (the result); null for other paths. */
export async function registreraGet(
  ctx: RegistreraCtx,
  path: string,
  query: URLSearchParams,
): Promise<APIGatewayProxyStructuredResultV2 | null> {
  if (path === '/kansli/registrera') {
    if (!harRatt(ctx.person, 'registrera')) return ctx.forbidden();
    const typ = query.get('typ') ?? '';
    return formSida(ctx, 200, {
      varden: {
        arende: (query.get('arende') ?? '').slice(0, 30),
        ...(typ ? { typ: typ.slice(0, 20) } : {}),
      },
    });
  }
  const m = /^\/kansli\/registrerad\/([^/]+)$/.exec(path);
  if (!m) return null;
  if (!harRatt(ctx.person, 'registrera')) return ctx.forbidden();
  let dnr: string;
  try {
    dnr = decodeURIComponent(m[1]!);
  } catch {
    dnr = '';
  }
  const h = dnr ? await ctx.repo.getHandling(dnr) : null;
  if (!h)
    return ctx.html(
      404,
      meddelandeSida('Handlingen finns inte', 'Handlingen finns inte i diariet.', ctx.who),
    );
  const d = await ctx.repo.getArendeDetaljer(h.arende);
  const registrering =
    d?.logg.find((l) => l.handelse === HANDELSE.handlingRegistrerad && l.data['handling'] === dnr) ?? null;
  return ctx.html(200, registreradSida({ who: ctx.who, handling: h, registrering, igen: query.has('igen') }));
}

/** POST /kansli/registrera (CSRF and the cross-site check already passed); null for other paths. */
export async function registreraPost(
  ctx: RegistreraCtx,
  path: string,
  body: Record<string, unknown>,
): Promise<APIGatewayProxyStructuredResultV2 | null> {
  if (path !== '/kansli/registrera') return null;
  if (!harRatt(ctx.person, 'registrera')) return ctx.forbidden();
  const s = (k: string) => (typeof body[k] === 'string' ? body[k] : '');
  const varden: RegistreraVarden = {
    typ: s('typ'),
    namn: s('namn'),
    organisation: s('organisation'),
    epost: s('epost'),
    postadress: s('postadress'),
    datum: s('datum'),
    beskrivning: s('beskrivning'),
    arende: s('arende'),
    arendemening: s('arendemening'),
    insats: s('insats'),
    klass: s('klass'),
    satt: s('satt'),
  };
  const nyckel = s('nyckel');
  if (body['bekraftat'] !== 'ja')
    return formSida(ctx, 400, {
      varden,
      nyckel,
      meddelande: 'Bekräfta registreringen genom att kryssa i rutan. Välj filen igen innan du skickar.',
    });
  const fil = filSchema.safeParse(body['fil']);
  const input: RegistreraInput = {
    typ: varden.typ ?? '',
    namn: varden.namn ?? '',
    organisation: varden.organisation ?? '',
    epost: varden.epost ?? '',
    postadress: varden.postadress ?? '',
    datum: varden.datum ?? '',
    beskrivning: varden.beskrivning ?? '',
    arende: varden.arende ?? '',
    arendemening: varden.arendemening ?? '',
    insats: varden.insats ?? '',
    klass: varden.klass ?? '',
    satt: varden.satt ?? '',
    fil: fil.success ? { filnamn: fil.data.filename, bytes: fil.data.content } : null,
    nyckel,
    av: loggNamn(ctx.person),
  };
  let r;
  try {
    r = await registreraHandling(
      {
        registry: ctx.registrering.registry,
        reader: ctx.repo,
        insatser: ctx.registrering.insatser,
        documents: ctx.registrering.documents,
        clock: ctx.clock,
        serie: ctx.registrering.serie,
        maxFilstorlek: MAX_WEBBFIL,
      },
      input,
    );
  } catch (err) {
    if (err instanceof RegistreringError) {
      ctx.log('info', 'Registrering avvisad', { falt: Object.keys(err.falt), sub: ctx.person.sub });
      return formSida(ctx, 400, { varden, fel: err.falt, nyckel });
    }
    if (err instanceof DiariumRegelError || err instanceof HandlingNotFoundError) {
      ctx.log('info', 'Registrering avvisad', { fel: err.message, sub: ctx.person.sub });
      return formSida(ctx, 409, { varden, nyckel, meddelande: err.message });
    }
    throw err;
  }
  ctx.log('info', 'Handling registrerad för hand', {
    diarienummer: r.handling.diarienummer,
    skapad: r.skapad,
    sub: ctx.person.sub,
  });
  return ctx.redirect(
    `/kansli/registrerad/${encodeURIComponent(r.handling.diarienummer)}${r.skapad ? '' : '?igen=1'}`,
  );
}
