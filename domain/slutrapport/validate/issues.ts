/** How the rules report what they find: an issue with a stable code, the field path and a Swedish message. */

export type Niva = 'fel' | 'varning';

export interface Issue {
  kod: string;
  falt: string;
  meddelande: string;
  niva: Niva;
}

/** `fel` makes the report incomplete; `varning` is for the reviewer only. */
export interface Issues {
  fel: (kod: string, falt: string, meddelande: string) => void;
  varning: (kod: string, falt: string, meddelande: string) => void;
}

export const DATUMFORMAT = 'ÅÅÅÅ-MM-DD';

export function collectIssues(): { issues: Issue[]; sink: Issues } {
  const issues: Issue[] = [];
  return {
    issues,
    sink: {
      fel: (kod, falt, meddelande) => issues.push({ kod, falt, meddelande, niva: 'fel' }),
      varning: (kod, falt, meddelande) => issues.push({ kod, falt, meddelande, niva: 'varning' }),
    },
  };
}
