import { escapeHtml as e } from '../../domain/mail/templates.js';
import { svenskTidpunkt } from '../../domain/diarium/ankomstdatum.js';
import type { AuditEntry, Handling, Insats } from '../../domain/diarium/types.js';
import {
  FLAGGTEXT,
  PAPPERSKLASSER,
  REGISTRERINGSTYPER,
  SATT,
  storlekText,
  type Falt,
  type Registreringstyp,
} from '../../domain/diarium/registrera.js';
import { KLASS_TEXT } from '../../domain/klassning/klassa.js';
import { layout, type Inloggad } from './kansli-pages.js';

/** What the form was filled in with, to show it again after a refusal (the file must be chosen again). */
export type RegistreraVarden = Partial<Record<Exclude<Falt, 'fil'>, string>>;

/** One input with its label, hint and error tied to it (aria-describedby), as WCAG 3.3.1 asks. */
function falt(
  id: Exclude<Falt, 'typ'>,
  etikett: string,
  control: (attrs: string) => string,
  fel: Partial<Record<Falt, string>>,
  hint?: string,
): string {
  const felText = fel[id];
  const describedBy = [hint ? `${id}-hint` : null, felText ? `${id}-fel` : null].filter(Boolean).join(' ');
  const attrs = `id="${id}" name="${id}"${describedBy ? ` aria-describedby="${describedBy}"` : ''}${felText ? ' aria-invalid="true"' : ''}`;
  return `<p><label for="${id}">${e(etikett)}</label><br>${hint ? `<span id="${id}-hint">${e(hint)}</span><br>` : ''}${felText ? `<strong class="fel" id="${id}-fel">${e(felText)}</strong><br>` : ''}${control(attrs)}</p>`;
}

export function registreraSida(args: {
  who: Inloggad;
  nyckel: string;
  idag: string;
  maxFilstorlek: number;
  insatser: Insats[];
  varden?: RegistreraVarden;
  fel?: Partial<Record<Falt, string>>;
  meddelande?: string;
}): string {
  const v = args.varden ?? {};
  const fel = args.fel ?? {};
  const typ = (v.typ ?? 'inkommen') as Registreringstyp;
  const text =
    (id: Exclude<Falt, 'typ' | 'fil'>, extra = '') =>
    (attrs: string) =>
      `<input ${attrs} value="${e(v[id] ?? '')}"${extra}>`;
  const typer = (Object.keys(REGISTRERINGSTYPER) as Registreringstyp[])
    .map(
      (t) =>
        `<p><input type="radio" id="typ-${t}" name="typ" value="${t}"${t === typ ? ' checked' : ''} required> <label for="typ-${t}">${e(REGISTRERINGSTYPER[t])}</label></p>`,
    )
    .join('');
  const klassOpts = PAPPERSKLASSER.map(
    (k) =>
      `<option value="${e(k)}"${k === (v.klass ?? 'allman-handling') ? ' selected' : ''}>${e(KLASS_TEXT[k])}</option>`,
  ).join('');
  const sattOpts = Object.entries(SATT)
    .map(([k, n]) => `<option value="${e(k)}"${k === (v.satt ?? 'post') ? ' selected' : ''}>${e(n)}</option>`)
    .join('');
  const insatsOpts = args.insatser
    .map(
      (i) =>
        `<option value="${e(i.id)}"${i.id === v.insats ? ' selected' : ''}>${e(`${i.namn} – ${i.organisation}`)}${i.arende ? ` (${e(i.arende)})` : ''}</option>`,
    )
    .join('');
  const felLista = Object.entries(fel)
    .map(([k, m]) => `<li><a href="#${k === 'typ' ? 'typ-inkommen' : k}">${e(m)}</a></li>`)
    .join('');
  return layout(
    'Registrera handling',
    `<h1>Registrera handling</h1>
${args.meddelande ? `<p class="fel" role="alert">${e(args.meddelande)}</p>` : ''}
${felLista ? `<div class="fel" role="alert"><h2>Formuläret behöver rättas</h2><ul>${felLista}</ul><p>Välj filen igen innan du skickar.</p></div>` : ''}
<p>Handlingen får sitt diarienummer direkt när du registrerar den. Skriv numret på pappershandlingen.</p>
<form method="post" action="/kansli/registrera" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="${e(args.who.csrf)}">
<input type="hidden" name="nyckel" value="${e(args.nyckel)}">
<fieldset><legend>Vad registreras</legend>${fel.typ ? `<strong class="fel">${e(fel.typ)}</strong>` : ''}${typer}</fieldset>
<fieldset><legend>Avsändare (inkommen) eller mottagare (expedierad)</legend>
<p>Lämnas tomt för en upprättad handling.</p>
${falt('namn', 'Namn', text('namn', ' maxlength="200" autocomplete="off"'), fel)}
${falt('organisation', 'Organisation', text('organisation', ' maxlength="200"'), fel)}
${falt('epost', 'E-postadress (valfri)', text('epost', ' type="email" maxlength="200"'), fel)}
${falt('postadress', 'Postadress (valfri)', text('postadress', ' maxlength="300"'), fel)}
</fieldset>
<fieldset><legend>Handlingen</legend>
${falt('datum', 'Datum (ÅÅÅÅ-MM-DD)', (a) => `<input ${a} value="${e(v.datum ?? args.idag)}" required pattern="\\d{4}-\\d{2}-\\d{2}" inputmode="numeric">`, fel, 'Inkommen: datumet som stämplats på brevet. Upprättad: dagen den upprättades. Expedierad: dagen den skickades. Aldrig i framtiden.')}
${falt('beskrivning', 'Avser', (a) => `<textarea ${a} required maxlength="300">${e(v.beskrivning ?? '')}</textarea>`, fel)}
${falt('klass', 'Klass (inkommen handling)', (a) => `<select ${a}>${klassOpts}</select>`, fel, 'En pappersrapport läses inte in automatiskt: den flaggas så att kansliet läser in den och startar granskningen.')}
${falt('satt', 'Hur den skickades (expedierad handling)', (a) => `<select ${a}>${sattOpts}</select>`, fel)}
${falt('fil', 'Fil (PDF, JPEG, PNG eller TIFF)', (a) => `<input ${a} type="file" accept=".pdf,.jpg,.jpeg,.png,.tif,.tiff,application/pdf,image/jpeg,image/png,image/tiff">`, fel, `Högst ${storlekText(args.maxFilstorlek)}. Krävs för inkommen och expedierad handling. Större skanningar registreras med npm run diarium -- registrera.`)}
</fieldset>
<fieldset><legend>Ärende</legend>
${falt('arende', 'Befintligt ärende (diarienummer)', text('arende', ' maxlength="30"'), fel, 'T.ex. SFG 26-12. Lämna tomt för att öppna ett nytt ärende.')}
${falt('arendemening', 'Ärendemening för ett nytt ärende', text('arendemening', ' maxlength="300"'), fel)}
${falt('insats', 'Insats för ett nytt ärende (valfri)', (a) => `<select ${a}><option value="">Ingen insats</option>${insatsOpts}</select>`, fel)}
</fieldset>
<p><input type="checkbox" id="bekraftat" name="bekraftat" value="ja" required> <label for="bekraftat">Jag bekräftar att uppgifterna stämmer och att handlingen ska diarieföras</label></p>
<p><button type="submit">Registrera</button> <a href="/kansli/diarium">Avbryt</a></p>
</form>`,
    args.who,
  );
}

export function registreradSida(args: {
  who: Inloggad;
  handling: Handling;
  registrering: AuditEntry | null;
  igen: boolean;
}): string {
  const h = args.handling;
  const part = h.expediering
    ? `<dt>Mottagare</dt><dd>${e([h.expediering.mottagare.namn, h.expediering.mottagare.organisation].filter(Boolean).join(', '))}${h.expediering.mottagare.postadress ? `, ${e(h.expediering.mottagare.postadress)}` : ''}</dd><dt>Skickad</dt><dd>${e(h.expediering.skickad)} (${e(SATT[h.expediering.satt])})</dd>`
    : `<dt>Avsändare</dt><dd>${e([h.avsandare.namn, h.avsandare.organisation, h.avsandare.epost, h.avsandare.postadress].filter(Boolean).join(', '))}</dd>`;
  const filer = h.filer.length
    ? `<ul>${h.filer.map((f) => `<li>${e(f.filnamn)} (${f.storlek.toLocaleString('sv-SE')} byte) SHA-256 <code>${e(f.sha256)}</code></li>`).join('')}</ul>`
    : '<p>Ingen fil.</p>';
  const flaggor = h.flaggor.filter((f) => f !== 'papper' && f !== 'expedierad');
  const r = args.registrering;
  return layout(
    `Registrerad ${h.diarienummer}`,
    `<h1>Handlingen är registrerad</h1>
<p class="ok" role="status">${args.igen ? 'Formuläret hade redan skickats; handlingen är registrerad en gång. ' : ''}Diarienummer: <strong>${e(h.diarienummer)}</strong>. Skriv numret på pappershandlingen.</p>
${flaggor.length ? `<p class="fel">${e(flaggor.map((f) => FLAGGTEXT[f] ?? f).join('. '))}.</p>` : ''}
<dl><dt>Diarienummer</dt><dd>${e(h.diarienummer)}</dd><dt>Datum</dt><dd>${e(h.ankomstdatum)}</dd>${part}
<dt>Avser</dt><dd>${e(h.beskrivning)}</dd>${h.klassning ? `<dt>Klass</dt><dd>${e(KLASS_TEXT[h.klassning.klass])}</dd>` : ''}</dl>
<h2>Fil</h2>${filer}
<h2>I ärendets logg</h2>
${r ? `<dl><dt>Tid</dt><dd>${e(svenskTidpunkt(r.tidpunkt))}</dd><dt>Händelse</dt><dd>${e(r.handelse)}</dd><dt>Av</dt><dd>${e(r.av)}</dd></dl>` : '<p>Loggposten kunde inte visas.</p>'}
<p><a href="/kansli/arende/${e(encodeURIComponent(h.arende))}">Öppna ärendet ${e(h.arende)}</a> · <a href="/kansli/registrera">Registrera en handling till</a></p>`,
    args.who,
  );
}
