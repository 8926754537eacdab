import { describe, expect, it } from 'vitest';
import type { BevakningState } from '../bevakning/ports.js';
import { nextEntry, verifyChain } from './audit.js';
import { InsatsKonfliktError } from './errors.js';
import {
  FormularFelError,
  andraInsats,
  genomforImport,
  laggTillInsats,
  listaInsatser,
  planeraImport,
  tolkaFormular,
  type InsatsKansliDeps,
} from './insatsregister-kansli.js';
import type { InsatsRegisterRedigering, LogEvent, VersioneradInsats } from './ports.js';
import type { Arende, AuditEntry, Insats } from './types.js';

/** The register in memory, as the adapter behaves: versioned writes, one chain for the register, one per ärende. */
class MinnesRegister implements InsatsRegisterRedigering {
  readonly insatser = new Map<string, VersioneradInsats>();
  readonly logg: AuditEntry[] = [];
  readonly arendeLogg = new Map<string, AuditEntry[]>();

  listVersionerade() {
    return Promise.resolve([...this.insatser.values()].map((v) => structuredClone(v)));
  }
  getVersionerad(id: string) {
    const v = this.insatser.get(id);
    return Promise.resolve(v ? structuredClone(v) : null);
  }
  skrivInsats(a: { insats: Insats; forvantadVersion: number | null }, logg: LogEvent, arenden: string[]) {
    const nu = this.insatser.get(a.insats.id);
    if ((nu?.version ?? null) !== a.forvantadVersion) throw new InsatsKonfliktError(`${a.insats.id} ändrad`);
    const version = (a.forvantadVersion ?? 0) + 1;
    this.insatser.set(a.insats.id, { insats: structuredClone(a.insats), version });
    this.logga(logg, arenden);
    return Promise.resolve(version);
  }
  loggaRegister(logg: LogEvent, arenden: string[]) {
    return Promise.resolve(this.logga(logg, arenden));
  }
  listRegisterLogg() {
    return Promise.resolve([...this.logg]);
  }
  private logga(logg: LogEvent, arenden: string[]): AuditEntry {
    const t = '2026-11-30T10:00:00.000Z';
    const e = nextEntry(this.logg.at(-1) ?? null, logg, t);
    this.logg.push(e);
    for (const a of arenden) {
      const l = this.arendeLogg.get(a) ?? [];
      l.push(nextEntry(l.at(-1) ?? null, logg, t));
      this.arendeLogg.set(a, l);
    }
    return e;
  }
}

function setup(arenden: string[] = ['SFG 24-3']) {
  const register = new MinnesRegister();
  const datum = new Map<string, BevakningState['datum']>();
  const deps: InsatsKansliDeps = {
    register,
    repo: {
      getArende: (dnr) =>
        Promise.resolve(arenden.includes(dnr) ? ({ diarienummer: dnr } as unknown as Arende) : null),
      findArendeByInsatsnyckel: () => Promise.resolve(null),
    },
    bevakning: {
      getBevakning: (k) => Promise.resolve({ steg: [], datum: datum.get(k) ?? null }),
      setDatum: (k, d) => {
        datum.set(k, d);
        return Promise.resolve();
      },
    },
    rapportDagar: 60,
    serie: 'SFG',
  };
  return { deps, register, datum };
}

const AV = 'Test Registrator <registrator@kansli.example> [test-registrator]';
const STEGVIS = {
  id: 'stegvis',
  namn: 'Stegvis till arbete',
  organisation: 'Exempelby kommun',
  arende: 'SFG 24-3',
  beviljadeMedel: '2 458 000 kr',
  insatstidSlut: '2026-09-30',
  kontakt: 'sara.provperson@exempelby.example',
};

describe('the insats form', () => {
  it('reads an amount as written in Sweden and the ärende number within a text', () => {
    const r = tolkaFormular({ ...STEGVIS, arende: 'Dnr SFG 24-3' }, 'SFG');
    expect(r).toMatchObject({ ok: true, insats: { arende: 'SFG 24-3', beviljadeMedel: 2_458_000 } });
  });

  it('gives one Swedish message per faulty field', () => {
    const r = tolkaFormular(
      { namn: '', organisation: 'X', beviljadeMedel: 'många', insatstidSlut: '30/9', kontakt: 'nej' },
      'SFG',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.fel).sort()).toEqual(['beviljadeMedel', 'insatstidSlut', 'kontakt', 'namn']);
    expect(r.fel.insatstidSlut).toBe('Skriv insatstidens slut som ÅÅÅÅ-MM-DD.');
  });
});

describe('adding and editing an insats', () => {
  it('adds an insats, logs it in the register and its ärende, and shows the due date bevakning counts', async () => {
    const { deps, register } = setup();
    await laggTillInsats(deps, STEGVIS, { av: AV });
    const [rad] = await listaInsatser(deps);
    expect(rad).toMatchObject({ version: 1, forfallodatum: '2026-11-29', egetDatum: null });
    expect(register.logg.map((l) => [l.handelse, l.av])).toEqual([['insats-tillagd', AV]]);
    expect(register.arendeLogg.get('SFG 24-3')?.map((l) => l.handelse)).toEqual(['insats-tillagd']);
    expect(verifyChain(register.logg)).toEqual({ ok: true });
  });

  it('refuses a second insats with the same id', async () => {
    const { deps } = setup();
    await laggTillInsats(deps, STEGVIS, { av: AV });
    await expect(laggTillInsats(deps, STEGVIS, { av: AV })).rejects.toBeInstanceOf(FormularFelError);
  });

  it('needs a reason to change beviljade medel, and logs from and to', async () => {
    const { deps, register } = setup();
    await laggTillInsats(deps, STEGVIS, { av: AV });
    const andrad = { ...STEGVIS, beviljadeMedel: '2 500 000' };
    await expect(andraInsats(deps, 'stegvis', 1, andrad, { av: AV, skal: ' ' })).rejects.toMatchObject({
      fel: { skal: expect.stringContaining('Ange ett skäl') as unknown },
    });
    await andraInsats(deps, 'stegvis', 1, andrad, { av: AV, skal: 'Beslut i styrelsen 2026-11-20' });
    expect(register.logg.at(-1)?.data).toEqual({
      insats: 'stegvis',
      namn: 'Stegvis till arbete',
      andringar: { beviljadeMedel: { fran: 2_458_000, till: 2_500_000 } },
      skal: 'Beslut i styrelsen 2026-11-20',
    });
  });

  it('changes the contact without a reason', async () => {
    const { deps } = setup();
    await laggTillInsats(deps, STEGVIS, { av: AV });
    const r = await andraInsats(
      deps,
      'stegvis',
      1,
      { ...STEGVIS, kontakt: 'ny@exempelby.example' },
      {
        av: AV,
        skal: '',
      },
    );
    expect(r.andringar).toEqual({
      kontakt: { fran: 'sara.provperson@exempelby.example', till: 'ny@exempelby.example' },
    });
  });

  it('sets the kansli’s own due date with a reason and shows it instead of the counted one', async () => {
    const { deps } = setup();
    await laggTillInsats(deps, STEGVIS, { av: AV });
    await andraInsats(
      deps,
      'stegvis',
      1,
      { ...STEGVIS, forfallodatum: '2026-12-15' },
      {
        av: AV,
        skal: 'Förlängt efter samtal',
      },
    );
    expect((await listaInsatser(deps))[0]).toMatchObject({
      forfallodatum: '2026-12-15',
      egetDatum: '2026-12-15',
    });
  });

  it('refuses a stale form and keeps what the other editor saved', async () => {
    const { deps } = setup();
    await laggTillInsats(deps, STEGVIS, { av: AV });
    await andraInsats(
      deps,
      'stegvis',
      1,
      { ...STEGVIS, kontakt: 'forst@exempelby.example' },
      { av: AV, skal: '' },
    );
    await expect(
      andraInsats(deps, 'stegvis', 1, { ...STEGVIS, kontakt: 'sen@exempelby.example' }, { av: AV, skal: '' }),
    ).rejects.toBeInstanceOf(InsatsKonfliktError);
    expect((await listaInsatser(deps))[0]?.insats.kontakt).toBe('forst@exempelby.example');
  });
});

describe('importing the register', () => {
  const CSV =
    'Id;Insatsens namn;Huvudman;Beviljade medel\nstegvis;Stegvis till arbete;Exempelby kommun;2 600 000 kr\ntrappan;Trappan;Exempelby kommun;450 tkr\n';

  it('previews added, changed and left insatser, merging only the columns the file has', async () => {
    const { deps } = setup();
    await laggTillInsats(deps, STEGVIS, { av: AV });
    await laggTillInsats(deps, { namn: 'Kvar', organisation: 'Provstad' }, { av: AV });
    const plan = await planeraImport(deps, CSV, 'csv');
    expect(plan.nya.map((i) => i.id)).toEqual(['trappan']);
    expect(plan.andrade).toHaveLength(1);
    // The file has no ärende, insatstid or contact column: those stay as stored.
    expect(plan.andrade[0]?.andringar).toEqual({ beviljadeMedel: { fran: 2_458_000, till: 2_600_000 } });
    expect(plan.andrade[0]?.efter).toMatchObject({ arende: 'SFG 24-3', kontakt: STEGVIS.kontakt });
    expect(plan.lamnade.map((i) => i.namn)).toEqual(['Kvar']);
    expect(plan.kraverSkal).toBe(true);
  });

  it('reports row errors in Swedish and imports nothing', async () => {
    const { deps, register } = setup();
    const plan = await planeraImport(deps, 'Namn;Organisation;Insatstid slut\nA;B;30/9 2026\n;C;\n', 'csv');
    expect(plan.fel).toEqual([
      'Rad 2: insatstidens slut ska skrivas ÅÅÅÅ-MM-DD.',
      'Rad 3: insatsens namn saknas.',
    ]);
    await expect(genomforImport(deps, plan, { av: AV, skal: '', kalla: 'x.csv' })).rejects.toThrow(
      'Registret har fel',
    );
    expect(register.insatser.size).toBe(0);
  });

  it('carries out the plan with one entry per insats and a summary, each naming the person', async () => {
    const { deps, register } = setup();
    await laggTillInsats(deps, STEGVIS, { av: AV });
    const plan = await planeraImport(deps, CSV, 'csv');
    const r = await genomforImport(deps, plan, { av: AV, skal: 'Nytt beslut', kalla: 'register.csv' });
    expect(r).toMatchObject({ tillagda: 1, andrade: 1 });
    expect(register.logg.map((l) => l.handelse)).toEqual([
      'insats-tillagd',
      'insats-tillagd',
      'insats-andrad',
      'insatsregister-importerat',
    ]);
    expect(register.logg.every((l) => l.av === AV)).toBe(true);
    expect(register.arendeLogg.get('SFG 24-3')?.map((l) => l.handelse)).toEqual([
      'insats-tillagd',
      'insats-andrad',
    ]);
  });

  it('stops at an insats changed after the preview', async () => {
    const { deps } = setup();
    await laggTillInsats(deps, STEGVIS, { av: AV });
    const plan = await planeraImport(deps, CSV, 'csv');
    await andraInsats(
      deps,
      'stegvis',
      1,
      { ...STEGVIS, kontakt: 'annan@exempelby.example' },
      { av: AV, skal: '' },
    );
    await expect(genomforImport(deps, plan, { av: AV, skal: 'x', kalla: 'r.csv' })).rejects.toBeInstanceOf(
      InsatsKonfliktError,
    );
    // A new preview sees the other change (another fingerprint), so a resent confirmation is refused.
    expect((await planeraImport(deps, CSV, 'csv')).fingeravtryck).not.toBe(plan.fingeravtryck);
  });
});
