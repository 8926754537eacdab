import middy from '@middy/core';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { tracer } from '../runtime/tracer.js';
import { securityHeaders } from '../runtime/security-headers.js';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { ankomstdatum } from '../../domain/diarium/ankomstdatum.js';
import type { DiariumReader } from '../../domain/diarium/ports.js';
import { postlistaRows } from '../../domain/diarium/postlista.js';
import { escapeHtml as e } from '../../domain/mail/templates.js';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const querySchema = z.object({ fran: date.optional(), till: date.optional() });
const eventSchema = z.object({
  queryStringParameters: z.record(z.string(), z.string().optional()).optional(),
});

/** The page's own headers; the generic security headers come from runtime/security-headers.ts (why the CSP is here). */
const HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'public, max-age=60',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
};

const DAY = 86_400_000;
/** One request reads at most a year: the page stays fast and the table is never read wholesale. */
const MAX_DAYS = 366;

/** The public postlista: what arrived, when, and what it concerns; no personal data of private individuals. */
export function makeHandler(deps: { repo: DiariumReader; clock: () => Date }) {
  return middy(async (event: unknown): Promise<APIGatewayProxyStructuredResultV2> => {
    const q = querySchema.safeParse(eventSchema.parse(event).queryStringParameters ?? {});
    if (!q.success)
      return { statusCode: 400, headers: { ...HEADERS }, body: '<p>Ange datum som ÅÅÅÅ-MM-DD.</p>' };
    // "Today" is the Swedish date: between 22:00/23:00 UTC and midnight the UTC date is yesterday's.
    const today = ankomstdatum(deps.clock().toISOString());
    const till = q.data.till ?? today;
    const fran = q.data.fran ?? new Date(Date.parse(till) - 30 * DAY).toISOString().slice(0, 10);
    const span = (Date.parse(till) - Date.parse(fran)) / DAY;
    if (Number.isNaN(span) || span < 0 || span > MAX_DAYS) {
      return {
        statusCode: 400,
        headers: { ...HEADERS },
        body: `<p>Välj ett intervall på högst ${MAX_DAYS} dagar, med från-datum före till-datum.</p>`,
      };
    }
    const handlingar = await deps.repo.listDiarium(fran, till);
    const arenden = await deps.repo.getArenden(handlingar.map((h) => h.arende));
    const rows = postlistaRows(handlingar, arenden);
    const body = `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Postlista – Samordningsförbund Gävleborg</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}</style></head>
<body><h1>Postlista ${e(fran)} – ${e(till)}</h1><p>Inkomna och upprättade handlingar i Samordningsförbund Gävleborgs diarium. Uppgifter om enskilda personer visas inte.</p>
<form method="get"><label>Från <input name="fran" value="${e(fran)}"></label> <label>Till <input name="till" value="${e(till)}"></label> <button>Visa</button></form>
<table><thead><tr><th>Diarienummer</th><th>Ankomstdatum</th><th>Ärende</th><th>Avser</th><th>Avsändare</th><th>Status</th></tr></thead><tbody>
${rows.map((r) => `<tr><td>${e(r.diarienummer)}</td><td>${e(r.ankomstdatum)}</td><td>${e(r.arendemening)}</td><td>${e(r.avser)}</td><td>${e(r.avsandare)}</td><td>${e(r.status)}</td></tr>`).join('\n')}
</tbody></table><p>${rows.length} handlingar.</p></body></html>`;
    return { statusCode: 200, headers: { ...HEADERS }, body };
  })
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(securityHeaders());
}
