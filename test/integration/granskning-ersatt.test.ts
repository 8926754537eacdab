import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, waitFor } from '../support/local-helpers.js';
import {
  describe as describeExecution,
  openForm,
  post,
  startHarness,
  submitReport,
  waitForEnd,
  waitForLinks,
  type Harness,
} from './granskning-support.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    beslutPolicy: { typ: 'forsta' },
    granskningTimeouts: { svarstid: 300, paminnelse: 300, eskalering: 300 },
  });
});

afterAll(async () => {
  await h.stop();
});

describe('a new version of a report under review', () => {
  it('ends the earlier granskning as replaced, tells its members once, and reviews the new one', async () => {
    const organisation = 'Versionsby kommun';
    const v1 = await submitReport(h, { organisation, insatsnamn: 'Andra chansen Versionsby' });
    const links1 = await waitForLinks(h, v1.diarienummer, 1);
    await waitFor(async () =>
      (await h.diarium.getHandling(v1.diarienummer))?.granskning === 'pagar' ? true : undefined,
    );
    // A member has the page open (and its CSRF value) when the new version arrives.
    const [member, link] = [...links1.entries()][0]!;
    const { csrf } = await openForm(link);
    expect(csrf).not.toBeNull();

    const v2 = await submitReport(h, {
      from: v1.from,
      organisation,
      insatsnamn: 'Andra chansen Versionsby (rättad)',
      subject: `Ny version av slutrapporten ${v1.arende}`,
    });
    expect(v2.arende).toBe(v1.arende);
    expect((await h.diarium.getHandling(v2.diarienummer))?.klassning?.klass).toBe('ny-version');

    // The old workflow is resumed and finishes; its granskning is closed as replaced.
    const end = await waitForEnd(h, v1.diarienummer);
    expect(end.status).toBe('SUCCEEDED');
    const gammal = await h.granskningar.get(v1.granskningId);
    expect(gammal).toMatchObject({ status: 'avgjord', utfall: 'ersatt' });
    expect((await h.diarium.getHandling(v1.diarienummer))?.granskning).toBe('ej-aktuell');

    // Every member of the old granskning is told once, by the new version's diarienummer.
    const medlemmar = gammal!.granskare.length;
    const ersattMail = async () =>
      (await outbox(h.stack)).filter((m) =>
        m.subject.includes(`Granskningen avslutad: ${v1.diarienummer} ersatt`),
      );
    await waitFor(async () => ((await ersattMail()).length >= medlemmar ? true : undefined));
    await new Promise((r) => setTimeout(r, 1500));
    const mails = await ersattMail();
    expect(mails).toHaveLength(medlemmar);
    expect(new Set(mails.map((m) => m.destination.to[0])).size).toBe(medlemmar);
    expect(mails.map((m) => m.destination.to[0])).toContain(member);
    expect(mails[0]!.body.text).toContain(`Rapporten har ersatts av en ny version (${v2.diarienummer})`);

    // The old link says so, offers nothing to press, and refuses an answer.
    const page = await openForm(link);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`Rapporten har ersatts av en ny version (${v2.diarienummer})`);
    expect(page.html).not.toMatch(/<form|<button/);
    const res = await post(link, { csrf: csrf!, utfall: 'godkand', kommentar: '' });
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('Rapporten har ersatts');
    expect(await h.granskningar.listBeslut(v1.granskningId)).toEqual([]);

    // The new version's granskning runs: its own links, still open, the ärende under review.
    const links2 = await waitForLinks(h, v2.diarienummer, medlemmar);
    expect(links2.size).toBe(medlemmar);
    expect((await h.granskningar.get(v2.granskningId))?.status).toBe('pagar');
    expect((await describeExecution(h, v2.diarienummer)).status).toBe('RUNNING');
    expect((await h.diarium.getArende(v1.arende))?.status).toBe('under-granskning');
  });
});
