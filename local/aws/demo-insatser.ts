import type { DiariumReader, HandlingRegistry, InsatsRegister } from '../../domain/diarium/ports.js';
import { sparaInsatsregister, type ImportResultat } from '../../domain/diarium/insatsregister.js';
import type { Insats } from '../../domain/diarium/types.js';

/**
 * The insatser Samordningsförbund Gävleborg financed in 2021, as listed in its annual report
 * (../shared/reference/arsredovisning-2021-samordningsforbund-gavleborg.txt: "Insatsbeskrivning" and
 * bilaga 1, "Huvudman för insats"). Amounts are the 2021 budget in the report (kr), or what the insats's own
 * slutrapport states. The ärende numbers are invented, gap-free SFG 21-1 … 21-19; Trisam 2.0 Sandviken is
 * SFG 21-6 as in the real slutrapport (SFG 21-6.63).
 */
export const DEMO_INSATSER: readonly Insats[] = [
  {
    id: 'hallbart-arbetsliv-ockelbo',
    namn: 'Ett hållbart arbetsliv – Ockelbo',
    organisation: 'Ockelbo kommun',
    arende: 'SFG 21-1',
    beviljadeMedel: 894_000,
  },
  {
    id: 'hallbart-arbetsliv-ovanaker',
    namn: 'Ett hållbart arbetsliv – Ovanåker',
    organisation: 'Ovanåkers kommun',
    arende: 'SFG 21-2',
    beviljadeMedel: 799_000,
  },
  {
    id: 'hallbart-arbetsliv-hofors',
    namn: 'Ett hållbart arbetsliv – Hofors',
    organisation: 'Hofors kommun',
    arende: 'SFG 21-3',
    beviljadeMedel: 934_000,
  },
  {
    id: 'insatskatalogen',
    namn: 'Insatskatalogen Gävleborg',
    organisation: 'Samordningsförbund Gävleborg',
    arende: 'SFG 21-4',
    beviljadeMedel: 144_000,
  },
  {
    id: 'trisam-2-arbetsformedlingen',
    namn: 'Trisam 2.0',
    organisation: 'Arbetsförmedlingen',
    arende: 'SFG 21-5',
    beviljadeMedel: null,
  },
  {
    id: 'trisam-2-sandviken',
    namn: 'Trisam 2.0',
    organisation: 'Sandvikens kommun',
    arende: 'SFG 21-6',
    beviljadeMedel: 625_000,
  },
  {
    id: 'trisam-2-forsakringskassan',
    namn: 'Trisam 2.0',
    organisation: 'Försäkringskassan',
    arende: 'SFG 21-7',
    beviljadeMedel: null,
  },
  {
    id: 'trisam-2-bollnas',
    namn: 'Trisam 2.0',
    organisation: 'Bollnäs kommun',
    arende: 'SFG 21-8',
    beviljadeMedel: null,
  },
  {
    id: 'trisam-2-hudiksvall',
    namn: 'Trisam 2.0',
    organisation: 'Hudiksvalls kommun',
    arende: 'SFG 21-9',
    beviljadeMedel: null,
  },
  {
    id: 'trisam-2-gavle',
    namn: 'Trisam 2.0',
    organisation: 'Gävle kommun',
    arende: 'SFG 21-10',
    beviljadeMedel: null,
  },
  {
    id: 'trisam-2-region-gavleborg',
    namn: 'Trisam 2.0',
    organisation: 'Region Gävleborg',
    arende: 'SFG 21-11',
    beviljadeMedel: null,
  },
  {
    id: 'trisam-2-soderhamn',
    namn: 'Trisam 2.0',
    organisation: 'Söderhamns kommun',
    arende: 'SFG 21-12',
    beviljadeMedel: null,
  },
  {
    id: 'trisam-2-ockelbo',
    namn: 'Trisam 2.0',
    organisation: 'Ockelbo kommun',
    arende: 'SFG 21-13',
    beviljadeMedel: null,
  },
  {
    id: 'trisam-2-ovanaker',
    namn: 'Trisam 2.0',
    organisation: 'Ovanåkers kommun',
    arende: 'SFG 21-14',
    beviljadeMedel: null,
  },
  {
    id: 'trisam-2-hofors',
    namn: 'Trisam 2.0',
    organisation: 'Hofors kommun',
    arende: 'SFG 21-15',
    beviljadeMedel: null,
  },
  {
    id: 'forstudie-egenmakt-hudiksvall',
    namn: 'Förstudie – Utveckling av egenmakt Hudiksvall',
    organisation: 'Samordningsförbund Gävleborg',
    arende: 'SFG 21-16',
    beviljadeMedel: 220_000,
  },
  {
    id: 'mysam-processledare',
    namn: 'Mysam processledare',
    organisation: 'Samordningsförbund Gävleborg',
    arende: 'SFG 21-17',
    beviljadeMedel: 721_000,
  },
  {
    id: 'lokal-individinsats-hudiksvall',
    namn: 'Lokal individinriktad insats efter Trisam – Hudiksvall',
    organisation: 'Hudiksvalls kommun',
    arende: 'SFG 21-18',
    beviljadeMedel: 100_000,
  },
  {
    id: 'forstudie-glappet-mysam-gavle',
    namn: 'Förstudie – Minska glappet Mysam Gävle',
    organisation: 'Gävle kommun',
    arende: 'SFG 21-19',
    beviljadeMedel: 97_000,
  },
];

/**
 * Seeds the demo register and creates its ärenden (idempotent: safe at every `npm start`). The ärenden are
 * created, not just named, because matching files a report into the register's ärende only when that ärende
 * exists; with them, a report for Trisam 2.0 from Sandvikens kommun lands in SFG 21-6.
 */
export function seedDemoInsatser(
  repo: DiariumReader & HandlingRegistry & InsatsRegister,
): Promise<ImportResultat> {
  return sparaInsatsregister(repo, [...DEMO_INSATSER], { skapaArenden: true, av: 'demodata (npm start)' });
}
