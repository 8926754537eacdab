import { createHash } from 'node:crypto';
import { escapeHtml as e } from '../../domain/mail/templates.js';
import { svenskTidpunkt } from '../../domain/diarium/ankomstdatum.js';
import type { Arende, AuditEntry, Handling } from '../../domain/diarium/types.js';
import type { Verifiering } from '../../domain/diarium/verifiera.js';
import type { Beslut, Granskning } from '../../domain/granskning/types.js';
import { ROLLNAMN, harRatt, type Person } from '../../domain/kansli/roller.js';
import { STATUSAR, statusAv, type DiariumRad } from '../../domain/kansli/sok.js';
import { KLASS_TEXT } from '../../domain/klassning/klassa.js';
import { KLASSER } from '../../domain/klassning/types.js';
import { FLAGGTEXT, LAS_IN_MANUELLT } from '../../domain/diarium/registrera.js';
import { flyttLank, flyttRader } from './kansli-flytta-pages.js';

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:72rem;margin:0 auto;padding:0 1rem;color:#1a1a1a;line-height:1.5;overflow-wrap:anywhere}
header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem;border-bottom:1px solid #ccc;padding:.5rem 0}
h1{font-size:1.5rem}h2{font-size:1.25rem;margin-top:2rem}
a{color:#0b4f8a}a:focus,button:focus,input:focus,select:focus{outline:3px solid #b35c00;outline-offset:2px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;border-bottom:1px solid #ddd;padding:.35rem .5rem;vertical-align:top}
.tabell{overflow-x:auto}.tabell:focus{outline:3px solid #b35c00;outline-offset:2px}
form.sok{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end}form.sok div{display:flex;flex-direction:column}
label{font-weight:600}input,select,textarea{font:inherit;padding:.3rem}textarea{width:100%;box-sizing:border-box;min-height:5rem}
button{font:inherit;padding:.4rem 1rem;border-radius:4px;border:1px solid #333;background:#fff;color:#1a1a1a;cursor:pointer}
button.farlig{background:#8a1c1c;color:#fff}
.fel{background:#fdecea;border-left:4px solid #b00020;padding:.5rem 1rem}.ok{background:#e8f5e9;border-left:4px solid #1b5e20;padding:.5rem 1rem}
dl{display:grid;grid-template-columns:minmax(8rem,max-content) minmax(0,1fr);gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
.sidor{display:flex;gap:1rem;margin:1rem 0}code{font-size:.85rem}
fieldset{min-width:0;margin:1rem 0}select,input{max-width:100%;box-sizing:border-box}.tom{color:#555}
th{overflow-wrap:normal;word-break:keep-all}
@media (max-width:40rem){table.lista,table.lista tbody,table.lista tr,table.lista td{display:block}table.lista thead tr{display:flex;flex-wrap:wrap;gap:0 1rem}table.lista th{border:0;padding:.25rem 0}table.lista tbody tr{border-top:1px solid #ccc;padding:.5rem 0}table.lista td{border:0;padding:.1rem 0}table.lista td[data-rubrik]::before{content:attr(data-rubrik) ": ";font-weight:600}}`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/** As the decision pages: no script at all, our own inline style by hash, forms post to ourselves. */
export const KANSLI_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex, nofollow',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
};

export interface Inloggad {
  person: Person;
  csrf: string;
}

export function layout(title: string, body: string, who: Inloggad | null, head = ''): string {
  const header = who
    ? `<header><nav aria-label="Huvudmeny"><a href="/kansli/diarium">Diariet</a>${harRatt(who.person, 'registrera') ? ' · <a href="/kansli/registrera">Registrera handling</a>' : ''} · <a href="/kansli/insatser">Insatsregistret</a></nav><span>${e(who.person.namn)} (${e(who.person.roller.map((r) => ROLLNAMN[r]).join(', '))})</span>
<form method="post" action="/kansli/logga-ut"><input type="hidden" name="csrf" value="${e(who.csrf)}"><button type="submit">Logga ut</button></form></header>`
    : '';
  return `<!doctype html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">${head}
<title>${e(title)} – Kansliets diarium</title><style>${STYLE}</style></head>
<body>${header}<main>${body}</main></body></html>`;
}

export function meddelandeSida(
  rubrik: string,
  text: string,
  who: Inloggad | null = null,
  lank?: { href: string; text: string },
): string {
  return layout(
    rubrik,
    `<h1>${e(rubrik)}</h1><p>${e(text)}</p>${lank ? `<p><a href="${e(lank.href)}">${e(lank.text)}</a></p>` : ''}`,
    who,
  );
}

/**
 * After the login: a page of our own that moves on to the diarium. A redirect would carry the identity
 * provider's cross-site navigation on, and the browser would not send the SameSite=Strict cookie with it.
 */
export function vidareSida(till: string): string {
  return layout(
    'Inloggad',
    `<h1>Du är inloggad</h1><p><a href="${e(till)}">Fortsätt till diariet</a></p>`,
    null,
    `<meta http-equiv="refresh" content="0;url=${e(till)}">`,
  );
}

export const ARENDESTATUS: Record<Arende['status'], string> = {
  oppet: 'Öppet',
  'under-granskning': 'Under granskning',
  godkant: 'Godkänt',
  'komplettering-begard': 'Komplettering begärd',
  avslutat: 'Avslutat',
};
const UTFALL: Record<string, string> = {
  godkand: 'godkänt',
  komplettering: 'begärt komplettering',
  jav: 'anmält jäv',
  'inget-beslut': 'inget beslut',
};

const statusText = (r: Pick<DiariumRad, 'makulerad' | 'granskning'>) => STATUSAR[statusAv(r)];
export const avsandare = (a: Handling['avsandare']) =>
  [a.namn, a.epost ? `<${a.epost}>` : null, a.organisation].filter(Boolean).join(' ') || '–';

const ATGARDER = {
  makulera: { namn: 'Makulera', ratt: 'makulera' },
  ankomstdatum: { namn: 'Ändra ankomstdatum', ratt: 'korrigera-ankomst' },
  frige: { namn: 'Frige till granskning', ratt: 'frige' },
  klass: { namn: 'Rätta klass eller offentlig text', ratt: 'klassa' },
  sekretess: { namn: 'Sekretessmarkera', ratt: 'sekretess' },
  havsekretess: { namn: 'Häv sekretess', ratt: 'sekretess' },
} as const;
export type Atgard = keyof typeof ATGARDER;
export const atgardRatt = (a: Atgard) => ATGARDER[a].ratt;
export const isAtgard = (a: string): a is Atgard => Object.hasOwn(ATGARDER, a);

function atgardLankar(who: Inloggad, h: Handling): string {
  if (h.makulerad || h.flyttad) return '';
  const mojliga = (Object.keys(ATGARDER) as Atgard[]).filter(
    (a) =>
      harRatt(who.person, ATGARDER[a].ratt) &&
      (a !== 'frige' || h.granskning === 'vantar-pa-kansliet') &&
      (a !== 'havsekretess' || h.sekretess),
  );
  const lasIn =
    h.flaggor.includes(LAS_IN_MANUELLT) && h.bedomning === 'lases' && harRatt(who.person, 'las-in')
      ? [
          `<a href="/kansli/las-in/${e(encodeURIComponent(h.diarienummer))}">Läs in och starta granskning <span class="tom">(${e(h.diarienummer)})</span></a>`,
        ]
      : [];
  return [
    ...lasIn,
    ...mojliga.map(
      (a) =>
        `<a href="/kansli/handling/${e(encodeURIComponent(h.diarienummer))}/${a}">${e(ATGARDER[a].namn)} <span class="tom">(${e(h.diarienummer)})</span></a>`,
    ),
    ...flyttLank(who, h),
  ].join(' · ');
}

export function arendeSida(args: {
  who: Inloggad;
  arende: Arende;
  handlingar: {
    handling: Handling;
    lankar: Map<string, string> | null;
    granskning: Granskning | null;
    beslut: Beslut[];
  }[];
  logg: AuditEntry[];
  verifiering: Verifiering;
  dolda: number;
  meddelande?: string;
  /** Sections of other features (the notes), placed before the log. */
  tillagg?: string;
}): string {
  const a = args.arende;
  const hs = args.handlingar
    .map(({ handling: h, lankar, granskning, beslut }) => {
      const filer = h.filer.length
        ? `<ul>${h.filer
            .map((f) => {
              const url = lankar?.get(f.nyckel);
              return `<li>${url ? `<a href="${e(url)}" rel="noreferrer">${e(f.filnamn)}</a>` : e(f.filnamn)} (${f.storlek.toLocaleString('sv-SE')} byte) SHA-256 <code>${e(f.sha256)}</code></li>`;
            })
            .join('')}</ul>${lankar ? '<p class="tom">Länkarna gäller i 15 minuter.</p>' : ''}`
        : '<p>Inga filer.</p>';
      const svar = beslut.length
        ? `<ul>${beslut.map((b) => `<li>${e(b.namn)}, ${e(b.organisation)}: ${e(UTFALL[b.utfall] ?? b.utfall)} ${e(svenskTidpunkt(b.tidpunkt))}${b.kommentar ? ` – ”${e(b.kommentar)}”` : ''}</li>`).join('')}</ul>`
        : '<p>Inga svar.</p>';
      return `<section aria-labelledby="h-${h.handlingsnummer}"><h2 id="h-${h.handlingsnummer}">Handling ${e(h.diarienummer)}</h2>
<dl><dt>Ankomstdatum</dt><dd>${e(h.ankomstdatum)} (${e(svenskTidpunkt(h.mottagen))})${h.ankomstAndrad ? ` – ändrat av ${e(h.ankomstAndrad.av)}: ${e(h.ankomstAndrad.skal)}` : ''}</dd>
<dt>Avsändare</dt><dd>${e(avsandare(h.avsandare))}</dd><dt>Avser</dt><dd>${e(h.beskrivning)}</dd>
<dt>Status</dt><dd>${h.flyttad ? `Flyttad till ${e(h.flyttad.till)}` : e(statusText({ makulerad: h.makulerad !== null, granskning: h.granskning }))}${h.makulerad ? ` – ${e(h.makulerad.av)}: ${e(h.makulerad.skal)}` : ''}</dd>${flyttRader(h)}
<dt>Klass</dt><dd>${h.klassning ? e(KLASS_TEXT[h.klassning.klass]) : '–'}${h.klassning?.publikText ? ` – offentlig text: ”${e(h.klassning.publikText)}”` : ''}</dd>
<dt>Sekretess</dt><dd>${h.sekretess ? 'Ja' : 'Nej'}${h.sekretessmarkering ? ` – ${e(h.sekretessmarkering.osl)}, i postlistan: ”${e(h.sekretessmarkering.publikText)}” (${e(h.sekretessmarkering.av)})` : ''}</dd>${h.flaggor.length ? `<dt>Flaggor</dt><dd>${e(h.flaggor.map((f) => FLAGGTEXT[f] ?? f).join(', '))}</dd>` : ''}</dl>
<h3>Filer</h3>${filer}
<h3>Granskning</h3><p>${granskning ? `${granskning.status === 'pagar' ? 'Pågår' : 'Avgjord'}${granskning.utfall ? ` (${e(UTFALL[granskning.utfall] ?? granskning.utfall)})` : ''}` : 'Ingen granskning.'}</p>${granskning ? svar : ''}
<p>${atgardLankar(args.who, h)}</p></section>`;
    })
    .join('');
  const v = args.verifiering;
  const logg = args.logg
    .map(
      (l) =>
        `<tr><td>${l.seq}</td><td>${e(svenskTidpunkt(l.tidpunkt))}</td><td>${e(l.handelse)}</td><td>${e(l.av)}</td><td>${e(typeof l.data['skal'] === 'string' ? l.data['skal'] : '')}</td></tr>`,
    )
    .join('');
  return layout(
    `Ärende ${a.diarienummer}`,
    `<h1>Ärende ${e(a.diarienummer)}</h1>
${args.meddelande ? `<p class="ok" role="status">${e(args.meddelande)}</p>` : ''}
<dl><dt>Ärendemening</dt><dd>${e(a.arendemening)}</dd><dt>Status</dt><dd>${e(ARENDESTATUS[a.status])}</dd><dt>Skapat</dt><dd>${e(svenskTidpunkt(a.skapad))}</dd></dl>
${harRatt(args.who.person, 'avsluta') ? `<p><a href="/kansli/arende/${e(encodeURIComponent(a.diarienummer))}/${a.status === 'avslutat' ? 'ateroppna">Återöppna ärendet' : 'avsluta">Avsluta ärendet'}</a></p>` : ''}
${harRatt(args.who.person, 'registrera') ? `<p><a href="/kansli/registrera?arende=${e(encodeURIComponent(a.diarienummer))}">Registrera en handling i ärendet</a></p>` : ''}
${args.dolda ? `<p>${args.dolda} handling(ar) med sekretess visas inte för din roll.</p>` : ''}
${hs}
${args.tillagg ?? ''}
<h2 id="logg-rubrik">Händelselogg</h2>
<p class="${v.ok ? 'ok' : 'fel'}">${v.ok ? `Loggen är verifierad: ${v.antalPoster} poster, obruten hashkedja.` : `Loggen kunde inte verifieras: ${e(v.avvikelser.map((x) => x.meddelande).join(' '))}`}</p>
<div class="tabell" tabindex="0" role="region" aria-labelledby="logg-rubrik"><table aria-labelledby="logg-rubrik"><thead><tr><th scope="col">Nr</th><th scope="col">Tid</th><th scope="col">Händelse</th><th scope="col">Av</th><th scope="col">Skäl</th></tr></thead><tbody>${logg}</tbody></table></div>`,
    args.who,
  );
}

/** What a confirmation form was filled in with, to show it again after a refusal. */
export type Varden = Partial<Record<'skal' | 'tid' | 'klass' | 'publik' | 'osl', string>>;

function atgardFalt(atgard: Atgard, h: Handling, v: Varden): string {
  if (atgard === 'ankomstdatum')
    return `<p><label for="tid">Ny ankomsttid (ISO 8601 med tidszon, t.ex. 2026-03-02T09:15:00+01:00)</label><br><input id="tid" name="tid" required value="${e(v.tid ?? h.mottagen)}"></p>`;
  if (atgard === 'klass') {
    const vald = v.klass ?? h.klassning?.klass ?? 'allman-handling';
    const opts = KLASSER.map(
      (k) => `<option value="${e(k)}"${k === vald ? ' selected' : ''}>${e(KLASS_TEXT[k])}</option>`,
    ).join('');
    return `<p><label for="klass">Klass</label><br><select id="klass" name="klass">${opts}</select></p>
<p><label for="publik">Offentlig text i postlistan (lämna tom för texten som byggs av klass och insats)</label><textarea id="publik" name="publik" maxlength="300">${e(v.publik ?? h.klassning?.publikText ?? '')}</textarea></p>`;
  }
  if (atgard === 'sekretess')
    return `<p><label for="osl">Sekretessbestämmelse (t.ex. OSL 26 kap. 1 §)</label><br><input id="osl" name="osl" required maxlength="60" value="${e(v.osl ?? h.sekretessmarkering?.osl ?? '')}"></p>
<p><label for="publik">Offentlig text i postlistan medan handlingen är sekretessmarkerad</label><textarea id="publik" name="publik" required maxlength="300">${e(v.publik ?? h.sekretessmarkering?.publikText ?? '')}</textarea></p>`;
  return '';
}

export function bekraftaSida(args: {
  who: Inloggad;
  handling: Handling;
  atgard: Atgard;
  fel?: string;
  varden?: Varden;
}): string {
  const h = args.handling;
  const v = args.varden ?? {};
  const namn = ATGARDER[args.atgard].namn;
  const falt =
    args.atgard === 'frige'
      ? '<p>Handlingen hölls kvar (misstänkt skräppost eller misslyckad DMARC-kontroll). Frige den bara om du har kontrollerat avsändaren.</p>'
      : `${atgardFalt(args.atgard, h, v)}
<p><label for="skal">Skäl (krävs, skrivs i ärendets logg)</label><textarea id="skal" name="skal" required maxlength="1000">${e(v.skal ?? '')}</textarea></p>`;
  return layout(
    `${namn} ${h.diarienummer}`,
    `<h1>${e(namn)}: ${e(h.diarienummer)}</h1>
${args.fel ? `<p class="fel" role="alert">${e(args.fel)}</p>` : ''}
<dl><dt>Avser</dt><dd>${e(h.beskrivning)}</dd><dt>Avsändare</dt><dd>${e(avsandare(h.avsandare))}</dd><dt>Ankomstdatum</dt><dd>${e(h.ankomstdatum)}</dd></dl>
<form method="post" action="/kansli/handling/${e(encodeURIComponent(h.diarienummer))}/${args.atgard}">
<input type="hidden" name="csrf" value="${e(args.who.csrf)}">
${falt}
<p><input type="checkbox" id="bekraftat" name="bekraftat" value="ja" required> <label for="bekraftat">Jag bekräftar: ${e(namn.toLowerCase())} ${e(h.diarienummer)}</label></p>
<p><button class="farlig" type="submit">${e(namn)}</button> <a href="/kansli/arende/${e(encodeURIComponent(h.arende))}">Avbryt</a></p>
</form>`,
    args.who,
  );
}

const ARENDE_ATGARDER = {
  avsluta: 'Avsluta ärendet',
  ateroppna: 'Återöppna ärendet',
} as const;
export type ArendeAtgard = keyof typeof ARENDE_ATGARDER;
export const isArendeAtgard = (a: string): a is ArendeAtgard => Object.hasOwn(ARENDE_ATGARDER, a);

/** Confirming that an ärende is closed or reopened, with the required reason. */
export function arendeBekraftaSida(args: {
  who: Inloggad;
  arende: Arende;
  atgard: ArendeAtgard;
  fel?: string;
  skal?: string;
}): string {
  const a = args.arende;
  const namn = ARENDE_ATGARDER[args.atgard];
  return layout(
    `${namn} ${a.diarienummer}`,
    `<h1>${e(namn)}: ${e(a.diarienummer)}</h1>
${args.fel ? `<p class="fel" role="alert">${e(args.fel)}</p>` : ''}
<dl><dt>Ärendemening</dt><dd>${e(a.arendemening)}</dd><dt>Status</dt><dd>${e(ARENDESTATUS[a.status])}</dd></dl>
<form method="post" action="/kansli/arende/${e(encodeURIComponent(a.diarienummer))}/${args.atgard}">
<input type="hidden" name="csrf" value="${e(args.who.csrf)}">
<p><label for="skal">Skäl (krävs, skrivs i ärendets logg)</label><textarea id="skal" name="skal" required maxlength="1000">${e(args.skal ?? '')}</textarea></p>
<p><input type="checkbox" id="bekraftat" name="bekraftat" value="ja" required> <label for="bekraftat">Jag bekräftar: ${e(namn.toLowerCase())} ${e(a.diarienummer)}</label></p>
<p><button class="farlig" type="submit">${e(namn)}</button> <a href="/kansli/arende/${e(encodeURIComponent(a.diarienummer))}">Avbryt</a></p>
</form>`,
    args.who,
  );
}
