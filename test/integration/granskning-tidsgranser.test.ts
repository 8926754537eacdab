import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/local-helpers.js';
import {
  FORBUNDSCHEF,
  GRUPP,
  KANSLI,
  LINK,
  decide,
  mailsTo,
  reviewerMails,
  startHarness,
  submitReport,
  waitForEnd,
  waitForLinks,
  type Harness,
} from './granskning-support.js';

let h: Harness;

beforeAll(async () => {
  // Three approvals needed, and waits of seconds: reminder after 4 s, escalation 4 s later, no decision 4 s after that.
  h = await startHarness({
    beslutPolicy: { typ: 'kvorum', antal: 3 },
    granskningTimeouts: { svarstid: 4, paminnelse: 4, eskalering: 4 },
  });
});

afterAll(async () => {
  await h.stop();
});

describe('granskning without enough answers', () => {
  it('reminds only those who have not answered, escalates to the förbundschef, and closes without a decision', async () => {
    const r = await submitReport(h, { organisation: 'Tystby kommun', from: 'tore.tid@tystby.example' });
    const first = await waitForLinks(h, r.diarienummer, 4);
    expect((await decide(first.get(GRUPP.karin)!, 'godkand')).status).toBe(200);

    const paminnelser = await waitFor(async () => {
      const m = (await reviewerMails(h, r.diarienummer)).filter((x) => x.subject.startsWith('Påminnelse: '));
      return m.length >= 3 ? m : undefined;
    }, 20_000);
    expect(paminnelser.map((m) => m.destination.to[0]).sort()).toEqual(
      [GRUPP.johan, GRUPP.lena, GRUPP.maria].sort(),
    );
    // New links, different from the first ones.
    for (const m of paminnelser) {
      const link = LINK.exec(m.body.text ?? '')?.[0];
      expect(link).toBeDefined();
      expect([...first.values()]).not.toContain(link);
    }

    const [eskalering] = await waitFor(async () => {
      const m = await mailsTo(h, FORBUNDSCHEF, `Granskning utan svar: ${r.diarienummer}`);
      return m.length > 0 ? m : undefined;
    }, 20_000);
    expect(eskalering?.body.text).toContain('Maria Exempelsson, Ovanåkers kommun');
    expect(eskalering?.body.text).not.toContain('Karin Prövare');

    const exec = await waitForEnd(h, r.diarienummer, 30_000);
    expect(exec.status).toBe('SUCCEEDED');
    expect(JSON.parse(exec.output ?? '{}')).toMatchObject({
      beslut: { utfall: 'inget-beslut' },
      avslut: { resultat: { utfall: 'inget-beslut' } },
    });
    const detaljer = await h.diarium.getArendeDetaljer(r.arende);
    expect(detaljer?.arende.status).toBe('oppet');
    expect(detaljer?.handlingar.find((x) => x.diarienummer === r.diarienummer)?.granskning).toBe(
      'inget-beslut',
    );
    expect(detaljer?.handlingar.find((x) => x.rapport.typ === 'beslut')?.beskrivning).toContain(
      'avslutad utan beslut',
    );
    const handelser = detaljer?.logg.map((e) => e.handelse) ?? [];
    expect(handelser).toEqual(
      expect.arrayContaining([
        'granskning-startad',
        'granskningsbeslut',
        'granskning-paminnelse',
        'granskning-eskalerad',
      ]),
    );
    expect(await mailsTo(h, KANSLI, `Granskning avslutad utan beslut – ${r.diarienummer}`)).toHaveLength(1);
    expect(await mailsTo(h, r.from, 'Granskning avslutad')).toHaveLength(0);
    // A link after the end: the granskning is over.
    const late = await fetch(first.get(GRUPP.maria)!);
    expect(late.status).toBe(200);
    expect(await late.text()).toContain('Granskningen är avslutad');
  });

  it('accepts decisions through the reminder links and resumes the waiting execution', async () => {
    const r = await submitReport(h, { organisation: 'Sentby kommun' });
    await waitForLinks(h, r.diarienummer, 4);
    const paminnelser = await waitFor(async () => {
      const m = (await reviewerMails(h, r.diarienummer)).filter((x) => x.subject.startsWith('Påminnelse: '));
      return m.length >= 4 ? m : undefined;
    }, 20_000);
    const lankar = paminnelser.map((m) => LINK.exec(m.body.text ?? '')?.[0] ?? '');
    for (const l of lankar.slice(0, 3)) expect((await decide(l, 'godkand')).status).toBe(200);
    const exec = await waitForEnd(h, r.diarienummer, 30_000);
    expect(JSON.parse(exec.output ?? '{}')).toMatchObject({ avslut: { resultat: { utfall: 'godkand' } } });
    expect(await mailsTo(h, FORBUNDSCHEF, r.diarienummer)).toHaveLength(0);
    expect((await h.diarium.getArende(r.arende))?.status).toBe('godkant');
  });
});
