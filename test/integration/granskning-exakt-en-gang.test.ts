import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDocumentClient } from '../../functions/adapters/dynamo-client.js';
import { keys } from '../../functions/adapters/dynamo-keys.js';
import {
  GRUPP,
  LINK,
  decide,
  openForm,
  reviewerMails,
  startHarness,
  submitReport,
  waitForEnd,
  waitForLinks,
  type Harness,
} from './granskning-support.js';
import { waitFor } from '../support/local-helpers.js';
import { restartOnSameData, restartableGranskning } from '../support/restart.js';

let h: Harness | undefined;

afterAll(async () => {
  await h?.stop();
});

interface Journal {
  tasks: { state: string; notified?: boolean }[];
}

/**
 * Puts the stack in the state of a process killed after the notify Lambda ran but before the journal recorded
 * it: the next start replays the execution and runs the notify task again.
 */
function forgetNotified(file: string): void {
  const j = JSON.parse(readFileSync(file, 'utf8')) as Journal;
  const task = j.tasks.find((t) => t.state === 'NotifieraBeredningsgrupp');
  if (!task?.notified) throw new Error('Journalen har ingen avslutad notifiering');
  delete task.notified;
  writeFileSync(file, JSON.stringify(j));
}

const notifiedAgain = (file: string) =>
  waitFor(() =>
    Promise.resolve(
      (JSON.parse(readFileSync(file, 'utf8')) as Journal).tasks.some(
        (t) => t.state === 'NotifieraBeredningsgrupp' && t.notified,
      ),
    ),
  );

/** Recipient → number of reviewer mails. */
async function mailCount(h: Harness, diarienummer: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const m of await reviewerMails(h, diarienummer)) {
    const to = m.destination.to[0] ?? '';
    counts.set(to, (counts.get(to) ?? 0) + 1);
  }
  return counts;
}

describe('starting a granskning and mailing its links', () => {
  it('is done once across a crash before the journal records the notify task', async () => {
    const opts = restartableGranskning('exakt-en-gang');
    const { dataDir } = opts;
    h = await startHarness(opts);
    const r = await submitReport(h, { organisation: 'Kraschby kommun', from: 'kim.krasch@kraschby.example' });
    const links = await waitForLinks(h, r.diarienummer, 4);
    const journal = path.join(dataDir, 'stepfunctions', 'executions', `${r.granskningId}.json`);
    await notifiedAgain(journal);
    const g = await h.granskningar.get(r.granskningId);
    expect(g?.utfort?.filter((u) => u.startsWith('notifiera:mail:'))).toHaveLength(4);
    // 1. Links created and mails marked sent, the journal not told: the replay sends nothing and makes no link.
    const restart = (running: Harness) =>
      restartOnSameData(
        running,
        (ports) => startHarness({ ...opts, ports }),
        () => forgetNotified(journal),
      );
    h = await restart(h);
    await notifiedAgain(journal);
    const counts = await mailCount(h, r.diarienummer);
    expect([...counts.values()]).toEqual([1, 1, 1, 1]);
    for (const link of links.values()) expect((await openForm(link)).csrf).not.toBeNull();

    // 2. Also one member's mail not marked sent (the process died between SES's answer and the mark): that
    // member alone gets a fresh link, and the old one is revoked, never a second valid set.
    const johan = g?.granskare.find((m) => m.epost === GRUPP.johan);
    if (!johan) throw new Error('Johan saknas i beredningsgruppen');
    await makeDocumentClient(h.stack.clientConfig('DYNAMODB')).send(
      new UpdateCommand({
        TableName: h.stack.table,
        Key: keys.granskning(r.granskningId),
        UpdateExpression: 'DELETE utfort :s',
        ExpressionAttributeValues: { ':s': new Set([`notifiera:mail:${johan.id}`]) },
      }),
    );
    h = await restart(h);
    await notifiedAgain(journal);
    const toJohan = await waitFor(async () => {
      const m = (await reviewerMails(h!, r.diarienummer)).filter((x) => x.destination.to[0] === GRUPP.johan);
      return m.length === 2 ? m : undefined;
    });
    expect(await mailCount(h, r.diarienummer)).toEqual(new Map([...counts, [GRUPP.johan, 2]]));
    const oldLink = links.get(GRUPP.johan)!;
    const newLink = LINK.exec(toJohan[1]?.body.text ?? '')?.[0];
    expect(newLink).toBeDefined();
    expect(newLink).not.toBe(oldLink);
    expect((await openForm(oldLink)).status).toBe(410);
    for (const [to, link] of links) {
      if (to !== GRUPP.johan) expect((await openForm(link)).csrf).not.toBeNull();
    }
    expect((await decide(newLink!, 'godkand')).status).toBe(200);
    expect((await waitForEnd(h, r.diarienummer)).status).toBe('SUCCEEDED');
    expect((await h.granskningar.get(r.granskningId))?.utfort).toContain(`notifiera:mail:${johan.id}`);
  }, 300_000);
});
