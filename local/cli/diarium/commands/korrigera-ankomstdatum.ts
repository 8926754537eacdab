import { svenskTidpunktSekunder } from '../../../../domain/diarium/ankomstdatum.js';
import { korrigeraAnkomstdatum as korrigera } from '../../../../domain/diarium/kansli.js';
import { defineCommand } from '../command.js';

export const korrigeraAnkomstdatum = defineCommand({
  name: 'korrigera-ankomstdatum',
  // "andra-ankomst" reads as "second arrival" without its dots (docs/architecture.md, Naming); scripts may still use it.
  aliases: ['andra-ankomst'],
  usage: 'korrigera-ankomstdatum <diarienummer> --tid 2026-03-02T09:15:00+01:00 --skal "…" --av "…"',
  summary: 'rätta en handlings ankomsttid (den ursprungliga finns kvar)',
  help: `npm run diarium -- korrigera-ankomstdatum <diarienummer> --tid 2026-03-02T09:15:00+01:00 --skal "…" --av "…"

Rättar en handlings ankomsttid, t.ex. för en rapport som kom in i tid men registrerades sent.
Ankomstdatum följer den nya tiden; den ursprungliga tiden finns kvar i handlingen och loggen.

  --tid TIDPUNKT   den rätta ankomsttiden med tidszon, ÅÅÅÅ-MM-DDTtt:mm:ss+01:00 (krävs; inte i framtiden)
  --skal TEXT      skälet till rättelsen (krävs)
  --av NAMN        vem som rättar (krävs)`,
  options: { tid: { type: 'string' }, skal: { type: 'string' }, av: { type: 'string' } },
  async run({ io, diarium: { repo }, arg, need }, v) {
    const dnr = need(arg, 'Diarienummer');
    const h = await korrigera({ repo, clock: io.clock }, dnr, {
      tid: need(v.tid, '--tid'),
      skal: need(v.skal, '--skal'),
      av: need(v.av, '--av'),
    });
    io.out(
      `Ankomsttiden för ${h.diarienummer} är nu ${svenskTidpunktSekunder(h.mottagen)} (ankomstdatum ${h.ankomstdatum}).` +
        (h.ankomstAndrad
          ? `\nUrsprunglig tid ${svenskTidpunktSekunder(h.ankomstAndrad.ursprunglig)} finns kvar i handlingen och loggen.`
          : ''),
    );
    return 0;
  },
});
