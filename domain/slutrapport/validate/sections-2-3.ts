/** Rules for section 2, Ansvarig för genomförande (organisation and contact details), and section 3. */
import type { ParsedSlutrapport } from '../schema.js';
import type { Issues } from './issues.js';

const S2 = 'Avsnitt 2 Ansvarig för genomförande';

export function checkSections2And3(p: ParsedSlutrapport, { fel, varning }: Issues): void {
  const r = p.rapport;
  const raw = p.raw;
  if (r.organisation === null) {
    fel(
      'SAKNAS_ORGANISATION',
      'organisation',
      `${S2}: Organisationens namn saknas. Ange vilken organisation som äger insatsen.`,
    );
  }
  if (r.arbetsstalle === null) {
    varning(
      'SAKNAS_ARBETSSTALLE',
      'arbetsstalle',
      `${S2}: Arbetsställets namn saknas eller kunde inte skiljas från organisationens namn.`,
    );
  }
  if (r.kontaktpersoner.length === 0) {
    fel(
      'SAKNAS_KONTAKTPERSON',
      'kontaktpersoner',
      `${S2}: Kontaktperson för insatsägaren saknas. Ange namn på kontaktpersonen.`,
    );
  }
  if (r.telefon.length === 0) {
    if (raw.telefon === null) {
      fel(
        'SAKNAS_TELEFON',
        'telefon',
        `${S2}: Mobiltelefonnummer till kontaktpersonen saknas. Ange ett telefonnummer.`,
      );
    } else {
      varning(
        'TELEFON_OGILTIG',
        'telefon',
        `${S2}: Telefonnumret "${raw.telefon}" kan inte tolkas som ett svenskt telefonnummer.`,
      );
    }
  }
  if (r.epost.length === 0) {
    if (raw.epost === null) {
      fel('SAKNAS_EPOST', 'epost', `${S2}: E-postadress till kontaktpersonen saknas. Ange en e-postadress.`);
    } else {
      fel(
        'EPOST_OGILTIG',
        'epost',
        `${S2}: E-postadressen "${raw.epost}" är inte giltig. Ange en fullständig e-postadress.`,
      );
    }
  }
  if (r.postnummer === null) {
    varning(
      raw.postnummer === null ? 'SAKNAS_POSTNUMMER' : 'POSTNUMMER_OGILTIGT',
      'postnummer',
      raw.postnummer === null
        ? `${S2}: Postnummer saknas.`
        : `${S2}: Postnumret "${raw.postnummer}" är inte ett svenskt postnummer (fem siffror, till exempel 811 61).`,
    );
  }
  if (r.postadress === null) varning('SAKNAS_POSTADRESS', 'postadress', `${S2}: Postadress saknas.`);

  // Section 3
  if (r.samverkansparter.length === 0) {
    varning(
      'SAKNAS_SAMVERKANSPARTER',
      'samverkansparter',
      'Avsnitt 3 Samverkansparter: inga samverkansparter är angivna.',
    );
  }
}
