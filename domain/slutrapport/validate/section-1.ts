/**
 * Rules for section 1, Allmänna uppgifter: insatsens namn, insatstid, beviljade and utnyttjade medel, and
 * whether the amounts agree with the utilisation the report states in words.
 */
import { formatSek } from '../normalisers.js';
import type { ParsedSlutrapport } from '../schema.js';
import { DATUMFORMAT, type Issues } from './issues.js';

/** A stated utilisation percentage may differ this much (percentage points) from the amounts. */
const PROCENT_TOLERANS = 2;

const S1 = 'Avsnitt 1 Allmänna uppgifter';

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

function percentIn(text: string): number[] {
  return [...text.matchAll(/(\d{1,3}(?:,\d+)?)\s?(?:%|procent)/giu)].map((m) =>
    Number(m[1]!.replace(',', '.')),
  );
}

export function checkSection1(p: ParsedSlutrapport, { fel, varning }: Issues): void {
  const r = p.rapport;
  const raw = p.raw;
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
}
