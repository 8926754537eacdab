import { escapeHtml as e } from '../../domain/mail/templates.js';
import { svenskTidpunkt } from '../../domain/diarium/ankomstdatum.js';
import { ANTECKNING_MAX, type Anteckning } from '../../domain/diarium/anteckningar.js';
import { FLYTTAD_FRAN, FLYTTAD_TILL } from '../../domain/diarium/flytta.js';
import type { Arende, Handling } from '../../domain/diarium/types.js';
import { harRatt } from '../../domain/kansli/roller.js';
import { ARENDESTATUS, avsandare, layout, type Inloggad } from './kansli-pages.js';

const arendeHref = (dnr: string) => `/kansli/arende/${encodeURIComponent(dnr)}`;
const arendeAvNummer = (dnr: string) => dnr.replace(/\.\d+$/, '');

/** The list's status cell: a moved handling's stub and the moved handling say where the other number is. */
export function flyttText(flaggor: readonly string[]): string {
  const till = flaggor.find((f) => f.startsWith(FLYTTAD_TILL));
  if (till) return ` · flyttad till ${till.slice(FLYTTAD_TILL.length)}`;
  const fran = flaggor.find((f) => f.startsWith(FLYTTAD_FRAN));
  return fran ? ` · flyttad hit från ${fran.slice(FLYTTAD_FRAN.length)}` : '';
}

/** Rows of the handling's description in the ärende view: where it went, or where it came from. */
export function flyttRader(h: Handling): string {
  const rad = (rubrik: string, nummer: string, f: NonNullable<Handling['flyttad']>) =>
    `<dt>${rubrik}</dt><dd><a href="${e(arendeHref(arendeAvNummer(nummer)))}">${e(nummer)}</a> ${e(svenskTidpunkt(f.tidpunkt))} av ${e(f.av)}: ${e(f.skal)}</dd>`;
  return `${h.flyttad ? rad('Flyttad till', h.flyttad.till, h.flyttad) : ''}${
    h.flyttadFran ? rad('Flyttad hit från', h.flyttadFran.fran, h.flyttadFran) : ''
  }`;
}

/** The move link in the ärende view, for a role with the right. */
export function flyttLank(who: Inloggad, h: Handling): string[] {
  if (!harRatt(who.person, 'flytta') || h.flyttad || h.makulerad) return [];
  return [
    `<a href="/kansli/handling/${e(encodeURIComponent(h.diarienummer))}/flytta">Flytta till annat ärende <span class="tom">(${e(h.diarienummer)})</span></a>`,
  ];
}

export interface FlyttVarden {
  till?: string;
  skal?: string;
}

function handlingFakta(h: Handling): string {
  return `<dl><dt>Avser</dt><dd>${e(h.beskrivning)}</dd><dt>Avsändare</dt><dd>${e(avsandare(h.avsandare))}</dd><dt>Ankomstdatum</dt><dd>${e(h.ankomstdatum)}</dd><dt>Ärende nu</dt><dd>${e(h.arende)}</dd></dl>`;
}

const felRad = (fel?: string) => (fel ? `<p class="fel" role="alert" id="fel">${e(fel)}</p>` : '');

/** Step 1: which ärende, and why. Posting it shows the confirmation (step 2); nothing is moved yet. */
export function flyttaSida(args: {
  who: Inloggad;
  handling: Handling;
  fel?: string;
  varden?: FlyttVarden;
}): string {
  const h = args.handling;
  const v = args.varden ?? {};
  const beskrivs = args.fel ? ' aria-describedby="fel"' : '';
  return layout(
    `Flytta ${h.diarienummer}`,
    `<h1>Flytta handling ${e(h.diarienummer)} till ett annat ärende</h1>
${felRad(args.fel)}
${handlingFakta(h)}
<p>Handlingen får nästa lediga nummer i det ärende du väljer. Det gamla numret ${e(h.diarienummer)} används aldrig igen: det ligger kvar i ${e(h.arende)} med en hänvisning till det nya numret.</p>
<form method="post" action="/kansli/handling/${e(encodeURIComponent(h.diarienummer))}/flytta">
<input type="hidden" name="csrf" value="${e(args.who.csrf)}">
<p><label for="till">Flytta till ärende (t.ex. SFG 26-7)</label><br><input id="till" name="till" required maxlength="20" autocomplete="off" value="${e(v.till ?? '')}"${beskrivs}></p>
<p><label for="skal">Skäl (krävs, skrivs i båda ärendenas logg)</label><textarea id="skal" name="skal" required maxlength="1000"${beskrivs}>${e(v.skal ?? '')}</textarea></p>
<p><button type="submit">Granska flytten</button> <a href="${e(arendeHref(h.arende))}">Avbryt</a></p>
</form>`,
    args.who,
  );
}

/** Step 2: both ärenden shown, a confirmation box, then the move. */
export function flyttaBekraftaSida(args: {
  who: Inloggad;
  handling: Handling;
  till: Arende;
  skal: string;
  fel?: string;
}): string {
  const h = args.handling;
  const t = args.till;
  return layout(
    `Bekräfta flytt av ${h.diarienummer}`,
    `<h1>Bekräfta flytt av ${e(h.diarienummer)}</h1>
${felRad(args.fel)}
${handlingFakta(h)}
<h2>Till ärende ${e(t.diarienummer)}</h2>
<dl><dt>Ärendemening</dt><dd>${e(t.arendemening)}</dd><dt>Status</dt><dd>${e(ARENDESTATUS[t.status])}</dd><dt>Nytt nummer</dt><dd>nästa lediga, i dag ${e(t.diarienummer)}.${t.antalHandlingar + 1}</dd><dt>Skäl</dt><dd>${e(args.skal)}</dd></dl>
<form method="post" action="/kansli/handling/${e(encodeURIComponent(h.diarienummer))}/flytta">
<input type="hidden" name="csrf" value="${e(args.who.csrf)}">
<input type="hidden" name="till" value="${e(t.diarienummer)}">
<input type="hidden" name="skal" value="${e(args.skal)}">
<input type="hidden" name="steg" value="bekrafta">
<p><input type="checkbox" id="bekraftat" name="bekraftat" value="ja" required> <label for="bekraftat">Jag bekräftar: flytta ${e(h.diarienummer)} till ${e(t.diarienummer)}</label></p>
<p><button class="farlig" type="submit">Flytta</button> <a href="/kansli/handling/${e(encodeURIComponent(h.diarienummer))}/flytta">Tillbaka</a> <a href="${e(arendeHref(h.arende))}">Avbryt</a></p>
</form>`,
    args.who,
  );
}

function anteckningForm(who: Inloggad, arende: string, fel?: string, text?: string): string {
  const beskrivs = fel ? ' aria-describedby="fel"' : '';
  return `<form method="post" action="${e(arendeHref(arende))}/anteckning">
<input type="hidden" name="csrf" value="${e(who.csrf)}">
<p><label for="anteckning">Ny anteckning</label><textarea id="anteckning" name="text" required maxlength="${ANTECKNING_MAX}"${beskrivs}>${e(text ?? '')}</textarea></p>
<p><input type="checkbox" id="bekraftat-anteckning" name="bekraftat" value="ja" required> <label for="bekraftat-anteckning">Jag förstår att anteckningen sparas med mitt namn och inte kan ändras eller tas bort</label></p>
<p><button type="submit">Spara anteckningen</button></p>
</form>`;
}

/** The notes section of the ärende view (only for roles that may read notes). */
export function anteckningarSektion(args: {
  who: Inloggad;
  arende: string;
  anteckningar: readonly Anteckning[];
}): string {
  const lista = args.anteckningar.length
    ? `<ol>${args.anteckningar
        .map(
          (a) =>
            `<li><p>${e(svenskTidpunkt(a.tidpunkt))}, ${e(a.av)}</p><p>${e(a.text).replace(/\n/g, '<br>')}</p></li>`,
        )
        .join('')}</ol>`
    : '<p>Inga anteckningar.</p>';
  return `<h2 id="anteckningar">Anteckningar</h2>
<p>Arbetsanteckningar i ärendet. De bevaras med ärendet och kan bli allmänna handlingar; de kan inte ändras eller tas bort, en rättelse görs med en ny anteckning.</p>
${lista}
${harRatt(args.who.person, 'anteckna') ? anteckningForm(args.who, args.arende) : ''}`;
}

/** The note form on its own page (after a refusal, or opened directly). */
export function anteckningSida(args: { who: Inloggad; arende: Arende; fel?: string; text?: string }): string {
  const a = args.arende;
  return layout(
    `Anteckning i ${a.diarienummer}`,
    `<h1>Ny anteckning i ärende ${e(a.diarienummer)}</h1>
${felRad(args.fel)}
<dl><dt>Ärendemening</dt><dd>${e(a.arendemening)}</dd></dl>
${anteckningForm(args.who, a.diarienummer, args.fel, args.text)}
<p><a href="${e(arendeHref(a.diarienummer))}">Tillbaka till ärendet</a></p>`,
    args.who,
  );
}
