import { callerCwd } from '../../stack.js';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseHandlingNummer } from '../../../../domain/diarium/diarienummer.js';
import { DiariumRegelError, HandlingNotFoundError } from '../../../../domain/diarium/errors.js';
import { defineCommand } from '../command.js';
import { byteText } from '../format.js';
import { CLI_DEFAULTS, cliStore } from '../io.js';

/** A file name from a sender, safe to write: no directories, no characters Windows or a shell would trip on. */
export function safeFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const clean = base
    .replace(/[\u0000-\u001f<>:"|?*]/g, '_')
    .replace(/^\.+/, '_')
    .trim();
  return clean || 'fil';
}

export const filer = defineCommand({
  name: 'filer',
  usage: 'filer <diarienummer> [--till katalog]',
  summary: 'hämta handlingens filer, kontrollerade mot SHA-256',
  help: `npm run diarium -- filer <diarienummer> [--till katalog]

Hämtar en handlings filer (t.ex. SFG 26-1.2) och skriver dem som "<diarienummer> <filnamn>". En fil
vars innehåll inte stämmer med diariets SHA-256 skrivs inte (slutkod 1). Filer i karantän hämtas inte.

  --till KATALOG   katalog att skriva till (standard: den aktuella)
  --s3 URL         S3 för filerna (standard: ur .data/stack.json; annars AWS_ENDPOINT_URL_S3 eller
                   ${CLI_DEFAULTS.s3})
  --bucket NAMN    bucket för filerna (standard: ur .data/stack.json; annars INBOUND_BUCKET eller
                   ${CLI_DEFAULTS.bucket})`,
  options: { till: { type: 'string' }, s3: { type: 'string' }, bucket: { type: 'string' } },
  async run({ io, diarium: { repo }, arg, need }, v) {
    const dnr = need(arg, 'Diarienummer');
    if (!parseHandlingNummer(dnr))
      throw new DiariumRegelError(`Ange en handlings diarienummer, t.ex. SFG 26-1.2 (inte ${dnr}).`);
    const h = await repo.getHandling(dnr);
    if (!h) throw new HandlingNotFoundError(`Handlingen ${dnr} finns inte i diariet.`);
    // Quarantined files stay where they are: they are not copied to the kansli's computer by a tool.
    if (h.bedomning === 'karantan') {
      throw new DiariumRegelError(
        `${h.diarienummer} ligger i karantän (misstänkt skadlig kod); filerna hämtas inte.`,
      );
    }
    if (h.filer.length === 0) {
      io.out(`${h.diarienummer} har inga filer.`);
      return 0;
    }
    const store = cliStore(io, v);
    const dir = path.resolve(callerCwd(io), v.till ?? '.');
    mkdirSync(dir, { recursive: true });
    let fel = 0;
    for (const f of h.filer) {
      const { bytes } = await store.get(f.nyckel);
      const sha = createHash('sha256').update(bytes).digest('hex');
      if (sha !== f.sha256) {
        io.err(
          `${f.filnamn}: innehållet stämmer inte med diariets SHA-256 (${sha}, diariet ${f.sha256}); filen skrevs inte.`,
        );
        fel++;
        continue;
      }
      const target = path.join(dir, `${h.diarienummer} ${safeFileName(f.filnamn)}`);
      writeFileSync(target, bytes);
      io.out(`Skrev ${target} (${byteText(bytes.length)}, SHA-256 stämmer)`);
    }
    return fel === 0 ? 0 : 1;
  },
});
