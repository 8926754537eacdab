import { createHash } from 'node:crypto';
import type { DocumentFiler } from '../document-archive.js';
import type { Log } from '../log.js';
import { arendeIMarkering } from '../mail/amnesmarkning.js';
import { mimeMessage } from '../mail/mime.js';
import { ankomstdatum } from './ankomstdatum.js';
import type { ArendeLog, HandlingRegistry, MailSender, NewHandling, OutgoingMail } from './ports.js';

/** Log events of what we sent. */
export const EXPEDIERING_HANDELSE = {
  /** A reviewer invitation: kept as sent without its link, noted on the ärende, not a public handling. */
  inbjudan: 'granskningsinbjudan-skickad',
} as const;

export interface ExpedieringConfig {
  serie: string;
  /** MAIL_FROM and MAIL_REPLY_TO, as the sender writes them. */
  from: string;
  replyTo: string;
  /** Our own addresses (kansli, förbundschef): mail only to them is internal, not expedierad. */
  interna: string[];
  /** The beredningsgrupp and their ersättare: mail to them carries personal links. */
  granskare: string[];
}

export interface ExpedieringDeps {
  registry: HandlingRegistry & ArendeLog;
  documents: DocumentFiler;
  clock: () => Date;
  log: Log;
  config: ExpedieringConfig;
}

const LANK = /https?:\/\/[^\s"'<>]+/g;
const BORTTAGEN = '[personlig länk borttagen]';

/** A reviewer's mail without the secret its links carry. */
export function utanLankar(mail: OutgoingMail): OutgoingMail {
  return { ...mail, text: mail.text.replace(LANK, BORTTAGEN), html: mail.html.replace(LANK, BORTTAGEN) };
}

export type Mailslag = 'expedieras' | 'inbjudan' | 'intern' | 'utan-arende';

export function klassificera(mail: OutgoingMail, config: ExpedieringConfig): Mailslag {
  const lower = (a: string) => a.trim().toLowerCase();
  const interna = new Set(config.interna.map(lower));
  const granskare = new Set(config.granskare.map(lower));
  const till = mail.to.map(lower);
  if (till.some((t) => granskare.has(t))) return 'inbjudan';
  if (till.every((t) => interna.has(t))) return 'intern';
  return arendeIMarkering(mail.subject, config.serie) ? 'expedieras' : 'utan-arende';
}

/**
 * Every mail we send that is an allmän handling (kvittens, komplettering request, the decision to the insatsägare,
 * reminders) is kept as sent, raw MIME with its SHA-256, and registered as an expedierad handling in the ärende its
 * subject marking names. A decorator of the MailSender, so no caller changes. Keeping it is best-effort after SES
 * has accepted the mail: a failure is logged as an error, never thrown, since the caller would take a throw for an
 * unsent mail and send it again.
 */
export class ExpedierandeMailSender implements MailSender {
  constructor(
    private readonly inner: MailSender,
    private readonly deps: ExpedieringDeps,
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const sent = await this.inner.send(mail);
    try {
      await this.keep(mail, sent.messageId);
    } catch (err) {
      this.deps.log('error', 'Ett skickat mejl kunde inte diarieföras som expedierat', {
        meddelandeId: sent.messageId,
        amne: mail.subject,
        fel: err instanceof Error ? err.message : String(err),
      });
    }
    return sent;
  }

  private async keep(mail: OutgoingMail, meddelandeId: string): Promise<void> {
    const { config } = this.deps;
    const slag = klassificera(mail, config);
    const arende = arendeIMarkering(mail.subject, config.serie);
    if (slag === 'intern' || !arende) return;
    const skickad = this.deps.clock().toISOString();
    const kept = slag === 'inbjudan' ? utanLankar(mail) : mail;
    const bytes = mimeMessage(kept, { from: config.from, replyTo: config.replyTo, skickad, meddelandeId });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const filnamn = `Utgående ${ankomstdatum(skickad)} ${sha256.slice(0, 12)}.eml`;
    const nyckel = await this.deps.documents.file('handling', {
      sha256,
      filnamn,
      bytes,
      contentType: 'message/rfc822',
    });
    if (slag === 'inbjudan') {
      await this.deps.registry.appendLog(arende, {
        handelse: EXPEDIERING_HANDELSE.inbjudan,
        av: 'system',
        data: { meddelandeId, till: mail.to, amne: mail.subject, sha256, nyckel, skickad },
      });
      return;
    }
    const handling: NewHandling = {
      mottagen: skickad,
      // An expedierad handling is dated the day it was sent, in Swedish time.
      ankomstdatum: ankomstdatum(skickad),
      ankomstAndrad: null,
      kalla: 'upprattad',
      kallaReferens: `ses:${meddelandeId}`,
      avsandare: {
        namn: 'Samordningsförbund Gävleborg',
        epost: null,
        kuvertAvsandare: null,
        organisation: 'Samordningsförbund Gävleborg',
      },
      beskrivning: `Expedierad: ${mail.subject}`,
      bedomning: 'komplett',
      fel: [],
      varningar: [],
      filer: [{ filnamn, sha256, storlek: bytes.length, typ: 'message/rfc822', nyckel, rapport: false }],
      personnummer: [],
      sekretess: false,
      flaggor: ['expedierad'],
      granskning: 'ej-aktuell',
      makulerad: null,
      kvittens: null,
      rapport: { typ: 'ovrig' },
    };
    // Idempotent per SES message id: a retried keep registers the mail once.
    await this.deps.registry.registerHandling(
      { typ: 'befintligt', diarienummer: arende },
      handling,
      meddelandeId === 'okant' ? `expedierad#${sha256}` : `expedierad#ses:${meddelandeId}`,
    );
  }
}
