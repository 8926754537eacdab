/**
 * What makes a slutrapport valid, as one zod schema over the parsed report. Every rule adds an issue with a
 * stable code, the field path in `rapport` and a Swedish message that is sent to the sender as it is.
 * Issues marked `niva: 'varning'` are for the reviewer and do not make the report incomplete.
 */
import * as z from 'zod';
import { parseSlutrapport } from './parse.js';
import {
  parsedSlutrapportSchema,
  type Finding,
  type ParsedSlutrapport,
  type SlutrapportResult,
} from './schema.js';
import { rules } from './validate/rules.js';

export { MIN_LIKHET } from './validate/rules.js';
export { SEN_RAPPORT_MANADER } from './validate/timing.js';

const issueParams = z.object({ kod: z.string(), falt: z.string(), niva: z.enum(['fel', 'varning']) });

/** The schema of a valid slutrapport for a given ankomstdatum: the parsed shape plus every rule of validate/rules.ts. */
export function slutrapportSchema(opts: { idag: string }) {
  return parsedSlutrapportSchema.superRefine((p, ctx) => {
    for (const issue of rules(p, opts.idag)) {
      ctx.addIssue({
        code: 'custom',
        path: issue.falt === 'dokument' ? [] : ['rapport', ...splitPath(issue.falt)],
        message: issue.meddelande,
        params: { kod: issue.kod, falt: issue.falt, niva: issue.niva },
      });
    }
  });
}

function splitPath(falt: string): string[] {
  // 'avsnitt.5.3' is the key '5.3' of avsnitt, not a path of three.
  const m = /^avsnitt\.(.+)$/u.exec(falt);
  return m ? ['avsnitt', m[1]!] : falt.split('.');
}

/** Validates a parsed report; `idag` is the ankomstdatum (ÅÅÅÅ-MM-DD). */
export function validateSlutrapport(parsed: ParsedSlutrapport, opts: { idag: string }): SlutrapportResult {
  const result = slutrapportSchema(opts).safeParse(parsed);
  const fel: Finding[] = [];
  const varningar: Finding[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const params = issue.code === 'custom' ? issueParams.safeParse(issue.params) : null;
      if (params?.success) {
        const f = { kod: params.data.kod, falt: params.data.falt, meddelande: issue.message };
        (params.data.niva === 'fel' ? fel : varningar).push(f);
      } else {
        // The parser always produces the parsed shape; if it ever does not, say so rather than pass it.
        fel.push({
          kod: 'INTERNT_FEL',
          falt: issue.path.join('.') || 'dokument',
          meddelande: 'Rapporten kunde inte läsas fullständigt.',
        });
      }
    }
  }
  return {
    status: fel.length === 0 ? 'komplett' : 'ofullstandig',
    rapport: parsed.rapport,
    fel: dedupe(fel),
    varningar: dedupe(varningar),
    personnummer: parsed.personnummer,
  };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.kod}|${f.falt}|${f.meddelande}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Parses and validates; a missing or blank text (nothing could be extracted) is 'olasbar'. */
export function readSlutrapport(text: string | null, opts: { idag: string }): SlutrapportResult {
  if (text === null || (text.match(/\p{L}/gu)?.length ?? 0) < 20) {
    return {
      status: 'olasbar',
      rapport: null,
      fel: [
        {
          kod: 'OLASBAR',
          falt: 'dokument',
          meddelande:
            'Vi kunde inte läsa någon text i rapporten. Skicka slutrapporten som Word- eller PDF-fil (inte som inskannad bild), eller klistra in den i e-postmeddelandet.',
        },
      ],
      varningar: [],
      personnummer: [],
    };
  }
  return validateSlutrapport(parseSlutrapport(text), opts);
}
