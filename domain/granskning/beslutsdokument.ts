import { beslutsregel } from './policy.js';
import { ankomstdatum, svenskTidpunkt } from '../diarium/ankomstdatum.js';
import type { Handling } from '../diarium/types.js';
import type { Beslut, BeslutPolicy, Slututfall } from './types.js';

/**
 * The decision of a granskning as a document: the file of the upprättad handling that records it, for the
 * kansli, for anyone who asks for it as an allmän handling, and for the archive. Plain UTF-8 text, which
 * Riksarkivet accepts for long-term preservation and anyone can open.
 *
 * Everything in it comes from the closed granskning (its decisions and the time it was decided), never from the
 * clock, so a retried finalize writes the very same bytes: the file is content-addressed and already diariefört.
 */
export function beslutsdokument(args: {
  handling: Handling;
  insatsnamn: string;
  /** The insatsägare's organisation, as the report or the sender gives it. */
  insatsagare: string | null;
  utfall: Slututfall;
  beslut: Beslut[];
  policy: BeslutPolicy;
  avgjord: string;
  granskningId: string;
}): { filnamn: string; text: string } {
  const h = args.handling;
  const beslutstext =
    args.utfall === 'godkand'
      ? 'Beredningsgruppen godkänner slutrapporten.'
      : args.utfall === 'komplettering'
        ? 'Beredningsgruppen begär att slutrapporten kompletteras.'
        : 'Granskningen avslutades utan beslut: beredningsgruppen svarade inte inom tidsfristen. Kansliet tar ärendet vidare.';
  // One wording of the rule: the page, the members' mail and the beslut state it alike.
  const regel = beslutsregel(args.policy);
  const svar = [...args.beslut]
    .sort((a, b) => a.tidpunkt.localeCompare(b.tidpunkt))
    .map((b) => {
      const vad =
        b.utfall === 'godkand'
          ? 'Godkänd'
          : b.utfall === 'jav'
            ? 'Jäv anmält (deltar inte)'
            : 'Komplettering';
      return `${svenskTidpunkt(b.tidpunkt)}  ${b.namn}, ${b.organisation}: ${vad}${b.kommentar ? ` – ”${b.kommentar}”` : ''}`;
    });
  const text = [
    'Samordningsförbund Gävleborg',
    'Beredningsgruppen',
    '',
    'BESLUT',
    '',
    `Datum: ${ankomstdatum(args.avgjord)}`,
    `Ärende: ${h.arende}`,
    `Avser: slutrapport ${h.diarienummer}, inkommen ${h.ankomstdatum}`,
    `Insats: ${args.insatsnamn}`,
    ...(args.insatsagare ? [`Insatsägare: ${args.insatsagare}`] : []),
    '',
    'Beslut',
    beslutstext,
    '',
    `Beslutsregel: ${regel}`,
    '',
    'Ledamöternas svar',
    ...(svar.length > 0 ? svar : ['(inga svar)']),
    '',
    `Beslutet fattades ${svenskTidpunkt(args.avgjord)} i Rapportflöde, där ledamöterna svarar på personliga`,
    `länkar och bekräftar sitt svar. Granskning ${args.granskningId}.`,
    '',
  ].join('\n');
  return { filnamn: `Beslut ${h.diarienummer}.txt`, text };
}
