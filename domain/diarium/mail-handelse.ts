import type { ArendeLog, DiariumReader, MailSender, SkickadeMail } from './ports.js';
import { DiariumConflictError } from './errors.js';
import { MAIL_SLAG_TEXT, mailHandelseMail } from '../mail/templates.js';
import type { Log } from '../log.js';

/** An SES bounce or complaint about one of our mails, as the adapter read it off the event. */
export interface MailHandelse {
  typ: 'studs' | 'klagomal';
  meddelandeId: string;
  /** The addresses that bounced or complained. */
  mottagare: string[];
  /** Bounce type and diagnostic, or the complaint's feedback type, for the log and the kansli. */
  orsak: string;
}

export interface MailHandelseDeps {
  diarium: ArendeLog & DiariumReader & SkickadeMail;
  mailer: MailSender;
  config: { kansliEmail: string };
  log: Log;
}

export type MailHandelseUtfall = 'okand' | 'noterad' | 'redan-noterad';

/** The flag the diarium shows on the handling. */
export const MAIL_FLAGGA = { studs: 'studsad', klagomal: 'klagomal' } as const;
export const MAIL_HANDELSE = { studs: 'mail-studsade', klagomal: 'mail-klagomal' } as const;

/**
 * Notes a bounced (or spam-marked) mail on the handling it concerned: a flag and a log entry in one write, then
 * one notice to the kansli. Each step is marked done on the mail's lookup item, so a repeated event (EventBridge
 * delivers at least once; SES may report a message twice) adds nothing. A mail we do not know is ignored.
 */
export async function hanteraMailHandelse(
  deps: MailHandelseDeps,
  e: MailHandelse,
): Promise<MailHandelseUtfall> {
  const sent = await deps.diarium.findSentMail(e.meddelandeId);
  if (!sent) {
    deps.log('info', 'SES-händelse för ett okänt meddelande; ignoreras', {
      meddelandeId: e.meddelandeId,
      typ: e.typ,
    });
    return 'okand';
  }
  const handling = await deps.diarium.getHandling(sent.diarienummer);
  if (!handling) {
    deps.log('warn', 'SES-händelsen gäller en handling som inte finns', {
      meddelandeId: e.meddelandeId,
      diarienummer: sent.diarienummer,
    });
    return 'okand';
  }
  const mottagare = e.mottagare.length > 0 ? e.mottagare : sent.mottagare;
  const noteraSteg = `${e.typ}:noterad`;
  const kansliSteg = `${e.typ}:kansli`;
  let nytt = false;

  if (!sent.utfort.includes(noteraSteg)) {
    const vad = MAIL_SLAG_TEXT[sent.slag];
    const text =
      e.typ === 'studs'
        ? `${vad} kunde inte levereras till ${mottagare.join(', ')}: ${e.orsak}`
        : `${vad} markerades som skräppost av ${mottagare.join(', ')}: ${e.orsak}`;
    const flagga = MAIL_FLAGGA[e.typ];
    const flaggor = handling.flaggor.includes(flagga) ? handling.flaggor : [...handling.flaggor, flagga];
    await deps.diarium.updateHandling(
      handling.diarienummer,
      { flaggor },
      {
        handelse: MAIL_HANDELSE[e.typ],
        av: 'system',
        data: {
          handling: handling.diarienummer,
          meddelandeId: e.meddelandeId,
          slag: sent.slag,
          mottagare,
          orsak: e.orsak,
          text,
        },
      },
      (current) => {
        // The flags were read before the write: another change in between is retried from the start.
        if (current.flaggor.join('\n') !== handling.flaggor.join('\n')) {
          throw new DiariumConflictError(`Flaggorna på ${handling.diarienummer} ändrades samtidigt`);
        }
      },
    );
    await deps.diarium.markMailHandelse(e.meddelandeId, noteraSteg);
    deps.log('warn', text, { diarienummer: handling.diarienummer, meddelandeId: e.meddelandeId });
    nytt = true;
  }

  if (!sent.utfort.includes(kansliSteg)) {
    const kansli = deps.config.kansliEmail.toLowerCase();
    if (mottagare.some((m) => m.toLowerCase() === kansli)) {
      // Never mail the address that bounced: the kansli's own address failing is for the operators' alarms.
      deps.log('error', 'Kansliets egen adress studsade; ingen avisering skickas', {
        diarienummer: handling.diarienummer,
        meddelandeId: e.meddelandeId,
      });
    } else {
      await deps.mailer.send(
        mailHandelseMail({
          till: deps.config.kansliEmail,
          handling,
          slag: sent.slag,
          typ: e.typ,
          mottagare,
          orsak: e.orsak,
        }),
      );
    }
    // Marked after sending: a crash in between mails the kansli twice, never not at all.
    await deps.diarium.markMailHandelse(e.meddelandeId, kansliSteg);
    nytt = true;
  }
  return nytt ? 'noterad' : 'redan-noterad';
}
