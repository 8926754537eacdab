import { ankomstdatum, svenskTidpunktSekunder } from '../../../../domain/diarium/ankomstdatum.js';
import { formatArende, parseHandlingNummer } from '../../../../domain/diarium/diarienummer.js';
import { HandlingNotFoundError } from '../../../../domain/diarium/errors.js';
import { verifieraArende } from '../../../../domain/diarium/kansli.js';
import type { Arende, Handling } from '../../../../domain/diarium/types.js';
import { defineCommand } from '../command.js';
import { iPostlistan, KLASS_TEXT } from '../../../../domain/klassning/klassa.js';
import { publikAvser } from '../../../../domain/diarium/postlista.js';
import {
  antal,
  avsandareText,
  BEDOMNING_SV,
  byteText,
  clip,
  GRANSKNING_SV,
  KALLA_SV,
  loggText,
  statusText,
  table,
  verifieringText,
} from '../format.js';

function handlingText(h: Handling, arende: Arende | null): string {
  const rad = (k: string, v: string) => `  ${`${k}:`.padEnd(20)}${v}`;
  const lines = [
    `Handling ${h.diarienummer}${h.makulerad ? ' (MAKULERAD)' : ''}`,
    rad('Ärende', `${h.arende}${arende ? ` – ${arende.arendemening}` : ''}`),
    rad('Ankomstdatum', h.ankomstdatum),
    rad('Mottagen', `${svenskTidpunktSekunder(h.mottagen)} svensk tid (${h.mottagen} UTC)`),
  ];
  if (h.ankomstAndrad) {
    lines.push(
      rad(
        'Ankomst ändrad',
        `av ${h.ankomstAndrad.av}: ${h.ankomstAndrad.skal} (ursprungligen ${svenskTidpunktSekunder(h.ankomstAndrad.ursprunglig)})`,
      ),
    );
  }
  lines.push(
    rad('Källa', `${KALLA_SV[h.kalla]} (${h.kallaReferens})`),
    rad('Avsändare', avsandareText(h)),
    ...(h.avsandare.kuvertAvsandare && h.avsandare.kuvertAvsandare !== h.avsandare.epost
      ? [rad('Kuvertavsändare', h.avsandare.kuvertAvsandare)]
      : []),
    rad('Beskrivning', h.beskrivning),
    rad(
      'Klass',
      h.klassning
        ? `${KLASS_TEXT[h.klassning.klass]}${h.klassning.automatik ? ` (${h.klassning.automatik})` : ''} – ${h.klassning.orsak}${h.klassning.av !== 'system' ? ` [${h.klassning.av}]` : ''}`
        : '–',
    ),
    ...(h.klassning
      ? [
          rad(
            'I postlistan',
            iPostlistan(h.klassning.klass) ? publikAvser(h, null) : 'nej (visas bara i diariet)',
          ),
        ]
      : []),
    ...(h.noteringar ?? []).map((n) => rad('  notering', `${n.tidpunkt.slice(0, 10)} ${n.text}`)),
    rad('Bedömning', BEDOMNING_SV[h.bedomning]),
    ...h.fel.map((f) => rad('  fel', f.meddelande)),
    ...h.varningar.map((f) => rad('  varning', f.meddelande)),
    rad('Granskning', GRANSKNING_SV[h.granskning]),
    rad('Flaggor', h.flaggor.join(', ') || '–'),
    rad(
      'Sekretess',
      h.sekretess
        ? `ja${h.personnummer.length ? ` (personnummer i ${h.personnummer.map((p) => p.avsnitt).join(', ')})` : ''}`
        : 'nej',
    ),
    rad(
      'Makulerad',
      h.makulerad
        ? `${svenskTidpunktSekunder(h.makulerad.tidpunkt)} av ${h.makulerad.av}: ${h.makulerad.skal}`
        : 'nej',
    ),
    rad(
      'Kvittens',
      h.kvittens
        ? `skickad ${svenskTidpunktSekunder(h.kvittens.skickad)} (${h.kvittens.meddelandeId})`
        : 'ej skickad',
    ),
    rad('Registrerad', svenskTidpunktSekunder(h.registrerad)),
    '',
    'Filer:',
    ...(h.filer.length
      ? h.filer.map(
          (f) =>
            `  ${f.filnamn}  ${f.typ}  ${byteText(f.storlek)}${f.rapport ? '  (rapporten)' : ''}\n    SHA-256 ${f.sha256}`,
        )
      : ['  inga']),
  );
  return lines.join('\n');
}

function arendeText(a: Arende, handlingar: Handling[]): string {
  return [
    `Ärende ${a.diarienummer} – ${a.arendemening}`,
    `  Status: ${a.status} · skapat ${ankomstdatum(a.skapad)} · ${antal(a.antalHandlingar, 'handling', 'handlingar')}${a.insatsId ? ` · insats ${a.insatsId}` : ''}`,
    '',
    handlingar.length
      ? table([
          ['Diarienummer', 'Ankomstdatum', 'Avsändare', 'Beskrivning', 'Status'],
          ...[...handlingar]
            .sort((x, y) => x.handlingsnummer - y.handlingsnummer)
            .map((h) => [
              h.diarienummer,
              h.ankomstdatum,
              clip(avsandareText(h), 40),
              clip(h.beskrivning, 60),
              statusText(h),
            ]),
        ])
      : 'Inga handlingar.',
  ].join('\n');
}

export const show = defineCommand({
  name: 'show',
  aliases: ['visa'],
  usage: 'show <diarienummer>',
  summary: 'en handling (eller ett ärende), dess filer och ärendets logg',
  help: `npm run diarium -- show <diarienummer>

Visar en handling (t.ex. SFG 26-1.2) med filer och SHA-256, eller ett ärende (t.ex. SFG 26-1) med dess
handlingar, och därefter ärendets logg och en kontroll av loggens hashkedja. Slutkoden är 1 om loggen
inte stämmer.

Inga egna flaggor.`,
  options: {},
  async run({ io, diarium: { repo }, arg, need }) {
    const dnr = need(arg, 'Diarienummer');
    const hn = parseHandlingNummer(dnr);
    const arendeDnr = hn ? formatArende(hn) : dnr.trim().replace(/\s+/g, ' ');
    const d = await repo.getArendeDetaljer(arendeDnr);
    if (!d) throw new HandlingNotFoundError(`${dnr} finns inte i diariet.`);
    if (hn) {
      const h = d.handlingar.find((x) => x.handlingsnummer === hn.handling);
      if (!h) throw new HandlingNotFoundError(`Handlingen ${dnr} finns inte i diariet.`);
      io.out(handlingText(h, d.arende));
    } else {
      io.out(arendeText(d.arende, d.handlingar));
    }
    io.out(`\nÄrendets logg (${arendeDnr}):\n${loggText(d.logg)}\n`);
    const ver = await verifieraArende(repo, arendeDnr);
    io.out(verifieringText(ver));
    return ver.ok ? 0 : 1;
  },
});
