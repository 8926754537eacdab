import type { Handling } from '../../../../domain/diarium/types.js';
import { defineCommand } from '../command.js';
import { antal, avsandareText, byArrival, clip, GRANSKNING_SV, statusText, table } from '../format.js';
import { PERIOD_HELP, PERIOD_OPTIONS, period } from './period.js';

/** One row of `list --json`. */
export interface ListRad {
  diarienummer: string;
  arende: string;
  ankomstdatum: string;
  mottagen: string;
  avsandare: string;
  beskrivning: string;
  status: string;
  granskning: string;
}

export function listRad(h: Handling): ListRad {
  return {
    diarienummer: h.diarienummer,
    arende: h.arende,
    ankomstdatum: h.ankomstdatum,
    mottagen: h.mottagen,
    avsandare: avsandareText(h),
    beskrivning: h.beskrivning,
    status: h.makulerad ? 'makulerad' : h.bedomning,
    granskning: h.granskning,
  };
}

export const list = defineCommand({
  name: 'list',
  usage: 'list [--from ÅÅÅÅ-MM-DD] [--to ÅÅÅÅ-MM-DD] [--json]',
  summary: 'diariets handlingar efter ankomst',
  help: `npm run diarium -- list [--from ÅÅÅÅ-MM-DD] [--to ÅÅÅÅ-MM-DD] [--json]

Visar diariets handlingar med ankomstdatum i perioden, i ankomstordning.

${PERIOD_HELP}
  --json             en JSON-lista (diarienummer, arende, ankomstdatum, mottagen, avsandare,
                     beskrivning, status, granskning) i stället för en tabell`,
  options: { ...PERIOD_OPTIONS, json: { type: 'boolean' } },
  async run({ io, diarium }, v) {
    const { from, to } = period(v, io.clock);
    const handlingar = (await diarium.repo.listDiarium(from, to)).sort(byArrival);
    if (v.json) {
      io.out(JSON.stringify(handlingar.map(listRad), null, 2));
      return 0;
    }
    if (handlingar.length === 0) {
      io.out(`Inga handlingar med ankomstdatum ${from} – ${to}.`);
      return 0;
    }
    io.out(
      table([
        ['Diarienummer', 'Ankomstdatum', 'Avsändare', 'Beskrivning', 'Status', 'Granskning'],
        ...handlingar.map((h) => [
          h.diarienummer,
          h.ankomstdatum,
          clip(avsandareText(h), 40),
          clip(h.beskrivning, 60),
          statusText(h),
          GRANSKNING_SV[h.granskning],
        ]),
      ]),
    );
    io.out(`\n${antal(handlingar.length, 'handling', 'handlingar')}, ankomstdatum ${from} – ${to}.`);
    return 0;
  },
});
