/**
 * What makes a slutrapport valid, as one zod schema over the parsed report. Every rule adds an issue with a
 * stable code, the field path in `rapport` and a Swedish message that is sent to the sender as it is.
 * Issues marked `niva: 'varning'` are for the reviewer and do not make the report incomplete.
 */
import * as z from 'zod';
import { formatSek } from './normalisers.js';
import { parseSlutrapport } from './parse.js';
import {
  parsedSlutrapportSchema,
  type Finding,
  type ParsedSlutrapport,
  type SlutrapportResult,
} from './schema.js';
import { OBLIGATORISKA_AVSNITT, SUBSECTIONS } from './template.js';

/** A report dated more than this many months after the insatstid ended gets a warning. */
export const SEN_RAPPORT_MANADER = 3;
/** Below this likeness the text is not taken for the template at all. */
export const MIN_LIKHET = 0.2;
/** A stated utilisation percentage may differ this much (percentage points) from the amounts. */
const PROCENT_TOLERANS = 2;

type Niva = 'fel' | 'varning';

interface Issue {
  kod: string;
  falt: string;
  meddelande: string;
  niva: Niva;
}

const AVSNITT_RUBRIK: Record<string, string> = Object.fromEntries(
  SUBSECTIONS.map((s) => [s.nr, `Avsnitt ${s.nr} ${s.title}`]),
);

const S1 = 'Avsnitt 1 Allmänna uppgifter';
const S2 = 'Avsnitt 2 Ansvarig för genomförande';
const DATUMFORMAT = 'ÅÅÅÅ-MM-DD';

function addMonths(isoDate: string, months: number): string {
  const y = Number(isoDate.slice(0, 4));
  const m = Number(isoDate.slice(5, 7));
  const d = Number(isoDate.slice(8, 10));
  const date = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(d, last));
  return date.toISOString().slice(0, 10);
}

const PERCENT_SENTENCE = /[^.!?\n]*?(\d{1,3}(?:,\d+)?)\s?(?:%|procent)[^.!?\n]*/giu;
const ABOUT_FUNDS = /(utnyttja|nyttja|forbruka|anvant|anvande|anvants)/u;
const FUNDS = /(medel|medl|budget|beviljade|belopp|kostnad|pengar)/u;

function foldLite(s: string): string {
  return s.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
}

function statedPercentages(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(PERCENT_SENTENCE)) {
    const sentence = foldLite(m[0]);
    if (!ABOUT_FUNDS.test(sentence) || !FUNDS.test(sentence)) continue;
    out.push(Number(m[1]!.replace(',', '.')));
  }
  return out;
}

function rules(p: ParsedSlutrapport, idag: string): Issue[] {
  const out: Issue[] = [];
  const fel = (kod: string, falt: string, meddelande: string): void => {
    out.push({ kod, falt, meddelande, niva: 'fel' });
  };
  const varning = (kod: string, falt: string, meddelande: string): void => {
    out.push({ kod, falt, meddelande, niva: 'varning' });
  };
  const r = p.rapport;
  const raw = p.raw;

  if (p.likhet < MIN_LIKHET) {
    fel(
      'MALL_EJ_IGENKAND',
      'dokument',
      'Dokumentet liknar inte förbundets mall för slutrapport. Fyll i mallen "Slutrapport – Insats för samverkansmedel" och skicka den som Word- eller PDF-fil.',
    );
    return out;
  }

  // Section 1
  if (r.insatsnamn === null || r.insatsnamn.trim() === '') {
    fel(
      'SAKNAS_INSATSNAMN',
      'insatsnamn',
      `${S1}: Insatsens namn saknas. Ange insatsens namn som i ansökan.`,
    );
  }
  if (raw.insatstid === null) {
    fel(
      'SAKNAS_INSATSTID',
      'insatstid',
      `${S1}: Insatstid saknas. Ange start- och slutdatum som ${DATUMFORMAT} – ${DATUMFORMAT}.`,
    );
  } else if (r.insatstid === null || r.insatstid.start === null) {
    fel(
      'INSATSTID_OGILTIG',
      'insatstid',
      `${S1}: Insatstiden "${raw.insatstid}" kan inte tolkas. Ange start- och slutdatum som ${DATUMFORMAT} – ${DATUMFORMAT}.`,
    );
  } else if (r.insatstid.slut === null) {
    fel(
      'INSATSTID_OGILTIG',
      'insatstid',
      `${S1}: Insatstiden "${raw.insatstid}" saknar slutdatum. Ange start- och slutdatum som ${DATUMFORMAT} – ${DATUMFORMAT}.`,
    );
  } else if (r.insatstid.start > r.insatstid.slut) {
    fel(
      'INSATSTID_OGILTIG',
      'insatstid',
      `${S1}: Insatstidens startdatum ${r.insatstid.start} ligger efter slutdatumet ${r.insatstid.slut}. Kontrollera insatstiden.`,
    );
  }

  const belopp = (kod: string, falt: 'beviljadeMedel' | 'utnyttjadeMedel', namn: string): void => {
    const rawValue = raw[falt];
    if (rawValue === null) {
      fel(`SAKNAS_${kod}`, falt, `${S1}: ${namn} saknas. Ange beloppet i kronor, till exempel 250 000 kr.`);
    } else if (r[falt] === null) {
      fel(
        `${kod}_OGILTIGT`,
        falt,
        `${S1}: ${namn} "${rawValue}" kan inte tolkas som ett belopp. Ange beloppet i kronor, till exempel 250 000 kr.`,
      );
    }
  };
  belopp('BEVILJADE_MEDEL', 'beviljadeMedel', 'Beviljade medel');
  belopp('UTNYTTJADE_MEDEL', 'utnyttjadeMedel', 'Utnyttjade medel');

  const beviljade = r.beviljadeMedel;
  const utnyttjade = r.utnyttjadeMedel;
  if (beviljade !== null && utnyttjade !== null) {
    if (utnyttjade > beviljade) {
      fel(
        'UTNYTTJADE_OVER_BEVILJADE',
        'utnyttjadeMedel',
        `${S1}: Utnyttjade medel (${formatSek(utnyttjade)}) är mer än beviljade medel (${formatSek(beviljade)}). Kontrollera beloppen.`,
      );
    } else if (utnyttjade < beviljade && r.avsnitt['7.2.1'] === null) {
      fel(
        'OUTNYTTJADE_MEDEL_EJ_FORKLARADE',
        'avsnitt.7.2.1',
        `Avsnitt 7.2.1 är inte besvarat: beviljade medel är inte helt utnyttjade (${formatSek(utnyttjade)} av ${formatSek(beviljade)}). Förklara varför medlen inte utnyttjades.`,
      );
    } else if (utnyttjade === beviljade && r.avsnitt['7.1.1'] === null) {
      varning(
        'AVSNITT_OBESVARAT',
        'avsnitt.7.1.1',
        'Avsnitt 7.1.1 är inte besvarat: beskriv om budgeten var bra avvägd i förhållande till verksamheten.',
      );
    }
    if (beviljade > 0) {
      const actual = (utnyttjade / beviljade) * 100;
      const texts: [string, string | null][] = [
        ['utnyttjadeMedel', raw.utnyttjadeMedel],
        ['avsnitt.7.1.1', r.avsnitt['7.1.1']],
        ['avsnitt.7.2.1', r.avsnitt['7.2.1']],
      ];
      for (const [falt, t] of texts) {
        if (t === null) continue;
        const stated = falt === 'utnyttjadeMedel' ? percentIn(t) : statedPercentages(t);
        const wrong = stated.find((pct) => Math.abs(pct - actual) > PROCENT_TOLERANS);
        if (wrong !== undefined) {
          varning(
            'PROCENT_MOTSAGER_BELOPP',
            falt,
            `Rapporten anger att ${String(wrong).replace('.', ',')} % av medlen har utnyttjats, men beloppen ger ${Math.round(actual)} % (${formatSek(utnyttjade)} av ${formatSek(beviljade)}).`,
          );
          break;
        }
      }
    }
  }

  // Section 2
  if (r.organisation === null) {
    fel(
      'SAKNAS_ORGANISATION',
      'organisation',
      `${S2}: Organisationens namn saknas. Ange vilken organisation som äger insatsen.`,
    );
  }
  if (r.arbetsstalle === null) {
    varning(
      'SAKNAS_ARBETSSTALLE',
      'arbetsstalle',
      `${S2}: Arbetsställets namn saknas eller kunde inte skiljas från organisationens namn.`,
    );
  }
  if (r.kontaktpersoner.length === 0) {
    fel(
      'SAKNAS_KONTAKTPERSON',
      'kontaktpersoner',
      `${S2}: Kontaktperson för insatsägaren saknas. Ange namn på kontaktpersonen.`,
    );
  }
  if (r.telefon.length === 0) {
    if (raw.telefon === null) {
      fel(
        'SAKNAS_TELEFON',
        'telefon',
        `${S2}: Mobiltelefonnummer till kontaktpersonen saknas. Ange ett telefonnummer.`,
      );
    } else {
      varning(
        'TELEFON_OGILTIG',
        'telefon',
        `${S2}: Telefonnumret "${raw.telefon}" kan inte tolkas som ett svenskt telefonnummer.`,
      );
    }
  }
  if (r.epost.length === 0) {
    if (raw.epost === null) {
      fel('SAKNAS_EPOST', 'epost', `${S2}: E-postadress till kontaktpersonen saknas. Ange en e-postadress.`);
    } else {
      fel(
        'EPOST_OGILTIG',
        'epost',
        `${S2}: E-postadressen "${raw.epost}" är inte giltig. Ange en fullständig e-postadress.`,
      );
    }
  }
  if (r.postnummer === null) {
    varning(
      raw.postnummer === null ? 'SAKNAS_POSTNUMMER' : 'POSTNUMMER_OGILTIGT',
      'postnummer',
      raw.postnummer === null
        ? `${S2}: Postnummer saknas.`
        : `${S2}: Postnumret "${raw.postnummer}" är inte ett svenskt postnummer (fem siffror, till exempel 811 61).`,
    );
  }
  if (r.postadress === null) varning('SAKNAS_POSTADRESS', 'postadress', `${S2}: Postadress saknas.`);

  // Section 3
  if (r.samverkansparter.length === 0) {
    varning(
      'SAKNAS_SAMVERKANSPARTER',
      'samverkansparter',
      'Avsnitt 3 Samverkansparter: inga samverkansparter är angivna.',
    );
  }

  // Sections 4–6
  for (const key of OBLIGATORISKA_AVSNITT) {
    if (r.avsnitt[key] !== null) continue;
    const rubrik = AVSNITT_RUBRIK[key]!;
    if (p.hittat.avsnitt.includes(key)) {
      fel('AVSNITT_OBESVARAT', `avsnitt.${key}`, `${rubrik} är inte besvarat. Skriv ert svar under frågan.`);
    } else {
      fel(
        'AVSNITT_SAKNAS',
        `avsnitt.${key}`,
        `${rubrik} saknas i rapporten. Använd förbundets mall och besvara frågan under ${key}.`,
      );
    }
  }

  // Section 8
  const u = r.uppgiftslamnare;
  if (u === null) {
    fel(
      'UPPGIFTSLAMNARE_SAKNAS',
      'uppgiftslamnare',
      'Avsnitt 8 Uppgiftslämnare saknas: ange datum och namn.',
    );
  } else {
    if (u.datum === null) {
      if (raw.uppgiftslamnareDatum === null) {
        fel(
          'UPPGIFTSLAMNARE_DATUM_SAKNAS',
          'uppgiftslamnare.datum',
          `Avsnitt 8 Uppgiftslämnare: datum saknas. Ange datum som ${DATUMFORMAT}.`,
        );
      } else {
        fel(
          'UPPGIFTSLAMNARE_DATUM_OGILTIGT',
          'uppgiftslamnare.datum',
          `Avsnitt 8 Uppgiftslämnare: datumet "${raw.uppgiftslamnareDatum}" kan inte tolkas. Ange datum som ${DATUMFORMAT}.`,
        );
      }
    } else {
      const start = r.insatstid?.start ?? null;
      if (start !== null && u.datum < start) {
        fel(
          'UPPGIFTSLAMNARE_DATUM_FORE_INSATSTID',
          'uppgiftslamnare.datum',
          `Avsnitt 8 Uppgiftslämnare: datumet ${u.datum} ligger före insatstidens start ${start}. Kontrollera datumet.`,
        );
      }
      if (u.datum > idag) {
        varning(
          'UPPGIFTSLAMNARE_DATUM_FRAMTID',
          'uppgiftslamnare.datum',
          `Avsnitt 8 Uppgiftslämnare: datumet ${u.datum} ligger efter att rapporten kom in (${idag}).`,
        );
      }
    }
    if (u.namn === null) {
      fel(
        'UPPGIFTSLAMNARE_NAMN_SAKNAS',
        'uppgiftslamnare.namn',
        'Avsnitt 8 Uppgiftslämnare: namn saknas. Ange namnet på den som lämnar rapporten.',
      );
    }
  }

  // Timing
  const slut = r.insatstid?.slut ?? null;
  if (slut !== null) {
    const rapportdatum = u?.datum ?? idag;
    if (rapportdatum > addMonths(slut, SEN_RAPPORT_MANADER)) {
      varning(
        'RAPPORT_SEN',
        u?.datum ? 'uppgiftslamnare.datum' : 'insatstid',
        u?.datum
          ? `Rapporten är daterad ${rapportdatum}, mer än ${SEN_RAPPORT_MANADER} månader efter att insatstiden slutade ${slut}.`
          : `Rapporten kom in ${rapportdatum}, mer än ${SEN_RAPPORT_MANADER} månader efter att insatstiden slutade ${slut}.`,
      );
    }
    if (idag < slut) {
      varning(
        'INSATSTID_EJ_AVSLUTAD',
        'insatstid',
        `Insatstiden slutar ${slut}, efter att rapporten kom in ${idag}. Kontrollera att det är en slutrapport.`,
      );
    }
  }

  // Privacy
  for (const f of p.personnummer) {
    const var_ = f.avsnitt === 'sidhuvud' ? 'rapportens sidhuvud' : `avsnitt ${f.avsnitt}`;
    varning(
      'PERSONNUMMER_HITTAT',
      /^\d\.\d/u.test(f.avsnitt) ? `avsnitt.${f.avsnitt}` : 'dokument',
      `Rapporten innehåller ett personnummer (${f.maskerat}) i ${var_}. Rapporten ska beskriva grupper, inte enskilda personer: ta bort personnumret.`,
    );
  }
  return out;
}

function percentIn(text: string): number[] {
  return [...text.matchAll(/(\d{1,3}(?:,\d+)?)\s?(?:%|procent)/giu)].map((m) =>
    Number(m[1]!.replace(',', '.')),
  );
}

const issueParams = z.object({ kod: z.string(), falt: z.string(), niva: z.enum(['fel', 'varning']) });

/** The schema of a valid slutrapport for a given ankomstdatum: the parsed shape plus every rule above. */
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
