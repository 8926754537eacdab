import { andraKlass, parseKlass } from '../../../../domain/klassning/kansli.js';
import { KLASSER } from '../../../../domain/klassning/types.js';
import { defineCommand } from '../command.js';
import { cliEvents } from '../io.js';

export const klass = defineCommand({
  name: 'klass',
  usage: 'klass <diarienummer> [--till KLASS] [--publik "…"] --skal "…" --av "…"',
  summary: 'rätta en handlings klass (eller dess text i postlistan); rätt flöde körs',
  help: `npm run diarium -- klass <diarienummer> [--till KLASS] [--publik "…"] --skal "…" --av "…"

Rättar klassningen av en inkommen handling. Klasser: ${KLASSER.join(', ')}.
Efter rättningen körs den nya klassens flöde: en komplett slutrapport (slutrapport, ny-version,
komplettering) skickas till granskning, utom när den innehåller personnummer (då väntar den på
sekretessprövning och friges med frige). Annan klass tar handlingen ur kön till beredningsgruppen.
Automatiska meddelanden besvaras aldrig; en person svarar kansliet själv.

  --till KLASS       den nya klassen
  --publik TEXT      egen text för postlistans "avser" (tom text: texten byggs av klass och insats)
  --skal TEXT        varför (krävs)
  --av NAMN          vem som ändrar (krävs)
  --eventbridge URL  EventBridge för begäran om granskning`,
  options: {
    till: { type: 'string' },
    publik: { type: 'string' },
    skal: { type: 'string' },
    av: { type: 'string' },
    eventbridge: { type: 'string' },
  },
  async run({ io, diarium: { repo }, arg, need }, v) {
    const dnr = need(arg, 'Diarienummer');
    const ny = v.till;
    const r = await andraKlass({ repo, events: cliEvents(io, v) }, dnr, {
      ...(ny ? { klass: parseKlass(ny) } : {}),
      ...(v.publik !== undefined ? { publikText: v.publik } : {}),
      skal: need(v.skal, '--skal'),
      av: need(v.av, '--av'),
    });
    io.out(`${dnr}: ${r.foljd}`);
    return 0;
  },
});
