import type { Automatik, Klass, Klassning, KlassningInput } from './types.js';

/** Local parts that only machines write from (RFC 5321 §4.5.5, RFC 2142). */
const SYSTEMAVSANDARE = /^(?:mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)(?:[+-].*)?$/i;

/** Subject prefixes of out-of-office and other automatic replies (Outlook, Gmail, Apple Mail; sv/en). */
const AUTOSVAR_AMNE =
  /^\s*(?:automatiskt svar|autosvar|auto(?:matic)? ?reply|out of (?:the )?office|frånvaro(?:meddelande)?|semester|abwesenheitsnotiz|auto:)\b/i;

const BULK = new Set(['bulk', 'list', 'junk']);

function localPart(address: string | null): string {
  return (address ?? '').split('@')[0] ?? '';
}

function egen(address: string | null, egna: readonly string[]): boolean {
  const a = address?.trim().toLowerCase();
  return !!a && egna.some((e) => e.trim().toLowerCase() === a);
}

function automatisk(automatik: Automatik, orsak: string): Klassning {
  return { klass: 'automatisk', automatik, orsak, av: 'system' };
}

function klass(k: Klass, orsak: string): Klassning {
  return { klass: k, orsak, av: 'system' };
}

/**
 * Classifies an incoming mail from its header facts and what its content told. The order is the rules'
 * priority: machines first (so nothing automatic is ever answered), then spam, then content.
 */
export function klassa(input: KlassningInput): Klassning {
  const h = input.header;
  const fran = h.outerFrom ?? input.from;
  if (h.reportType === 'delivery-status') {
    return automatisk(
      'studs',
      'Leveransrapport (multipart/report; report-type=delivery-status): ett mejl kunde inte levereras.',
    );
  }
  if (h.reportType === 'disposition-notification') {
    return automatisk('laskvitto', 'Läskvitto (multipart/report; report-type=disposition-notification).');
  }
  if (egen(fran, input.egnaAdresser) || egen(input.envelopeFrom, input.egnaAdresser)) {
    return automatisk(
      'egen-adress',
      `Avsändaren är systemets egen adress (${fran ?? input.envelopeFrom ?? ''}); besvaras aldrig.`,
    );
  }
  if (SYSTEMAVSANDARE.test(localPart(fran)) || SYSTEMAVSANDARE.test(localPart(input.envelopeFrom))) {
    const studs = /^(?:mailer-daemon|postmaster)/i.test(localPart(fran));
    return automatisk(
      studs ? 'studs' : 'systemavsandare',
      `Avsändaren är en maskinadress (${fran ?? input.envelopeFrom ?? ''}).`,
    );
  }
  if (h.autoSubmitted && h.autoSubmitted !== 'no') {
    return automatisk('autosvar', `Auto-Submitted: ${h.autoSubmitted} (RFC 3834): automatiskt meddelande.`);
  }
  if (h.autoReplyHeader) {
    return automatisk('autosvar', 'X-Autoreply/X-Autorespond: automatiskt svar.');
  }
  if (input.envelopeFrom === '' || input.envelopeFrom === '<>') {
    return automatisk('systemavsandare', 'Tom kuvertavsändare (<>): meddelandet kommer från en maskin.');
  }
  if (input.subject && AUTOSVAR_AMNE.test(input.subject)) {
    return automatisk('autosvar', `Ämnesraden visar ett automatiskt svar (”${input.subject.slice(0, 60)}”).`);
  }
  if (h.precedence && BULK.has(h.precedence)) {
    return klass('ringa-betydelse', `Precedence: ${h.precedence}: massutskick (nyhetsbrev, reklam).`);
  }
  if (h.listId || h.listUnsubscribe) {
    return klass(
      'ringa-betydelse',
      'List-Id/List-Unsubscribe: utskick från en e-postlista (nyhetsbrev, reklam).',
    );
  }
  if (input.spam) {
    return klass('skrappost', 'Mottagningskontrollen bedömde mejlet som skräppost.');
  }
  const c = input.innehall;
  const ref = c.arendeReferens;
  if (c.rapportFunnen) {
    if (ref?.harSlutrapport) {
      return klass('ny-version', `Ny version av slutrapporten i ärende ${ref.diarienummer}.`);
    }
    return klass('slutrapport', 'En slutrapport enligt mallen hittades i meddelandet.');
  }
  if (ref && c.antalBilagor > 0 && ref.oppet) {
    return klass('komplettering', `Bilaga till öppet ärende ${ref.diarienummer}.`);
  }
  if (c.rapportAviserad) {
    return klass('slutrapport', 'Meddelandet avser en slutrapport som inte kunde läsas eller saknas.');
  }
  if (ref || c.svarPaVartMail) {
    return klass(
      'svar-arende',
      ref ? `Svar om ärende ${ref.diarienummer}.` : 'Svar på ett mejl från förbundet.',
    );
  }
  return klass(
    'allman-handling',
    'Ingen slutrapport: en annan allmän handling (fråga, faktura, inbjudan …).',
  );
}

/** Classes that are never answered automatically. */
export function besvaras(k: Klass): boolean {
  return k !== 'automatisk' && k !== 'ringa-betydelse' && k !== 'skrappost';
}

/** Classes that carry a report to the beredningsgrupp. */
export function arRapport(k: Klass): boolean {
  return k === 'slutrapport' || k === 'ny-version' || k === 'komplettering';
}

/** Classes shown in the public postlista (minor importance, machines and spam are kept but not listed). */
export function iPostlistan(k: Klass): boolean {
  return besvaras(k);
}

export const KLASS_TEXT: Record<Klass, string> = {
  slutrapport: 'Slutrapport',
  'ny-version': 'Slutrapport, ny version',
  komplettering: 'Komplettering',
  'svar-arende': 'Svar i ärende',
  'allman-handling': 'Allmän handling',
  automatisk: 'Automatiskt meddelande',
  'ringa-betydelse': 'Ringa betydelse',
  skrappost: 'Skräppost',
};

/** Words that say a mail is about a slutrapport though none was read. */
export function namnerSlutrapport(text: string): boolean {
  return /\b(?:slut|del|läges)?rapport(?:en)?\b|\bslutredovisning/i.test(text);
}
