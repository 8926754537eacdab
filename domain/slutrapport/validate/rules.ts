/**
 * Every rule over a parsed report, in the order its findings are listed: the template check first, then
 * section by section, then timing and privacy.
 */
import type { ParsedSlutrapport } from '../schema.js';
import { collectIssues, type Issue } from './issues.js';
import { checkPrivacy } from './privacy.js';
import { checkSection1 } from './section-1.js';
import { checkSections2And3 } from './sections-2-3.js';
import { checkAnswers, checkUppgiftslamnare } from './sections-4-8.js';
import { checkTiming } from './timing.js';

/** Below this likeness the text is not taken for the template at all. */
export const MIN_LIKHET = 0.2;

export function rules(p: ParsedSlutrapport, idag: string): Issue[] {
  const { issues, sink } = collectIssues();
  if (p.likhet < MIN_LIKHET) {
    // Nothing else is worth saying about a document that is not the template.
    sink.fel(
      'MALL_EJ_IGENKAND',
      'dokument',
      'Dokumentet liknar inte förbundets mall för slutrapport. Fyll i mallen "Slutrapport – Insats för samverkansmedel" och skicka den som Word- eller PDF-fil.',
    );
    return issues;
  }
  checkSection1(p, sink);
  checkSections2And3(p, sink);
  checkAnswers(p, sink);
  checkUppgiftslamnare(p, idag, sink);
  checkTiming(p, idag, sink);
  checkPrivacy(p, sink);
  return issues;
}
