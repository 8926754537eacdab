import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/aws/stack.js';
import { makeDocumentClient } from '../../functions/adapters/dynamo-client.js';
import { DynamoDiariumRepository } from '../../functions/adapters/dynamo-diarium/repository.js';
import { outbox, sendMail, waitForOutcome } from '../support/local-helpers.js';
import { syntheticReportDocx } from '../support/synthetic-report.js';

let stack: LocalStack | undefined;

afterAll(async () => {
  await stack?.stop();
});

async function registered(s: LocalStack, keys: string[]): Promise<Map<string, number>> {
  const repo = new DynamoDiariumRepository(makeDocumentClient(s.clientConfig('DYNAMODB')), {
    tableName: s.table,
  });
  const year = new Date().getUTCFullYear();
  const all = await repo.listDiarium(`${year - 1}-01-01`, `${year + 1}-12-31`);
  return new Map(keys.map((k) => [k, all.filter((h) => h.kallaReferens.endsWith(k)).length]));
}

describe('mail accepted by SMTP when the stack stops before the ingest', () => {
  it('is registered exactly once, with one kvittens, after a restart', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rapportflode-ingest-omstart-'));
    // The stacks' log is shown only if the test fails: an ingest that gave up says why there.
    const lines: string[] = [];
    onTestFailed(() => console.log(lines.join('\n')));
    const opts: LocalStackOptions = {
      dataDir,
      ports: { smtp: 0, s3: 0, dynamodb: 0, ses: 0, http: 0, aws: 0 },
      log: (level, m) => lines.push(`${new Date().toISOString()} ${level} ${m}`),
    };
    // The ingest never runs: as a crash right after SMTP's 250 (the in-memory queue is lost with the process).
    stack = await startLocalStack({ ...opts, ingestPaused: true });
    const senders = [1, 2, 3].map((i) => `avsandare${i}@omstartsby.example`);
    const keys: string[] = [];
    for (const [i, from] of senders.entries()) {
      const docx = await syntheticReportDocx({
        insatsnamn: `Omstart ${i + 1}`,
        organisation: `Omstartsby ${i + 1} kommun`,
      });
      keys.push(
        await sendMail(stack, {
          from,
          subject: `Slutrapport Omstart ${i + 1}`,
          attachments: [{ filename: 'Slutrapport.docx', content: docx }],
        }),
      );
    }
    expect(stack.outcomes.size).toBe(0);
    const ports = stack.ports;
    await stack.stop();
    stack = undefined;

    // Same data and ports; the start-up reconciliation re-drives what was stored.
    stack = await startLocalStack({ ...opts, ports });
    expect((await stack.reconciled)?.saknade.sort()).toEqual([...keys].sort());
    for (const key of keys) {
      const outcome = await waitForOutcome(stack, key);
      expect(outcome.kvittens).toBe('skickad');
    }
    expect([...(await registered(stack, keys)).values()]).toEqual([1, 1, 1]);
    await stack.stop();
    stack = undefined;

    // Another restart finds nothing missing and does nothing twice.
    stack = await startLocalStack({ ...opts, ports });
    expect((await stack.reconciled)?.saknade).toEqual([]);
    expect([...(await registered(stack, keys)).values()]).toEqual([1, 1, 1]);
    const mails = await outbox(stack);
    for (const from of senders) {
      expect(mails.filter((m) => m.destination.to.includes(from))).toHaveLength(1);
    }
  }, 240_000);
});
