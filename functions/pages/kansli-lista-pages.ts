import { flyttText } from './kansli-flytta-pages.js';
import { escapeHtml as e } from '../../domain/mail/templates.js';
import type { Insats } from '../../domain/diarium/types.js';
import {
  KLASSFILTER,
  KOLUMNER,
  SEKRETESSFILTER,
  STANDARDSORTERING,
  STATUSAR,
  statusAv,
  type DiariumRad,
  type SortKolumn,
  type Sokning,
  type Sortering,
} from '../../domain/kansli/sok.js';
import { avsandare, layout, type Inloggad } from './kansli-pages.js';

/** The search as a query string: paging, the CSV link and the sort links keep every filter and the sort. */
export function sokQuery(s: Sokning, sida = s.sida, sortering = s.sortering): string {
  const q = new URLSearchParams();
  if (s.fritext) q.set('q', s.fritext);
  if (s.status) q.set('status', s.status);
  if (s.klass) q.set('klass', s.klass);
  if (s.insats) q.set('insats', s.insats);
  if (s.sekretess) q.set('sekretess', s.sekretess);
  q.set('fran', s.fran);
  q.set('till', s.till);
  const sort = sortering ?? STANDARDSORTERING;
  if (sort.kolumn !== STANDARDSORTERING.kolumn || sort.riktning !== STANDARDSORTERING.riktning) {
    q.set('sortera', sort.kolumn);
    q.set('ordning', sort.riktning);
  }
  if (sida > 1) q.set('sida', String(sida));
  return q.toString();
}

const options = (entries: [string, string][], vald: string | null | undefined) =>
  entries
    .map(([k, v]) => `<option value="${e(k)}"${vald === k ? ' selected' : ''}>${e(v)}</option>`)
    .join('');

/**
 * A column heading: a link that sorts by the column (ascending first, the other way when it is already sorted
 * so), and aria-sort on the sorted one. Links, not buttons: the page has no script, and the order is part of
 * the address, so it survives paging, reloading and the CSV link.
 */
function rubrik(s: Sokning, kolumn: SortKolumn): string {
  const sort = s.sortering ?? STANDARDSORTERING;
  const aktiv = sort.kolumn === kolumn;
  const nasta: Sortering = {
    kolumn,
    riktning: aktiv && sort.riktning === 'stigande' ? 'fallande' : 'stigande',
  };
  const namn = KOLUMNER[kolumn];
  const pil = aktiv ? (sort.riktning === 'stigande' ? ' ▲' : ' ▼') : '';
  const lank = `<a href="/kansli/diarium?${e(sokQuery(s, 1, nasta))}" aria-label="${e(
    `${namn}, sortera ${nasta.riktning === 'stigande' ? 'stigande' : 'fallande'}`,
  )}">${e(namn)}<span aria-hidden="true">${pil}</span></a>`;
  return `<th scope="col" role="columnheader"${aktiv ? ` aria-sort="${sort.riktning === 'stigande' ? 'ascending' : 'descending'}"` : ''}>${lank}</th>`;
}

const ORDNING: Record<SortKolumn, string> = {
  diarienummer: 'diarienummer',
  ankomstdatum: 'ankomstdatum',
  avsandare: 'avsändare',
  avser: 'avser',
  status: 'status',
};

export function listSida(args: {
  who: Inloggad;
  sokning: Sokning;
  rader: DiariumRad[];
  antal: number;
  sida: number;
  antalSidor: number;
  insatser: Pick<Insats, 'id' | 'namn' | 'organisation'>[];
  fel?: string;
}): string {
  const s = args.sokning;
  const sort = s.sortering ?? STANDARDSORTERING;
  const insatsOpts = options(
    args.insatser.map((i) => [i.id, `${i.namn} – ${i.organisation}`]),
    s.insats,
  );
  const rows = args.rader
    .map(
      (r) =>
        // data-rubrik: the column's name before each value when a phone shows the rows stacked (role keeps the
        // table's semantics, which a block display would otherwise drop).
        `<tr role="row"><td role="cell"><a href="/kansli/arende/${e(encodeURIComponent(r.arende))}">${e(r.diarienummer)}</a></td><td role="cell" data-rubrik="Ankomstdatum">${e(r.ankomstdatum)}</td><td role="cell" data-rubrik="Avsändare">${e(avsandare(r.avsandare))}</td><td role="cell" data-rubrik="Avser">${e(r.beskrivning)}<br><small>${e(KLASSFILTER[r.klass])}</small></td><td role="cell" data-rubrik="Status">${e(STATUSAR[statusAv(r)])}${r.sekretess ? ' · sekretess' : ''}${e(flyttText(r.flaggor))}</td></tr>`,
    )
    .join('');
  const nav = `<nav class="sidor" aria-label="Sidor">${
    args.sida > 1 ? `<a href="/kansli/diarium?${e(sokQuery(s, args.sida - 1))}">Föregående sida</a>` : ''
  }<span>Sida ${args.sida} av ${args.antalSidor}</span>${
    args.sida < args.antalSidor
      ? `<a href="/kansli/diarium?${e(sokQuery(s, args.sida + 1))}">Nästa sida</a>`
      : ''
  }</nav>`;
  // The sort is kept through a new search (hidden fields); a new search starts on page one.
  const dolda =
    sort.kolumn !== STANDARDSORTERING.kolumn || sort.riktning !== STANDARDSORTERING.riktning
      ? `<input type="hidden" name="sortera" value="${e(sort.kolumn)}"><input type="hidden" name="ordning" value="${e(sort.riktning)}">`
      : '';
  return layout(
    'Diariet',
    `<h1>Diariet</h1>
${args.fel ? `<p class="fel" role="alert">${e(args.fel)}</p>` : ''}
<form class="sok" method="get" action="/kansli/diarium" role="search">
<div><label for="q">Sök (avser, avsändare, insats, diarienummer)</label><input id="q" name="q" type="search" value="${e(s.fritext)}"></div>
<div><label for="status">Status</label><select id="status" name="status"><option value="">Alla</option>${options(Object.entries(STATUSAR), s.status)}</select></div>
<div><label for="klass">Klass</label><select id="klass" name="klass"><option value="">Alla</option>${options(Object.entries(KLASSFILTER), s.klass)}</select></div>
<div><label for="insats">Insats</label><select id="insats" name="insats"><option value="">Alla</option>${insatsOpts}</select></div>
<div><label for="sekretess">Sekretess</label><select id="sekretess" name="sekretess"><option value="">Alla</option>${options(Object.entries(SEKRETESSFILTER), s.sekretess)}</select></div>
<div><label for="fran">Från (ÅÅÅÅ-MM-DD)</label><input id="fran" name="fran" value="${e(s.fran)}" pattern="\\d{4}-\\d{2}-\\d{2}"></div>
<div><label for="till">Till (ÅÅÅÅ-MM-DD)</label><input id="till" name="till" value="${e(s.till)}" pattern="\\d{4}-\\d{2}-\\d{2}"></div>
${dolda}<div><button type="submit">Sök</button></div>
</form>
<p role="status">${args.antal} träffar. <a href="/kansli/diarium.csv?${e(sokQuery({ ...s, sida: 1 }))}">Exportera resultatet som CSV</a></p>
<div class="tabell" tabindex="0" role="region" aria-label="Handlingar"><table class="lista" role="table"><caption class="tom">Handlingar sorterade efter ${e(ORDNING[sort.kolumn])}, ${sort.riktning === 'stigande' ? 'stigande' : 'fallande'}</caption>
<thead role="rowgroup"><tr role="row">${(Object.keys(KOLUMNER) as SortKolumn[]).map((k) => rubrik(s, k)).join('')}</tr></thead>
<tbody role="rowgroup">${rows || '<tr><td colspan="5">Inga handlingar matchar sökningen.</td></tr>'}</tbody></table></div>
${nav}`,
    args.who,
  );
}
