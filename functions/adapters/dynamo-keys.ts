import { createHash } from 'node:crypto';
import { parseHandlingNummer, formatArende } from '../../domain/diarium/diarienummer.js';

/**
 * DynamoDB refuses a partition key over 2048 bytes and a sort key over 1024 bytes (UTF-8). A key part built
 * from input (a Message-ID, an insatsnamn, an id from a file) is kept as it is when short, so existing items
 * keep their keys, and replaced by its SHA-256 when long; the full value is stored in a non-key attribute.
 */
export const KEY_PART_MAX_BYTES = 512;

export function boundedKeyPart(value: string): string {
  return Buffer.byteLength(value, 'utf8') <= KEY_PART_MAX_BYTES
    ? value
    : `sha256:${createHash('sha256').update(value, 'utf8').digest('hex')}`;
}

const b = boundedKeyPart;

/** Single-table key design; see docs/datamodell.md. Every part that can come from input goes through `b`. */
export const keys = {
  counter: (serie: string, ar: number) => ({ pk: `RAKNARE#${b(serie)}#${ar}`, sk: 'ARENDE' }),
  arende: (dnr: string) => ({ pk: `ARENDE#${b(dnr)}`, sk: 'A' }),
  handling: (arendeDnr: string, n: number) => ({
    pk: `ARENDE#${b(arendeDnr)}`,
    sk: `H#${String(n).padStart(6, '0')}`,
  }),
  log: (arendeDnr: string, seq: number) => ({
    pk: `ARENDE#${b(arendeDnr)}`,
    sk: `L#${String(seq).padStart(8, '0')}`,
  }),
  source: (sourceKey: string) => ({ pk: `KALLA#${b(sourceKey)}`, sk: 'K' }),
  insats: (id: string) => ({ pk: `INSATS#${b(id)}`, sk: 'I' }),
  /** The insats register's own hash-chained log: its head and one item per entry. */
  insatsregisterHuvud: { pk: 'INSATSREGISTER', sk: 'HUVUD' },
  insatsregisterLogg: (seq: number) => ({ pk: 'INSATSREGISTER', sk: `L#${String(seq).padStart(8, '0')}` }),
  /** One ärende per insats: written with the ärende, conditionally, so two reports cannot open two ärenden. */
  insatsArende: (insatsnyckel: string) => ({ pk: `INSATSNYCKEL#${b(insatsnyckel)}`, sk: 'A' }),
  granskning: (id: string) => ({ pk: `GRANSKNING#${b(id)}`, sk: 'G' }),
  beslut: (granskningId: string, granskareId: string) => ({
    pk: `GRANSKNING#${b(granskningId)}`,
    sk: `B#${b(granskareId)}`,
  }),
  lank: (hash: string) => ({ pk: `LANK#${b(hash)}`, sk: 'L' }),
  /** Which link a member was given in one step of a granskning: written with the link, so it is made once. */
  lankPlats: (granskningId: string, steg: string, granskareId: string) => ({
    pk: `GRANSKNING#${b(granskningId)}`,
    sk: `LP#${b(steg)}#${b(granskareId)}`,
  }),
  /** A mail we sent about a handling, by SES's message id: what a bounce or complaint event names. */
  sentMail: (messageId: string) => ({ pk: `SESMAIL#${b(messageId)}`, sk: 'M' }),
  /** The kansli application's session (by the SHA-256 of its cookie id) and login under way: TTL items. */
  kansliSession: (idHash: string) => ({ pk: `SESSION#${b(idHash)}`, sk: 'S' }),
  kansliInloggning: (state: string) => ({ pk: `INLOGGNING#${b(state)}`, sk: 'I' }),
  /** The handling's line of the kansli's diarium list, beside the handling (docs/datamodell.md). */
  listrad: (arendeDnr: string, n: number) => ({
    pk: `ARENDE#${b(arendeDnr)}`,
    sk: `R#${String(n).padStart(6, '0')}`,
  }),
  /** The list index's partition: one per series and month, so a year is read as twelve Queries at once. */
  listaPartition: (serie: string, ankomstdatum: string) => `LISTA#${b(serie)}#${ankomstdatum.slice(0, 7)}`,
  diariumPartition: (serie: string, ankomstdatum: string) =>
    `DIARIUM#${b(serie)}#${ankomstdatum.slice(0, 4)}`,
};

export function splitHandlingsnummer(dnr: string): { arende: string; handling: number } | null {
  const n = parseHandlingNummer(dnr);
  if (!n) return null;
  return { arende: formatArende(n), handling: n.handling };
}
