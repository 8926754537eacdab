import { parseHandlingNummer, formatArende } from '../../domain/diarium/diarienummer.js';

/** Single-table key design; see docs/datamodell.md. */
export const keys = {
  counter: (serie: string, ar: number) => ({ pk: `RAKNARE#${serie}#${ar}`, sk: 'ARENDE' }),
  arende: (dnr: string) => ({ pk: `ARENDE#${dnr}`, sk: 'A' }),
  handling: (arendeDnr: string, n: number) => ({
    pk: `ARENDE#${arendeDnr}`,
    sk: `H#${String(n).padStart(6, '0')}`,
  }),
  log: (arendeDnr: string, seq: number) => ({
    pk: `ARENDE#${arendeDnr}`,
    sk: `L#${String(seq).padStart(8, '0')}`,
  }),
  source: (sourceKey: string) => ({ pk: `KALLA#${sourceKey}`, sk: 'K' }),
  insats: (id: string) => ({ pk: `INSATS#${id}`, sk: 'I' }),
  /** One ärende per insats: written with the ärende, conditionally, so two reports cannot open two ärenden. */
  insatsArende: (insatsnyckel: string) => ({ pk: `INSATSNYCKEL#${insatsnyckel}`, sk: 'A' }),
  granskning: (id: string) => ({ pk: `GRANSKNING#${id}`, sk: 'G' }),
  beslut: (granskningId: string, granskareId: string) => ({
    pk: `GRANSKNING#${granskningId}`,
    sk: `B#${granskareId}`,
  }),
  lank: (hash: string) => ({ pk: `LANK#${hash}`, sk: 'L' }),
  /** Which link a member was given in one step of a granskning: written with the link, so it is made once. */
  lankPlats: (granskningId: string, steg: string, granskareId: string) => ({
    pk: `GRANSKNING#${granskningId}`,
    sk: `LP#${steg}#${granskareId}`,
  }),
  diariumPartition: (serie: string, ankomstdatum: string) => `DIARIUM#${serie}#${ankomstdatum.slice(0, 4)}`,
};

export function splitHandlingsnummer(dnr: string): { arende: string; handling: number } | null {
  const n = parseHandlingNummer(dnr);
  if (!n) return null;
  return { arende: formatArende(n), handling: n.handling };
}
