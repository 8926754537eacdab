import { afterAll, describe, expect, it } from 'vitest';
import {
  GRUPP,
  decide,
  describe as describeExecution,
  mailsTo,
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

describe('a granskning waiting for decisions', () => {
  it('survives a restart of the local stack: the link mailed before the restart completes it', async () => {
    const opts = restartableGranskning('omstart');
    h = await startHarness(opts);
    const r = await submitReport(h, {
      organisation: 'Omstartsby kommun',
      from: 'rut.restart@omstartsby.example',
    });
    const links = await waitForLinks(h, r.diarienummer, 4);
    await waitFor(async () => (await h!.diarium.getArende(r.arende))?.status === 'under-granskning');
    h = await restartOnSameData(h, (ports) => startHarness({ ...opts, ports }));
    expect((await describeExecution(h, r.diarienummer)).status).toBe('RUNNING');
    const res = await decide(links.get(GRUPP.karin)!, 'godkand');
    expect(res.status).toBe(200);
    const exec = await waitForEnd(h, r.diarienummer);
    expect(exec.status).toBe('SUCCEEDED');
    expect(JSON.parse(exec.output ?? '{}')).toMatchObject({ avslut: { resultat: { utfall: 'godkand' } } });
    expect((await h.diarium.getArende(r.arende))?.status).toBe('godkant');
    // The replay sent nothing again: still one mail per reviewer (the outbox lives on in this process).
    expect(await reviewerMails(h, r.diarienummer)).toHaveLength(4);
    await waitFor(async () => (await mailsTo(h!, r.from, 'Slutrapport godkänd')).length === 1);
  }, 240_000);
});
