import { svenskTidpunkt } from '../../../../domain/diarium/ankomstdatum.js';
import { anteckningarI, laggTillAnteckning } from '../../../../domain/diarium/anteckningar.js';
import { HandlingNotFoundError } from '../../../../domain/diarium/errors.js';
import { arendeAv } from '../../../../domain/diarium/flytta.js';
import { defineCommand } from '../command.js';

export const anteckning = defineCommand({
  name: 'anteckning',
  usage: 'anteckning <ärende> [--text "…" --av "…"]',
  summary: 'visa ett ärendes anteckningar, eller lägg till en',
  help: `npm run diarium -- anteckning <ärende> [--text "…" --av "…"]

Utan --text visas ärendets anteckningar. Med --text läggs en anteckning till; den skrivs i ärendets
logg med vem och när och kan aldrig ändras eller tas bort (en rättelse är en ny anteckning).
Anteckningar är arbetsanteckningar: i webbappen ser bara registrator och handläggare dem.

  --text TEXT   anteckningen (högst 4 000 tecken)
  --av NAMN     vem som antecknar (krävs med --text)`,
  options: { text: { type: 'string' }, av: { type: 'string' } },
  async run({ diarium: { repo }, io, arg, need }, v) {
    const arende = arendeAv(need(arg, 'Ärendenummer'));
    if (v.text !== undefined) {
      const a = await laggTillAnteckning({ repo }, arende, { text: v.text, av: need(v.av, '--av') });
      io.out(`Anteckningen är sparad i ${arende} (loggpost ${a.seq}).`);
      return 0;
    }
    const d = await repo.getArendeDetaljer(arende);
    if (!d) throw new HandlingNotFoundError(`Ärendet ${arende} finns inte i diariet.`);
    const lista = anteckningarI(d.logg);
    io.out(
      lista.length
        ? lista
            .map((a) => `${svenskTidpunkt(a.tidpunkt)}  ${a.av}\n  ${a.text.replace(/\n/g, '\n  ')}`)
            .join('\n\n')
        : `Ärendet ${arende} har inga anteckningar.`,
    );
    return 0;
  },
});
