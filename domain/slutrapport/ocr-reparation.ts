/**
 * Repairs of known OCR confusions in a scanned report, made only where the repair is certain; what stays
 * doubtful is named so the kansli can check it ("maskinläst – kontrollera") instead of the insatsägare
 * being told of an error that is the scanner's.
 */
export interface OcrReparation {
  text: string;
  /** Swedish, what was repaired (for the diarium). */
  lagningar: string[];
  /** Swedish, the fields the kansli should check against the scan. */
  tveksamma: string[];
}

const DOMAN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}$/;
const LOKAL = /^[a-z0-9](?:[a-z0-9._%+-]*[a-z0-9])?$/;

/** `anna.svenssonQkommun.se`, `anna©kommun.se`: one stand-in for @ between a lower-case local part and a domain. */
function repareraAdress(token: string): { adress: string; saker: boolean } | null {
  if (token.includes('@')) return null;
  const candidates = [...token.matchAll(/[Q©]/g)].map((m) => m.index);
  if (candidates.length === 0) return null;
  const fits = (i: number, lokal: RegExp, doman: RegExp) =>
    lokal.test(token.slice(0, i)) && doman.test(token.slice(i + 1));
  const hits = candidates.filter((i) => fits(i, LOKAL, DOMAN));
  // Case aside, does it look like an address with a stand-in? Then it is doubtful rather than not one.
  const loose = candidates.filter((i) => fits(i, new RegExp(LOKAL, 'i'), new RegExp(DOMAN, 'i')));
  const i = hits[0] ?? loose[0];
  if (i === undefined) return null;
  return {
    adress: `${token.slice(0, i)}@${token.slice(i + 1)}`,
    saker: hits.length === 1 && loose.length === 1,
  };
}

const NAMNFALT =
  /^(\s*(?:namn[^:]{0,40}|kontaktperson[^:]{0,40}|underskrift|namnförtydligande|ansvarig[^:]{0,30}))\s*:\s*(.+)$/i;
/** A token with no letters, or letters mixed with the strokes OCR makes of a handwritten signature. */
const KLOTTER = /^(?:[^\p{L}]+|.*[~/\\_^`´*#§{}<>].*)$/u;
const NAMNORD = /^\p{Lu}[\p{Ll}'-]+$/u;

function repareraNamn(rad: string, lagningar: string[], tveksamma: string[]): string {
  const m = NAMNFALT.exec(rad);
  if (!m) return rad;
  const etikett = m[1]!.trim();
  const ord = m[2]!.trim().split(/\s+/);
  let slut = ord.length;
  while (slut > 0 && KLOTTER.test(ord[slut - 1]!)) slut--;
  const behallna = ord.slice(0, slut);
  if (slut < ord.length && behallna.length > 0) {
    lagningar.push(`${etikett}: namnteckningens klotter borttaget efter ”${behallna.join(' ')}”`);
  }
  if (behallna.some((o) => !NAMNORD.test(o) && /\p{L}/u.test(o))) {
    tveksamma.push(`${etikett}: ”${behallna.join(' ')}”`);
  }
  return behallna.length > 0 ? `${m[1]!}: ${behallna.join(' ')}` : rad;
}

export function repareraOcr(text: string): OcrReparation {
  const lagningar: string[] = [];
  const tveksamma: string[] = [];
  const rader = text.split('\n').map((rad) => {
    // A stray "=" or "|" at the end of a line is a table rule or a soft-break the scanner read as text.
    let r = rad.replace(/[ \t]*[=|]+[ \t]*$/, (s) => {
      if (s.trim()) lagningar.push('Lösa tecken (= eller |) i radslut borttagna');
      return '';
    });
    r = r.replace(/[^\s<>()[\]"',;:]+/g, (token) => {
      const rep = repareraAdress(token);
      if (!rep) return token;
      if (rep.saker) {
        lagningar.push(`E-postadress lagad: ${token} → ${rep.adress}`);
        return rep.adress;
      }
      tveksamma.push(`E-postadress: ”${token}”`);
      return token;
    });
    return repareraNamn(r, lagningar, tveksamma);
  });
  return { text: rader.join('\n'), lagningar: [...new Set(lagningar)], tveksamma: [...new Set(tveksamma)] };
}
