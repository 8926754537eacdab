import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { DiariumReader } from '../../../domain/diarium/ports.js';
import type { Handling } from '../../../domain/diarium/types.js';
import { STANDARDKLASS } from '../../../domain/klassning/kansli.js';
import { KLASSER, type Klass } from '../../../domain/klassning/types.js';
import {
  sokbarText,
  statusAv,
  type DiariumRad,
  type DiariumSok,
  type RadFilter,
  type StatusFilter,
} from '../../../domain/kansli/sok.js';
import { bedomningSchema, granskningStatusSchema } from '../../../events/handling-diarieford.js';
import { keys, splitHandlingsnummer } from '../dynamo-keys.js';
import { queryAll, type DiariumTable, type TransactItem } from './table.js';
import { avsandareSchema } from './schemas.js';

/** The list index: one small item per handling (`listrad`), partitioned by series and month. */
export const LISTINDEX = 'gsi4';
/** What the list index projects besides its keys: the row and the attributes a FilterExpression reads. */
export const LISTINDEX_ATTRIBUT = ['rad', 'sok', 'status', 'klass', 'insatsId', 'sekretess'] as const;

const radSchema = z.object({
  diarienummer: z.string(),
  arende: z.string(),
  mottagen: z.string(),
  ankomstdatum: z.string(),
  avsandare: avsandareSchema,
  beskrivning: z.string(),
  bedomning: bedomningSchema,
  granskning: granskningStatusSchema,
  sekretess: z.boolean(),
  flaggor: z.array(z.string()),
  makulerad: z.boolean(),
  klass: z.custom<Klass>((v) => typeof v === 'string' && (KLASSER as readonly string[]).includes(v)),
  insatsId: z.string().nullable(),
});

const itemSchema = z.object({ rad: z.string() });

/** What a list row is built from: the handling as stored (its klassning may be absent on old handlingar). */
export type ListradKalla = Pick<
  Handling,
  | 'diarienummer'
  | 'arende'
  | 'handlingsnummer'
  | 'mottagen'
  | 'ankomstdatum'
  | 'avsandare'
  | 'beskrivning'
  | 'bedomning'
  | 'granskning'
  | 'sekretess'
  | 'flaggor'
  | 'makulerad'
  | 'klassning'
>;

export function listrad(h: ListradKalla, insatsId: string | null): DiariumRad {
  return {
    diarienummer: h.diarienummer,
    arende: h.arende,
    mottagen: h.mottagen,
    ankomstdatum: h.ankomstdatum,
    avsandare: h.avsandare,
    beskrivning: h.beskrivning,
    bedomning: h.bedomning,
    granskning: h.granskning,
    sekretess: h.sekretess,
    flaggor: h.flaggor,
    makulerad: h.makulerad !== null,
    klass: h.klassning?.klass ?? STANDARDKLASS,
    insatsId,
  };
}

/**
 * The handling's list item: the row as one JSON string (one attribute to read back instead of a dozen maps),
 * and beside it the few attributes the filters read. Written in the same transaction as every change of the
 * handling (registration, and each update through the ärende log), so it never lags the handling.
 */
export function listradItem(
  t: Pick<DiariumTable, 'table'>,
  h: ListradKalla,
  insatsId: string | null,
): TransactItem {
  const serie = h.arende.split(' ')[0] ?? '';
  const rad = listrad(h, insatsId);
  const status: StatusFilter = statusAv(rad);
  return {
    Put: {
      TableName: t.table,
      Item: {
        ...keys.listrad(h.arende, h.handlingsnummer),
        typ: 'listrad',
        gsi4pk: keys.listaPartition(serie, h.ankomstdatum),
        gsi4sk: `${h.ankomstdatum}#${h.mottagen}#${h.diarienummer}`,
        rad: JSON.stringify(rad),
        sok: sokbarText(rad),
        status,
        klass: rad.klass,
        sekretess: rad.sekretess,
        ...(insatsId === null ? {} : { insatsId }),
      },
    },
  };
}

/** The list item's key for a handling's diarienummer (null when it is not one). */
export function listradKey(diarienummer: string) {
  const p = splitHandlingsnummer(diarienummer);
  return p ? keys.listrad(p.arende, p.handling) : null;
}

/**
 * The diarium list's lines from the list index (gsi4: one small item per handling, a partition per month): a
 * Query per month of the period, all at once. The exact filters go into a FilterExpression, so DynamoDB sends
 * back only the rows that pass them; the domain applies them again with the free text.
 */
export class DynamoDiariumSok implements DiariumSok {
  constructor(private readonly t: DiariumTable) {}

  async listRader(franDatum: string, tillDatum: string, filter?: RadFilter): Promise<DiariumRad[]> {
    const parts = await Promise.all(
      manader(franDatum, tillDatum).map(([fran, till]) => this.query(fran, till, filter)),
    );
    return parts.flat();
  }

  private async query(franDatum: string, tillDatum: string, f?: RadFilter): Promise<DiariumRad[]> {
    const villkor: string[] = [];
    const names: Record<string, string> = { '#rad': 'rad' };
    const values: Record<string, unknown> = {
      ':pk': keys.listaPartition(this.t.serie, franDatum),
      ':from': franDatum,
      ':to': `${tillDatum}#~`,
    };
    // DynamoDB still reads every row of the month, but sends back only the ones that match. Every name goes
    // through ExpressionAttributeNames: DynamoDB's reserved words include ordinary ones (STATUS).
    const lika = (attr: string, value: unknown) => {
      names[`#${attr}`] = attr;
      values[`:${attr}`] = value;
      villkor.push(`#${attr} = :${attr}`);
    };
    (f?.ord ?? []).slice(0, 20).forEach((o, i) => {
      names['#sok'] = 'sok';
      values[`:o${i}`] = o;
      villkor.push(`contains(#sok, :o${i})`);
    });
    if (f?.status) lika('status', f.status);
    if (f?.klass) lika('klass', f.klass);
    if (f?.insats) lika('insatsId', f.insats);
    if (f?.sekretess) lika('sekretess', f.sekretess === 'ja');
    const items = await queryAll(this.t, {
      TableName: this.t.table,
      IndexName: LISTINDEX,
      KeyConditionExpression: 'gsi4pk = :pk AND gsi4sk BETWEEN :from AND :to',
      ProjectionExpression: '#rad',
      ...(villkor.length ? { FilterExpression: villkor.join(' AND ') } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
    return items.map((item) => radSchema.parse(JSON.parse(itemSchema.parse(item).rad)));
  }
}

/**
 * Writes the list item of each handling of the period that has none: handlingar registered before the list
 * index came (a migration step, docs/deploy.md). Conditional, so an item a writer wrote is never replaced by
 * an older picture of the handling; running it again writes nothing.
 */
export async function byggListindex(
  t: DiariumTable,
  reader: Pick<DiariumReader, 'listDiarium' | 'getArenden'>,
  franDatum: string,
  tillDatum: string,
): Promise<{ skrivna: number; fanns: number }> {
  const handlingar = await reader.listDiarium(franDatum, tillDatum);
  const arenden = await reader.getArenden([...new Set(handlingar.map((h) => h.arende))]);
  const insats = new Map(arenden.map((a) => [a.diarienummer, a.insatsId]));
  let skrivna = 0;
  let fanns = 0;
  for (const h of handlingar) {
    const put = listradItem(t, h, insats.get(h.arende) ?? null).Put;
    if (!put) continue;
    try {
      await t.db.send(
        new PutCommand({
          TableName: put.TableName,
          Item: put.Item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      skrivna++;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      fanns++;
    }
  }
  return { skrivna, fanns };
}

/** The period cut at month ends (each part one partition of the list index). */
export function manader(fran: string, till: string): [string, string][] {
  const out: [string, string][] = [];
  let y = Number(fran.slice(0, 4));
  let m = Number(fran.slice(5, 7));
  let start = fran;
  for (;;) {
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const end = `${y}-${String(m).padStart(2, '0')}-${String(last).padStart(2, '0')}`;
    if (end >= till) {
      out.push([start, till]);
      return out;
    }
    out.push([start, end]);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
    start = `${y}-${String(m).padStart(2, '0')}-01`;
  }
}
