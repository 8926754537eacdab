/**
 * Bidirectional-override and -isolate controls (U+202A–U+202E, U+2066–U+2069) and the direction marks
 * (U+200E, U+200F). In a name, subject or file name they only serve to disguise: `Slutrapport\u202excod.exe`
 * displays as `Slutrapportexe.docx`. Removed before anything is shown, mailed or used as a download name.
 */
const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function utanBidi(s: string): string {
  return s.replace(BIDI, '');
}

export function harBidi(s: string): boolean {
  return new RegExp(BIDI.source).test(s);
}
