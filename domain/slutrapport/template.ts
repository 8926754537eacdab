/**
 * The slutrapport template as data: section headings, field labels, and the subsections 4.1–7.2.1 with
 * their question text (which is template, never answer). Labels are listed with the variants senders and
 * OCR produce; matching is tolerant (see text.ts), so diacritics and case need no variants.
 */
import { words } from './text.js';

export const AVSNITT_KEYS = [
  '4.1',
  '4.2',
  '5.1',
  '5.2',
  '5.3',
  '5.4',
  '6.1',
  '6.2',
  '6.3',
  '6.4',
  '6.5',
  '7.1.1',
  '7.2.1',
] as const;
export type AvsnittKey = (typeof AVSNITT_KEYS)[number];

/** The subsections every report must answer (7.1.1/7.2.1 depend on the amounts). */
export const OBLIGATORISKA_AVSNITT: readonly AvsnittKey[] = AVSNITT_KEYS.filter((k) => !k.startsWith('7.'));

export type FieldKey =
  | 'diarienummer'
  | 'signatur'
  | 'ankomstdatum'
  | 'insatsnamn'
  | 'insatstid'
  | 'beviljadeMedel'
  | 'utnyttjadeMedel'
  | 'organisation'
  | 'arbetsstalle'
  | 'kontaktpersoner'
  | 'telefon'
  | 'epost'
  | 'postnummer'
  | 'postadress'
  | 'samverkanspart'
  | 'datum'
  | 'namn';

export interface SectionAnchor {
  kind: 'section';
  nr: string;
  section: number;
  title: string;
  words: string[];
}

export interface SubsectionAnchor {
  kind: 'subsection';
  /** '4.1' … '7.2.1'; '7.1' and '7.2' are headings without an answer of their own. */
  nr: string;
  section: number;
  /** Short Swedish name used in messages: "Syfte och bakgrund". */
  title: string;
  /** Folded words of the heading label. */
  words: string[];
  /** Folded words of heading + question text: everything to strip before the answer. */
  questionWords: string[];
}

export interface FieldAnchor {
  kind: 'field';
  field: FieldKey;
  section: number;
  variants: string[][];
  /** Short generic labels ("Datum", "Namn", "Organisation") only count inside their own section. */
  strict: boolean;
}

export type Anchor = SectionAnchor | SubsectionAnchor | FieldAnchor;

const section = (nr: number, title: string): SectionAnchor => ({
  kind: 'section',
  nr: String(nr),
  section: nr,
  title,
  words: words(title),
});

const sub = (nr: string, title: string, label: string, question = ''): SubsectionAnchor => ({
  kind: 'subsection',
  nr,
  section: Number(nr[0]),
  title,
  words: words(label),
  questionWords: words(`${label} ${question}`),
});

const field = (f: FieldKey, sec: number, variants: string[], strict = false): FieldAnchor => ({
  kind: 'field',
  field: f,
  section: sec,
  variants: variants.map(words).sort((a, b) => b.length - a.length),
  strict,
});

export const SECTIONS: readonly SectionAnchor[] = [
  section(1, 'Allmänna uppgifter'),
  section(2, 'Ansvarig för genomförande av insatsen'),
  section(3, 'Samverkansparter'),
  section(4, 'Insatsbeskrivning'),
  section(5, 'Resultat och utfall av insats'),
  section(6, 'Analys'),
  section(7, 'Ekonomiuppföljning utnyttjade medel'),
  section(8, 'Uppgiftslämnare'),
];

export const SUBSECTIONS: readonly SubsectionAnchor[] = [
  sub('4.1', 'Syfte och bakgrund', 'Syfte och bakgrund till insatsen'),
  sub('4.2', 'Målgrupp', 'Målgrupp för insatsen', 'Vilka grupper/individer har omfattats av insatsen.'),
  sub('5.1', 'Måluppfyllelse', 'Måluppfyllelse', 'Ange mål och resultat.'),
  sub(
    '5.2',
    'Arbetssätt och verksamhetsbeskrivning',
    'Arbetssätt och verksamhetsbeskrivning',
    'Beskriv vilka metoder/arbetssätt och vilka aktiviteter som har genomförts. Har de metoder/aktiviteter ni angett i ansökan använts/utförts på det sätt som var tänkt?',
  ),
  sub(
    '5.3',
    'Avvikelser från planering',
    'Avvikelser från planering (tidsplan, aktiviteter numerära mål, m.m.)',
    'Har insatsen kunnat genomföras enligt planering? Om inte, vilka åtgärder har vidtagits? Om målet ej nåtts, vad är orsaken till detta?',
  ),
  sub(
    '5.4',
    'Uppföljning och utvärdering',
    'Beskriv uppföljning och utvärdering av målen',
    'Hur har ni arbetat med uppföljning och utvärdering, samt med vilka har detta kommunicerats?',
  ),
  sub('6.1', 'Erfarenheter och lärdomar', 'Beskriv tillvaratagna erfarenheter och lärdomar från insatsen'),
  sub('6.2', 'Implementering', 'Beskriv i vilken form insatsen har blivit eller kommer bli implementerad'),
  sub(
    '6.3',
    'Brukarmedverkan',
    'Brukarmedverkan',
    'Beskriv hur deltagare involverats och gjorts delaktiga i insatsen, samt vilka lärdomar och erfarenheter de bidragit med.',
  ),
  sub('6.4', 'Framgångsfaktorer', 'Beskriv framgångsfaktorer/positiva effekter'),
  sub('6.5', 'Systemfel', 'Beskriv identifierade systemfel som påverkat insatsens resultat'),
  sub('7.1', 'Beviljade medel är helt utnyttjade', 'Beviljade medel är helt utnyttjade'),
  sub(
    '7.1.1',
    'Budgetens avvägning',
    'Var den budget ni lagt bra avvägd i förhållande till verksamheten?',
    'Beskriv om ni skulle gjort något annorlunda i efterhand och vilken betydelse det skulle haft för insatsen.',
  ),
  sub('7.2', 'Beviljade medel är inte helt utnyttjade', 'Beviljade medel är inte helt utnyttjade'),
  sub(
    '7.2.1',
    'Varför medlen inte utnyttjades',
    'Varför utnyttjades inte beviljade insatsmedel?',
    'Berätta om de faktorer som påverkat utfallet.',
  ),
];

export const FIELDS: readonly FieldAnchor[] = [
  field('diarienummer', 0, ['Diarienummer', 'Dnr', 'Diarienr']),
  field('signatur', 0, ['Signatur']),
  field('ankomstdatum', 0, ['Ankomstdatum']),
  field('insatsnamn', 1, ['Insatsens namn', 'Insatsnamn', 'Namn på insatsen']),
  field('insatstid', 1, ['Insatstid', 'Insatsperiod', 'Insatsens tid']),
  field('beviljadeMedel', 1, ['Beviljade medel för insatsen', 'Beviljade medel', 'Beviljat belopp']),
  field('utnyttjadeMedel', 1, ['Utnyttjade medel', 'Utnyttjat belopp', 'Förbrukade medel']),
  field('organisation', 2, [
    'Organisations namn',
    'Organisationsnamn',
    'Organisationens namn',
    'Organisation',
  ]),
  field('arbetsstalle', 2, ['Arbetsställets namn', 'Arbetsställe']),
  field('kontaktpersoner', 2, [
    'Namn - kontaktperson för insatsägare',
    'Namn kontaktperson för insatsägaren',
    'Kontaktperson för insatsägare',
    'Namn - kontaktperson',
    'Kontaktperson',
  ]),
  field('telefon', 2, ['Mobiltelefonnummer', 'Mobilnummer', 'Telefonnummer', 'Telefon', 'Mobiltelefon']),
  field('epost', 2, ['E-postadress', 'E-post', 'Epostadress', 'Mejladress', 'E-mail']),
  field('postnummer', 2, ['Postnummer', 'Postnr']),
  field('postadress', 2, ['Postadress', 'Postort']),
  field('samverkanspart', 3, ['Organisation', 'Samverkanspart'], true),
  field('datum', 8, ['Datum', 'Ort och datum'], true),
  field('namn', 8, ['Namn', 'Namnförtydligande', 'Underskrift'], true),
];

/** Fields whose value is read by pattern from a shared value row rather than by column position. */
export const PATTERN_FIELDS: ReadonlySet<FieldKey> = new Set([
  'telefon',
  'epost',
  'postnummer',
  'datum',
  'diarienummer',
  'ankomstdatum',
  'insatstid',
  'beviljadeMedel',
  'utnyttjadeMedel',
]);
