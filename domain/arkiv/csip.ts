import { createHash } from 'node:crypto';
import { parseHandlingNummer, formatArende } from '../diarium/diarienummer.js';
import { DiariumRegelError, HandlingNotFoundError } from '../diarium/errors.js';
import type { ArendeLog, DiariumReader, DocumentReader } from '../diarium/ports.js';
import type { AuditEntry, Handling } from '../diarium/types.js';

/** The log event of an export; left out of the package itself, so repeating an export gives the same bytes. */
export const ARKIVERAT = 'arende-arkiverat';

export interface PaketFil {
  /** Path inside the package, `/`-separated. */
  sokvag: string;
  bytes: Uint8Array;
}

export interface ArkivPaket {
  /** The package's folder name and METS OBJID, e.g. `SFG-26-5`. */
  objid: string;
  filer: PaketFil[];
  /** SHA-256 of METS.xml: the same content gives the same package. */
  metsSha256: string;
}

export interface ArkivDeps {
  repo: DiariumReader & ArendeLog;
  documents: DocumentReader;
  /** The XML schemas the package refers to, copied into its `schemas/` (CSIP). */
  scheman: { filnamn: string; bytes: Uint8Array }[];
  programversion: string;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const utf8 = (s: string) => new TextEncoder().encode(s);

function x(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

/** A file or folder name from a sender, safe in a package on any file system. */
function safe(name: string): string {
  const clean = (name.split(/[/\\]/).pop() ?? '')
    .replace(/[\u0000-\u001f<>:"|?*]/g, '_')
    .replace(/^\.+/, '_');
  return clean.trim() || 'fil';
}

const dnrMapp = (dnr: string) => dnr.replace(/\s+/g, '-');

const MIME: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  eml: 'message/rfc822',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  doc: 'application/msword',
  odt: 'application/vnd.oasis.opendocument.text',
  xml: 'application/xml',
  xsd: 'application/xml',
  json: 'application/json',
  html: 'text/html',
  jpg: 'image/jpeg',
  png: 'image/png',
  zip: 'application/zip',
};
function mimeOf(filnamn: string): string {
  return MIME[filnamn.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

function element(name: string, value: string | number | boolean | null): string {
  return value === null ? `<${name}/>` : `<${name}>${x(String(value))}</${name}>`;
}

/** The diarium's metadata of the ärende and each handling, with the audit log, as one XML document. */
function diariumXml(d: {
  arende: ReturnType<typeof arendeFields>;
  handlingar: Handling[];
  logg: AuditEntry[];
}): string {
  const h = (hd: Handling) =>
    [
      `  <handling diarienummer="${x(hd.diarienummer)}">`,
      `    ${element('ankomstdatum', hd.ankomstdatum)}`,
      `    ${element('mottagen', hd.mottagen)}`,
      `    ${element('kalla', hd.kalla)}`,
      `    <avsandare>${element('namn', hd.avsandare.namn)}${element('epost', hd.avsandare.epost)}${element('organisation', hd.avsandare.organisation)}</avsandare>`,
      `    ${element('avser', hd.beskrivning)}`,
      `    ${element('bedomning', hd.bedomning)}`,
      `    ${element('granskning', hd.granskning)}`,
      `    ${element('sekretess', hd.sekretess)}`,
      `    ${element('flaggor', hd.flaggor.join(' '))}`,
      hd.makulerad
        ? `    <makulerad av="${x(hd.makulerad.av)}" tidpunkt="${x(hd.makulerad.tidpunkt)}">${x(hd.makulerad.skal)}</makulerad>`
        : '    <makulerad/>',
      ...hd.filer.map(
        (f) =>
          `    <fil filnamn="${x(f.filnamn)}" sha256="${f.sha256}" storlek="${f.storlek}" typ="${x(f.typ)}"/>`,
      ),
      '  </handling>',
    ].join('\n');
  const e = (le: AuditEntry) =>
    `    <post seq="${le.seq}" tidpunkt="${x(le.tidpunkt)}" handelse="${x(le.handelse)}" av="${x(le.av)}" hash="${le.hash}" prevHash="${le.prevHash}">${x(JSON.stringify(le.data))}</post>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<diarium xmlns="urn:rapportflode:diarium:1" arende="${x(d.arende.diarienummer)}">`,
    `  <arende>${element('arendemening', d.arende.arendemening)}${element('status', d.arende.status)}${element('skapad', d.arende.skapad)}${element('insats', d.arende.insatsId)}</arende>`,
    ...d.handlingar.map(h),
    '  <logg>',
    ...d.logg.map(e),
    '  </logg>',
    '</diarium>',
    '',
  ].join('\n');
}

function arendeFields(a: {
  diarienummer: string;
  arendemening: string;
  status: string;
  skapad: string;
  insatsId: string | null;
}) {
  return a;
}

const README = (objid: string) =>
  utf8(
    [
      `Arkivpaket ${objid} från Rapportflöde (Samordningsförbund Gävleborg).`,
      '',
      'Paketet följer E-ARK CSIP (grunden för Riksarkivets FGS Paketstruktur):',
      '  METS.xml                                  paketets innehållsförteckning med SHA-256 för varje fil',
      '  metadata/descriptive/diarium.xml          ärendet och varje handlings diarieuppgifter',
      '  metadata/preservation/logg.json           ärendets hashkedjade logg',
      '  representations/rep1/data/<handling>/     handlingarnas filer (beslutet som PDF)',
      '  schemas/                                  XML-scheman som METS.xml följer',
      '',
    ].join('\n'),
  );

/**
 * One ärende as an E-ARK CSIP information package: METS.xml, the diarium's metadata and audit log, every file of
 * every handling (checked against the diarium's SHA-256), the schemas. Deterministic: every date in it comes from
 * the ärende's own content (never the clock) and the export's own log entries are left out, so the same content
 * gives the same bytes. Writing the package and marking the ärende are the caller's (arkiveraArende).
 */
export async function byggArkivpaket(deps: ArkivDeps, arendeDnr: string): Promise<ArkivPaket> {
  const d = await deps.repo.getArendeDetaljer(arendeDnr);
  if (!d) throw new HandlingNotFoundError(`Ärendet ${arendeDnr} finns inte i diariet.`);
  const objid = dnrMapp(d.arende.diarienummer);
  const logg = d.logg.filter((e) => e.handelse !== ARKIVERAT).sort((a, b) => a.seq - b.seq);
  const handlingar = [...d.handlingar].sort((a, b) => a.handlingsnummer - b.handlingsnummer);
  const senast = [d.arende.skapad, ...logg.map((e) => e.tidpunkt), ...handlingar.map((h) => h.registrerad)]
    .sort()
    .at(-1)!;

  const data: (PaketFil & { created: string; id: string })[] = [];
  for (const h of handlingar) {
    // Quarantined files stay out of the archive: they may carry malicious code (the metadata says so).
    if (h.bedomning === 'karantan') continue;
    const filer = [...h.filer].sort((a, b) => (a.filnamn < b.filnamn ? -1 : a.filnamn > b.filnamn ? 1 : 0));
    for (const f of filer) {
      const { bytes } = await deps.documents.get(f.nyckel);
      if (sha256(bytes) !== f.sha256)
        throw new DiariumRegelError(
          `${h.diarienummer} ${f.filnamn}: innehållet stämmer inte med diariets SHA-256.`,
        );
      data.push({
        sokvag: `representations/rep1/data/${dnrMapp(h.diarienummer)}/${safe(f.filnamn)}`,
        bytes,
        created: h.registrerad,
        id: `file-${data.length + 1}`,
      });
    }
  }
  const diarium = utf8(diariumXml({ arende: arendeFields(d.arende), handlingar, logg }));
  const loggJson = utf8(`${JSON.stringify(logg, null, 2)}\n`);
  const scheman = [...deps.scheman].sort((a, b) => (a.filnamn < b.filnamn ? -1 : 1));
  const dokumentation = README(objid);

  const fileEl = (id: string, sokvag: string, bytes: Uint8Array, created: string) =>
    `      <mets:file ID="${id}" MIMETYPE="${mimeOf(sokvag)}" SIZE="${bytes.length}" CREATED="${created}" CHECKSUM="${sha256(bytes)}" CHECKSUMTYPE="SHA-256">\n` +
    `        <mets:FLocat LOCTYPE="URL" xlink:type="simple" xlink:href="${x(encodeURI(sokvag))}"/>\n` +
    '      </mets:file>';
  const mdRef = (sokvag: string, bytes: Uint8Array, typ: string) =>
    `<mets:mdRef LOCTYPE="URL" xlink:type="simple" xlink:href="${sokvag}" MDTYPE="OTHER" OTHERMDTYPE="${typ}" MIMETYPE="${mimeOf(sokvag)}" SIZE="${bytes.length}" CREATED="${senast}" CHECKSUM="${sha256(bytes)}" CHECKSUMTYPE="SHA-256"/>`;

  const mets = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<mets:mets xmlns:mets="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink"' +
      ' xmlns:csip="https://DILCIS.eu/XML/METS/CSIPExtensionMETS" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' +
      ` OBJID="${x(objid)}" LABEL="${x(`${d.arende.diarienummer} ${d.arende.arendemening}`)}" TYPE="OTHER" csip:OTHERTYPE="Diarieärende"` +
      ' csip:CONTENTINFORMATIONTYPE="MIXED" PROFILE="https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"' +
      ' xsi:schemaLocation="http://www.loc.gov/METS/ schemas/mets.xsd http://www.w3.org/1999/xlink schemas/xlink.xsd https://DILCIS.eu/XML/METS/CSIPExtensionMETS schemas/DILCISExtensionMETS.xsd">',
    `  <mets:metsHdr CREATEDATE="${senast}" LASTMODDATE="${senast}" RECORDSTATUS="NEW" csip:OAISPACKAGETYPE="SIP">`,
    '    <mets:agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE">',
    '      <mets:name>Rapportflöde</mets:name>',
    `      <mets:note csip:NOTETYPE="SOFTWARE VERSION">${x(deps.programversion)}</mets:note>`,
    '    </mets:agent>',
    '    <mets:agent ROLE="ARCHIVIST" TYPE="ORGANIZATION">',
    '      <mets:name>Samordningsförbund Gävleborg</mets:name>',
    '    </mets:agent>',
    '  </mets:metsHdr>',
    `  <mets:dmdSec ID="dmd-diarium" CREATED="${senast}" STATUS="CURRENT">`,
    `    ${mdRef('metadata/descriptive/diarium.xml', diarium, 'Rapportflöde diarium')}`,
    '  </mets:dmdSec>',
    '  <mets:amdSec>',
    `    <mets:digiprovMD ID="digiprov-logg" CREATED="${senast}" STATUS="CURRENT">`,
    `      ${mdRef('metadata/preservation/logg.json', loggJson, 'Rapportflöde hashkedjad logg')}`,
    '    </mets:digiprovMD>',
    '  </mets:amdSec>',
    '  <mets:fileSec ID="file-sec">',
    '    <mets:fileGrp ID="file-grp-doc" USE="Documentation">',
    fileEl('file-doc-1', 'documentation/README.txt', dokumentation, senast),
    '    </mets:fileGrp>',
    '    <mets:fileGrp ID="file-grp-schemas" USE="Schemas">',
    ...scheman.map((s, i) => fileEl(`file-schema-${i + 1}`, `schemas/${s.filnamn}`, s.bytes, senast)),
    '    </mets:fileGrp>',
    '    <mets:fileGrp ID="file-grp-rep1" USE="Representations/rep1/data" csip:CONTENTINFORMATIONTYPE="MIXED">',
    ...data.map((f) => fileEl(f.id, f.sokvag, f.bytes, f.created)),
    '    </mets:fileGrp>',
    '  </mets:fileSec>',
    '  <mets:structMap ID="struct-map" TYPE="PHYSICAL" LABEL="CSIP">',
    `    <mets:div ID="struct-map-root" LABEL="${x(objid)}">`,
    '      <mets:div ID="struct-map-metadata" LABEL="Metadata" ADMID="digiprov-logg" DMDID="dmd-diarium"/>',
    '      <mets:div ID="struct-map-doc" LABEL="Documentation">',
    '        <mets:fptr FILEID="file-grp-doc"/>',
    '      </mets:div>',
    '      <mets:div ID="struct-map-schemas" LABEL="Schemas">',
    '        <mets:fptr FILEID="file-grp-schemas"/>',
    '      </mets:div>',
    '      <mets:div ID="struct-map-rep1" LABEL="Representations/rep1">',
    '        <mets:fptr FILEID="file-grp-rep1"/>',
    '      </mets:div>',
    '    </mets:div>',
    '  </mets:structMap>',
    '</mets:mets>',
    '',
  ].join('\n');
  const metsBytes = utf8(mets);
  return {
    objid,
    metsSha256: sha256(metsBytes),
    filer: [
      { sokvag: 'METS.xml', bytes: metsBytes },
      { sokvag: 'metadata/descriptive/diarium.xml', bytes: diarium },
      { sokvag: 'metadata/preservation/logg.json', bytes: loggJson },
      { sokvag: 'documentation/README.txt', bytes: dokumentation },
      ...scheman.map((s) => ({ sokvag: `schemas/${s.filnamn}`, bytes: s.bytes })),
      ...data.map(({ sokvag, bytes }) => ({ sokvag, bytes })),
    ],
  };
}

/**
 * Builds the package and marks the ärende as arkiverat in its log (once per package content: repeating an export
 * of unchanged content logs nothing new). Changes nothing else in the diarium.
 */
export async function arkiveraArende(
  deps: ArkivDeps,
  arendeDnr: string,
  input: { av: string; skriv: (paket: ArkivPaket) => Promise<string> },
): Promise<{ paket: ArkivPaket; katalog: string; loggad: boolean }> {
  const paket = await byggArkivpaket(deps, arendeDnr);
  const katalog = await input.skriv(paket);
  const d = await deps.repo.getArendeDetaljer(arendeDnr);
  const redan = (d?.logg ?? []).some(
    (e) => e.handelse === ARKIVERAT && e.data['metsSha256'] === paket.metsSha256,
  );
  if (!redan)
    await deps.repo.appendLog(arendeDnr, {
      handelse: ARKIVERAT,
      av: input.av,
      data: { paket: paket.objid, metsSha256: paket.metsSha256, filer: paket.filer.length },
    });
  return { paket, katalog, loggad: !redan };
}

/** The ärenden an argument names: one ärende (or a handling's), or every ärende with a handling in a year. */
export async function arendenFor(repo: DiariumReader, arg: string): Promise<string[]> {
  const t = arg.trim();
  if (/^\d{4}$/.test(t)) {
    const handlingar = await repo.listDiarium(`${t}-01-01`, `${t}-12-31`);
    return [...new Set(handlingar.map((h) => h.arende))].sort((a, b) =>
      a.localeCompare(b, 'sv', { numeric: true }),
    );
  }
  const h = parseHandlingNummer(t);
  return [h ? formatArende(h) : t];
}
