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
import { recordBeslut, viewLink, type GranskningDeps } from '../../domain/granskning/use-cases.js';
import {
  PAGE_HEADERS,
  alreadyDecidedPage,
  beslutPage,
  messagePage,
  thanksPage,
} from '../pages/beslut-page.js';

const httpEventSchema = z.object({
  requestContext: z.object({ http: z.object({ method: z.string() }) }),
  pathParameters: z.record(z.string(), z.string().optional()).optional(),
  // An object once @middy/http-urlencode-body-parser has read a form; any other body is left as it came.
  body: z.unknown().optional(),
});

const formSchema = z.object({
  csrf: z.string().min(1),
  utfall: z.enum(['godkand', 'komplettering']),
  kommentar: z
    .string()
    .max(4000)
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

/** A POST to a granskning that has already been decided. */
const closedConflict = (m: string) =>
  page(
    409,
    messagePage(
      'Granskningen är avslutad',
      'Beredningsgruppen har redan fattat beslut om den här rapporten.',
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
          return page(200, alreadyDecidedPage(view.beslut), method);
        case 'avslutad':
          return page(
            200,
            messagePage(
              'Granskningen är avslutad',
              'Beredningsgruppen har redan fattat beslut om den här rapporten. Tack!',
            ),
            method,
          );
        case 'utgangen':
          return page(
            410,
            messagePage(
              'Länken har gått ut',
              'Länken är inte längre giltig. Kontakta kansliet om du vill lämna synpunkter.',
            ),
            method,
          );
        case 'oppen': {
          const fil = view.handling.filer.find((f) => f.rapport) ?? view.handling.filer[0];
          const url =
            method === 'GET' && fil ? await deps.store.presignedGetUrl(fil.nyckel, 900, fil.filnamn) : null;
          return page(200, beslutPage({ handling: view.handling, lank: view.lank, rapportUrl: url }), method);
        }
      }
    }
    if (method !== 'POST') {
      return {
        statusCode: 405,
        headers: { ...PAGE_HEADERS, allow: 'GET, HEAD, POST' },
        body: messagePage('Otillåten metod', 'Använd formuläret på sidan.'),
      };
    }

    if (view.typ === 'saknas') return notFound(method);
    if (view.typ === 'besvarad') return page(409, alreadyDecidedPage(view.beslut), method);
    if (view.typ === 'avslutad') return closedConflict(method);
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
    if (form.data.utfall === 'komplettering' && !form.data.kommentar) {
      return page(
        400,
        beslutPage({
          handling: view.handling,
          lank: view.lank,
          rapportUrl: null,
          fel: 'Skriv en kommentar om vad som behöver kompletteras.',
        }),
        method,
      );
    }
    const res = await recordBeslut(deps.granskning, view.lank, form.data.utfall, form.data.kommentar);
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
    return closedConflict(method);
  })
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(httpHeaderNormalizer())
    .use(formBody)
    .use(securityHeaders());
}
