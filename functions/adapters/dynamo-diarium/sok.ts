import * as z from 'zod';
import type { DiariumRad, DiariumSok } from '../../../domain/kansli/sok.js';
import { bedomningSchema, granskningStatusSchema } from '../../../events/handling-diarieford.js';
import { queryAll, type DiariumTable } from './table.js';

const radSchema = z.object({
  diarienummer: z.string(),
  arende: z.string(),
  mottagen: z.string(),
  ankomstdatum: z.string(),
  avsandare: z.object({
    namn: z.string().nullable(),
    epost: z.string().nullable(),
    kuvertAvsandare: z.string().nullable(),
    organisation: z.string().nullable(),
  }),
  beskrivning: z.string(),
  rapport: z
    .object({ slutrapport: z.object({ insatsnamn: z.string().nullable().optional() }).optional() })
    .optional(),
  bedomning: bedomningSchema,
  granskning: granskningStatusSchema,
  sekretess: z.boolean(),
  flaggor: z.array(z.string()),
  makulerad: z.unknown().optional(),
});

/**
 * The diarium list's lines from the date index (gsi2): a Query per year, with a projection, so the report's
 * content (most of an item's size) is not read for a list.
 */
export class DynamoDiariumSok implements DiariumSok {
  constructor(private readonly t: DiariumTable) {}

  async listRader(franDatum: string, tillDatum: string): Promise<DiariumRad[]> {
    const out: DiariumRad[] = [];
    for (let year = Number(franDatum.slice(0, 4)); year <= Number(tillDatum.slice(0, 4)); year++) {
      const items = await queryAll(this.t, {
        TableName: this.t.table,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
        ProjectionExpression:
          'diarienummer, arende, mottagen, ankomstdatum, avsandare, beskrivning, rapport.slutrapport.insatsnamn, bedomning, granskning, sekretess, flaggor, makulerad',
        ExpressionAttributeValues: {
          ':pk': `DIARIUM#${this.t.serie}#${year}`,
          ':from': franDatum,
          ':to': `${tillDatum}#~`,
        },
      });
      for (const item of items) {
        const r = radSchema.parse(item);
        out.push({
          diarienummer: r.diarienummer,
          arende: r.arende,
          mottagen: r.mottagen,
          ankomstdatum: r.ankomstdatum,
          avsandare: r.avsandare,
          beskrivning: r.beskrivning,
          insats: r.rapport?.slutrapport?.insatsnamn ?? null,
          bedomning: r.bedomning,
          granskning: r.granskning,
          sekretess: r.sekretess,
          flaggor: r.flaggor,
          makulerad: r.makulerad !== null && r.makulerad !== undefined,
        });
      }
    }
    return out;
  }
}
