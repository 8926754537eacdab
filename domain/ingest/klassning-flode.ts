import type { ArendeLog, DiariumReader, MailSender, SkickadeMail } from '../diarium/ports.js';
import type { Arende, Handling } from '../diarium/types.js';
import type { ExtractedMail, MailAddress } from '../extraction/types.js';

/** What the flow reads of a mail: an opened mail (documents not yet read) will do. */
type Mail = Omit<ExtractedMail, 'report'>;
import { hanteraMailHandelse } from '../diarium/mail-handelse.js';
import { HANDELSE } from '../diarium/audit.js';
import { arRapport } from '../klassning/klassa.js';
import type { InnehallFacts, Klass } from '../klassning/types.js';
import type { Log } from '../log.js';

type Repo = DiariumReader & ArendeLog & SkickadeMail;

/** What the diarium knows about the ärende a mail was resolved to, for the classification. */
export async function arendeFakta(
  repo: DiariumReader,
  diarienummer: string | null,
): Promise<{ referens: InnehallFacts['arendeReferens']; handlingar: Handling[]; arende: Arende | null }> {
  if (!diarienummer) return { referens: null, handlingar: [], arende: null };
  const d = await repo.getArendeDetaljer(diarienummer);
  if (!d) return { referens: null, handlingar: [], arende: null };
  const levande = d.handlingar.filter((h) => !h.makulerad);
  return {
    referens: {
      diarienummer,
      oppet: d.arende.status !== 'avslutat' && d.arende.status !== 'godkant',
      harSlutrapport: levande.some((h) => h.rapport.typ === 'slutrapport'),
    },
    handlingar: levande,
    arende: d.arende,
  };
}

/** SES names its message ids without the host; a returned Message-ID header has `<id@region.amazonses.com>`. */
function idKandidater(ids: string[]): string[] {
  return [...new Set(ids.flatMap((id) => [id, id.split('@')[0] ?? id]))].filter(Boolean);
}

/** Whether the mail answers one of ours (In-Reply-To/References name a mail we sent). */
export async function svarPaVartMail(repo: SkickadeMail, mail: Mail): Promise<boolean> {
  const ids = idKandidater([
    ...(mail.headers.inReplyTo ? [mail.headers.inReplyTo] : []),
    ...mail.headers.references,
  ]);
  for (const id of ids.slice(0, 20)) if (await repo.findSentMail(id)) return true;
  return false;
}

/** The handling a bounce or read receipt is about (the mail we sent, by the Message-ID it returns). */
export async function rapporteradHandling(
  repo: SkickadeMail,
  mail: Mail,
): Promise<{ meddelandeId: string; diarienummer: string } | null> {
  const ids = idKandidater([
    ...mail.headers.reportedMessageIds,
    ...(mail.headers.inReplyTo ? [mail.headers.inReplyTo] : []),
  ]);
  for (const id of ids.slice(0, 20)) {
    const sent = await repo.findSentMail(id);
    if (sent) return { meddelandeId: id, diarienummer: sent.diarienummer };
  }
  return null;
}

/**
 * A bounce of one of our mails: noted on the handling the bounced mail concerned, and the kansli told (once,
 * however often the bounce is delivered). Never answered.
 */
export async function noteraStuds(
  deps: { repo: Repo; mailer: MailSender; config: { kansliEmail: string }; log: Log },
  mail: Mail,
  studsen: Handling,
): Promise<'noterad' | 'okand'> {
  const traff = await rapporteradHandling(deps.repo, mail);
  if (!traff) return 'okand';
  const utfall = await hanteraMailHandelse(
    { diarium: deps.repo, mailer: deps.mailer, config: deps.config, log: deps.log },
    {
      typ: 'studs',
      meddelandeId: traff.meddelandeId,
      mottagare: [],
      orsak: `Leveransrapport som kom in till förbundets brevlåda, diarieförd som ${studsen.diarienummer}`,
    },
  );
  return utfall === 'okand' ? 'okand' : 'noterad';
}

/** The handling in the ärende that already holds one of these files (by SHA-256), if any: a copy was resent. */
export function hittaOriginal(handlingar: Handling[], sha256: string[]): Handling | null {
  const nya = new Set(sha256);
  if (nya.size === 0) return null;
  return (
    handlingar.find((h) =>
      h.filer.some(
        (f) =>
          f.filnamn !== 'meddelande.eml' && (f.rapport || f.typ !== 'message/rfc822') && nya.has(f.sha256),
      ),
    ) ?? null
  );
}

/** Notes on the original that the same document came in again as another handling. */
export async function noteraKopia(
  repo: ArendeLog & DiariumReader,
  original: Handling,
  kopia: Handling,
  nu: string,
): Promise<void> {
  const current = await repo.getHandling(original.diarienummer);
  if (!current || (current.noteringar ?? []).some((n) => n.handling === kopia.diarienummer)) return;
  await repo.updateHandling(
    original.diarienummer,
    {
      noteringar: [
        ...(current.noteringar ?? []),
        {
          tidpunkt: nu,
          typ: 'kopia-mottagen',
          text: `Samma dokument kom in igen och registrerades som kopia ${kopia.diarienummer}.`,
          handling: kopia.diarienummer,
        },
      ],
    },
    {
      handelse: HANDELSE.handlingNoterad,
      av: 'system',
      data: { handling: original.diarienummer, kopia: kopia.diarienummer },
    },
  );
}

/**
 * A new version replaces the report under review: the earlier handlingar with a granskning in progress are
 * noted as replaced and flagged, so the ärende has one granskning that counts.
 */
export async function noteraErsatt(
  repo: ArendeLog & DiariumReader,
  handlingar: Handling[],
  ny: Handling,
  nu: string,
): Promise<Handling[]> {
  const ersatta: Handling[] = [];
  for (const h of handlingar) {
    if (h.diarienummer === ny.diarienummer) continue;
    if (h.granskning !== 'pagar' && h.granskning !== 'vantar-pa-kansliet') continue;
    if (h.flaggor.includes(`ersatt-av:${ny.diarienummer}`)) continue;
    ersatta.push(
      await repo.updateHandling(
        h.diarienummer,
        {
          flaggor: [...h.flaggor, `ersatt-av:${ny.diarienummer}`],
          noteringar: [
            ...(h.noteringar ?? []),
            {
              tidpunkt: nu,
              typ: 'ersatt',
              text: `Ersatt av en ny version, ${ny.diarienummer}.`,
              handling: ny.diarienummer,
            },
          ],
          ...(h.granskning === 'vantar-pa-kansliet' ? { granskning: 'ej-aktuell' as const } : {}),
        },
        {
          handelse: HANDELSE.handlingNoterad,
          av: 'system',
          data: { handling: h.diarienummer, ersattAv: ny.diarienummer },
        },
      ),
    );
  }
  return ersatta;
}

/**
 * Who gets the kvittens of a mail. A forward credits its original sender, but the kvittens goes to the inner
 * From only when the forwarder is one of our own addresses and the forward passed SPF, DKIM and DMARC;
 * otherwise anyone could make the system mail a third party, so the forwarder is answered.
 */
export function kvittensMottagare(mail: Mail, egna: readonly string[]): string | null {
  const fwd: MailAddress | null = mail.forwardedBy;
  if (!fwd) return mail.from?.address ?? mail.envelopeFrom;
  const v = mail.verdicts;
  const egen = egna.some((e) => e.toLowerCase() === fwd.address.toLowerCase());
  const akta = v.spf === 'pass' && v.dkim === 'pass' && v.dmarc === 'pass';
  return egen && akta ? (mail.from?.address ?? fwd.address) : fwd.address;
}

/** Classes whose content goes to the beredningsgrupp when complete. */
export function granskas(klass: Klass): boolean {
  return arRapport(klass);
}
