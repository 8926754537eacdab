import { describe, expect, it } from 'vitest';
import { SESv2Client, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { SesMailSender, encodeMailbox } from './ses-mail-sender.js';

/** A real SES v2 client whose requests stop before the network: the test sees the command input SES would get. */
function recordingClient() {
  const sent: SendEmailCommandInput[] = [];
  const client = new SESv2Client({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  client.middlewareStack.add(
    () => (args) => {
      sent.push(args.input as SendEmailCommandInput);
      return Promise.resolve({ output: { MessageId: `ses-${sent.length}`, $metadata: {} }, response: {} });
    },
    { step: 'initialize', name: 'recordSend' },
  );
  return { client, sent };
}

const decode = (word: string) =>
  [...word.matchAll(/=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=/g)]
    .map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'))
    .join('');

describe('encodeMailbox', () => {
  it('encodes a display name with å/ä/ö as an RFC 2047 encoded-word and keeps the address as is', () => {
    const encoded = encodeMailbox('Samordningsförbund Gävleborg <noreply@finsamgavleborg.se>');
    expect(encoded).toMatch(
      /^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=( =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=)* <noreply@finsamgavleborg\.se>$/,
    );
    expect(encoded).toMatch(/^[\x20-\x7e]+$/);
    expect(decode(encoded)).toBe('Samordningsförbund Gävleborg');
  });

  it('keeps every encoded-word within 75 characters and never splits a character', () => {
    const name = 'Åke Öberg på Förvaltningsavdelningen för arbetsmarknad, Gävle och Sandviken';
    const encoded = encodeMailbox(`${name} <ake@example.se>`);
    for (const w of encoded.split(' <')[0]!.split(' ')) expect(w.length).toBeLessThanOrEqual(75);
    expect(decode(encoded)).toBe(name);
  });

  it('leaves bare addresses and plain ASCII names alone, quoting specials', () => {
    expect(encodeMailbox('kontakt@finsamgavleborg.se')).toBe('kontakt@finsamgavleborg.se');
    expect(encodeMailbox('Rapportflode <noreply@x.se>')).toBe('Rapportflode <noreply@x.se>');
    expect(encodeMailbox('Kansli, SFG <k@x.se>')).toBe('"Kansli, SFG" <k@x.se>');
  });
});

describe('SesMailSender', () => {
  const mail = { to: ['Åsa Ek <asa@kommun.example>'], subject: 'Kvittens', text: 't', html: '<p>t</p>' };

  it('sends every mail with an encoded From, a receiving Reply-To and the configuration set', async () => {
    const { client, sent } = recordingClient();
    const sender = new SesMailSender(client, {
      from: 'Rapportflöde <noreply@finsamgavleborg.se>',
      replyTo: 'kontakt@finsamgavleborg.se',
      configurationSet: 'rapportflode',
    });
    expect(await sender.send(mail)).toEqual({ messageId: 'ses-1' });
    const input = sent[0]!;
    expect(decode(input.FromEmailAddress!)).toBe('Rapportflöde');
    expect(input.FromEmailAddress).toMatch(/ <noreply@finsamgavleborg\.se>$/);
    expect(input.ReplyToAddresses).toEqual(['kontakt@finsamgavleborg.se']);
    expect(decode(input.Destination!.ToAddresses![0]!)).toBe('Åsa Ek');
    expect(input.ConfigurationSetName).toBe('rapportflode');
    expect(input.Content?.Simple?.Subject).toEqual({ Data: 'Kvittens', Charset: 'UTF-8' });
  });

  it("keeps a mail's own Reply-To and leaves the configuration set out when none is configured", async () => {
    const { client, sent } = recordingClient();
    const sender = new SesMailSender(client, { from: 'noreply@x.se', replyTo: 'kontakt@x.se' });
    await sender.send({ ...mail, replyTo: ['Kansliet <kansli@x.se>'] });
    expect(sent[0]!.ReplyToAddresses).toEqual(['Kansliet <kansli@x.se>']);
    expect(sent[0]!).not.toHaveProperty('ConfigurationSetName');
  });
});
