import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../../domain/diarium/ports.js';
import { sparaInsatsregister } from '../../domain/diarium/insatsregister.js';
import type { Insats } from '../../domain/diarium/types.js';
import { DEFAULT_BEVAKNING } from '../../domain/bevakning/types.js';
import { DynamoBevakningStore } from '../../functions/adapters/dynamo-bevakning-store.js';
import type { DynamoDiariumRepository } from '../../functions/adapters/dynamo-diarium/repository.js';
import { makeHandler } from '../../functions/bevakning/make-handler.js';
import { newHandling } from '../support/new-handling.js';
import { startDiariumDb, type DiariumDb } from './diarium-support.js';

let db: DiariumDb;
beforeAll(async () => {
  db = await startDiariumDb();
});
afterAll(async () => {
  await db.stop();
});

const KANSLI = 'kansli@finsamgavleborg.example';
const ctx = {} as never;

/** The bevakning Lambda's handler on DynamoDB Local, with a clock the test moves and the mail it sent. */
async function setup(insatser: Insats[]) {
  const table = await db.newTable();
  let now = new Date('2026-01-01T06:00:00Z');
  const repo: DynamoDiariumRepository = db.repo(table, { clock: () => now });
  await sparaInsatsregister(repo, insatser, { skapaArenden: true, av: 'test' });
  const sent: OutgoingMail[] = [];
  const fail = new Set<string>();
  const handler = makeHandler({
    repo,
    store: new DynamoBevakningStore(db.doc(), table),
    mailer: {
      send: (m) => {
        const to = m.to.join(',');
        if (fail.delete(to)) return Promise.reject(new Error(`SES svarade inte (${to})`));
        sent.push(m);
        return Promise.resolve({ messageId: `m-${sent.length}` });
      },
    },
    log: () => undefined,
    config: { ...DEFAULT_BEVAKNING, kansliEmail: KANSLI },
    clock: () => now,
  });
  return {
    repo,
    table,
    sent,
    /** The next mail to this address fails, as SES being down would. */
    failNextTo: (to: string) => fail.add(to),
    /** Runs the daily schedule at 07:00 Stockholm time (winter: 06:00 UTC) of the given date. */
    async runOn(datum: string) {
      now = new Date(`${datum}T06:00:00Z`);
      const before = sent.length;
      await handler(undefined, ctx);
      return sent.slice(before);
    },
  };
}

const stegvis: Insats = {
  id: 'stegvis',
  namn: 'Stegvis till arbete',
  organisation: 'Exempelby kommun',
  arende: 'SFG 26-5',
  beviljadeMedel: 1_200_000,
  // Due 60 days later: 2026-11-29; reminded from 2026-11-15, and again from 2026-12-06.
  insatstidSlut: '2026-09-30',
  kontakt: 'sara.provperson@exempelby.example',
};

describe('the daily bevakning, with a controllable clock', () => {
  it('reminds before and after the due date once each, lists the overdue report, and an arriving report closes it', async () => {
    const s = await setup([stegvis]);

    expect(await s.runOn('2026-11-01')).toEqual([]);

    const fore = await s.runOn('2026-11-16');
    expect(fore.map((m) => m.to)).toEqual([[stegvis.kontakt]]);
    expect(fore[0]?.subject).toBe(
      'Påminnelse: slutrapport för Stegvis till arbete senast 2026-11-29 [Dnr SFG 26-5]',
    );
    expect(fore[0]?.text).toContain('vänlig påminnelse');

    // Twice in one day, and on the days after: nothing again until the next step is due.
    expect(await s.runOn('2026-11-16')).toEqual([]);
    expect(await s.runOn('2026-11-30')).toHaveLength(1); // only the kansli's list: overdue, not yet reminded
    expect(await s.runOn('2026-11-30')).toEqual([]);

    const efter = await s.runOn('2026-12-07');
    expect(efter.map((m) => m.to)).toEqual([[stegvis.kontakt], [KANSLI]]);
    expect(efter[0]?.text).toContain('Vi har ännu inte fått slutrapporten');
    expect(efter[1]?.subject).toBe('Bevakning 2026-12-07: 1 försenade, 0 obesvarade');
    expect(efter[1]?.text).toContain(
      'Stegvis till arbete (Exempelby kommun), sista dag 2026-11-29, SFG 26-5',
    );
    expect(await s.runOn('2026-12-07')).toEqual([]);

    await s.repo.registerHandling(
      { typ: 'befintligt', diarienummer: 'SFG 26-5' },
      newHandling(1, {
        mottagen: '2026-12-08T10:00:00.000Z',
        ankomstdatum: '2026-12-08',
      }),
      'kalla-1',
    );
    expect(await s.runOn('2026-12-09')).toEqual([]);

    const logg = (await s.repo.getArendeDetaljer('SFG 26-5'))?.logg ?? [];
    expect(logg.filter((e) => e.handelse === 'bevakning-paminnelse').map((e) => e.data['steg'])).toEqual([
      'paminnelse-fore',
      'paminnelse-efter',
    ]);
    expect(logg.filter((e) => e.handelse === 'bevakning-stangd').map((e) => e.data)).toEqual([
      { insats: 'stegvis', forfallodatum: '2026-11-29', handling: 'SFG 26-5.1' },
    ]);
  });

  it('reminds an unanswered komplettering request once, after the configured days', async () => {
    const s = await setup([stegvis]);
    await s.repo.registerHandling(
      { typ: 'befintligt', diarienummer: 'SFG 26-5' },
      newHandling(1, {
        mottagen: '2026-10-01T10:00:00.000Z',
        ankomstdatum: '2026-10-01',
        bedomning: 'ofullstandig',
      }),
      'kalla-1',
    );

    expect(await s.runOn('2026-10-20')).toEqual([]);
    const dag22 = await s.runOn('2026-10-23');
    expect(dag22.map((m) => m.to)).toEqual([[stegvis.kontakt], [KANSLI]]);
    expect(dag22[0]?.subject).toBe('Påminnelse: komplettering av slutrapport – SFG 26-5 [Dnr SFG 26-5]');
    expect(dag22[1]?.text).toContain('SFG 26-5: begärd 2026-10-01 (SFG 26-5.1), 22 dagar sedan');
    expect(await s.runOn('2026-10-23')).toEqual([]);
    // The next day only the kansli's list of that day; the insatsägare is not reminded twice.
    expect((await s.runOn('2026-10-24')).map((m) => m.to)).toEqual([[KANSLI]]);

    const logg = (await s.repo.getArendeDetaljer('SFG 26-5'))?.logg ?? [];
    expect(logg.filter((e) => e.handelse === 'komplettering-paminnelse')).toHaveLength(1);
  });

  it('catches up a missed period: a first run after the due date sends only the reminder after it', async () => {
    const s = await setup([stegvis]);
    const sent = await s.runOn('2026-12-20');
    expect(sent.map((m) => m.to)).toEqual([[stegvis.kontakt], [KANSLI]]);
    expect(sent[0]?.text).toContain('Vi har ännu inte fått slutrapporten');
    expect(await s.runOn('2026-12-20')).toEqual([]);
  });

  it('a run that fails half-way is run again and sends only what did not go', async () => {
    const s = await setup([stegvis]);
    s.failNextTo(KANSLI);
    await expect(s.runOn('2026-12-20')).rejects.toThrow('SES svarade inte');
    expect(s.sent.map((m) => m.to)).toEqual([[stegvis.kontakt]]);
    expect((await s.runOn('2026-12-20')).map((m) => m.to)).toEqual([[KANSLI]]);
    expect(await s.runOn('2026-12-20')).toEqual([]);
  });

  it('lets the kansli set an insats its own due date, logged in the ärende', async () => {
    const { sattBevakningsdatum } = await import('../../domain/bevakning/run-bevakning.js');
    const s = await setup([stegvis]);
    const store = new DynamoBevakningStore(db.doc(), s.table);
    await sattBevakningsdatum({ repo: s.repo, store }, 'stegvis', '2027-01-31', 'Kim Kansli');
    // 2026-12-07 would have been after the register's due date; with the new one nothing is due yet.
    expect(await s.runOn('2026-12-07')).toEqual([]);
    expect((await s.runOn('2027-01-20')).map((m) => m.subject)).toEqual([
      'Påminnelse: slutrapport för Stegvis till arbete senast 2027-01-31 [Dnr SFG 26-5]',
    ]);
    const logg = (await s.repo.getArendeDetaljer('SFG 26-5'))?.logg ?? [];
    expect(logg.find((e) => e.handelse === 'bevakning-datum-andrat')?.data).toEqual({
      insats: 'stegvis',
      datum: '2027-01-31',
    });
  });
});
