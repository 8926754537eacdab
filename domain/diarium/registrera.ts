import { createHash } from 'node:crypto';
import type { DocumentFiler } from '../document-archive.js';
import { arRapport } from '../klassning/klassa.js';
import { KLASSER, type Klass } from '../klassning/types.js';
import { ankomstdatum } from './ankomstdatum.js';
import { DiariumRegelError } from './errors.js';
import type { ArendeTarget, DiariumReader, HandlingRegistry, InsatsRegister, NewHandling } from './ports.js';
import type { ExpedieringsSatt, Handling, StoredFile } from './types.js';

/**
 * Registering a handling by hand: paper post with its scan (inkommen), a document the förbund drew up
 * (upprättad), and one it sent by post or otherwise (expedierad). The web form and `diarium registrera` call
 * this; the diarienummer is assigned at once, gap-free, and a resubmitted form registers once.
 */
export type Registreringstyp = 'inkommen' | 'upprattad' | 'expedierad';
export const REGISTRERINGSTYPER: Record<Registreringstyp, string> = {
  inkommen: 'Inkommen handling (papperspost)',
  upprattad: 'Upprättad handling (tjänsteanteckning, PM)',
  expedierad: 'Expedierad handling (skickad med post eller på annat sätt)',
};

export const SATT: Record<ExpedieringsSatt, string> = {
  post: 'Post',
  bud: 'Bud',
  overlamnad: 'Överlämnad personligen',
  annat: 'Annat sätt',
};

/** The classes a registrator can give a paper handling (automatic mail and spam only come by e-mail). */
export const PAPPERSKLASSER: readonly Klass[] = KLASSER.filter(
  (k) => k !== 'automatisk' && k !== 'skrappost',
);

/** The flag the kansli sees on a paper report nobody has read yet: no OCR or granskning starts by itself. */
export const LAS_IN_MANUELLT = 'las-in-manuellt';
export const FLAGGTEXT: Readonly<Record<string, string>> = {
  [LAS_IN_MANUELLT]: 'Läs in och starta granskning manuellt',
  papper: 'Registrerad för hand från papper',
};

export const FORBUNDET = 'Samordningsförbund Gävleborg';

/** The accepted scan formats, told by their first bytes (a browser's or a file name's type is not trusted). */
const FORMAT = [
  { typ: 'pdf', contentType: 'application/pdf', ext: ['.pdf'], magic: [[0x25, 0x50, 0x44, 0x46, 0x2d]] },
  { typ: 'jpeg', contentType: 'image/jpeg', ext: ['.jpg', '.jpeg'], magic: [[0xff, 0xd8, 0xff]] },
  {
    typ: 'png',
    contentType: 'image/png',
    ext: ['.png'],
    magic: [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  },
  {
    typ: 'tiff',
    contentType: 'image/tiff',
    ext: ['.tif', '.tiff'],
    magic: [
      [0x49, 0x49, 0x2a, 0x00],
      [0x4d, 0x4d, 0x00, 0x2a],
    ],
  },
] as const;

export function filformat(bytes: Uint8Array): (typeof FORMAT)[number] | null {
  return FORMAT.find((f) => f.magic.some((m) => m.every((b, i) => bytes[i] === b))) ?? null;
}

/** A name safe as an object key and in a download header: letters (å/ä/ö too), digits, dot, dash; never a path. */
export function sakertFilnamn(namn: string, ext: readonly string[]): string {
  const base = namn.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .replace(/^[._]+/, '')
    .slice(0, 100);
  const stem = cleaned || 'skanning';
  return ext.some((x) => stem.toLowerCase().endsWith(x)) ? stem : `${stem}${ext[0] ?? ''}`;
}

/** The form's fields, each with its own error (the page ties the message to the field). */
export type Falt =
  | 'typ'
  | 'namn'
  | 'organisation'
  | 'epost'
  | 'postadress'
  | 'datum'
  | 'beskrivning'
  | 'arende'
  | 'arendemening'
  | 'insats'
  | 'klass'
  | 'satt'
  | 'fil';

/** What was wrong with the form, field by field, in Swedish. */
export class RegistreringError extends DiariumRegelError {
  override name = 'RegistreringError';
  constructor(readonly falt: Partial<Record<Falt, string>>) {
    super(Object.values(falt).join(' '));
  }
}

export interface RegistreraInput {
  typ: string;
  /** The avsändare of an inkommen handling, the mottagare of an expedierad one; not used for an upprättad one. */
  namn: string;
  organisation: string;
  epost: string;
  postadress: string;
  /** Ankomstdatum (the date stamped on the letter), the date drawn up, or the date sent; empty = today. */
  datum: string;
  beskrivning: string;
  /** An existing ärende's diarienummer, or empty for a new ärende named by `arendemening`. */
  arende: string;
  arendemening: string;
  /** An insats of the register the new ärende concerns (its id), or empty. */
  insats: string;
  /** The class of an inkommen handling. */
  klass: string;
  /** How an expedierad handling was sent. */
  satt: string;
  fil: { filnamn: string; bytes: Uint8Array } | null;
  /** Identifies the submission: the same key registers once (a form sent twice, a command run again). */
  nyckel: string;
  /** The person, as the audit log names them. */
  av: string;
}

export interface RegistreraDeps {
  registry: HandlingRegistry;
  reader: Pick<DiariumReader, 'getArende' | 'findArendeByInsatsnyckel'>;
  insatser: Pick<InsatsRegister, 'listInsatser'>;
  documents: DocumentFiler;
  clock: () => Date;
  serie: string;
  /** Largest file accepted (the web form's limit comes from the Lambda payload quota; the CLI's is larger). */
  maxFilstorlek: number;
}

const DATUM = /^(\d{4})-(\d{2})-(\d{2})$/;
const EPOST = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const ARENDE = /^\s*([A-ZÅÄÖ]{2,6})\s*(\d{2})\s*[-–—]\s*(\d{1,5})\s*$/u;

const isTyp = (s: string): s is Registreringstyp => Object.hasOwn(REGISTRERINGSTYPER, s);
const isSatt = (s: string): s is ExpedieringsSatt => Object.hasOwn(SATT, s);

export function storlekText(n: number): string {
  return n >= 1024 * 1024
    ? `${(n / (1024 * 1024)).toLocaleString('sv-SE', { maximumFractionDigits: 1 })} MB`
    : `${Math.ceil(n / 1024).toLocaleString('sv-SE')} kB`;
}

function giltigtDatum(s: string): boolean {
  const m = DATUM.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

export async function registreraHandling(
  deps: RegistreraDeps,
  input: RegistreraInput,
): Promise<{ handling: Handling; skapad: boolean }> {
  const fel: Partial<Record<Falt, string>> = {};
  const t = (s: string) => s.trim().replace(/\s+/g, ' ');
  const typ = input.typ.trim();
  if (!isTyp(typ)) throw new RegistreringError({ typ: 'Välj vad för slags handling som registreras.' });
  const av = input.av.trim();
  if (!av) throw new DiariumRegelError('Vem som registrerar måste anges.');
  const nyckel = input.nyckel.trim();
  if (!/^[\w.:#-]{16,200}$/.test(nyckel))
    throw new DiariumRegelError('Formuläret saknar sin engångsnyckel. Ladda om sidan och försök igen.');

  const nu = deps.clock();
  const idag = ankomstdatum(nu.toISOString());
  const beskrivning = t(input.beskrivning);
  if (!beskrivning) fel.beskrivning = 'Ange vad handlingen avser.';
  else if (beskrivning.length > 300) fel.beskrivning = 'Beskrivningen får vara högst 300 tecken.';

  const namn = t(input.namn);
  const organisation = t(input.organisation);
  const epost = input.epost.trim();
  const postadress = t(input.postadress);
  if (typ !== 'upprattad') {
    if (!namn && !organisation)
      fel.namn =
        typ === 'inkommen'
          ? 'Ange avsändarens namn eller organisation.'
          : 'Ange mottagarens namn eller organisation.';
    if (namn.length > 200) fel.namn = 'Namnet får vara högst 200 tecken.';
    if (organisation.length > 200) fel.organisation = 'Organisationen får vara högst 200 tecken.';
    if (epost && !EPOST.test(epost)) fel.epost = 'Ange en giltig e-postadress, t.ex. namn@kommun.se.';
    if (postadress.length > 300) fel.postadress = 'Postadressen får vara högst 300 tecken.';
  }

  const datum = input.datum.trim() || idag;
  if (!giltigtDatum(datum)) fel.datum = 'Ange datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-03-02.';
  else if (datum > idag) fel.datum = 'Datumet kan inte ligga i framtiden.';

  let klass: Klass | null = null;
  if (typ === 'inkommen') {
    klass = PAPPERSKLASSER.find((k) => k === input.klass.trim()) ?? null;
    if (!klass) fel.klass = 'Välj handlingens klass.';
  }
  let satt: ExpedieringsSatt = 'post';
  if (typ === 'expedierad') {
    const s = input.satt.trim() || 'post';
    if (isSatt(s)) satt = s;
    else fel.satt = 'Välj hur handlingen skickades.';
  }

  const fil = input.fil && input.fil.bytes.byteLength > 0 ? input.fil : null;
  const format = fil ? filformat(fil.bytes) : null;
  if (!fil) {
    if (typ !== 'upprattad')
      fel.fil = typ === 'inkommen' ? 'Bifoga den skannade handlingen.' : 'Bifoga den expedierade handlingen.';
  } else if (fil.bytes.byteLength > deps.maxFilstorlek) {
    fel.fil = `Filen är ${storlekText(fil.bytes.byteLength)}; högst ${storlekText(deps.maxFilstorlek)} tas emot här. Registrera större filer med kommandot npm run diarium -- registrera.`;
  } else if (!format) {
    fel.fil = 'Filen måste vara en PDF, JPEG, PNG eller TIFF.';
  }

  const target = await arendeTarget(deps, input, datum, fel);
  if (Object.keys(fel).length > 0 || !target) throw new RegistreringError(fel);

  let filer: StoredFile[] = [];
  if (fil && format) {
    const sha256 = createHash('sha256').update(fil.bytes).digest('hex');
    const filnamn = sakertFilnamn(fil.filnamn, format.ext);
    // Content-addressed, so filing before the registration is safe to repeat.
    const nyckelS3 = await deps.documents.file('handling', {
      sha256,
      filnamn,
      bytes: fil.bytes,
      contentType: format.contentType,
    });
    filer = [
      { filnamn, sha256, storlek: fil.bytes.byteLength, typ: format.typ, nyckel: nyckelS3, rapport: false },
    ];
  }

  // A date without a time of day: 10:00 UTC is the same calendar date in Stockholm summer and winter.
  const mottagen = datum === idag ? nu.toISOString() : `${datum}T10:00:00.000Z`;
  const forbundet = { namn: FORBUNDET, epost: null, kuvertAvsandare: null, organisation: FORBUNDET };
  const rapport = klass !== null && arRapport(klass);
  const base = {
    mottagen,
    ankomstdatum: datum,
    ankomstAndrad: null,
    kallaReferens: `manuell:${nyckel}`,
    fel: [],
    varningar: [],
    filer,
    personnummer: [],
    sekretess: false,
    granskning: 'ej-aktuell',
    makulerad: null,
    kvittens: null,
    rapport: { typ: 'ovrig' },
  } satisfies Partial<NewHandling>;
  const nh: NewHandling =
    typ === 'inkommen'
      ? {
          ...base,
          kalla: 'papper',
          avsandare: {
            namn: namn || null,
            epost: epost || null,
            kuvertAvsandare: null,
            organisation: organisation || null,
            postadress: postadress || null,
          },
          beskrivning,
          // Nobody has read a paper report yet: it waits for the kansli, flagged, instead of passing as read.
          bedomning: rapport ? 'lases' : 'komplett',
          flaggor: rapport ? ['papper', LAS_IN_MANUELLT] : ['papper'],
          klassning: { klass: klass ?? 'allman-handling', orsak: 'Registrerad för hand av kansliet', av },
        }
      : typ === 'upprattad'
        ? {
            ...base,
            kalla: 'upprattad',
            avsandare: forbundet,
            beskrivning,
            bedomning: 'komplett',
            flaggor: [],
          }
        : {
            ...base,
            // As the mail sender's expedierade handlingar (domain/diarium/expediering.ts): upprättad, flagged.
            kalla: 'upprattad',
            avsandare: forbundet,
            beskrivning: `Expedierad: ${beskrivning}`,
            bedomning: 'komplett',
            flaggor: ['expedierad'],
            expediering: {
              mottagare: {
                namn: namn || organisation,
                organisation: organisation || null,
                epost: epost || null,
                postadress: postadress || null,
              },
              satt,
              skickad: datum,
            },
          };
  return deps.registry.registerHandling(target, nh, `manuell#${nyckel}`, { av });
}

async function arendeTarget(
  deps: RegistreraDeps,
  input: RegistreraInput,
  datum: string,
  fel: Partial<Record<Falt, string>>,
): Promise<ArendeTarget | null> {
  const dnr = input.arende.trim();
  if (dnr) {
    const m = ARENDE.exec(dnr);
    if (!m || m[1] !== deps.serie) {
      fel.arende = `Ange ärendets diarienummer som t.ex. ${deps.serie} 26-12, eller lämna fältet tomt för ett nytt ärende.`;
      return null;
    }
    const norm = `${m[1]} ${m[2]}-${Number(m[3])}`;
    if (!(await deps.reader.getArende(norm))) {
      fel.arende = `Ärendet ${norm} finns inte i diariet.`;
      return null;
    }
    return { typ: 'befintligt', diarienummer: norm };
  }
  const arendemening = input.arendemening.trim().replace(/\s+/g, ' ');
  if (!arendemening)
    fel.arendemening = 'Ange ett befintligt ärende eller ärendemeningen för ett nytt ärende.';
  else if (arendemening.length > 300) fel.arendemening = 'Ärendemeningen får vara högst 300 tecken.';
  const insatsId = input.insats.trim();
  let insats: { id: string; nyckel: string } | null = null;
  if (insatsId) {
    const found = (await deps.insatser.listInsatser()).find((i) => i.id === insatsId);
    if (!found) {
      fel.insats = `Insatsen ${insatsId} finns inte i insatsregistret.`;
    } else {
      const nyckel = `insats:${found.id}`;
      // One ärende per insats: a second one would split its handlingar (the ingest files them in the first).
      const finns =
        (found.arende ? await deps.reader.getArende(found.arende) : null) ??
        (await deps.reader.findArendeByInsatsnyckel(nyckel));
      if (finns) fel.insats = `Insatsen har redan ärendet ${finns.diarienummer}; ange det som ärende.`;
      else insats = { id: found.id, nyckel };
    }
  }
  if (Object.keys(fel).length > 0 || !giltigtDatum(datum)) return null;
  return {
    typ: 'nytt',
    serie: deps.serie,
    ar: Number(datum.slice(0, 4)),
    arendemening,
    insatsId: insats?.id ?? null,
    insatsnyckel: insats?.nyckel ?? null,
  };
}
