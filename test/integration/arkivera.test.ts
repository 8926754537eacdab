import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makuleraHandling } from '../../domain/diarium/kansli.js';
import type { DocumentReader, NewHandling } from '../../domain/diarium/ports.js';
import type { StoredFile } from '../../domain/diarium/types.js';
import { beslutPdf } from '../../domain/granskning/beslut-pdf.js';
import { runDiariumCli, type CliIo } from '../../local/cli/diarium/main.js';
import { newHandling } from '../support/new-handling.js';
import { startDiariumDb, type DiariumDb } from './diarium-support.js';

let db: DiariumDb;
beforeAll(async () => {
  db = await startDiariumDb();
});
afterAll(async () => {
  await db.stop();
});

const XSD = path.resolve(import.meta.dirname, '../../local/cli/diarium/arkiv-scheman/csip-validering.xsd');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The files of the handlingar, as the records bucket holds them (by key). */
function filesStore() {
  const objects = new Map<string, Uint8Array>();
  const reader: DocumentReader = {
    get: (key) => {
      const bytes = objects.get(key);
      return bytes
        ? Promise.resolve({ bytes, key, versionId: null })
        : Promise.reject(new Error(`saknas: ${key}`));
    },
  };
  const put = (filnamn: string, bytes: Uint8Array, typ: string): StoredFile => {
    const s = sha(bytes);
    const nyckel = `handlingar/${s}/${filnamn}`;
    objects.set(nyckel, bytes);
    return { filnamn, sha256: s, storlek: bytes.length, typ, nyckel, rapport: typ !== 'pdf' };
  };
  return { reader, put };
}

function treeOf(dir: string, prefix = ''): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = path.join(dir, n);
      return statSync(p).isDirectory() ? treeOf(p, `${prefix}${n}/`) : [`${prefix}${n}`];
    });
}

describe('arkivera: an ärende as an E-ARK CSIP package', () => {
  it('writes a package that validates, whose checksums match, the same bytes again, and only logs the export', async () => {
    const table = await db.newTable();
    const repo = db.repo(table, { clock: () => new Date('2026-12-01T09:00:00Z') });
    const files = filesStore();
    const enc = (s: string) => new TextEncoder().encode(s);
    const register = (n: number, over: Partial<NewHandling>) =>
      repo.registerHandling(
        n === 1
          ? {
              typ: 'nytt',
              serie: 'SFG',
              ar: 2026,
              arendemening: 'Slutrapport – Stegvis till arbete',
              insatsId: null,
              insatsnyckel: null,
            }
          : { typ: 'befintligt', diarienummer: 'SFG 26-1' },
        newHandling(n, over),
        `kalla-${n}`,
      );
    // A report that needed komplettering, the completed report, a decision (PDF) and a handling voided by mistake.
    await register(1, {
      mottagen: '2026-10-01T08:00:00.000Z',
      ankomstdatum: '2026-10-01',
      bedomning: 'ofullstandig',
      filer: [files.put('Slutrapport.docx', enc('rapport utan avsnitt 5'), 'docx')],
    });
    await register(2, {
      mottagen: '2026-10-20T08:00:00.000Z',
      ankomstdatum: '2026-10-20',
      beskrivning: 'Komplettering av slutrapport',
      filer: [files.put('Slutrapport komplett.docx', enc('hela rapporten, åäö'), 'docx')],
    });
    const pdf = await beslutPdf({
      text: 'Samordningsförbund Gävleborg\n\nBESLUT\n\nÄrende: SFG 26-1\n',
      titel: 'Beslut SFG 26-1.2',
      avgjord: '2026-11-02T10:00:00.000Z',
    });
    await register(3, {
      mottagen: '2026-11-02T10:00:00.000Z',
      ankomstdatum: '2026-11-02',
      kalla: 'upprattad',
      beskrivning: 'Beslut: slutrapport SFG 26-1.2 godkänd',
      filer: [files.put('Beslut SFG 26-1.2.pdf', pdf, 'pdf')],
    });
    await register(4, {
      mottagen: '2026-11-03T10:00:00.000Z',
      ankomstdatum: '2026-11-03',
      beskrivning: 'Felregistrerad',
    });
    await makuleraHandling({ repo, clock: () => new Date('2026-11-04T10:00:00Z') }, 'SFG 26-1.4', {
      skal: 'Registrerad två gånger',
      av: 'Kim Kansli',
    });

    const out: string[] = [];
    const io: CliIo = {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
      env: {},
      clock: () => new Date('2026-12-01T09:00:00Z'),
      repo,
      store: files.reader,
    };
    const ut = mkdtempSync(path.join(os.tmpdir(), 'arkiv-'));
    expect(
      await runDiariumCli(['arkivera', 'SFG 26-1', '--ut', path.join(ut, 'a'), '--av', 'Kim Kansli'], io),
    ).toBe(0);
    const dir = path.join(ut, 'a', 'SFG-26-1');
    const tree = treeOf(dir);
    expect(tree).toEqual([
      'METS.xml',
      'documentation/README.txt',
      'metadata/descriptive/diarium.xml',
      'metadata/preservation/logg.json',
      'representations/rep1/data/SFG-26-1.1/Slutrapport.docx',
      'representations/rep1/data/SFG-26-1.2/Slutrapport komplett.docx',
      'representations/rep1/data/SFG-26-1.3/Beslut SFG 26-1.2.pdf',
      'schemas/DILCISExtensionMETS.xsd',
      'schemas/mets.xsd',
      'schemas/xlink.xsd',
    ]);

    // The METS validates against the published schemas.
    const xmllint = execFileSync('xmllint', ['--noout', '--schema', XSD, path.join(dir, 'METS.xml')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(xmllint).toBe('');

    // Every file METS lists is there with its checksum and size, and every file but METS.xml is listed.
    const mets = readFileSync(path.join(dir, 'METS.xml'), 'utf8');
    const attr = (attrs: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(attrs)?.[1] ?? '';
    const listed = [
      ...mets.matchAll(/<mets:(?:mdRef|file) ([^>]*)>(?:\s*<mets:FLocat [^>]*xlink:href="([^"]+)")?/g),
    ].map(([, attrs, flocat]) => ({
      size: Number(attr(attrs!, 'SIZE')),
      checksum: attr(attrs!, 'CHECKSUM'),
      href: decodeURI(flocat ?? attr(attrs!, 'xlink:href')),
    }));
    expect(listed.map((l) => l.href).sort()).toEqual(tree.filter((t) => t !== 'METS.xml').sort());
    for (const l of listed) {
      const bytes = readFileSync(path.join(dir, l.href));
      expect(sha(bytes), l.href).toBe(l.checksum);
      expect(bytes.length).toBe(l.size);
    }
    const diarium = readFileSync(path.join(dir, 'metadata/descriptive/diarium.xml'), 'utf8');
    expect(diarium).toContain(
      '<makulerad av="Kim Kansli" tidpunkt="2026-11-04T10:00:00.000Z">Registrerad två gånger</makulerad>',
    );
    expect(diarium).toContain('<bedomning>ofullstandig</bedomning>');

    // Again: the same bytes, and the log says arkiverat once.
    expect(await runDiariumCli(['arkivera', '2026', '--ut', path.join(ut, 'b')], io)).toBe(0);
    const again = path.join(ut, 'b', 'SFG-26-1');
    for (const f of tree)
      expect(sha(readFileSync(path.join(again, f))), f).toBe(sha(readFileSync(path.join(dir, f))));
    const logg = (await repo.getArendeDetaljer('SFG 26-1'))?.logg ?? [];
    expect(logg.filter((e) => e.handelse === 'arende-arkiverat')).toHaveLength(1);
    expect(logg.at(-1)?.handelse).toBe('arende-arkiverat');
    expect(out.at(-1)).toContain('samma innehåll som förra arkiveringen');
  });
});
