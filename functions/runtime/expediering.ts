import { ExpedierandeMailSender, type ExpedieringDeps } from '../../domain/diarium/expediering.js';
import type { MailSender } from '../../domain/diarium/ports.js';
import type { Granskare } from '../../domain/granskning/types.js';

/**
 * The function's mail sender, keeping what it sends as expedierade handlingar (domain/diarium/expediering.ts).
 * Every function that mails an insatsägare or a reviewer wraps its SES sender with this.
 */
export function expedierande(
  inner: MailSender,
  deps: Omit<ExpedieringDeps, 'config' | 'clock'> & {
    config: {
      DIARIUM_SERIE: string;
      MAIL_FROM: string;
      MAIL_REPLY_TO: string;
      KANSLI_EMAIL: string;
      FORBUNDSCHEF_EMAIL?: string;
      BEREDNINGSGRUPP?: Granskare[];
    };
  },
): MailSender {
  const c = deps.config;
  return new ExpedierandeMailSender(inner, {
    registry: deps.registry,
    documents: deps.documents,
    log: deps.log,
    clock: () => new Date(),
    config: {
      serie: c.DIARIUM_SERIE,
      from: c.MAIL_FROM,
      replyTo: c.MAIL_REPLY_TO,
      interna: [c.KANSLI_EMAIL, ...(c.FORBUNDSCHEF_EMAIL ? [c.FORBUNDSCHEF_EMAIL] : [])],
      granskare: (c.BEREDNINGSGRUPP ?? []).flatMap((g) => [
        g.epost,
        ...(g.ersattare ? [g.ersattare.epost] : []),
      ]),
    },
  });
}
