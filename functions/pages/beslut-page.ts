import { createHash } from 'node:crypto';
import { escapeHtml as e } from '../../domain/mail/templates.js';
import { svenskTidpunkt } from '../../domain/diarium/ankomstdatum.js';
import type { Handling } from '../../domain/diarium/types.js';
import type { Beslut, BeslutPolicy, Granskning, Lank, Slututfall } from '../../domain/granskning/types.js';
import { beslutsregel, kravdaGodkannanden } from '../../domain/granskning/policy.js';
import type { TidigareOmgang } from '../../domain/granskning/historik.js';
import { SUBSECTIONS } from '../../domain/slutrapport/template.js';
import { lastMedOcr, rapportHtml, t } from './rapport-html.js';

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:42rem;margin:1rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5;overflow-wrap:anywhere}
h1{font-size:1.5rem}h2{font-size:1.25rem;margin-top:2rem;border-top:1px solid #ccc;padding-top:1rem}h3{font-size:1.1rem;margin-top:1.5rem}h4{font-size:1rem;margin:1rem 0 .25rem}
dl{display:grid;grid-template-columns:minmax(6rem,max-content) minmax(0,1fr);gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
.varning{background:#fff4e5;border-left:4px solid #b35c00;padding:.5rem 1rem}.fel{background:#fdecea;border-left:4px solid #b00020;padding:.5rem 1rem}
.knappar{display:flex;flex-wrap:wrap;gap:1rem;margin-top:1rem}
button{font-size:1rem;padding:.6rem 1.2rem;border-radius:4px;border:1px solid #333;cursor:pointer}
button.godkann{background:#1b5e20;color:#fff}button.komplettera,button.jav{background:#fff;color:#1a1a1a}textarea{width:100%;box-sizing:border-box;min-height:6rem;font:inherit}
.ocr,.andrat{font-size:.8rem;font-weight:600;border:1px solid #555;border-radius:3px;padding:0 .3rem;margin-left:.4rem;white-space:nowrap}
.andrat{border-color:#0b4f8a;color:#0b4f8a}.ocr-not,.not{font-style:italic}.tom{color:#555}
.utfall{font-size:1.15rem;font-weight:700}.fil{background:#eef4fb;padding:.5rem 1rem;border-radius:4px}
details{margin-top:1.5rem}summary{cursor:pointer;font-weight:600}
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

/** Who has answered, what the rule still needs and when the link ends. Comments are not shown before the end. */
function progressHtml(args: {
  granskning: Granskning;
  alla: Beslut[];
  policy: BeslutPolicy;
  giltigTill: string;
}): string {
  const svar = new Map(args.alla.map((b) => [b.granskareId, b]));
  const rader = args.granskning.granskare.map((g) => {
    const b = svar.get(g.id);
    const status = !b
      ? 'har inte svarat ännu'
      : b.utfall === 'jav'
        ? 'har anmält jäv (röstar inte)'
        : 'har svarat';
    return `<li>${t(g.namn)}, ${t(g.organisation)}: ${status}</li>`;
  });
  const roster = args.alla.filter((b) => b.utfall !== 'jav');
  let kvar: string;
  if (args.policy.typ === 'forsta') {
    kvar =
      roster.length === 0 ? 'Det första svaret avgör; inget svar har kommit ännu.' : 'Ett svar har kommit.';
  } else {
    const krav = kravdaGodkannanden(args.alla, args.policy, args.granskning.granskare.length);
    const godkanda = roster.filter((b) => b.utfall === 'godkand').length;
    const rest = Math.max(0, krav - godkanda);
    const n = (k: number, ord: string): string => (k === 1 ? `Ett ${ord}` : `${k} ${ord}n`);
    kvar =
      rest === 0
        ? `${n(krav, 'godkännande')} krävs.`
        : `${n(krav, 'godkännande')} krävs. ${n(rest, 'godkännande')} till behövs, om ingen begär komplettering.`;
  }
  const besvarade = args.alla.length;
  return `<section aria-labelledby="grupp-rubrik">
<h2 id="grupp-rubrik">Beredningsgruppen</h2>
<p>${besvarade} av ${args.granskning.granskare.length} ledamöter har svarat. ${t(kvar)}</p>
<p>Beslutsregel: ${t(beslutsregel(args.policy))}</p>
<ul>${rader.join('')}</ul>
<p>Svara senast ${t(svenskTidpunkt(args.giltigTill))}. Ledamöternas kommentarer visas när granskningen är avslutad.</p>
</section>`;
}

function utfallText(u: Slututfall): string {
  return u === 'godkand'
    ? 'Godkänd'
    : u === 'komplettering'
      ? 'Komplettering begärd'
      : u === 'ersatt'
        ? 'Ersatt av en ny version'
        : 'Avslutad utan beslut';
}

function svarText(b: Beslut): string {
  const vad = b.utfall === 'godkand' ? 'godkänt' : b.utfall === 'jav' ? 'anmält jäv' : 'begärt komplettering';
  return `<li>${t(b.namn)}, ${t(b.organisation)}: ${vad} ${t(svenskTidpunkt(b.tidpunkt))}${b.kommentar ? ` – ”${t(b.kommentar)}”` : ''}</li>`;
}

function historikHtml(tidigare: TidigareOmgang): string {
  const g = tidigare.granskning;
  const hur = g?.utfall
    ? `${utfallText(g.utfall)}${g.avgjord ? ` ${svenskTidpunkt(g.avgjord)}` : ''}`
    : 'Granskningen avslutades inte.';
  const svar = [...tidigare.beslut].sort((a, b) => a.tidpunkt.localeCompare(b.tidpunkt)).map(svarText);
  const j = tidigare.jamforelse;
  const skillnader = !j
    ? ''
    : j.avsnitt.length === 0 && j.falt.length === 0
      ? '<p>Inga skillnader i rapportens fält eller avsnitt.</p>'
      : `${j.avsnitt.length ? `<p>Ändrade avsnitt: ${j.avsnitt.map((k) => `${t(k)} ${t(SUBSECTIONS.find((s) => s.nr === k)?.title ?? '')}`).join(', ')}.</p>` : ''}${
          j.falt.length
            ? `<ul>${j.falt.map((a) => `<li>${t(a.falt)} (avsnitt ${t(a.avsnitt)}): ${t(a.fore)} → ${t(a.efter)}</li>`).join('')}</ul>`
            : ''
        }`;
  return `<section aria-labelledby="historik-rubrik">
<h2 id="historik-rubrik">Tidigare omgång</h2>
<p>Slutrapport ${t(tidigare.handling.diarienummer)}, inkommen ${t(tidigare.handling.ankomstdatum)}: <strong>${t(hur)}</strong></p>
${svar.length ? `<ul>${svar.join('')}</ul>` : ''}
<h3>Skillnader mot förra versionen</h3>
${skillnader}
</section>`;
}

/** The link to the original file, or what stands in for it (a report pasted in the mail has none). */
function filHtml(handling: Handling, rapportUrl: string | null): string {
  const fil = handling.filer.find((f) => f.rapport);
  if (!fil)
    return '<p class="fil">Rapporten skickades inklistrad i mejlets text och visas här som text; det finns ingen bifogad fil.</p>';
  if (!rapportUrl) return `<p class="fil">Originalfil: ${t(fil.filnamn)}</p>`;
  return `<p class="fil"><a href="${e(rapportUrl)}" rel="noreferrer">Öppna rapporten</a> (originalfilen ${t(fil.filnamn)}; länken gäller i 15 minuter)</p>`;
}

export function beslutPage(args: {
  handling: Handling;
  lank: Lank;
  rapportUrl: string | null;
  fel?: string;
  /** What the member typed, kept when the page comes back with an error. */
  kommentar?: string | null;
  javskal?: string | null;
  granskning?: Granskning;
  alla?: Beslut[];
  policy?: BeslutPolicy;
  tidigare?: TidigareOmgang | null;
}): string {
  const { handling: h, lank } = args;
  const r = h.rapport.typ === 'slutrapport' ? h.rapport.slutrapport : null;
  const fil = h.filer.find((f) => f.rapport);
  const rapport = r
    ? rapportHtml({
        rapport: r,
        handling: h,
        ocr: lastMedOcr(fil),
        jamforelse: args.tidigare?.jamforelse ?? null,
      })
    : `<p>Rapportens innehåll kunde inte läsas ut; öppna originalfilen.</p>`;
  const progress =
    args.granskning && args.policy
      ? progressHtml({
          granskning: args.granskning,
          alla: args.alla ?? [],
          policy: args.policy,
          giltigTill: lank.giltigTill,
        })
      : '';
  const felJav = args.fel && args.javskal !== undefined;
  return layout(
    `Granskning ${h.diarienummer}`,
    `<h1>Slutrapport ${e(h.diarienummer)}</h1>
<p>Hej ${t(lank.namn)} (${t(lank.organisation)}). Ta ställning till slutrapporten nedan. Sidan ändrar ingenting förrän du trycker på en knapp.</p>
${args.fel ? `<p class="fel" role="alert">${t(args.fel)}</p>` : ''}
<dl>
<dt>Insats</dt><dd>${t(r?.insatsnamn ?? h.beskrivning)}</dd>
<dt>Insatsägare</dt><dd>${t(r?.organisation ?? '–')}</dd>
<dt>Uppgiftslämnare</dt><dd>${t([r?.uppgiftslamnare?.namn, r?.uppgiftslamnare?.datum].filter(Boolean).join(', ') || '–')}</dd>
<dt>Ankomstdatum</dt><dd>${e(h.ankomstdatum)}</dd>
</dl>
${filHtml(h, args.rapportUrl)}
${args.tidigare ? historikHtml(args.tidigare) : ''}
${rapport}
${progress}
<h2 id="beslut-rubrik">Ditt ställningstagande</h2>
<form method="post" aria-labelledby="beslut-rubrik">
<input type="hidden" name="csrf" value="${e(lank.csrf)}">
<label for="kommentar">Kommentar (krävs vid begäran om komplettering)</label>
<textarea id="kommentar" name="kommentar" maxlength="4000">${t(args.kommentar ?? '')}</textarea>
<div class="knappar">
<button class="godkann" type="submit" name="utfall" value="godkand">Godkänn</button>
<button class="komplettera" type="submit" name="utfall" value="komplettering">Begär komplettering</button>
</div>
</form>
<details${felJav ? ' open' : ''}>
<summary>Anmäl jäv</summary>
<form method="post">
<p>Om du är jävig (till exempel har del i insatsen) anmäler du det här. Anmälan registreras, räknas inte som röst och kan inte ändras.</p>
<input type="hidden" name="csrf" value="${e(lank.csrf)}">
<label for="javskal">Skäl för jäv (krävs)</label>
<textarea id="javskal" name="javskal" maxlength="1000" required>${t(args.javskal ?? '')}</textarea>
<div class="knappar"><button class="jav" type="submit" name="utfall" value="jav">Anmäl jäv</button></div>
</form>
</details>
<p>Länken är personlig och gäller till ${e(svenskTidpunkt(lank.giltigTill))}.</p>`,
  );
}

/** After the end: how it ended, by which rule, when, and every answer; nothing to press. */
export function avslutadPage(args: {
  granskning: Granskning;
  handling: Handling | null;
  alla: Beslut[];
  policy: BeslutPolicy;
  eget?: Beslut | null;
}): string {
  const g = args.granskning;
  const h = args.handling;
  const r = h?.rapport.typ === 'slutrapport' ? h.rapport.slutrapport : null;
  const svar = [...args.alla].sort((a, b) => a.tidpunkt.localeCompare(b.tidpunkt)).map(svarText);
  return layout(
    'Granskningen är avslutad',
    `<h1>Granskningen är avslutad</h1>
<p>Beredningsgruppen har redan fattat beslut om den här rapporten.</p>
<p class="utfall">Utfall: ${g.utfall ? utfallText(g.utfall) : 'Avgjord'}</p>
<dl>
<dt>Slutrapport</dt><dd>${t(g.handling)}</dd>
${r ? `<dt>Insats</dt><dd>${t(r.insatsnamn ?? '–')}</dd>` : ''}
<dt>Avgjord</dt><dd>${g.avgjord ? t(svenskTidpunkt(g.avgjord)) : '–'}</dd>
<dt>Beslutsregel</dt><dd>${t(beslutsregel(args.policy))}</dd>
</dl>
${args.eget ? `<p><strong>Redan besvarad:</strong> ${t(besvaradText(args.eget))}</p>` : ''}
<h2>Ledamöternas svar</h2>
${svar.length ? `<ul>${svar.join('')}</ul>` : '<p>Inga svar.</p>'}
<p>Alla ledamöter får beslutet med e-post. Kontakta kansliet vid frågor.</p>`,
  );
}

/** The granskning ended because a new version of the report came in: nothing to press here any more. */
export function ersattPage(nyVersion: string | null): string {
  return messagePage(
    'Rapporten har ersatts',
    `Rapporten har ersatts av en ny version${nyVersion ? ` (${nyVersion})` : ''}. Granskningen av den här versionen är avslutad och länken kan inte längre användas. Den nya versionen granskas i stället; länken till den kommer i ett eget mejl.`,
  );
}

export function messagePage(title: string, text: string): string {
  return layout(title, `<h1>${e(title)}</h1><p>${t(text)}</p>`);
}

function besvaradText(beslut: Beslut): string {
  const vad =
    beslut.utfall === 'godkand'
      ? 'godkänt rapporten'
      : beslut.utfall === 'jav'
        ? 'anmält jäv'
        : 'begärt komplettering';
  return `${beslut.namn} (${beslut.organisation}) har redan ${vad} ${svenskTidpunkt(beslut.tidpunkt)}. Beslutet kan inte ändras via länken; kontakta kansliet vid behov.`;
}

export function alreadyDecidedPage(beslut: Beslut | null): string {
  if (!beslut)
    return messagePage(
      'Redan besvarad',
      'Den här länken har redan använts. Varje länk kan bara användas en gång.',
    );
  return messagePage('Redan besvarad', besvaradText(beslut));
}

export function thanksPage(beslut: Beslut): string {
  const vad =
    beslut.utfall === 'godkand'
      ? 'Du har godkänt rapporten.'
      : beslut.utfall === 'jav'
        ? 'Du har anmält jäv. Ditt svar räknas inte som röst.'
        : 'Du har begärt komplettering av rapporten.';
  return messagePage(
    'Tack – ditt beslut är registrerat',
    `${vad} Registrerat ${svenskTidpunkt(beslut.tidpunkt)}.`,
  );
}
