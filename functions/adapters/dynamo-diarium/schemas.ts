import * as z from 'zod';
import { bedomningSchema, granskningStatusSchema } from '../../../events/handling-diarieford.js';
import { beslutSchema } from '../../../events/granskning.js';
import { rapportSchema } from '../../../domain/slutrapport/index.js';
import { KLASSER } from '../../../domain/klassning/types.js';

const finding = z.object({ kod: z.string(), falt: z.string(), meddelande: z.string() });

export const storedFileSchema = z.object({
  filnamn: z.string(),
  sha256: z.string(),
  storlek: z.number(),
  typ: z.string(),
  nyckel: z.string(),
  rapport: z.boolean(),
});

const flyttSchema = z.object({
  till: z.string(),
  fran: z.string(),
  av: z.string(),
  skal: z.string(),
  tidpunkt: z.string(),
});

export const handlingsinnehallSchema = z.discriminatedUnion('typ', [
  z.object({ typ: z.literal('slutrapport'), slutrapport: rapportSchema }),
  z.object({
    typ: z.literal('beslut'),
    utfall: z.enum(['godkand', 'komplettering', 'inget-beslut']),
    granskadHandling: z.string(),
    beslut: z.array(beslutSchema),
  }),
  z.object({ typ: z.literal('ovrig') }),
]);

export const avsandareSchema = z.object({
  namn: z.string().nullable(),
  epost: z.string().nullable(),
  kuvertAvsandare: z.string().nullable(),
  organisation: z.string().nullable(),
  postadress: z.string().nullable().optional(),
});

export const handlingSchema = z.object({
  diarienummer: z.string(),
  arende: z.string(),
  handlingsnummer: z.number().int(),
  mottagen: z.string(),
  ankomstdatum: z.string(),
  ankomstAndrad: z.object({ av: z.string(), skal: z.string(), ursprunglig: z.string() }).nullable(),
  kalla: z.enum(['epost', 'uppladdning', 'upprattad', 'papper']),
  kallaReferens: z.string(),
  avsandare: avsandareSchema,
  beskrivning: z.string(),
  bedomning: bedomningSchema,
  fel: z.array(finding),
  varningar: z.array(finding),
  filer: z.array(storedFileSchema),
  personnummer: z.array(z.object({ maskerat: z.string(), avsnitt: z.string() })),
  sekretess: z.boolean(),
  flaggor: z.array(z.string()),
  granskning: granskningStatusSchema,
  makulerad: z.object({ av: z.string(), skal: z.string(), tidpunkt: z.string() }).nullable(),
  kvittens: z.object({ skickad: z.string(), meddelandeId: z.string() }).nullable(),
  rapport: handlingsinnehallSchema,
  registrerad: z.string(),
  klassning: z
    .object({
      klass: z.enum(KLASSER),
      automatik: z.enum(['autosvar', 'studs', 'laskvitto', 'systemavsandare', 'egen-adress']).optional(),
      orsak: z.string(),
      av: z.string(),
      publikText: z.string().optional(),
    })
    .optional(),
  noteringar: z
    .array(
      z.object({
        tidpunkt: z.string(),
        typ: z.enum(['kopia-mottagen', 'studs', 'ersatt']),
        text: z.string(),
        handling: z.string().optional(),
      }),
    )
    .optional(),
  sekretessmarkering: z
    .object({ osl: z.string(), publikText: z.string(), av: z.string(), tidpunkt: z.string() })
    .nullable()
    .optional(),
  expediering: z
    .object({
      mottagare: z.object({
        namn: z.string(),
        organisation: z.string().nullable(),
        epost: z.string().nullable(),
        postadress: z.string().nullable(),
      }),
      satt: z.enum(['post', 'bud', 'overlamnad', 'annat']),
      skickad: z.string(),
    })
    .optional(),
  flyttad: flyttSchema.optional(),
  flyttadFran: flyttSchema.extend({ ursprung: z.string() }).optional(),
});

export const arendeSchema = z.object({
  diarienummer: z.string(),
  serie: z.string(),
  ar: z.number().int(),
  nummer: z.number().int(),
  arendemening: z.string(),
  insatsId: z.string().nullable(),
  insatsnyckel: z.string().nullable(),
  status: z.enum(['oppet', 'under-granskning', 'godkant', 'komplettering-begard', 'avslutat']),
  skapad: z.string(),
  antalHandlingar: z.number().int(),
});

export const arendeItemSchema = arendeSchema.extend({ logSeq: z.number().int(), logHash: z.string() });

export const auditEntrySchema = z.object({
  seq: z.number().int(),
  tidpunkt: z.string(),
  handelse: z.string(),
  av: z.string(),
  data: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});

export const insatsSchema = z
  .object({
    id: z.string(),
    namn: z.string(),
    organisation: z.string(),
    arende: z.string().nullable(),
    beviljadeMedel: z.number().nullable(),
    // Items written before the bevakning have neither; an insats without them reads as before.
    insatstidSlut: z.string().nullable().optional(),
    kontakt: z.string().nullable().optional(),
  })
  .transform(({ insatstidSlut, kontakt, ...rest }) => ({
    ...rest,
    ...(insatstidSlut ? { insatstidSlut } : {}),
    ...(kontakt ? { kontakt } : {}),
  }));
