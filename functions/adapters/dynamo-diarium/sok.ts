import * as z from 'zod';
import type { DiariumRad, DiariumSok } from '../../../domain/kansli/sok.js';
import { bedomningSchema, granskningStatusSchema } from '../../../events/handling-diarieford.js';
import { keys } from '../dynamo-keys.js';
import { queryAll, type DiariumTable } from './table.js';
import { avsandareSchema } from './schemas.js';

/** What the list index (gsi3, gsi2's keys) projects: a line of the list, never the report's content. */
export const DIARIELISTA_ATTRIBUT = [
  'diarienummer',
  'arende',
  'mottagen',
  'ankomstdatum',
  'avsandare',
  'beskrivning',
  'bedomning',
  'granskning',
  'sekretess',
  'flaggor',
  'makulerad',
] as const;

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
  makulerad: z.unknown().optional(),
});

/**
 * The diarium list's lines from the list index (gsi3: gsi2's date keys, only the list's attributes): a Query
 * per year. gsi2 itself projects the whole item, the report's content included, so reading a year from it
 * reads tens of megabytes.
 */
export class DynamoDiariumSok implements DiariumSok {
  constructor(private readonly t: DiariumTable) {}

  async listRader(franDatum: string, tillDatum: string): Promise<DiariumRad[]> {
    // One Query per month, all at once: a year is twelve short chains of pages instead of one long one.
    const parts = await Promise.all(
      manader(franDatum, tillDatum).map(([fran, till]) => this.query(fran, till)),
    );
    return parts.flat();
  }

  private async query(franDatum: string, tillDatum: string): Promise<DiariumRad[]> {
    const items = await queryAll(this.t, {
      TableName: this.t.table,
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
      ProjectionExpression: DIARIELISTA_ATTRIBUT.join(', '),
      ExpressionAttributeValues: {
        ':pk': keys.diariumPartition(this.t.serie, franDatum),
        ':from': franDatum,
        ':to': `${tillDatum}#~`,
      },
    });
    return items.map((item) => {
      const r = radSchema.parse(item);
      return {
        diarienummer: r.diarienummer,
        arende: r.arende,
        mottagen: r.mottagen,
        ankomstdatum: r.ankomstdatum,
        avsandare: r.avsandare,
        beskrivning: r.beskrivning,
        bedomning: r.bedomning,
        granskning: r.granskning,
        sekretess: r.sekretess,
        flaggor: r.flaggor,
        makulerad: r.makulerad !== null && r.makulerad !== undefined,
      };
    });
  }
}

/** The period cut at month ends (each part within one year, as the index is partitioned by year). */
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
