import { verifieraArende } from '../../../../domain/diarium/kansli.js';
import { defineCommand } from '../command.js';
import { verifieringText } from '../format.js';

export const verifiera = defineCommand({
  name: 'verifiera',
  usage: 'verifiera <ärende>',
  summary: 'kontrollera ärendets logg (hashkedjan och handlingarna)',
  help: `npm run diarium -- verifiera <ärende>

Kontrollerar ett ärendes logg (t.ex. SFG 26-1): att hashkedjan är obruten och att loggen stämmer med
ärendets handlingar. Slutkod 0 om loggen är hel, 1 om den inte stämmer (avvikelserna skrivs ut).

Inga egna flaggor.`,
  options: {},
  async run({ io, diarium: { repo }, arg, need }) {
    const ver = await verifieraArende(repo, need(arg, 'Ärende'));
    (ver.ok ? io.out : io.err)(verifieringText(ver));
    return ver.ok ? 0 : 1;
  },
});
