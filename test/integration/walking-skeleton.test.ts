import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { startLocalStack, type LocalStack } from '../../local/aws/stack.js';
import { syntheticReportDocx } from '../support/synthetic-report.js';
import { makeDocumentClient } from '../../functions/adapters/dynamo-client.js';
import { DynamoDiariumRepository } from '../../functions/adapters/dynamo-diarium/repository.js';
import { outbox, sendMail, waitFor, waitForOutcome } from '../support/local-helpers.js';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'rapportflode-e2e-')),
    ports: { smtp: 0, s3: 0, dynamodb: 0, ses: 0, http: 0, aws: 0 },
    beslutPolicy: { typ: 'forsta' },
    log: (_level, m) => console.log(m),
  });
});

afterAll(async () => {
  await stack.stop();
});

describe('an e-mailed slutrapport travels from SMTP to a reviewer decision', () => {
  it('registers, acknowledges, asks the beredningsgrupp, and records one decision', async () => {
    const docx = await syntheticReportDocx({
      insatsnamn: 'Stegvis till arbete Exempelby',
      organisation: 'Exempelby kommun',
    });
    // 23:30 UTC on New Year's Eve is already 00:30 on New Year's Day in Stockholm.
    const key = await sendMail(stack, {
      from: 'sara.provperson@exempelby.example',
      subject: 'Slutrapport Stegvis till arbete',
      attachments: [{ filename: 'Slutrapport Exempelby.docx', content: docx }],
      receivedAt: '2025-12-31T23:30:00Z',
    });
    const outcome = await waitForOutcome(stack, key);
    expect(outcome.status).toBe('komplett');
    expect(outcome.diarienummer).toMatch(/^SFG 26-\d+\.1$/);

    const repo = new DynamoDiariumRepository(makeDocumentClient(stack.clientConfig('DYNAMODB')), {
      tableName: stack.table,
    });
    const handling = await repo.getHandling(outcome.diarienummer);
    expect(handling?.ankomstdatum).toBe('2026-01-01');
    expect(handling?.mottagen).toBe('2025-12-31T23:30:00.000Z');
    expect(handling?.filer.map((f) => f.filnamn)).toContain('Slutrapport Exempelby.docx');

    const kvittens = await waitFor(async () =>
      (await outbox(stack)).find(
        (m) =>
          m.destination.to.includes('sara.provperson@exempelby.example') && m.subject.includes('Kvittens'),
      ),
    );
    expect(kvittens.body.text).toContain(outcome.diarienummer);
    expect(kvittens.body.text).toContain('Ankomstdatum:');
    expect(kvittens.body.text).toContain('2026-01-01');

    const reviewerMails = await waitFor(async () => {
      const mails = (await outbox(stack)).filter((m) => m.subject.startsWith('Granskning av slutrapport'));
      return mails.length >= 1 ? mails : undefined;
    });
    const link = /http:\/\/127\.0\.0\.1:\d+\/beslut\/[A-Za-z0-9_-]{22}/.exec(
      reviewerMails[0]!.body.text ?? '',
    )?.[0];
    expect(link).toBeDefined();

    // A scanner's GET and HEAD change nothing.
    for (let i = 0; i < 3; i++) {
      const get = await fetch(link!);
      expect(get.status).toBe(200);
      expect(get.headers.get('cache-control')).toBe('no-store');
      expect(get.headers.get('referrer-policy')).toBe('no-referrer');
      expect(await get.text()).toContain('Godkänn');
      expect((await fetch(link!, { method: 'HEAD' })).status).toBe(200);
    }
    expect((await repo.getHandling(outcome.diarienummer))?.granskning).toBe('pagar');

    const page = await (await fetch(link!)).text();
    // The page's short-lived link opens the report file itself (a SigV4 link the S3 server checks).
    const reportUrl = /href="([^"]+)"[^>]*>Öppna rapporten/.exec(page)?.[1]?.replace(/&#38;/g, '&');
    expect(reportUrl).toBeDefined();
    const file = await fetch(reportUrl!);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(docx)).toBe(true);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
    expect(csrf).toBeDefined();
    const post = await fetch(link!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: csrf!, utfall: 'godkand', kommentar: '' }).toString(),
    });
    expect(post.status).toBe(200);
    expect(await post.text()).toContain('ditt beslut är registrerat');

    const again = await fetch(link!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: csrf!, utfall: 'komplettering', kommentar: 'Ändrat mig' }).toString(),
    });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('redan');

    const sfn = new SFNClient({
      endpoint: stack.urls.aws,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const execName = outcome.diarienummer.replace(/[^A-Za-z0-9]+/g, '-');
    const exec = await waitFor(async () => {
      const d = await sfn.send(
        new DescribeExecutionCommand({
          executionArn: `arn:aws:states:eu-west-1:000000000000:execution:Granskning:${execName}`,
        }),
      );
      return d.status === 'RUNNING' ? undefined : d;
    });
    expect(exec.status).toBe('SUCCEEDED');

    const utfall = await waitFor(async () =>
      (await outbox(stack)).find(
        (m) =>
          m.destination.to.includes('sara.provperson@exempelby.example') &&
          m.subject.startsWith('Slutrapport godkänd'),
      ),
    );
    expect(utfall.body.text).toContain(outcome.diarienummer);
    const arende = await repo.getArende(handling!.arende);
    expect(arende?.status).toBe('godkant');
    expect((await repo.getHandling(outcome.diarienummer))?.granskning).toBe('godkand');
  });
});
