import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendMail, waitFor, waitForOutcome } from '../support/local-helpers.js';
import { syntheticReportLines } from '../support/synthetic-report.js';
import { evaluate, granskningIdFor } from '../../domain/granskning/policy.js';
import {
  GRUPP,
  decide,
  mailsTo,
  openForm,
  post,
  startHarness,
  submitReport,
  waitForEnd,
  waitForLinks,
  type Harness,
} from './granskning-support.js';

/** A quorum of two approvals; any request for komplettering decides at once. */
let h: Harness;
const POLICY = { typ: 'kvorum', antal: 2 } as const;

beforeAll(async () => {
  h = await startHarness({
    beslutPolicy: POLICY,
    granskningTimeouts: { svarstid: 120, paminnelse: 60, eskalering: 60 },
  });
});

afterAll(async () => {
  await h.stop();
});

async function allAtOnce(
  links: Map<string, string>,
  svar: Record<string, { utfall: string; kommentar?: string }>,
): Promise<Map<string, Response>> {
  const forms = await Promise.all(
    Object.keys(svar).map(async (m) => [m, (await openForm(links.get(m)!)).csrf!] as const),
  );
  return new Map(
    await Promise.all(
      forms.map(async ([m, csrf]) => {
        const s = svar[m]!;
        return [
          m,
          await post(links.get(m)!, { csrf, utfall: s.utfall, kommentar: s.kommentar ?? '' }),
        ] as const;
      }),
    ),
  );
}

describe('answers at the same moment with a quorum of two', () => {
  it('counts exactly two of four simultaneous approvals; the other two are refused with the outcome', async () => {
    const r = await submitReport(h, { organisation: 'Kvorumsamtidig kommun' });
    const links = await waitForLinks(h, r.diarienummer, 4);
    const res = await allAtOnce(links, {
      [GRUPP.maria]: { utfall: 'godkand' },
      [GRUPP.karin]: { utfall: 'godkand' },
      [GRUPP.johan]: { utfall: 'godkand' },
      [GRUPP.lena]: { utfall: 'godkand' },
    });
    expect([...res.values()].map((x) => x.status).sort()).toEqual([200, 200, 409, 409]);
    const beslut = await h.granskningar.listBeslut(r.granskningId);
    expect(beslut).toHaveLength(2);
    for (const [m, x] of res) {
      if (beslut.some((b) => b.granskareId === m)) continue;
      expect(await x.text()).toContain('Utfall: Godkänd');
    }
    const exec = await waitForEnd(h, r.diarienummer);
    expect(JSON.parse(exec.output ?? '{}')).toMatchObject({ avslut: { resultat: { utfall: 'godkand' } } });
  });

  it('never counts an answer after the rule decided: the outcome follows exactly the answers recorded', async () => {
    const r = await submitReport(h, { organisation: 'Blandsamtidig kommun' });
    const links = await waitForLinks(h, r.diarienummer, 4);
    const res = await allAtOnce(links, {
      [GRUPP.maria]: { utfall: 'godkand' },
      [GRUPP.karin]: { utfall: 'komplettering', kommentar: 'Målen i 5.1 saknas.' },
      [GRUPP.johan]: { utfall: 'godkand' },
      [GRUPP.lena]: { utfall: 'godkand' },
    });
    const beslut = await h.granskningar.listBeslut(r.granskningId);
    const utfall = evaluate(beslut, POLICY, 4);
    expect(utfall).not.toBeNull();
    // Every answer but the deciding one left the rule undecided: nothing was counted after the decision.
    const ordning = [...beslut].sort((a, b) => a.tidpunkt.localeCompare(b.tidpunkt));
    expect(evaluate(ordning.slice(0, -1), POLICY, 4)).toBeNull();
    const ok = [...res].filter(([, x]) => x.status === 200).map(([m]) => m);
    expect(ok.sort()).toEqual(beslut.map((b) => b.granskareId).sort());
    expect([...res.values()].filter((x) => x.status === 409)).toHaveLength(4 - beslut.length);
    const exec = await waitForEnd(h, r.diarienummer);
    expect(JSON.parse(exec.output ?? '{}')).toMatchObject({ avslut: { resultat: { utfall } } });
    // The beslut shows every counted answer, and only those.
    const doc = (await h.diarium.getArendeDetaljer(r.arende))?.handlingar.find(
      (x) => x.kalla === 'upprattad' && x.rapport.typ === 'beslut',
    );
    expect(doc?.rapport).toMatchObject({ typ: 'beslut', utfall });
    expect(doc?.rapport.typ === 'beslut' ? doc.rapport.beslut.length : -1).toBe(beslut.length);
  });
});

describe('jäv with a quorum', () => {
  it('counts the quorum among the members without jäv: three declare jäv, one approval decides', async () => {
    const r = await submitReport(h, { organisation: 'Jävkvorum kommun' });
    const links = await waitForLinks(h, r.diarienummer, 4);
    for (const [m, skal] of [
      [GRUPP.karin, 'Jag sitter i insatsens styrgrupp.'],
      [GRUPP.johan, 'Min avdelning har drivit insatsen.'],
    ] as const) {
      const { csrf } = await openForm(links.get(m)!);
      expect((await post(links.get(m)!, { csrf: csrf!, utfall: 'jav', javskal: skal })).status).toBe(200);
    }
    const page = await (await fetch(links.get(GRUPP.maria)!)).text();
    expect(page).toContain('2 av 4 ledamöter har svarat.');
    expect(page).toContain('2 godkännanden krävs. 2 godkännanden till behövs');
    const { csrf } = await openForm(links.get(GRUPP.lena)!);
    await post(links.get(GRUPP.lena)!, { csrf: csrf!, utfall: 'jav', javskal: 'Anställd i projektet.' });
    expect((await h.granskningar.get(r.granskningId))?.status).toBe('pagar');
    const after = await (await fetch(links.get(GRUPP.maria)!)).text();
    expect(after).toContain('Ett godkännande krävs. Ett godkännande till behövs');
    expect((await decide(links.get(GRUPP.maria)!, 'godkand')).status).toBe(200);
    const exec = await waitForEnd(h, r.diarienummer);
    expect(JSON.parse(exec.output ?? '{}')).toMatchObject({ avslut: { resultat: { utfall: 'godkand' } } });
    const doc = (await h.diarium.getArendeDetaljer(r.arende))?.handlingar.find(
      (x) => x.kalla === 'upprattad' && x.rapport.typ === 'beslut',
    );
    expect(doc?.rapport.typ === 'beslut' ? doc.rapport.beslut.map((b) => b.utfall).sort() : []).toEqual([
      'godkand',
      'jav',
      'jav',
      'jav',
    ]);
  });
});

describe('a second round after komplettering', () => {
  it('shows the earlier decision, its comments and which sections and figures differ', async () => {
    const r = await submitReport(h, { organisation: 'Andraomgång kommun', insatsnamn: 'Andra omgången' });
    const links = await waitForLinks(h, r.diarienummer, 4);
    expect(
      (
        await decide(
          links.get(GRUPP.lena)!,
          'komplettering',
          'Måluppfyllelsen i 5.1 måste beskrivas med siffror.',
        )
      ).status,
    ).toBe(200);
    await waitForEnd(h, r.diarienummer);
    await waitFor(async () => {
      const m = await mailsTo(h, r.from, 'Komplettering begärd');
      return m.length > 0 ? m : undefined;
    });
    // The insatsägare answers the komplettering mail with the completed report pasted in the body.
    const lines = syntheticReportLines({
      insatsnamn: 'Andra omgången',
      organisation: 'Andraomgång kommun',
      beviljade: '500 000 kr',
      utnyttjade: '500 000 kr',
    }).map((l) =>
      l.startsWith('Vi har under insatstiden arbetat enligt plan med målet att tolv')
        ? 'Tolv av femton deltagare gick vidare till arbete eller studier, vilket är 80 procent av målet. Vi har följt upp varje deltagare efter tre och sex månader och redovisar siffrorna per kvartal.'
        : l,
    );
    const key = await sendMail(h.stack, {
      from: r.from,
      subject: `SV: [Dnr ${r.arende}] Komplettering begärd`,
      text: lines.join('\n'),
    });
    const second = await waitForOutcome(h.stack, key);
    expect(second.status).toBe('komplett');
    const handling = await h.diarium.getHandling(second.diarienummer);
    expect(handling?.arende).toBe(r.arende);
    const links2 = await waitForLinks(h, second.diarienummer, 4);
    const html = await (await fetch(links2.get(GRUPP.maria)!)).text();
    expect(html).toContain('Tidigare omgång');
    expect(html).toContain(`Slutrapport ${r.diarienummer}`);
    expect(html).toContain('Komplettering begärd');
    expect(html).toContain('Måluppfyllelsen i 5.1 måste beskrivas med siffror.');
    expect(html).toContain('Ändrade avsnitt: 5.1 Måluppfyllelse');
    expect(html).toContain('Beviljade medel (avsnitt 1): 450 000 kr → 500 000 kr');
    expect(html).toContain('<span class="andrat">ändrat</span>');
    expect(granskningIdFor(second.diarienummer)).not.toBe(r.granskningId);
  });
});
