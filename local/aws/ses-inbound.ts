/** The EICAR test signature: the local stand-in flags it as SES's virus scan would. */
const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

/**
 * Prepends the headers SES inbound writes before storing a message with its S3 action: the receipt
 * `Received:` line (the arrival time the diarium uses), the spam and virus verdicts, SPF/DKIM/DMARC results
 * and `Return-Path`. Local-only: `X-Rapportflode-Mottagen: <ISO-8601>` (set by `npm run submit --received-at`)
 * replaces the receipt time and is removed, so tests can send mail "at" 23:59:59 or on New Year's Eve.
 */
export function addSesReceiptHeaders(
  raw: Buffer,
  envelope: { id: string; mailFrom: string; rcptTo: string[]; remoteAddress: string; clientHostname: string },
): Buffer {
  let message = raw.toString('latin1');
  let receivedAt = new Date();
  const override = /^X-Rapportflode-Mottagen:[ \t]*(.+?)\r?\n/im.exec(message.split(/\r?\n\r?\n/)[0] ?? '');
  if (override?.[1]) {
    const d = new Date(override[1].trim());
    if (!Number.isNaN(d.getTime())) receivedAt = d;
    message = message.replace(override[0], '');
  }
  const spamOverride = /^X-Rapportflode-Spam:[ \t]*(PASS|FAIL)\r?\n/im.exec(message);
  const dmarcOverride = /^X-Rapportflode-Dmarc:[ \t]*(pass|fail)\r?\n/im.exec(message);
  const virus = message.includes(EICAR) ? 'FAIL' : 'PASS';
  const headers = [
    `Return-Path: <${envelope.mailFrom}>`,
    `Received: from ${envelope.clientHostname} (${envelope.clientHostname} [${envelope.remoteAddress}])`,
    ` by inbound-smtp.eu-west-1.amazonaws.com with SMTP id ${envelope.id}`,
    ` for ${envelope.rcptTo.join(', ')};`,
    ` ${receivedAt.toUTCString().replace('GMT', '+0000')}`,
    `X-SES-Spam-Verdict: ${spamOverride?.[1] ?? 'PASS'}`,
    `X-SES-Virus-Verdict: ${virus}`,
    `Received-SPF: pass (spfCheck: local) client-ip=${envelope.remoteAddress}; envelope-from=${envelope.mailFrom};`,
    `Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=${envelope.mailFrom}; dkim=pass; dmarc=${dmarcOverride?.[1] ?? 'pass'} header.from=${envelope.mailFrom.split('@')[1] ?? ''};`,
  ];
  return Buffer.concat([
    Buffer.from(`${headers.join('\r\n')}\r\n`, 'latin1'),
    Buffer.from(message, 'latin1'),
  ]);
}
