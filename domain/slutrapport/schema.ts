/**
 * zod 4 schemas: the single definition of what a parsed slutrapport is (types are inferred from here) and,
 * in validate.ts, of what a valid one is.
 */
import * as z from 'zod';
import { AVSNITT_KEYS } from './template.js';

const datum = z.iso.date();
const text = z.string().nullable();

export const avsnittSchema = z.object(
  Object.fromEntries(AVSNITT_KEYS.map((k) => [k, text])) as Record<
    (typeof AVSNITT_KEYS)[number],
    typeof text
  >,
);

/** The "rapport" object of the CLI contract: normalised values, personnummer masked. */
export const rapportSchema = z.object({
  diarienummer: text,
  insatsnamn: text,
  insatstid: z.object({ start: datum.nullable(), slut: datum.nullable() }).nullable(),
  /** Whole kronor. */
  beviljadeMedel: z.number().int().nonnegative().nullable(),
  utnyttjadeMedel: z.number().int().nonnegative().nullable(),
  organisation: text,
  arbetsstalle: text,
  kontaktpersoner: z.array(z.string()),
  epost: z.array(z.string()),
  /** E.164, e.g. +46703185239. */
  telefon: z.array(z.string()),
  postnummer: text,
  postadress: text,
  samverkansparter: z.array(z.string()),
  avsnitt: avsnittSchema,
  uppgiftslamnare: z.object({ datum: datum.nullable(), namn: text }).nullable(),
});
export type Rapport = z.infer<typeof rapportSchema>;

export const personnummerFyndSchema = z.object({
  maskerat: z.string(),
  /** Where it was found: a subsection key ('5.1'), a section number ('2'), or 'sidhuvud'. */
  avsnitt: z.string(),
  start: z.number().int().nonnegative(),
  slut: z.number().int().nonnegative(),
});
export type PersonnummerFynd = z.infer<typeof personnummerFyndSchema>;

/** What the sender wrote, before normalisation: validation tells "missing" from "unreadable" with it. */
export const rawFieldsSchema = z.object({
  insatsnamn: text,
  insatstid: text,
  beviljadeMedel: text,
  utnyttjadeMedel: text,
  organisation: text,
  arbetsstalle: text,
  kontaktpersoner: text,
  telefon: text,
  epost: text,
  postnummer: text,
  postadress: text,
  uppgiftslamnareDatum: text,
  uppgiftslamnareNamn: text,
});
export type RawFields = z.infer<typeof rawFieldsSchema>;

export const parsedSlutrapportSchema = z.object({
  rapport: rapportSchema,
  raw: rawFieldsSchema,
  header: z.object({ diarienummer: text, signatur: text, ankomstdatum: datum.nullable() }),
  hittat: z.object({
    /** Section headings 1–8 found. */
    sektioner: z.array(z.number().int()),
    /** Subsection headings found (answered or not). */
    avsnitt: z.array(z.enum(AVSNITT_KEYS)),
    uppgiftslamnare: z.boolean(),
  }),
  personnummer: z.array(personnummerFyndSchema),
  /** looksLikeSlutrapport of the text, 0..1. */
  likhet: z.number().min(0).max(1),
});
export type ParsedSlutrapport = z.infer<typeof parsedSlutrapportSchema>;

export const findingSchema = z.object({ kod: z.string(), falt: z.string(), meddelande: z.string() });
export type Finding = z.infer<typeof findingSchema>;

export const slutrapportStatusSchema = z.enum(['komplett', 'ofullstandig', 'olasbar']);
export type SlutrapportStatus = z.infer<typeof slutrapportStatusSchema>;

export const slutrapportResultSchema = z.object({
  status: slutrapportStatusSchema,
  rapport: rapportSchema.nullable(),
  fel: z.array(findingSchema),
  varningar: z.array(findingSchema),
  personnummer: z.array(personnummerFyndSchema),
});
export type SlutrapportResult = z.infer<typeof slutrapportResultSchema>;
