import { createHash } from 'node:crypto';
import { escapeHtml as e } from '../../domain/mail/templates.js';
import { svenskTidpunkt } from '../../domain/diarium/ankomstdatum.js';
import type { Handling } from '../../domain/diarium/types.js';
import type { Beslut, Lank } from '../../domain/granskning/types.js';
import { formatSek } from '../../domain/slutrapport/index.js';

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.5rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}
.varning{background:#fff4e5;border-left:4px solid #e67e00;padding:.5rem 1rem}.knappar{display:flex;gap:1rem;margin-top:1rem}
button{font-size:1rem;padding:.6rem 1.2rem;border-radius:4px;border:1px solid #333;cursor:pointer}
button.godkann{background:#1b5e20;color:#fff}button.komplettera{background:#fff}textarea{width:100%;min-height:6rem}
footer{margin-top:3rem;font-size:.85rem;color:#555}`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/**
 * The page's own headers; the generic security headers come from runtime/security-headers.ts, which explains why
 * the CSP is written out here. No scripts at all, only our own inline style by hash; forms post back to ourselves.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex, nofollow',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
};

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${e(title)} – Samordningsförbund Gävleborg</title><style>${STYLE}</style></head>
<body><main>${body}</main><footer>Samordningsförbund Gävleborg · Rapportflöde</footer></body></html>`;
}

export function beslutPage(args: {
  handling: Handling;
  lank: Lank;
  rapportUrl: string | null;
  fel?: string;
}): string {
  const { handling: h, lank } = args;
  const r = h.rapport.typ === 'slutrapport' ? h.rapport.slutrapport : null;
  const tid = r?.insatstid ?? null;
  const period = tid ? `${tid.start ?? '?'} – ${tid.slut ?? '?'}` : '–';
  const bev = r?.beviljadeMedel ?? null;
  const utn = r?.utnyttjadeMedel ?? null;
  const varningar = h.varningar.length
    ? `<div class="varning"><p><strong>Att notera:</strong></p><ul>${h.varningar.map((v) => `<li>${e(v.meddelande)}</li>`).join('')}</ul></div>`
    : '';
  return layout(
    `Granskning ${h.diarienummer}`,
    `<h1>Slutrapport ${e(h.diarienummer)}</h1>
<p>Hej ${e(lank.namn)} (${e(lank.organisation)}). Ta ställning till slutrapporten nedan. Sidan ändrar ingenting förrän du trycker på en knapp.</p>
<dl>
<dt>Insats</dt><dd>${e(r?.insatsnamn ?? h.beskrivning)}</dd>
<dt>Insatsägare</dt><dd>${e(r?.organisation ?? '–')}</dd>
<dt>Insatstid</dt><dd>${e(period)}</dd>
<dt>Beviljade medel</dt><dd>${bev === null ? '–' : e(formatSek(bev))}</dd>
<dt>Utnyttjade medel</dt><dd>${utn === null ? '–' : e(formatSek(utn))}</dd>
<dt>Ankomstdatum</dt><dd>${e(h.ankomstdatum)}</dd>
</dl>
${varningar}
${args.rapportUrl ? `<p><a href="${e(args.rapportUrl)}" rel="noreferrer">Öppna rapporten</a> (länken gäller i 15 minuter)</p>` : ''}
${args.fel ? `<p class="varning">${e(args.fel)}</p>` : ''}
<form method="post">
<input type="hidden" name="csrf" value="${e(lank.csrf)}">
<label for="kommentar">Kommentar (krävs vid begäran om komplettering)</label>
<textarea id="kommentar" name="kommentar" maxlength="4000"></textarea>
<div class="knappar">
<button class="godkann" type="submit" name="utfall" value="godkand">Godkänn</button>
<button class="komplettera" type="submit" name="utfall" value="komplettering">Begär komplettering</button>
</div>
</form>
<p>Länken är personlig och gäller till ${e(svenskTidpunkt(lank.giltigTill))}.</p>`,
  );
}

export function messagePage(title: string, text: string): string {
  return layout(title, `<h1>${e(title)}</h1><p>${e(text)}</p>`);
}

export function alreadyDecidedPage(beslut: Beslut | null): string {
  if (!beslut)
    return messagePage(
      'Redan besvarad',
      'Den här länken har redan använts. Varje länk kan bara användas en gång.',
    );
  const vad = beslut.utfall === 'godkand' ? 'godkänt rapporten' : 'begärt komplettering';
  return messagePage(
    'Redan besvarad',
    `${beslut.namn} (${beslut.organisation}) har redan ${vad} ${svenskTidpunkt(beslut.tidpunkt)}. Beslutet kan inte ändras via länken; kontakta kansliet vid behov.`,
  );
}

export function thanksPage(beslut: Beslut): string {
  const vad =
    beslut.utfall === 'godkand' ? 'Du har godkänt rapporten.' : 'Du har begärt komplettering av rapporten.';
  return messagePage(
    'Tack – ditt beslut är registrerat',
    `${vad} Registrerat ${svenskTidpunkt(beslut.tidpunkt)}.`,
  );
}
