import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalStack, type LocalStack } from '../../local/aws/stack.js';
import { syntheticReportDocx } from '../support/synthetic-report.js';
import { makeDocumentClient } from '../../functions/adapters/dynamo-client.js';
import { DynamoDiariumRepository } from '../../functions/adapters/dynamo-diarium/repository.js';
import { sendMail, waitFor, waitForOutcome } from '../support/local-helpers.js';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'rapportflode-expedierade-')),
    ports: { smtp: 0, s3: 0, dynamodb: 0, ses: 0, http: 0, aws: 0 },
    beslutPolicy: { typ: 'forsta' },
    log: () => undefined,
  });
});

afterAll(async () => {
  await stack.stop();
});

describe('expedierade handlingar on the local stack (each function with its own role)', () => {
  it('keeps the kvittens as an expedierad handling and each invitation, without its link, noted on the ärende', async () => {
    const docx = await syntheticReportDocx({
      insatsnamn: 'Stegvis till arbete',
      organisation: 'Exempelby kommun',
    });
    const key = await sendMail(stack, {
      from: 'sara.provperson@exempelby.example',
      subject: 'Slutrapport Stegvis till arbete',
      attachments: [{ filename: 'Slutrapport.docx', content: docx }],
      receivedAt: '2026-11-24T08:00:00Z',
    });
    const outcome = await waitForOutcome(stack, key);
    const repo = new DynamoDiariumRepository(makeDocumentClient(stack.clientConfig('DYNAMODB')), {
      tableName: stack.table,
    });
    const arende = (await repo.getHandling(outcome.diarienummer))!.arende;
    const s3 = new S3Client(stack.clientConfig('S3'));
    const bytesOf = async (nyckel: string) =>
      new Uint8Array(
        await (
          await s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: nyckel }))
        ).Body!.transformToByteArray(),
      );

    const kvittens = await waitFor(async () =>
      (await repo.getArendeDetaljer(arende))?.handlingar.find((h) => h.flaggor.includes('expedierad')),
    );
    expect(kvittens.kalla).toBe('upprattad');
    expect(kvittens.beskrivning).toMatch(/^Expedierad: Kvittens /);
    const [fil] = kvittens.filer;
    const eml = await bytesOf(fil!.nyckel);
    expect(createHash('sha256').update(eml).digest('hex')).toBe(fil!.sha256);
    expect(Buffer.from(eml).toString('utf8')).toContain('To: sara.provperson@exempelby.example');

    const inbjudan = await waitFor(async () =>
      (await repo.getArendeDetaljer(arende))?.logg.find((e) => e.handelse === 'granskningsinbjudan-skickad'),
    );
    const kept = Buffer.from(await bytesOf(String(inbjudan.data['nyckel']))).toString('utf8');
    const decoded = kept
      .split('\r\n\r\n')
      .slice(2)
      .map((part) => Buffer.from(part.split('\r\n--')[0]!.replace(/\r\n/g, ''), 'base64').toString('utf8'))
      .join('\n');
    expect(decoded).toContain('[personlig länk borttagen]');
    expect(decoded).not.toMatch(/\/beslut\/[A-Za-z0-9_-]{22}/);
    // Invitations are not handlingar: nothing of them in the diarium list or the postlista.
    const handlingar = (await repo.getArendeDetaljer(arende))?.handlingar ?? [];
    expect(handlingar.filter((h) => h.beskrivning.includes('Granskning av slutrapport'))).toEqual([]);
  });
});
