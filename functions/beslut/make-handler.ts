import { crossSite } from '../runtime/cross-site.js';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpUrlencodeBodyParser from '@middy/http-urlencode-body-parser';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { tracer } from '../runtime/tracer.js';
import { securityHeaders } from '../runtime/security-headers.js';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import type { DocumentLinks } from '../../domain/diarium/ports.js';
import type { Log } from '../../domain/log.js';
import { isWellFormedLinkId, safeEqual } from '../../domain/granskning/links.js';
import {
  recordBeslut,
  viewLink,
  type GranskningDeps,
  type LinkView,
} from '../../domain/granskning/use-cases.js';
import type { Handling } from '../../domain/diarium/types.js';
import {
  PAGE_HEADERS,
  alreadyDecidedPage,
  avslutadPage,
  ersattPage,
  beslutPage,
  messagePage,
  thanksPage,
} from '../pages/beslut-page.js';

const httpEventSchema = z.object({
  requestContext: z.object({ http: z.object({ method: z.string() }), domainName: z.string().optional() }),
  headers: z.record(z.string(), z.string().optional()).optional(),
  pathParameters: z.record(z.string(), z.string().optional()).optional(),
  // An object once @middy/http-urlencode-body-parser has read a form; any other body is left as it came.
  body: z.unknown().optional(),
});

const formSchema = z.object({
  csrf: z.string().min(1),
  utfall: z.enum(['godkand', 'komplettering', 'jav']),
  kommentar: z
    .string()
    .max(4000)
    .transform((s) => s.trim() || null)
    .nullable()
    .default(null),
  javskal: z
    .string()
    .max(1000)
    .transform((s) => s.trim() || null)
    .nullable()
    .default(null),
});

export interface BeslutDeps {
  granskning: GranskningDeps;
  store: DocumentLinks;
  log: Log;
}

/**
 * A GET has no form: without a form content type the body is left alone instead of answered with 415. Typed as taking
 * any event: middy narrows the handler's event to a middleware's, and the handler takes `unknown` and parses it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const formBody: middy.MiddlewareObj<any> = httpUrlencodeBodyParser({
  disableContentTypeError: true,
});

function page(statusCode: number, body: string, method: string): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { ...PAGE_HEADERS }, body: method === 'HEAD' ? '' : body };
}

const notFound = (m: string) =>
  page(
    404,
    messagePage(
      'Länken hittades inte',
      'Länken är ogiltig. Kontrollera att du använt hela länken från mejlet.',
    ),
    m,
  );

/**
 * The method switch stays inline: one path and three methods, which @middy/http-router would only wrap.
 *
 * GET and HEAD only read (mail scanners and link previews open links on their own);
 * POST, with the page's CSRF value, records the decision exactly once.
 */
export function makeHandler(deps: BeslutDeps) {
  const policy = deps.granskning.config.policy;
  /** A short-lived link to the report's own file; none for a report pasted in the mail (never the raw mail). */
  const rapportUrl = async (h: Handling): Promise<string | null> => {
    const fil = h.filer.find((f) => f.rapport);
    return fil ? deps.store.presignedGetUrl(fil.nyckel, 900, fil.filnamn) : null;
  };
  const openPage = (
    view: Extract<LinkView, { typ: 'oppen' }>,
    url: string | null,
    extra: { fel?: string; kommentar?: string | null; javskal?: string | null } = {},
  ) =>
    beslutPage({
      handling: view.handling,
      lank: view.lank,
      rapportUrl: url,
      granskning: view.granskning,
      alla: view.alla,
      policy,
      tidigare: view.tidigare,
      ...extra,
    });
  const closedPage = (view: Extract<LinkView, { typ: 'avslutad' }>) =>
    avslutadPage({ granskning: view.granskning, handling: view.handling, alla: view.alla, policy });
  const answeredPage = (view: Extract<LinkView, { typ: 'besvarad' }>) =>
    view.granskning?.status === 'avgjord'
      ? avslutadPage({
          granskning: view.granskning,
          handling: null,
          alla: view.alla,
          policy,
          eget: view.beslut,
        })
      : alreadyDecidedPage(view.beslut);

  return middy(async (event: unknown): Promise<APIGatewayProxyStructuredResultV2> => {
    const ev = httpEventSchema.parse(event);
    const method = ev.requestContext.http.method.toUpperCase();
    const id = ev.pathParameters?.['id'] ?? '';
    // Never log a link id in full: it is a bearer secret.
    const logId = `${id.slice(0, 4)}…`;
    if (!isWellFormedLinkId(id)) return notFound(method);
    const view = await viewLink(deps.granskning, id);

    if (method === 'GET' || method === 'HEAD') {
      switch (view.typ) {
        case 'saknas':
          return notFound(method);
        case 'besvarad':
          return page(200, answeredPage(view), method);
        case 'avslutad':
          return page(200, closedPage(view), method);
        case 'ersatt':
          return page(200, ersattPage(view.nyVersion), method);
        case 'utgangen':
          return page(
            410,
            messagePage(
              'Länken har gått ut',
              'Länken är inte längre giltig. Kontakta kansliet om du vill lämna synpunkter.',
            ),
            method,
          );
        case 'oppen':
          return page(200, openPage(view, method === 'GET' ? await rapportUrl(view.handling) : null), method);
      }
    }
    if (method !== 'POST') {
      return {
        statusCode: 405,
        headers: { ...PAGE_HEADERS, allow: 'GET, HEAD, POST' },
        body: messagePage('Otillåten metod', 'Använd formuläret på sidan.'),
      };
    }

    if (crossSite(ev.headers ?? {}, ev.requestContext.domainName)) {
      deps.log('warn', 'Beslut från annan webbplats avvisat', {
        lank: logId,
        secFetchSite: ev.headers?.['sec-fetch-site'] ?? null,
        origin: ev.headers?.['origin'] ?? null,
        host: ev.headers?.['host'] ?? ev.requestContext.domainName ?? null,
      });
      return page(
        403,
        messagePage(
          'Otillåten begäran',
          'Beslutet måste lämnas från sidan i länken. Öppna länken i mejlet och försök igen.',
        ),
        method,
      );
    }
    if (view.typ === 'saknas') return notFound(method);
    if (view.typ === 'besvarad') return page(409, answeredPage(view), method);
    if (view.typ === 'avslutad') return page(409, closedPage(view), method);
    // Gone for good: the version this link was for is no longer reviewed.
    if (view.typ === 'ersatt') return page(410, ersattPage(view.nyVersion), method);
    if (view.typ === 'utgangen')
      return page(
        410,
        messagePage('Länken har gått ut', 'Länken är inte längre giltig. Kontakta kansliet.'),
        method,
      );

    // Not a form (another content type: the body is still a string), a field missing or given twice: 400.
    const form = formSchema.safeParse(ev.body ?? {});
    if (!form.success || !safeEqual(form.data.csrf, view.lank.csrf)) {
      deps.log('warn', 'Ogiltigt formulär för beslut', { lank: logId });
      return page(
        400,
        messagePage(
          'Ogiltig begäran',
          'Formuläret kunde inte tas emot. Öppna länken i mejlet igen och försök på nytt.',
        ),
        method,
      );
    }
    const { utfall, kommentar, javskal } = form.data;
    const saknas =
      utfall === 'komplettering' && !kommentar
        ? 'Skriv en kommentar om vad som behöver kompletteras.'
        : utfall === 'jav' && !javskal
          ? 'Skriv kort varför du är jävig.'
          : null;
    if (saknas) {
      // The page comes back whole: the report, the link to the file and what was typed.
      return page(
        400,
        openPage(view, await rapportUrl(view.handling), {
          fel: saknas,
          kommentar,
          ...(utfall === 'jav' ? { javskal } : {}),
        }),
        method,
      );
    }
    const res = await recordBeslut(
      deps.granskning,
      view.lank,
      utfall,
      utfall === 'jav' ? javskal : kommentar,
    );
    if ('typ' in res) {
      deps.log('info', 'Beslut registrerat', {
        lank: logId,
        utfall: res.beslut.utfall,
        avgjort: res.avgjort,
      });
      return page(200, thanksPage(res.beslut), method);
    }
    if (res.orsak === 'redan-besvarad') return page(409, alreadyDecidedPage(res.tidigare), method);
    if (res.orsak === 'utgangen')
      return page(410, messagePage('Länken har gått ut', 'Länken är inte längre giltig.'), method);
    if (res.orsak === 'andrad')
      return page(
        503,
        messagePage('Försök igen', 'Många svar kom samtidigt. Ditt svar registrerades inte; försök igen.'),
        method,
      );
    // Decided while this answer was on its way: refused, and the outcome shown.
    const after = await viewLink(deps.granskning, id);
    if (after.typ === 'avslutad') return page(409, closedPage(after), method);
    if (after.typ === 'ersatt') return page(410, ersattPage(after.nyVersion), method);
    return page(
      409,
      messagePage(
        'Granskningen är avslutad',
        'Beredningsgruppen har redan fattat beslut om den här rapporten.',
      ),
      method,
    );
  })
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(httpHeaderNormalizer())
    .use(formBody)
    .use(securityHeaders());
}
