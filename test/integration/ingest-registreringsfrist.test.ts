import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailContent } from '../../domain/extraction/types.js';
import { HANDELSE } from '../../domain/diarium/audit.js';
import { sourceKeyFor } from '../../domain/ingest/source-key.js';
import { syntheticReportText } from '../support/synthetic-report.js';
import { fakeIngest, startDiariumDb, type DiariumDb, ingestNow } from './diarium-support.js';

/**
 * A mail is in the diarium within its registration window however long its documents take to read (a heavy
 * scan's OCR): the handling is registered as `lases`, and the reading completes it afterwards.
 */
let db: DiariumDb;

beforeAll(async () => {
  db = await startDiariumDb();
});

afterAll(async () => {
  await db.stop();
});

/** A reading the test lets finish when it chooses, as a slow OCR would. */
function heldReading() {
  let release: (c: MailContent) => void = () => undefined;
  const content = new Promise<MailContent>((resolve) => {
    release = resolve;
  });
  return { content, release };
}

async function setup() {
  const table = await db.newTable();
  const repo = db.repo(table);
  const ingest = fakeIngest(repo);
  const held = heldReading();
  let reads = 0;
  const deps = {
    ...ingest.deps,
    extractor: {
      ...ingest.deps.extractor,
      readMail: () => {
        reads++;
        return held.content;
      },
    },
    config: { ...ingest.deps.config, registreringsfristMs: 20 },
  };
  const obj = ingest.deliver({
    messageId: 'skanning-1@exempelby.example',
    from: 'sara.provperson@exempelby.example',
    subject: 'Slutrapport Stegvis till arbete (skannad)',
    receivedAt: '2026-02-02T09:00:00Z',
  });
  const raw = ingest.objects.get(obj.key);
  if (!raw) throw new Error('testmejlet saknas');
  const registeredHandling = () => repo.findBySource(sourceKeyFor('epost', raw));
  return { repo, deps, obj, held, ingest, registeredHandling, reads: () => reads };
}

describe('registration does not wait for a slow reading', () => {
  it('registers the mail as being read before its scan is read, then completes it and sends one kvittens', async () => {
    const { repo, deps, obj, held, ingest, registeredHandling } = await setup();
    const outcome = ingestNow(deps, obj);

    // The reading is still held: the handling must already be in the diarium.
    const registered = await waitFor(registeredHandling);
    expect(registered.bedomning).toBe('lases');
    expect(registered.ankomstdatum).toBe('2026-02-02');
    expect(registered.kvittens).toBeNull();
    expect(ingest.sent).toHaveLength(0);
    expect(ingest.published).toHaveLength(0);

    held.release({
      report: { source: 'brodtext', format: 'pdf-ocr', text: syntheticReportText({}) },
      problems: [],
    });
    const done = await outcome;
    expect(done.handling.diarienummer).toBe(registered.diarienummer);
    expect(done.handling.bedomning).toBe('komplett');
    expect(done.handling.beskrivning).toMatch(/^Slutrapport – Stegvis till arbete Exempelby/);
    expect(done.kvittens).toBe('skickad');
    expect(ingest.sent).toHaveLength(1);
    expect(ingest.published.map((e) => e.granskning)).toEqual(['pagar']);

    const d = await repo.getArendeDetaljer(registered.arende);
    expect(d?.logg.map((e) => e.handelse)).toContain(HANDELSE.handlingLast);
  });

  it('finishes the reading on a retry after the invocation died with the handling registered but unread', async () => {
    const { deps, obj, ingest, registeredHandling } = await setup();
    // First invocation: registers, then "dies" while reading (its promise is abandoned).
    void ingestNow(deps, obj);
    const registered = await waitFor(registeredHandling);
    expect(registered.bedomning).toBe('lases');

    // The retry (SQS redelivery) reads with a working extractor and completes the same handling.
    const retry = await ingestNow(
      {
        ...deps,
        extractor: {
          ...deps.extractor,
          readMail: () =>
            Promise.resolve({
              report: { source: 'brodtext', format: 'pdf-ocr', text: syntheticReportText({}) },
              problems: [],
            }),
        },
      },
      obj,
    );
    expect(retry.skapad).toBe(false);
    expect(retry.handling.diarienummer).toBe(registered.diarienummer);
    expect(retry.handling.bedomning).toBe('komplett');
    expect(retry.kvittens).toBe('skickad');
    expect(ingest.sent).toHaveLength(1);
  });
});

async function waitFor<T>(probe: () => Promise<T | null>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('väntade förgäves');
}
