import type { OutgoingMail } from '../diarium/ports.js';
import { markeratAmne } from '../mail/amnesmarkning.js';
import { render } from '../mail/templates.js';
import type { KompletteringBevakning, RapportBevakning } from './types.js';

const amne = (subject: string, arende: string | null) => (arende ? markeratAmne(subject, arende) : subject);

/** The friendly reminder to the insatsägare, before or after the due date. */
export function rapportPaminnelseMail(
  b: RapportBevakning,
  till: string,
  steg: 'fore' | 'efter',
): OutgoingMail {
  const datum = b.forfallodatum ?? '';
  return render([till], amne(`Påminnelse: slutrapport för ${b.insatsnamn} senast ${datum}`, b.arende), [
    { p: 'Hej!' },
    {
      p:
        steg === 'fore'
          ? `Det här är en vänlig påminnelse om att slutrapporten för insatsen ${b.insatsnamn} ska lämnas till Samordningsförbund Gävleborg senast ${datum}.`
          : `Vi har ännu inte fått slutrapporten för insatsen ${b.insatsnamn}, som skulle ha lämnats senast ${datum}. Skicka den så snart ni kan, eller hör av er om ni behöver mer tid.`,
    },
    {
      fakta: [
        ['Insats', b.insatsnamn],
        ['Insatsägare', b.organisation],
        ['Sista dag', datum],
        ...(b.arende ? [['Ärende', b.arende] as [string, string]] : []),
      ],
    },
    {
      p: 'Svara på det här mejlet och bifoga slutrapporten (Word, PDF eller OpenDocument). Har ni redan skickat den kan ni bortse från påminnelsen.',
    },
  ]);
}

export function kompletteringPaminnelseMail(k: KompletteringBevakning, till: string): OutgoingMail {
  return render([till], markeratAmne(`Påminnelse: komplettering av slutrapport – ${k.arende}`, k.arende), [
    { p: 'Hej!' },
    {
      p: `Den ${k.begard} bad vi er komplettera slutrapporten i ärendet ${k.arende}. Vi har ännu inte fått någon komplettering.`,
    },
    {
      fakta: [
        ['Ärende', k.arende],
        ['Begäran', k.handling],
        ['Begärd', k.begard],
      ],
    },
    {
      p: `Svara på det här mejlet och behåll ämnesraden (den innehåller diarienumret ${k.arende}). Bifoga den kompletterade rapporten.`,
    },
  ]);
}

/** The kansli's list of the day: overdue slutrapporter and unanswered komplettering requests. */
export function kansliListaMail(
  till: string,
  datum: string,
  forsenade: RapportBevakning[],
  obesvarade: KompletteringBevakning[],
): OutgoingMail {
  return render(
    [till],
    `Bevakning ${datum}: ${forsenade.length} försenade, ${obesvarade.length} obesvarade`,
    [
      { p: 'Hej!' },
      { p: `Bevakningen ${datum}:` },
      { p: 'Försenade slutrapporter:' },
      {
        lista:
          forsenade.length > 0
            ? forsenade.map(
                (b) =>
                  `${b.insatsnamn} (${b.organisation}), sista dag ${b.forfallodatum ?? '–'}${b.arende ? `, ${b.arende}` : ''}${b.kontakt ? '' : ' – kontakt saknas i insatsregistret'}`,
              )
            : ['(inga)'],
      },
      { p: 'Kompletteringar utan svar:' },
      {
        lista:
          obesvarade.length > 0
            ? obesvarade.map((k) => `${k.arende}: begärd ${k.begard} (${k.handling}), ${k.dagar} dagar sedan`)
            : ['(inga)'],
      },
    ],
  );
}
