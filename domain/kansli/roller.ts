/** The kansli's roles, as the identity provider's groups name them (Cognito groups; the local provider's). */
export const ROLLER = ['registrator', 'handlaggare', 'lasare'] as const;
export type Roll = (typeof ROLLER)[number];

/** What a role may do. A request without the right is refused (403), not only hidden in the page. */
export type Ratt =
  | 'las' // the unclassified diarium
  | 'las-sekretess' // handlingar marked sekretess, and every file
  | 'frige'
  | 'makulera'
  | 'korrigera-ankomst'
  | 'klassa' // correct the class and the public text
  | 'sekretess' // mark and lift sekretess
  | 'avsluta' // close and reopen an ärende
  | 'registrera' // register a handling by hand (paper post, upprättad, expedierad)
  | 'insatsregister' // edit, add and import the insats register
  | 'flytta' // move a handling to another ärende
  | 'anteckna' // add a note to an ärende
  | 'las-anteckningar' // read the ärende's notes (working notes may tell what is secret)
  | 'las-in'; // read a paper report registered by hand and start its granskning

const RATTIGHETER: Record<Roll, readonly Ratt[]> = {
  registrator: [
    'las',
    'las-sekretess',
    'frige',
    'makulera',
    'korrigera-ankomst',
    'klassa',
    'sekretess',
    'avsluta',
    'registrera',
    'insatsregister',
    'flytta',
    'anteckna',
    'las-anteckningar',
    'las-in',
  ],
  handlaggare: ['las', 'las-sekretess', 'frige', 'anteckna', 'las-anteckningar'],
  lasare: ['las'],
};

export const ROLLNAMN: Record<Roll, string> = {
  registrator: 'Registrator',
  handlaggare: 'Handläggare',
  lasare: 'Läsare',
};

/** The person behind a session: who they are (for the audit log) and what they may do. */
export interface Person {
  /** The identity provider's subject: stable, never reused. */
  sub: string;
  namn: string;
  epost: string | null;
  roller: Roll[];
}

/** The known roles among the token's groups; other groups (the IdP's own) are ignored. */
export function rollerAv(grupper: readonly string[]): Roll[] {
  return ROLLER.filter((r) => grupper.includes(r));
}

export function harRatt(p: Pick<Person, 'roller'>, ratt: Ratt): boolean {
  return p.roller.some((r) => RATTIGHETER[r].includes(ratt));
}

/** How the person is named in the ärende's audit log: name, address and subject, so it is never ambiguous. */
export function loggNamn(p: Person): string {
  return `${p.namn}${p.epost ? ` <${p.epost}>` : ''} [${p.sub}]`;
}
