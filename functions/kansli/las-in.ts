import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DiariumRegelError, HandlingNotFoundError } from '../../domain/diarium/errors.js';
import type { ArendeLog, DiariumReader } from '../../domain/diarium/ports.js';
import { begarInlasning, lasInHinder, type LasningKo } from '../../domain/ingest/las-in.js';
import { harRatt, loggNamn, type Person } from '../../domain/kansli/roller.js';
import type { Log } from '../../domain/log.js';
import { meddelandeSida, type Inloggad } from '../pages/kansli-pages.js';
import { lasInBegardSida, lasInSida } from '../pages/kansli-las-in-pages.js';

export interface LasInCtx {
  repo: Pick<DiariumReader, 'getHandling'> & Pick<ArendeLog, 'appendLog'>;
  lasning: LasningKo;
  clock: () => Date;
  log: Log;
  who: Inloggad;
  person: Person;
  html: (statusCode: number, body: string) => APIGatewayProxyStructuredResultV2;
  redirect: (location: string) => APIGatewayProxyStructuredResultV2;
  forbidden: () => APIGatewayProxyStructuredResultV2;
}

const PATH = /^\/kansli\/las-in\/([^/]+)$/;

function dnrOf(m: RegExpExecArray): string {
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return '';
  }
}

const saknas = (ctx: LasInCtx) =>
  ctx.html(404, meddelandeSida('Handlingen finns inte', 'Handlingen finns inte i diariet.', ctx.who));

/** GET /kansli/las-in/<dnr>: the confirmation (or, after the request, where the result shows); null for other paths. */
export async function lasInGet(
  ctx: LasInCtx,
  path: string,
  query: URLSearchParams,
): Promise<APIGatewayProxyStructuredResultV2 | null> {
  const m = PATH.exec(path);
  if (!m) return null;
  if (!harRatt(ctx.person, 'las-in')) return ctx.forbidden();
  const dnr = dnrOf(m);
  const h = dnr ? await ctx.repo.getHandling(dnr) : null;
  if (!h) return saknas(ctx);
  if (query.has('begard')) return ctx.html(200, lasInBegardSida({ who: ctx.who, handling: h }));
  const hinder = lasInHinder(h);
  return ctx.html(
    hinder ? 409 : 200,
    lasInSida({ who: ctx.who, handling: h, ...(hinder ? { fel: hinder } : {}) }),
  );
}

/** POST /kansli/las-in/<dnr> (CSRF and the cross-site check already passed); null for other paths. */
export async function lasInPost(
  ctx: LasInCtx,
  path: string,
  body: Record<string, unknown>,
): Promise<APIGatewayProxyStructuredResultV2 | null> {
  const m = PATH.exec(path);
  if (!m) return null;
  if (!harRatt(ctx.person, 'las-in')) return ctx.forbidden();
  const dnr = dnrOf(m);
  const h = dnr ? await ctx.repo.getHandling(dnr) : null;
  if (!h) return saknas(ctx);
  if (body['bekraftat'] !== 'ja')
    return ctx.html(
      400,
      lasInSida({ who: ctx.who, handling: h, fel: 'Bekräfta åtgärden genom att kryssa i rutan.' }),
    );
  try {
    await begarInlasning({ repo: ctx.repo, ko: ctx.lasning, clock: ctx.clock }, dnr, {
      av: loggNamn(ctx.person),
    });
  } catch (err) {
    if (err instanceof DiariumRegelError || err instanceof HandlingNotFoundError) {
      ctx.log('info', 'Inläsning avvisad', { handling: dnr, fel: err.message, sub: ctx.person.sub });
      return ctx.html(409, lasInSida({ who: ctx.who, handling: h, fel: err.message }));
    }
    throw err;
  }
  ctx.log('info', 'Åtgärd utförd', { atgard: 'las-in', handling: dnr, sub: ctx.person.sub });
  return ctx.redirect(`/kansli/las-in/${encodeURIComponent(dnr)}?begard=1`);
}
