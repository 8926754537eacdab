import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/local-helpers.js';
import {
  GRUPP,
  decide,
  describe as describeExecution,
  mailsTo,
  startHarness,
  submitReport,
  waitForEnd,
  waitForLinks,
  type Harness,
} from './granskning-support.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    beslutPolicy: { typ: 'kvorum', antal: 2 },
    granskningTimeouts: { svarstid: 120, paminnelse: 60, eskalering: 60 },
  });
});

afterAll(async () => {
  await h.stop();
});

describe('granskning with a quorum of two approvals', () => {
  it('waits for the second approval, then approves', async () => {
    const r = await submitReport(h, { organisation: 'Kvorumby kommun' });
    const links = await waitForLinks(h, r.diarienummer, 4);
    expect((await decide(links.get(GRUPP.maria)!, 'godkand')).status).toBe(200);
    await new Promise((res) => setTimeout(res, 500));
    expect((await describeExecution(h, r.diarienummer)).status).toBe('RUNNING');
    expect((await h.granskningar.get(r.granskningId))?.status).toBe('pagar');
    expect((await decide(links.get(GRUPP.johan)!, 'godkand')).status).toBe(200);
    const exec = await waitForEnd(h, r.diarienummer);
    expect(exec.status).toBe('SUCCEEDED');
    expect(JSON.parse(exec.output ?? '{}')).toMatchObject({ avslut: { resultat: { utfall: 'godkand' } } });
    expect((await h.diarium.getArende(r.arende))?.status).toBe('godkant');
    const logg =
      (await h.diarium.getArendeDetaljer(r.arende))?.logg.filter((e) => e.handelse === 'granskningsbeslut') ??
      [];
    expect(logg.map((e) => e.av)).toEqual([
      'Maria Exempelsson (Ovanåkers kommun)',
      'Johan Demosson (Arbetsförmedlingen)',
    ]);
    // A third reviewer arriving late finds it decided.
    expect((await fetch(links.get(GRUPP.karin)!)).status).toBe(200);
    expect(await h.granskningar.listBeslut(r.granskningId)).toHaveLength(2);
  });

  it('lets any request for komplettering win, even after one approval', async () => {
    const r = await submitReport(h, {
      organisation: 'Invändningsby kommun',
      from: 'olle.oro@invandningsby.example',
    });
    const links = await waitForLinks(h, r.diarienummer, 4);
    expect((await decide(links.get(GRUPP.maria)!, 'godkand')).status).toBe(200);
    expect(
      (await decide(links.get(GRUPP.lena)!, 'komplettering', 'Målgruppen i 4.2 behöver beskrivas.')).status,
    ).toBe(200);
    const exec = await waitForEnd(h, r.diarienummer);
    expect(JSON.parse(exec.output ?? '{}')).toMatchObject({
      avslut: { resultat: { utfall: 'komplettering' } },
    });
    const [mail] = await waitFor(async () => {
      const m = await mailsTo(h, r.from, 'Komplettering begärd');
      return m.length > 0 ? m : undefined;
    });
    expect(mail?.body.text).toContain('Lena Fiktiv, Region Gävleborg: Målgruppen i 4.2 behöver beskrivas.');
    expect(mail?.body.text).toContain(r.arende);
    expect((await h.diarium.getArende(r.arende))?.status).toBe('komplettering-begard');
    // The upprättad decision lists both individual decisions.
    const beslut = (await h.diarium.getArendeDetaljer(r.arende))?.handlingar.find(
      (x) => x.kalla === 'upprattad' && x.rapport.typ === 'beslut',
    );
    expect(beslut?.rapport).toMatchObject({
      typ: 'beslut',
      utfall: 'komplettering',
      granskadHandling: r.diarienummer,
    });
    expect(beslut?.rapport.typ === 'beslut' ? beslut.rapport.beslut : []).toHaveLength(2);
  });
});
