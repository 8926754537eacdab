import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import type { DiariumRepository } from '../../domain/diarium/ports.js';
import { postlistaRows } from '../../domain/diarium/postlista.js';
import { escapeHtml as e } from '../../domain/mail/templates.js';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const querySchema = z.object({ fran: date.optional(), till: date.optional() });
const eventSchema = z.object({
  queryStringParameters: z.record(z.string(), z.string().optional()).optional(),
});

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'public, max-age=60',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** The public postlista: what arrived, when, and what it concerns; no personal data of private individuals. */
export function makeHandler(deps: { repo: DiariumRepository; clock: () => Date }) {
  return middy(async (event: unknown): Promise<APIGatewayProxyStructuredResultV2> => {
    const q = querySchema.safeParse(eventSchema.parse(event).queryStringParameters ?? {});
    if (!q.success) return { statusCode: 400, headers: HEADERS, body: '<p>Ange datum som ÅÅÅÅ-MM-DD.</p>' };
    const today = deps.clock().toISOString().slice(0, 10);
    const till = q.data.till ?? today;
    const fran = q.data.fran ?? new Date(Date.parse(till) - 30 * 86_400_000).toISOString().slice(0, 10);
    const rows = postlistaRows(await deps.repo.listDiarium(fran, till));
    const body = `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Postlista – Samordningsförbund Gävleborg</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}</style></head>
<body><h1>Postlista ${e(fran)} – ${e(till)}</h1><p>Inkomna och upprättade handlingar i Samordningsförbund Gävleborgs diarium.</p>
<form method="get"><label>Från <input name="fran" value="${e(fran)}"></label> <label>Till <input name="till" value="${e(till)}"></label> <button>Visa</button></form>
<table><thead><tr><th>Diarienummer</th><th>Ankomstdatum</th><th>Avser</th><th>Avsändare</th><th>Status</th></tr></thead><tbody>
${rows.map((r) => `<tr><td>${e(r.diarienummer)}</td><td>${e(r.ankomstdatum)}</td><td>${e(r.avser)}</td><td>${e(r.avsandare)}</td><td>${e(r.status)}</td></tr>`).join('\n')}
</tbody></table><p>${rows.length} handlingar.</p></body></html>`;
    return { statusCode: 200, headers: HEADERS, body };
  });
}
