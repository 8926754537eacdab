import { callerCwd } from '../../stack.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ankomstdatum, svenskTidpunktSekunder } from '../../../../domain/diarium/ankomstdatum.js';
import { toCsv } from '../../../../domain/diarium/csv.js';
import { DiariumRegelError } from '../../../../domain/diarium/errors.js';
import type { Arende, Handling } from '../../../../domain/diarium/types.js';
import { defineCommand } from '../command.js';
import { antal, BEDOMNING_SV, byArrival, GRANSKNING_SV, KALLA_SV } from '../format.js';
import { PERIOD_HELP, PERIOD_OPTIONS, period } from './period.js';

const CSV_RUBRIKER = [
  'Diarienummer',
  'Ärende',
  'Ärendemening',
  'Ankomstdatum',
  'Mottagen (svensk tid)',
  'Källa',
  'Avsändare',
  'E-post',
  'Organisation',
  'Beskrivning',
  'Bedömning',
  'Granskning',
  'Sekretess',
  'Flaggor',
  'Makulerad',
  'Makulerad av',
  'Makuleringsskäl',
  'Ankomst ändrad av',
  'Skäl för ändrad ankomst',
  'Ursprunglig mottagningstid',
  'Kvittens skickad',
  'Filer (SHA-256)',
];

export function csvRader(handlingar: Handling[], arenden: Arende[]): string[][] {
  const mening = new Map(arenden.map((a) => [a.diarienummer, a.arendemening]));
  return [
    CSV_RUBRIKER,
    ...handlingar.map((h) => [
      h.diarienummer,
      h.arende,
      mening.get(h.arende) ?? '',
      h.ankomstdatum,
      svenskTidpunktSekunder(h.mottagen),
      KALLA_SV[h.kalla],
      h.avsandare.namn ?? '',
      h.avsandare.epost ?? h.avsandare.kuvertAvsandare ?? '',
      h.avsandare.organisation ?? '',
      h.beskrivning,
      BEDOMNING_SV[h.bedomning],
      GRANSKNING_SV[h.granskning],
      h.sekretess ? 'ja' : 'nej',
      h.flaggor.join(' '),
      h.makulerad ? ankomstdatum(h.makulerad.tidpunkt) : '',
      h.makulerad?.av ?? '',
      h.makulerad?.skal ?? '',
      h.ankomstAndrad?.av ?? '',
      h.ankomstAndrad?.skal ?? '',
      h.ankomstAndrad ? svenskTidpunktSekunder(h.ankomstAndrad.ursprunglig) : '',
      h.kvittens ? svenskTidpunktSekunder(h.kvittens.skickad) : '',
      h.filer.map((f) => `${f.filnamn} ${f.sha256}`).join('; '),
    ]),
  ];
}

export const exportCsv = defineCommand({
  name: 'export',
  usage: 'export --csv [--from …] [--to …] [--fil diarium.csv | --fil -]',
  summary: 'diariet som CSV för Excel',
  help: `npm run diarium -- export --csv [--from ÅÅÅÅ-MM-DD] [--to ÅÅÅÅ-MM-DD] [--fil diarium.csv | --fil -]

Skriver diariets handlingar i perioden som CSV (UTF-8 med BOM, så att Excel läser å, ä och ö rätt),
en rad per handling med alla diariets uppgifter.

  --csv              formatet (krävs; det enda som finns)
${PERIOD_HELP}
  --fil FIL          filen att skriva (standard diarium-<från>--<till>.csv); "-" skriver till skärmen`,
  options: { ...PERIOD_OPTIONS, csv: { type: 'boolean' }, fil: { type: 'string' } },
  async run({ io, diarium: { repo } }, v) {
    if (!v.csv) throw new DiariumRegelError('Ange formatet: export --csv.');
    const { from, to } = period(v, io.clock);
    const handlingar = (await repo.listDiarium(from, to)).sort(byArrival);
    const arenden = await repo.getArenden(handlingar.map((h) => h.arende));
    const csv = toCsv(csvRader(handlingar, arenden), { bom: true });
    const fil = v.fil ?? `diarium-${from}--${to}.csv`;
    if (fil === '-') {
      io.out(csv);
    } else {
      const target = path.resolve(callerCwd(io), fil);
      writeFileSync(target, csv);
      io.out(
        `Skrev ${antal(handlingar.length, 'handling', 'handlingar')} (ankomstdatum ${from} – ${to}) till ${target}`,
      );
    }
    return 0;
  },
});
