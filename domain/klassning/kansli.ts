import { HANDELSE } from '../diarium/audit.js';
import { DiariumRegelError, HandlingNotFoundError } from '../diarium/errors.js';
import type { ArendeLog, DiariumReader, EventPublisher } from '../diarium/ports.js';
import type { GranskningStatus, Handling } from '../diarium/types.js';
import { arRapport, KLASS_TEXT } from './klassa.js';
import { KLASSER, type Klass, type Klassning } from './types.js';

/**
 * The class a handling registered before the klassning counts as: what the kansli's class form offers for it,
 * and what the diarium list filters it by.
 */
export const STANDARDKLASS: Klass = 'allman-handling';

export interface KlassDeps {
  repo: DiariumReader & ArendeLog;
  events: EventPublisher;
}

export function parseKlass(s: string): Klass {
  const k = KLASSER.find((x) => x === s.trim().toLowerCase());
  if (!k) throw new DiariumRegelError(`Okänd klass "${s}". Välj en av: ${KLASSER.join(', ')}.`);
  return k;
}

export interface KlassAndring {
  handling: Handling;
  /** Swedish: what the correction set in motion, for the kansli. */
  foljd: string;
}

/** The granskning a handling of this class should have, from where it stands now. */
function granskningFor(
  h: Handling,
  klass: Klass,
): { granskning: GranskningStatus; starta: boolean; foljd: string } {
  const nu = h.granskning;
  const vantar = nu === 'ej-aktuell' || nu === 'vantar-pa-kansliet';
  if (arRapport(klass)) {
    if (h.bedomning !== 'komplett')
      return {
        granskning: nu,
        starta: false,
        foljd: 'Rapporten är inte komplett; ingen granskning startas.',
      };
    if (!vantar)
      return { granskning: nu, starta: false, foljd: 'Granskningen pågår redan eller är avslutad.' };
    if (h.sekretess)
      return {
        granskning: 'vantar-pa-kansliet',
        starta: false,
        foljd:
          'Handlingen innehåller personnummer och väntar på sekretessprövning; frige den med frige när den är prövad.',
      };
    return { granskning: 'pagar', starta: true, foljd: 'Granskning har begärts.' };
  }
  if (nu === 'vantar-pa-kansliet')
    return {
      granskning: 'ej-aktuell',
      starta: false,
      foljd: 'Ingen granskning; handlingen går inte till beredningsgruppen.',
    };
  if (nu === 'pagar')
    return {
      granskning: nu,
      starta: false,
      foljd: 'Granskningen som redan pågår fortsätter; avbryt den i granskningsverktyget vid behov.',
    };
  return { granskning: nu, starta: false, foljd: 'Ingen granskning.' };
}

/**
 * The kansli corrects a handling's class (or its public text) and the flow of the new class runs: a report
 * goes to granskning (unless held for sekretessprövning), anything else is taken out of the waiting queue.
 * Automatic mail is never answered afterwards; the kansli answers a person in its own mail program.
 */
export async function andraKlass(
  deps: KlassDeps,
  diarienummer: string,
  input: { klass?: Klass; publikText?: string; skal: string; av: string },
): Promise<KlassAndring> {
  const av = input.av.trim();
  const skal = input.skal.trim();
  if (!av) throw new DiariumRegelError('Vem som ändrar måste anges (--av).');
  if (!skal) throw new DiariumRegelError('Skäl för ändringen måste anges (--skal).');
  if (!input.klass && input.publikText === undefined)
    throw new DiariumRegelError('Ange en ny klass, en ny offentlig text (--publik) eller båda.');
  const h = await deps.repo.getHandling(diarienummer);
  if (!h) throw new HandlingNotFoundError(`Handlingen ${diarienummer} finns inte i diariet.`);
  if (h.makulerad) throw new DiariumRegelError(`Handlingen ${diarienummer} är makulerad.`);
  const klass = input.klass ?? h.klassning?.klass ?? STANDARDKLASS;
  const klassning: Klassning = {
    klass,
    orsak: input.klass
      ? `Rättad av kansliet: ${skal}`
      : (h.klassning?.orsak ?? 'Klassad före klassningen infördes.'),
    av,
    ...(input.publikText !== undefined
      ? input.publikText.trim()
        ? { publikText: input.publikText.trim() }
        : {}
      : h.klassning?.publikText
        ? { publikText: h.klassning.publikText }
        : {}),
  };
  const steg = input.klass
    ? granskningFor(h, klass)
    : { granskning: h.granskning, starta: false, foljd: 'Offentlig text ändrad.' };
  const handling = await deps.repo.updateHandling(
    diarienummer,
    { klassning, granskning: steg.granskning },
    {
      handelse: HANDELSE.klassAndrad,
      av,
      data: {
        handling: diarienummer,
        fran: h.klassning?.klass ?? null,
        till: klass,
        skal,
        ...(input.publikText !== undefined ? { publikText: input.publikText } : {}),
      },
    },
    (current) => {
      if (current.makulerad) throw new DiariumRegelError(`Handlingen ${diarienummer} är makulerad.`);
      if (current.granskning !== h.granskning)
        throw new DiariumRegelError(
          `Handlingen ${diarienummer} ändrades samtidigt av någon annan; försök igen.`,
        );
    },
  );
  if (steg.starta) await deps.events.granskningBegard({ diarienummer, arende: h.arende, av });
  return { handling, foljd: `${KLASS_TEXT[klass]}. ${steg.foljd}` };
}
