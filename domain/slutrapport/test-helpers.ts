import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export const referenceDir = path.resolve(repoRoot, '..', 'shared', 'reference');

export const fixture = (name: string): string =>
  readFileSync(path.join(repoRoot, 'test', 'fixtures', 'slutrapport', name), 'utf8');

export const reference = (name: string): string => readFileSync(path.join(referenceDir, name), 'utf8');

export interface ReportParts {
  insatsnamn?: string;
  insatstid?: string;
  beviljade?: string;
  utnyttjade?: string;
  /** Answers by subsection key; `''` leaves the question unanswered. */
  svar?: Partial<Record<string, string>>;
  /** Section 8 value row; null leaves out the whole section. */
  uppgiftslamnare?: string | null;
}

const QUESTIONS: [string, string][] = [
  ['4.1', '4.1 Syfte och bakgrund till insatsen:'],
  ['4.2', '4.2 Målgrupp för insatsen: Vilka grupper/individer har omfattats av insatsen.'],
  ['5.1', '5.1 Måluppfyllelse: Ange mål och resultat.'],
  [
    '5.2',
    '5.2 Arbetssätt och verksamhetsbeskrivning: Beskriv vilka metoder/arbetssätt och vilka aktiviteter som har genomförts. Har de metoder/aktiviteter ni angett i ansökan använts/utförts på det sätt som var tänkt?',
  ],
  [
    '5.3',
    '5.3 Avvikelser från planering (tidsplan, aktiviteter numerära mål, m.m.):\nHar insatsen kunnat genomföras enligt planering? Om inte, vilka åtgärder har vidtagits? Om målet ej nåtts, vad är orsaken till detta?',
  ],
  [
    '5.4',
    '5.4 Beskriv uppföljning och utvärdering av målen:\nHur har ni arbetat med uppföljning och utvärdering, samt med vilka har detta kommunicerats?',
  ],
  ['6.1', '6.1 Beskriv tillvaratagna erfarenheter och lärdomar från insatsen:'],
  ['6.2', '6.2 Beskriv i vilken form insatsen har blivit eller kommer bli implementerad:'],
  [
    '6.3',
    '6.3 Brukarmedverkan: Beskriv hur deltagare involverats och gjorts delaktiga i insatsen, samt\nvilka lärdomar och erfarenheter de bidragit med.',
  ],
  ['6.4', '6.4 Beskriv framgångsfaktorer/positiva effekter:'],
  ['6.5', '6.5 Beskriv identifierade systemfel som påverkat insatsens resultat:'],
];

/** A docx-like report of the invented insats "Prova på" with parts replaced. */
export function buildReport(parts: ReportParts = {}): string {
  const svar = (k: string): string => parts.svar?.[k] ?? `Svar på fråga ${k} om insatsen.`;
  const lines = [
    'Slutrapport',
    'Insats för samverkansmedel',
    'Diarienummer Signatur',
    'Ankomstdatum',
    '1. Allmänna uppgifter',
    'Insatsens namn',
    parts.insatsnamn ?? 'Prova på',
    'Insatstid – åååå-mm-dd',
    parts.insatstid ?? '2022-01-01 – 2022-12-31',
    'Beviljade medel för insatsen',
    parts.beviljade ?? '200 000 kr',
    'Utnyttjade medel',
    parts.utnyttjade ?? '200 000 kr',
    '2. Ansvarig för genomförande av insatsen',
    'Organisations namn Arbetsställets namn',
    'Ljusdals kommun Vuxenutbildningen',
    'Namn - kontaktperson för insatsägare  Mobiltelefonnummer',
    'Lisa Låtsas 070-000 33 44',
    'E-postadress',
    'lisa.latsas@ljusdal.example.se',
    'Postnummer  Postadress',
    '827 80 Ljusdal',
    '3. Samverkansparter',
    'Organisation',
    'Arbetsförmedlingen',
    '4. Insatsbeskrivning',
  ];
  for (const [k, q] of QUESTIONS) {
    if (k === '5.1') lines.push('5. Resultat och utfall av insats');
    if (k === '6.1') lines.push('6. Analys');
    lines.push(q);
    const s = svar(k);
    if (s !== '') lines.push(s);
  }
  lines.push(
    '7. Ekonomiuppföljning utnyttjade medel',
    '7.1 Beviljade medel är helt utnyttjade',
    '7.1.1 Var den budget ni lagt bra avvägd i förhållande till verksamheten? Beskriv om ni skulle gjort något annorlunda i efterhand och vilken betydelse det skulle haft för insatsen.',
  );
  if (parts.svar?.['7.1.1'] !== '') lines.push(parts.svar?.['7.1.1'] ?? 'Budgeten var bra avvägd.');
  lines.push(
    '7.2 Beviljade medel är inte helt utnyttjade',
    '7.2.1 Varför utnyttjades inte beviljade insatsmedel? Berätta om de faktorer som påverkat utfallet.',
  );
  if ((parts.svar?.['7.2.1'] ?? '') !== '') lines.push(parts.svar!['7.2.1']!);
  if (parts.uppgiftslamnare !== null) {
    lines.push('8. Uppgiftslämnare', 'Datum Namn', parts.uppgiftslamnare ?? '2023-01-20 Lisa Låtsas');
  }
  return lines.join('\n');
}
