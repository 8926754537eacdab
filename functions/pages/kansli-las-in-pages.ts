import { escapeHtml as e } from '../../domain/mail/templates.js';
import type { Handling } from '../../domain/diarium/types.js';
import { KLASS_TEXT } from '../../domain/klassning/klassa.js';
import { layout, type Inloggad } from './kansli-pages.js';

const avsandare = (a: Handling['avsandare']) =>
  [a.namn, a.organisation, a.epost].filter(Boolean).join(', ') || 'okänd';

/** Confirming that a paper report registered by hand is read (OCR) and its granskning started. */
export function lasInSida(args: { who: Inloggad; handling: Handling; fel?: string }): string {
  const h = args.handling;
  const fil = h.filer[0];
  return layout(
    `Läs in ${h.diarienummer}`,
    `<h1>Läs in och starta granskning: ${e(h.diarienummer)}</h1>
${args.fel ? `<p class="fel" role="alert">${e(args.fel)}</p>` : ''}
<dl><dt>Avser</dt><dd>${e(h.beskrivning)}</dd><dt>Avsändare</dt><dd>${e(avsandare(h.avsandare))}</dd><dt>Ankomstdatum</dt><dd>${e(h.ankomstdatum)}</dd>${h.klassning ? `<dt>Klass</dt><dd>${e(KLASS_TEXT[h.klassning.klass])}</dd>` : ''}${fil ? `<dt>Skannad fil</dt><dd>${e(fil.filnamn)}</dd>` : ''}</dl>
<p>Den skannade filen läses (text ur PDF, annars OCR) som en uppladdad rapport. Är rapporten komplett och utan personnummer startar granskningen och beredningsgruppen får sina länkar. Saknas delar startar ingen granskning; det som saknas visas på handlingen. Innehåller den personnummer hålls den för sekretessprövning. Avsändare, beskrivning och klass som du registrerade står kvar.</p>
<p>${h.avsandare.epost ? `Avsändaren får kvittens till ${e(h.avsandare.epost)}.` : 'Ingen e-postadress är registrerad, så avsändaren får ingen kvittens.'}</p>
<form method="post" action="/kansli/las-in/${e(encodeURIComponent(h.diarienummer))}">
<input type="hidden" name="csrf" value="${e(args.who.csrf)}">
<p><input type="checkbox" id="bekraftat" name="bekraftat" value="ja" required> <label for="bekraftat">Jag bekräftar: läs in ${e(h.diarienummer)} och starta granskningen</label></p>
<p><button type="submit">Läs in och starta granskning</button> <a href="/kansli/arende/${e(encodeURIComponent(h.arende))}">Avbryt</a></p>
</form>`,
    args.who,
  );
}

/** After the request: reading a scan takes a while, so the page says where the result will show. */
export function lasInBegardSida(args: { who: Inloggad; handling: Handling }): string {
  const h = args.handling;
  const klar = h.bedomning !== 'lases';
  return layout(
    `Inläsning ${h.diarienummer}`,
    `<h1>Inläsning av ${e(h.diarienummer)}</h1>
<p class="ok" role="status">${klar ? 'Handlingen är inläst.' : 'Inläsningen är begärd och skriven i ärendets logg. En skanning läses med OCR, vilket kan ta några minuter.'}</p>
<p>Ärendets sida visar resultatet: bedömning, det som saknas och granskningens status.</p>
<p><a href="/kansli/arende/${e(encodeURIComponent(h.arende))}">Öppna ärendet ${e(h.arende)}</a></p>`,
    args.who,
  );
}
