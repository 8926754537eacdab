import * as z from 'zod';
import { escapeHtml as e } from '../../domain/mail/templates.js';
import { svenskTidpunkt } from '../../domain/diarium/ankomstdatum.js';
import type {
  Andringar,
  FormularFel,
  ImportPlan,
  InsatsFormular,
  InsatsRad,
} from '../../domain/diarium/insatsregister-kansli.js';
import type { AuditEntry, Insats } from '../../domain/diarium/types.js';
import { harRatt } from '../../domain/kansli/roller.js';
import { formatSek } from '../../domain/slutrapport/index.js';
import { layout, type Inloggad } from './kansli-pages.js';

const kr = (n: number | null | undefined) => (typeof n === 'number' ? formatSek(n) : '–');
const arendeLank = (a: string | null) =>
  a ? `<a href="/kansli/arende/${e(encodeURIComponent(a))}">${e(a)}</a>` : '–';
const insatsUrl = (id: string) => `/kansli/insatser/insats/${encodeURIComponent(id)}`;

const FALTNAMN: Record<string, string> = {
  namn: 'Namn',
  organisation: 'Organisation',
  arende: 'Ärende',
  beviljadeMedel: 'Beviljade medel',
  insatstidSlut: 'Insatstid slut',
  kontakt: 'Kontakt',
  forfallodatum: 'Eget sista datum för slutrapporten',
};

const varde = (f: string, v: string | number | null) =>
  v === null ? '–' : f === 'beviljadeMedel' && typeof v === 'number' ? formatSek(v) : String(v);

/** The changes in the form's field order (a log entry read back from DynamoDB has its keys in any order). */
function andringText(a: Andringar, ny = false): string {
  const ordning = Object.keys(FALTNAMN);
  return Object.entries(a)
    .sort(([x], [y]) => ordning.indexOf(x) - ordning.indexOf(y))
    .map(([f, d]) =>
      ny
        ? `${FALTNAMN[f] ?? f}: ${varde(f, d.till)}`
        : `${FALTNAMN[f] ?? f}: ${varde(f, d.fran)} → ${varde(f, d.till)}`,
    )
    .join('; ');
}

const andringsvarde = z.union([z.string(), z.number(), z.null()]);
const andringarSchema = z.record(z.string(), z.object({ fran: andringsvarde, till: andringsvarde }));

/** One register log entry in words: what changed, for the table on the register page. */
function loggText(l: AuditEntry): string {
  const d = l.data;
  const insats = typeof d['insats'] === 'string' ? d['insats'] : '';
  const a = andringarSchema.safeParse(d['andringar']);
  const andringar = a.success ? andringText(a.data, l.handelse === 'insats-tillagd') : '';
  if (l.handelse === 'insatsregister-importerat') {
    const n = (k: string) => (Array.isArray(d[k]) ? d[k].length : 0);
    const kalla = typeof d['import'] === 'string' ? d['import'] : '';
    return `Import av ${kalla}: ${n('tillagda')} tillagda, ${n('andrade')} ändrade`;
  }
  return `${insats}${andringar ? ` – ${andringar}` : ''}`;
}

const HANDELSENAMN: Record<string, string> = {
  'insats-tillagd': 'Insats tillagd',
  'insats-andrad': 'Insats ändrad',
  'insatsregister-importerat': 'Register importerat',
};

export function insatsregisterSida(args: {
  who: Inloggad;
  rader: InsatsRad[];
  logg: AuditEntry[];
  loggOk: { ok: true } | { ok: false; seq: number };
  meddelande?: string;
}): string {
  const far = harRatt(args.who.person, 'insatsregister');
  const rows = args.rader
    .map(
      ({ insats: i, forfallodatum, egetDatum }) =>
        `<tr><td>${e(i.namn)}</td><td>${e(i.organisation)}</td><td>${arendeLank(i.arende)}</td><td class="belopp">${e(kr(i.beviljadeMedel))}</td><td>${e(i.insatstidSlut ?? '–')}</td><td>${e(forfallodatum ?? '–')}${egetDatum ? ' (eget datum)' : ''}</td><td>${e(i.kontakt ?? '–')}</td>${
          far
            ? `<td><a href="${e(insatsUrl(i.id))}">Ändra <span class="tom">${e(i.namn)}</span></a></td>`
            : ''
        }</tr>`,
    )
    .join('');
  const logg = [...args.logg]
    .sort((a, b) => b.seq - a.seq)
    .map(
      (l) =>
        `<tr><td>${l.seq}</td><td>${e(svenskTidpunkt(l.tidpunkt))}</td><td>${e(HANDELSENAMN[l.handelse] ?? l.handelse)}</td><td>${e(l.av)}</td><td>${e(loggText(l))}</td><td>${e(typeof l.data['skal'] === 'string' ? l.data['skal'] : '')}</td></tr>`,
    )
    .join('');
  const v = args.loggOk;
  return layout(
    'Insatsregistret',
    `<h1>Insatsregistret</h1>
${args.meddelande ? `<p class="ok" role="status">${e(args.meddelande)}</p>` : ''}
${far ? `<p><a href="/kansli/insatser/ny">Lägg till en insats</a> · <a href="/kansli/insatser/importera">Importera från fil</a></p>` : ''}
<div class="tabell" tabindex="0" role="region" aria-label="Insatsregistret"><table><caption>${args.rader.length} ${args.rader.length === 1 ? 'insats' : 'insatser'}. Sista dag för slutrapporten räknas från insatstidens slut om kansliet inte satt ett eget datum.</caption>
<thead><tr><th scope="col">Namn</th><th scope="col">Organisation</th><th scope="col">Ärende</th><th scope="col">Beviljade medel</th><th scope="col">Insatstid slut</th><th scope="col">Slutrapport senast</th><th scope="col">Kontakt</th>${far ? '<th scope="col">Åtgärd</th>' : ''}</tr></thead>
<tbody>${rows || `<tr><td colspan="${far ? 8 : 7}">Registret är tomt.</td></tr>`}</tbody></table></div>
<h2 id="logg-rubrik">Registrets logg</h2>
<p>Varje ändring av registret skrivs här (och i insatsens ärende när den har ett), med vem som gjorde den.</p>
<p class="${v.ok ? 'ok' : 'fel'}">${v.ok ? `Loggen är verifierad: ${args.logg.length} poster, obruten hashkedja.` : `Loggen kunde inte verifieras från post ${v.seq}.`}</p>
<div class="tabell" tabindex="0" role="region" aria-labelledby="logg-rubrik"><table aria-labelledby="logg-rubrik"><thead><tr><th scope="col">Nr</th><th scope="col">Tid</th><th scope="col">Händelse</th><th scope="col">Av</th><th scope="col">Ändring</th><th scope="col">Skäl</th></tr></thead><tbody>${logg || '<tr><td colspan="6">Inga ändringar ännu.</td></tr>'}</tbody></table></div>`,
    args.who,
  );
}

/** What an add or edit form shows: the stored insats, or what was sent (after a refusal). */
export function formularVarden(rad: InsatsRad | null): InsatsFormular {
  if (!rad) return {};
  const i = rad.insats;
  return {
    id: i.id,
    namn: i.namn,
    organisation: i.organisation,
    arende: i.arende ?? '',
    beviljadeMedel: i.beviljadeMedel === null ? '' : kr(i.beviljadeMedel),
    insatstidSlut: i.insatstidSlut ?? '',
    kontakt: i.kontakt ?? '',
    forfallodatum: rad.egetDatum ?? '',
  };
}

function falt(
  namn: keyof InsatsFormular | 'skal',
  etikett: string,
  v: string,
  fel: FormularFel,
  opts: { required?: boolean; hjalp?: string; typ?: string; textarea?: boolean } = {},
): string {
  const f = fel[namn];
  const beskriv = [opts.hjalp ? `${namn}-hjalp` : '', f ? `${namn}-fel` : ''].filter(Boolean).join(' ');
  const attrs = `id="${namn}" name="${namn}"${opts.required ? ' required' : ''}${beskriv ? ` aria-describedby="${beskriv}"` : ''}${f ? ' aria-invalid="true"' : ''}`;
  const input = opts.textarea
    ? `<textarea ${attrs} maxlength="1000">${e(v)}</textarea>`
    : `<input ${attrs} type="${opts.typ ?? 'text'}" value="${e(v)}" maxlength="200">`;
  return `<p><label for="${namn}">${e(etikett)}</label><br>${opts.hjalp ? `<span id="${namn}-hjalp">${e(opts.hjalp)}</span><br>` : ''}${f ? `<span class="fel" id="${namn}-fel">${e(f)}</span><br>` : ''}${input}</p>`;
}

export function insatsFormularSida(args: {
  who: Inloggad;
  /** The insats being edited, or null for a new one. */
  rad: InsatsRad | null;
  varden: InsatsFormular & { skal?: string };
  fel?: FormularFel;
  meddelande?: string;
  rapportDagar: number;
}): string {
  const rad = args.rad;
  const ny = rad === null;
  const v = args.varden;
  const fel = args.fel ?? {};
  const rubrik = ny ? 'Lägg till en insats' : `Ändra insatsen ${rad.insats.namn}`;
  const action = ny ? '/kansli/insatser/ny' : insatsUrl(rad.insats.id);
  return layout(
    rubrik,
    `<h1>${e(rubrik)}</h1>
${args.meddelande ? `<p class="fel" role="alert">${e(args.meddelande)}</p>` : Object.keys(fel).length ? '<p class="fel" role="alert">Formuläret har fel; se fälten nedan.</p>' : ''}
<form method="post" action="${e(action)}">
<input type="hidden" name="csrf" value="${e(args.who.csrf)}">
${ny ? '' : `<input type="hidden" name="version" value="${rad.version}"><p>Id: <code>${e(rad.insats.id)}</code></p>`}
${ny ? falt('id', 'Id (valfritt; annars bildat av namn och organisation)', v.id ?? '', fel, { hjalp: 'Små bokstäver, siffror och bindestreck, t.ex. stegvis-exempelby.' }) : ''}
${falt('namn', 'Insatsens namn', v.namn ?? '', fel, { required: true })}
${falt('organisation', 'Organisation (insatsägare)', v.organisation ?? '', fel, { required: true })}
${falt('arende', 'Ärende', v.arende ?? '', fel, { hjalp: 'Ärendenummer, t.ex. SFG 21-3. Lämna tomt om insatsen inte har något ärende ännu.' })}
${falt('beviljadeMedel', 'Beviljade medel', v.beviljadeMedel ?? '', fel, { hjalp: 'I kronor, t.ex. 2 458 000 kr.' })}
${falt('insatstidSlut', 'Insatstid slut (ÅÅÅÅ-MM-DD)', v.insatstidSlut ?? '', fel, { hjalp: `Slutrapporten ska in ${args.rapportDagar} dagar efter insatstidens slut.` })}
${falt('forfallodatum', 'Eget sista datum för slutrapporten (ÅÅÅÅ-MM-DD)', v.forfallodatum ?? '', fel, { hjalp: `Lämna tomt för att räkna från insatstidens slut${rad?.forfallodatum && !rad.egetDatum ? ` (nu ${rad.forfallodatum})` : ''}.` })}
${falt('kontakt', 'Kontakt (e-post)', v.kontakt ?? '', fel, { typ: 'email', hjalp: 'Påminnelser om slutrapporten går hit.' })}
${falt('skal', 'Skäl (krävs när beviljade medel, ärendet, insatstiden eller sista datum ändras; skrivs i loggen)', v.skal ?? '', fel, { textarea: true })}
<p><input type="checkbox" id="bekraftat" name="bekraftat" value="ja" required> <label for="bekraftat">Jag bekräftar ${ny ? 'den nya insatsen' : 'ändringen'}</label></p>
<p><button type="submit">${ny ? 'Lägg till' : 'Spara ändringen'}</button> <a href="/kansli/insatser">Avbryt</a></p>
</form>`,
    args.who,
  );
}

export function importSida(args: { who: Inloggad; fel?: string; text?: string }): string {
  return layout(
    'Importera insatsregistret',
    `<h1>Importera insatsregistret</h1>
${args.fel ? `<p class="fel" role="alert" id="import-fel">${e(args.fel)}</p>` : ''}
<p>Läs in en CSV-fil (komma eller semikolon, UTF-8, t.ex. sparad från Excel) eller klistra in texten. Kolumner: id, namn, organisation, ärende, beviljade medel, insatstid slut, kontakt (svenska rubriker går bra).</p>
<p>Importen <strong>slår samman</strong>: en rad med samma id som en insats i registret ändrar den (bara kolumnerna som finns i filen; en tom cell tömmer fältet), en ny rad läggs till, och insatser som inte finns i filen lämnas som de är. Inget tas bort. Du ser vad som händer innan du bekräftar.</p>
<form method="post" action="/kansli/insatser/importera" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="${e(args.who.csrf)}">
<p><label for="fil">Fil (.csv eller .json, högst 1 MB)</label><br><input id="fil" name="fil" type="file" accept=".csv,.txt,.json,text/csv,application/json"></p>
<p><label for="text">eller klistra in registret</label><textarea id="text" name="text">${e(args.text ?? '')}</textarea></p>
<p><button type="submit">Förhandsgranska</button> <a href="/kansli/insatser">Avbryt</a></p>
</form>`,
    args.who,
  );
}

const insatsRad = (i: Insats) =>
  `<tr><td>${e(i.id)}</td><td>${e(i.namn)}</td><td>${e(i.organisation)}</td><td>${e(i.arende ?? '–')}</td><td>${e(kr(i.beviljadeMedel))}</td><td>${e(i.insatstidSlut ?? '–')}</td><td>${e(i.kontakt ?? '–')}</td></tr>`;
const insatsHuvud =
  '<thead><tr><th scope="col">Id</th><th scope="col">Namn</th><th scope="col">Organisation</th><th scope="col">Ärende</th><th scope="col">Beviljade medel</th><th scope="col">Insatstid slut</th><th scope="col">Kontakt</th></tr></thead>';

/** The preview: what will be added, changed and left, and the errors; the confirmation form when possible. */
export function importForhandsSida(args: {
  who: Inloggad;
  plan: ImportPlan;
  /** The file's text, carried to the confirmation (base64, so no line break is lost in an attribute). */
  text: string;
  format: 'csv' | 'json';
  kalla: string;
  fel?: string;
  skal?: string;
}): string {
  const p = args.plan;
  const kanBekrafta = p.fel.length === 0 && p.nya.length + p.andrade.length > 0;
  const andrade = p.andrade
    .map(
      (a) =>
        `<tr><td>${e(a.efter.id)}</td><td>${e(a.efter.namn)}</td><td>${e(andringText(a.andringar))}</td></tr>`,
    )
    .join('');
  return layout(
    'Förhandsgranska importen',
    `<h1>Förhandsgranska importen</h1>
${args.fel ? `<p class="fel" role="alert">${e(args.fel)}</p>` : ''}
<p>Fil: ${e(args.kalla)} (SHA-256 <code>${e(p.filSha256)}</code>)</p>
<ul><li>${p.nya.length} läggs till</li><li>${p.andrade.length} ändras</li><li>${p.oforandrade.length} är oförändrade</li><li>${p.lamnade.length} finns i registret men inte i filen och lämnas som de är</li><li>${p.fel.length} rader har fel</li></ul>
${p.fel.length ? `<h2 id="fel-rubrik">Fel i filen</h2><div class="fel" role="alert"><p>Rätta filen och läs in den igen; inget importeras så länge den har fel.</p><ul>${p.fel.map((f) => `<li>${e(f)}</li>`).join('')}</ul></div>` : ''}
${p.arendenSaknas.length ? `<p class="fel">Obs: ärendena ${e(p.arendenSaknas.join(', '))} finns inte i diariet. Rapporter för de insatserna får ett nytt ärende tills ärendet finns.</p>` : ''}
${p.nya.length ? `<h2 id="nya-rubrik">Läggs till</h2><div class="tabell" tabindex="0" role="region" aria-labelledby="nya-rubrik"><table aria-labelledby="nya-rubrik">${insatsHuvud}<tbody>${p.nya.map(insatsRad).join('')}</tbody></table></div>` : ''}
${p.andrade.length ? `<h2 id="andrade-rubrik">Ändras</h2><div class="tabell" tabindex="0" role="region" aria-labelledby="andrade-rubrik"><table aria-labelledby="andrade-rubrik"><thead><tr><th scope="col">Id</th><th scope="col">Namn</th><th scope="col">Ändring</th></tr></thead><tbody>${andrade}</tbody></table></div>` : ''}
${p.lamnade.length ? `<h2 id="lamnade-rubrik">Lämnas som de är</h2><p>${e(p.lamnade.map((i) => i.namn).join(', '))}</p>` : ''}
${
  kanBekrafta
    ? `<h2 id="bekrafta-rubrik">Bekräfta</h2>
<form method="post" action="/kansli/insatser/importera/bekrafta">
<input type="hidden" name="csrf" value="${e(args.who.csrf)}">
<input type="hidden" name="innehall" value="${e(Buffer.from(args.text, 'utf8').toString('base64'))}">
<input type="hidden" name="format" value="${args.format}">
<input type="hidden" name="kalla" value="${e(args.kalla)}">
<input type="hidden" name="fingeravtryck" value="${e(p.fingeravtryck)}">
<p><label for="skal">Skäl${p.kraverSkal ? ' (krävs: importen ändrar beviljade medel, ärenden eller insatstider)' : ' (valfritt)'}; skrivs i loggen</label><textarea id="skal" name="skal"${p.kraverSkal ? ' required' : ''} maxlength="1000">${e(args.skal ?? '')}</textarea></p>
<p><input type="checkbox" id="bekraftat" name="bekraftat" value="ja" required> <label for="bekraftat">Jag bekräftar importen: ${p.nya.length} läggs till, ${p.andrade.length} ändras</label></p>
<p><button type="submit">Importera</button> <a href="/kansli/insatser">Avbryt</a></p>
</form>`
    : `<p>${p.fel.length ? '' : 'Filen ändrar ingenting i registret. '}<a href="/kansli/insatser/importera">Läs in en annan fil</a> · <a href="/kansli/insatser">Tillbaka till registret</a></p>`
}`,
    args.who,
  );
}
