import { flyttaHandling } from '../../../../domain/diarium/flytta.js';
import { defineCommand } from '../command.js';

export const flytta = defineCommand({
  name: 'flytta',
  usage: 'flytta <diarienummer> --till <ärende> --skal "…" --av "…"',
  summary: 'flytta en handling till ett annat ärende (nytt nummer där, det gamla finns kvar)',
  help: `npm run diarium -- flytta <diarienummer> --till <ärende> --skal "…" --av "…"

Flyttar en handling som registrerats i fel ärende. Handlingen får nästa lediga nummer i det nya
ärendet. Det gamla numret används aldrig igen: det ligger kvar i det gamla ärendet med en hänvisning
till det nya numret, och det nya pekar tillbaka. Flytten förs in i båda ärendenas logg med skäl och
vem som flyttade. Filerna, sekretessen och klassningen följer med.

Avvisas (slutkod 1) om handlingen är makulerad, redan flyttad till ett annat ärende, under granskning
eller fortfarande läses in, om något av ärendena är avslutat eller om ärendet inte finns. Att köra samma
flytt igen ändrar ingenting och visar den första flytten.

  --till ÄRENDE  ärendet handlingen flyttas till, t.ex. "SFG 26-7" (krävs)
  --skal TEXT    skälet till flytten (krävs)
  --av NAMN      vem som flyttar (krävs)`,
  options: { till: { type: 'string' }, skal: { type: 'string' }, av: { type: 'string' } },
  async run({ diarium: { repo }, io, arg, need }, v) {
    const dnr = need(arg, 'Diarienummer');
    const r = await flyttaHandling({ repo }, dnr, {
      till: need(v.till, '--till'),
      skal: need(v.skal, '--skal'),
      av: need(v.av, '--av'),
    });
    io.out(
      r.redanFlyttad
        ? `${dnr} var redan flyttad till ${r.flyttad.diarienummer}; ingenting ändrades.`
        : `${dnr} är flyttad till ${r.flyttad.diarienummer} av ${r.flyttad.flyttadFran?.av ?? ''}.\nDet gamla numret ligger kvar i ${r.stubb.arende} med en hänvisning och används aldrig igen.`,
    );
    return 0;
  },
});
