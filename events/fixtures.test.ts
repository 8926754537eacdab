import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ingestSqsEventSchema, s3ObjectCreatedSchema } from './s3-object-created.js';
import { appEventSchema } from './handling-diarieford.js';
import {
  handlingLasningBegardSchema,
  ingestMessageSchema,
  isLasningBegard,
} from './handling-lasning-begard.js';
import { sesMailEventSchema } from './ses-mail-event.js';
import { granskningFinalizePayloadSchema, granskningTaskPayloadSchema } from './granskning.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(path.resolve(import.meta.dirname, 'fixtures', name), 'utf8'));

const cases: [string, z.ZodType][] = [
  ['s3-object-created.json', s3ObjectCreatedSchema],
  ['handling-diarieford.json', appEventSchema],
  ['granskning-begard.json', appEventSchema],
  ['granskning-task-payload.json', granskningTaskPayloadSchema],
  ['granskning-finalize-payload.json', granskningFinalizePayloadSchema],
  ['ses-email-bounced.json', sesMailEventSchema],
  ['ses-email-complaint.json', sesMailEventSchema],
  ['handling-lasning-begard.json', handlingLasningBegardSchema],
];

describe('every boundary event has a fixture its schema accepts', () => {
  it.each(cases)('%s', (name, schema) => {
    expect(schema.safeParse(fixture(name)).success).toBe(true);
  });

  it('accepts the S3 event wrapped in the SQS record the ingest receives', () => {
    const event = {
      Records: [{ messageId: 'm-1', body: JSON.stringify(fixture('s3-object-created.json')) }],
    };
    const parsed = ingestSqsEventSchema.parse(event);
    expect(s3ObjectCreatedSchema.parse(JSON.parse(parsed.Records[0]!.body)).detail.object.key).toMatch(
      /^raw\//,
    );
  });

  it('tells a reading asked for by the kansli from an S3 arrival on the ingest queue', () => {
    const begard = ingestMessageSchema.parse(fixture('handling-lasning-begard.json'));
    const s3 = ingestMessageSchema.parse(fixture('s3-object-created.json'));
    expect(isLasningBegard(begard)).toBe(true);
    expect(isLasningBegard(s3)).toBe(false);
  });

  it('rejects a task payload without its token', () => {
    const payload = { ...(fixture('granskning-task-payload.json') as Record<string, unknown>) };
    delete payload['taskToken'];
    expect(granskningTaskPayloadSchema.safeParse(payload).success).toBe(false);
  });
});
