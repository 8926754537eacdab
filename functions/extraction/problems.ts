import type { ExtractionProblem } from '../../domain/extraction/types.js';

/** The formats we read, as the sender should be told. */
export const GODKANDA_FORMAT =
  'Word (.docx), PDF, OpenDocument (.odt), äldre Word (.doc), vanlig text (.txt) eller en skannad ' +
  'rapport som PDF eller bild (PNG, JPEG, TIFF). Du kan också klistra in rapporten direkt i e-postmeddelandet.';

const SKICKA_IGEN = `Skicka gärna rapporten igen som ${GODKANDA_FORMAT}`;

export type ProblemKod =
  | 'FOR_STOR'
  | 'FOR_MANGA_BILAGOR'
  | 'FOR_MANGA_DELAR'
  | 'FOR_STORT_HUVUD'
  | 'TRASIG_EPOST'
  | 'TOM_FIL'
  | 'TRASIG_FIL'
  | 'OKANT_FORMAT'
  | 'KRYPTERAD_PDF'
  | 'KRYPTERAT_DOKUMENT'
  | 'ZIPBOMB'
  | 'XML_DOCTYPE'
  | 'FOR_MANGA_SIDOR'
  | 'FOR_MANGA_SKANNADE_SIDOR'
  | 'BILD_FOR_STOR'
  | 'OCR_AVSTANGD'
  | 'OCR_MISSLYCKADES'
  | 'INGEN_TEXT'
  | 'TIDSGRANS'
  | 'WINMAIL_DAT'
  | 'INGEN_RAPPORT'
  | 'BILAGA_SAKNAS';

function fileLabel(fil: string | undefined): string {
  return fil ? `Filen ”${fil}”` : 'Filen';
}

function message(kod: ProblemKod, fil: string | undefined, detail: string | undefined): string {
  const f = fileLabel(fil);
  switch (kod) {
    case 'FOR_STOR':
      return `${fil ? f : 'Meddelandet'} är för stort för att vi ska kunna läsa det${detail ? ` (${detail})` : ''}. Skicka rapporten som en mindre fil, till exempel Word (.docx) eller PDF utan inskannade bilder.`;
    case 'FOR_MANGA_BILAGOR':
      return `Meddelandet har för många bilagor${detail ? ` (${detail})` : ''}, så vi har inte läst dem. Skicka slutrapporten i ett eget e-postmeddelande med rapporten som enda bilaga.`;
    case 'FOR_MANGA_DELAR':
      return `Meddelandet består av orimligt många delar${detail ? ` (${detail})` : ''} och har inte lästs. Skicka slutrapporten i ett nytt e-postmeddelande med rapporten som bilaga.`;
    case 'FOR_STORT_HUVUD':
      return 'Meddelandets rubrikrader är orimligt stora och meddelandet har inte kunnat läsas. Skicka slutrapporten i ett nytt e-postmeddelande.';
    case 'TRASIG_EPOST':
      return `Meddelandet är felaktigt uppbyggt och kunde inte läsas${detail ? ` (${detail})` : ''}. Skicka slutrapporten i ett nytt e-postmeddelande. ${SKICKA_IGEN}`;
    case 'TOM_FIL':
      return `${f} är tom. ${SKICKA_IGEN}`;
    case 'TRASIG_FIL':
      return `${f} är skadad eller ofullständig och kan inte öppnas${detail ? ` (${detail})` : ''}. Spara rapporten på nytt och skicka den igen. ${SKICKA_IGEN}`;
    case 'OKANT_FORMAT':
      return `${f} har ett format som vi inte kan läsa${detail ? ` (${detail})` : ''}. ${SKICKA_IGEN}`;
    case 'KRYPTERAD_PDF':
      return `${f} är en lösenordsskyddad PDF som vi inte kan öppna. Skicka rapporten som en PDF utan lösenord eller som Word (.docx).`;
    case 'KRYPTERAT_DOKUMENT':
      return `${f} är lösenordsskyddad eller krypterad och kan inte öppnas. Ta bort lösenordet och skicka filen igen, eller skicka rapporten som PDF.`;
    case 'ZIPBOMB':
      return `${f} packas upp till en orimlig storlek eller innehåller för många delar${detail ? ` (${detail})` : ''} och har inte öppnats. Spara rapporten på nytt från Word eller LibreOffice och skicka den igen, eller skicka den som PDF.`;
    case 'XML_DOCTYPE':
      return `${f} innehåller otillåtna XML-konstruktioner (DOCTYPE eller ENTITY) och har inte öppnats. Spara rapporten på nytt från Word eller LibreOffice och skicka den igen, eller skicka den som PDF.`;
    case 'FOR_MANGA_SIDOR':
      return `${f} har för många sidor${detail ? ` (${detail})` : ''}. Skicka endast slutrapporten, utan andra bilagor i samma fil.`;
    case 'FOR_MANGA_SKANNADE_SIDOR':
      return `${f} har för många skannade sidor för att vi ska kunna tolka dem${detail ? ` (${detail})` : ''}. Skicka rapporten som Word (.docx) eller som en PDF sparad direkt från Word.`;
    case 'BILD_FOR_STOR':
      return `Bilden ${fil ? `”${fil}” ` : ''}är för stor för att tolkas${detail ? ` (${detail})` : ''}. Skicka en skanning med lägre upplösning (300 dpi räcker) eller rapporten som Word (.docx) eller PDF.`;
    case 'OCR_AVSTANGD':
      return `${f} är en skannad rapport utan text som vi kan läsa maskinellt. Skicka rapporten som Word (.docx) eller som en PDF sparad direkt från Word.`;
    case 'OCR_MISSLYCKADES':
      return `${f} är en skannad rapport som vi inte kunde tyda. Skicka rapporten som Word (.docx) eller som en PDF sparad direkt från Word.`;
    case 'INGEN_TEXT':
      return `${f} innehåller ingen text som vi kan läsa. ${SKICKA_IGEN}`;
    case 'TIDSGRANS':
      // Without a file: `detail` names the attachments a mail's budget did not reach (notReadInTime).
      if (!fil && detail) {
        return `${detail} hann inte läsas inom tidsgränsen för ett meddelande och har inte tolkats. Skicka slutrapporten i ett eget e-postmeddelande, som Word (.docx) eller som en PDF sparad direkt från Word.`;
      }
      return `${f} tog för lång tid att läsa och tolkningen avbröts. Skicka rapporten som Word (.docx) eller som en PDF sparad direkt från Word.`;
    case 'WINMAIL_DAT':
      return `${fil ? `Bilagan ”${fil}”` : 'Bilagan winmail.dat'} är i Outlooks interna format (TNEF), och ingen rapport gick att läsa ur den. Ställ in Outlook på att skicka som HTML eller oformaterad text, eller skicka rapporten från ett annat e-postprogram. ${SKICKA_IGEN}`;
    case 'BILAGA_SAKNAS':
      return `Bilagan saknas: meddelandet nämner en bifogad fil, men ingen fil kom med. Skicka mejlet igen med rapporten bifogad som ${GODKANDA_FORMAT}`;
    case 'INGEN_RAPPORT':
      return `Vi hittade ingen slutrapport i meddelandet${detail ? ` (${detail})` : ''}. Bifoga rapporten som ${GODKANDA_FORMAT}`;
  }
}

export function problem(kod: ProblemKod, fil?: string, detail?: string): ExtractionProblem {
  const p: ExtractionProblem = { kod, meddelande: message(kod, fil, detail) };
  if (fil !== undefined) p.fil = fil;
  return p;
}

/** One problem for all the attachments of a mail that its time budget did not reach (or cut off). */
export function notReadInTime(files: string[]): ExtractionProblem {
  const quoted = files.map((f) => `”${f}”`);
  const list =
    quoted.length === 1
      ? `Bilagan ${quoted[0]}`
      : `Bilagorna ${quoted.slice(0, -1).join(', ')} och ${quoted[quoted.length - 1]}`;
  return problem('TIDSGRANS', undefined, list);
}

/** Raised inside extractors to abort with a problem; always caught at the API boundary. */
export class ExtractionAbortError extends Error {
  constructor(
    readonly kod: ProblemKod,
    readonly detail?: string,
  ) {
    super(kod);
    this.name = 'ExtractionAbortError';
  }
}
