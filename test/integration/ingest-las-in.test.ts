import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDELSE } from '../../domain/diarium/audit.js';
import { LAS_IN_MANUELLT, registreraHandling } from '../../domain/diarium/registrera.js';
import type { DocumentFormat } from '../../domain/extraction/types.js';
import { lasInHandling } from '../../domain/ingest/las-in.js';
import { syntheticReportText } from '../support/synthetic-report.js';
import { fakeIngest, startDiariumDb, type DiariumDb } from './diarium-support.js';

/**
 * A paper slutrapport registered by hand is read when the kansli asks (HandlingLasningBegard): the use case on
 * the real repository (DynamoDB Local) with the ingest's in-memory S3, mail and events and a scripted reader.
 */
let db: DiariumDb;

beforeAll(async () => {
  db = await startDiariumDb();
});

afterAll(async () => {
  await db.stop();
});

const PDF = new Uint8Array(Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n'));
const AV = 'Rita Registrator <registrator@kansli.example> [sub-reg]';

async function setup(opts: { text: string; format?: DocumentFormat; epost?: string }) {
  const table = await db.newTable();
  const repo = db.repo(table);
  const ingest = fakeIngest(repo);
  const lasta: string[] = [];
  const deps = {
    ...ingest.deps,
    extractor: {
      ...ingest.deps.extractor,
      extractDocument: (bytes: Uint8Array, filnamn: string) => {
        lasta.push(`${filnamn}:${bytes.byteLength}`);
        return Promise.resolve({ format: opts.format ?? 'pdf-ocr', text: opts.text, problems: [] });
      },
    },
  };
  const { handling } = await registreraHandling(
    {
      registry: repo,
      reader: repo,
      insatser: repo,
      documents: ingest.deps.store,
      clock: ingest.deps.clock,
      serie: 'SFG',
      maxFilstorlek: 10 * 1024 * 1024,
    },
    {
      typ: 'inkommen',
      namn: 'Sara Provperson',
      organisation: 'Exempelby kommun (registrerad)',
      epost: opts.epost ?? '',
      postadress: 'Storgatan 1, 811 00 Exempelby',
      datum: '2026-03-02',
      beskrivning: 'Slutrapport på papper – Stegvis till arbete',
      arende: '',
      arendemening: 'Slutrapport – Stegvis till arbete',
      insats: '',
      klass: 'slutrapport',
      satt: '',
      fil: { filnamn: 'skanning.pdf', bytes: PDF },
      nyckel: `test-nyckel-${table}`,
      av: AV,
    },
  );
  const logg = async () => (await repo.getArendeDetaljer(handling.arende))!.logg;
  return { repo, ingest, deps, handling, lasta, logg };
}

describe('reading a paper report registered by hand', () => {
  it('reads the filed scan, keeps what the registrator entered, removes the flag and starts the granskning', async () => {
    const { deps, handling, ingest, lasta, logg } = await setup({ text: syntheticReportText({}) });
    expect(handling.bedomning).toBe('lases');
    expect(handling.flaggor).toContain(LAS_IN_MANUELLT);

    const r = await lasInHandling(deps, { diarienummer: handling.diarienummer, av: AV });

    expect(r.utfall).toBe('last');
    expect(lasta).toEqual([`skanning.pdf:${PDF.byteLength}`]);
    const h = r.utfall === 'last' ? r.outcome.handling : null;
    expect(h?.bedomning).toBe('komplett');
    expect(h?.granskning).toBe('pagar');
    expect(h?.flaggor).not.toContain(LAS_IN_MANUELLT);
    expect(h?.flaggor).toContain('papper');
    // The registrator's entries stand over what OCR read.
    expect(h?.avsandare).toEqual(handling.avsandare);
    expect(h?.beskrivning).toBe('Slutrapport på papper – Stegvis till arbete');
    expect(h?.klassning).toEqual(handling.klassning);
    expect(h?.kalla).toBe('papper');
    expect(h?.filer[0]?.rapport).toBe(true);
    expect(h?.rapport.typ).toBe('slutrapport');
    // The completion the ingest writes for a late reading, naming the person who asked.
    const last = (await logg()).filter((l) => l.handelse === HANDELSE.handlingLast);
    expect(last).toHaveLength(1);
    expect(last[0]!.av).toBe(AV);
    expect(ingest.published).toEqual([
      expect.objectContaining({
        diarienummer: handling.diarienummer,
        bedomning: 'komplett',
        granskning: 'pagar',
      }),
    ]);
    // No e-post entered: the sender wrote on paper and gets no mail; only the kansli's OCR notice, if any.
    expect(ingest.sent.every((m) => m.to.every((t) => t === deps.config.kansliEmail))).toBe(true);
  });

  it('does nothing twice: a redelivered request finds the handling read', async () => {
    const { deps, handling, ingest, lasta, logg } = await setup({ text: syntheticReportText({}) });
    await lasInHandling(deps, { diarienummer: handling.diarienummer, av: AV });
    const efterForsta = {
      logg: (await logg()).length,
      sent: ingest.sent.length,
      published: ingest.published.length,
    };

    const igen = await lasInHandling(deps, { diarienummer: handling.diarienummer, av: AV });

    expect(igen).toEqual({ utfall: 'avvisad', orsak: 'Handlingen är redan inläst.' });
    expect(lasta).toHaveLength(1);
    expect((await logg()).length).toBe(efterForsta.logg);
    expect(ingest.sent).toHaveLength(efterForsta.sent);
    expect(ingest.published).toHaveLength(efterForsta.published);
  });

  it('holds a report with a personnummer for the kansli’s sekretessprövning', async () => {
    const text = `${syntheticReportText({})}\nDeltagare 19121212-1212 har fått stöd.`;
    const { deps, handling, ingest } = await setup({ text });

    const r = await lasInHandling(deps, { diarienummer: handling.diarienummer, av: AV });

    const h = r.utfall === 'last' ? r.outcome.handling : null;
    expect(h?.sekretess).toBe(true);
    expect(h?.granskning).toBe('vantar-pa-kansliet');
    expect(h?.flaggor).toEqual(expect.arrayContaining(['personnummer', 'sekretessprovning']));
    expect(
      ingest.sent.some((m) => m.to.includes(deps.config.kansliEmail) && /Sekretessprövning/.test(m.subject)),
    ).toBe(true);
  });

  it('starts no granskning for an incomplete report, lists what is missing and answers the e-post entered', async () => {
    const { deps, handling, ingest } = await setup({
      text: syntheticReportText({ utanAvsnitt8: true }),
      epost: 'sara.provperson@exempelby.example',
    });

    const r = await lasInHandling(deps, { diarienummer: handling.diarienummer, av: AV });

    const h = r.utfall === 'last' ? r.outcome.handling : null;
    expect(h?.bedomning).toBe('ofullstandig');
    expect(h?.granskning).toBe('ej-aktuell');
    expect(h?.fel.length).toBeGreaterThan(0);
    const kvittens = ingest.sent.filter((m) => m.to.includes('sara.provperson@exempelby.example'));
    expect(kvittens).toHaveLength(1);
    expect(r.utfall === 'last' ? r.outcome.kvittens : null).toBe('skickad');
  });

  it('refuses a handling that does not exist without an error, and changes nothing', async () => {
    const { deps, repo, handling } = await setup({ text: syntheticReportText({}) });
    await lasInHandling(deps, { diarienummer: handling.diarienummer, av: AV });
    const inlast = await repo.getHandling(handling.diarienummer);

    expect(await lasInHandling(deps, { diarienummer: 'SFG 26-999.1', av: AV })).toEqual({
      utfall: 'avvisad',
      orsak: 'Handlingen finns inte i diariet.',
    });
    expect(await repo.getHandling(handling.diarienummer)).toEqual(inlast);
  });
});
