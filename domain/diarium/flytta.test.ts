import { describe, expect, it } from 'vitest';
import { newHandling } from '../../test/support/new-handling.js';
import { HANDELSE, nextEntry, registreringshandelse } from './audit.js';
import { anteckningarI, laggTillAnteckning } from './anteckningar.js';
import { DiariumRegelError } from './errors.js';
import { arendeAv, flyttaHandling } from './flytta.js';
import type { ArendeLog, DiariumReader, FlyttLage, FlyttPlan, HandlingFlytt, LogEvent } from './ports.js';
import { postlistaRows } from './postlista.js';
import type { Arende, AuditEntry, Handling } from './types.js';
import { verifieraLogg } from './verifiera.js';

const T0 = '2026-02-02T09:00:00.000Z';
const T1 = '2026-03-02T10:00:00.000Z';

function arende(nummer: number, over: Partial<Arende> = {}): Arende {
  return {
    diarienummer: `SFG 26-${nummer}`,
    serie: 'SFG',
    ar: 2026,
    nummer,
    arendemening: `Ärende ${nummer}`,
    insatsId: null,
    insatsnyckel: null,
    status: 'oppet',
    skapad: T0,
    antalHandlingar: 0,
    ...over,
  };
}

/**
 * Two ärenden with their hash-chained logs; the move applies the plan as the adapter's transaction does (all of
 * it or, when `planera` throws, nothing).
 */
function fakeDiarium(over: Partial<Handling> = {}, tillOver: Partial<Arende> = {}) {
  const arenden = new Map([
    ['SFG 26-4', arende(4, { antalHandlingar: 1 })],
    ['SFG 26-7', arende(7, { antalHandlingar: 2, ...tillOver })],
  ]);
  const handlingar = new Map<string, Handling>();
  const loggar = new Map<string, AuditEntry[]>([
    ['SFG 26-4', []],
    ['SFG 26-7', []],
  ]);
  const append = (a: string, e: LogEvent) => {
    const l = loggar.get(a)!;
    const entry = nextEntry(l.at(-1) ?? null, e, T1);
    l.push(entry);
    return entry;
  };
  const put = (h: Handling) => {
    handlingar.set(h.diarienummer, h);
    append(h.arende, registreringshandelse(h));
  };
  put({
    ...newHandling(1, {
      filer: [
        {
          filnamn: 'rapport.pdf',
          sha256: 'a'.repeat(64),
          storlek: 10,
          typ: 'application/pdf',
          nyckel: 'handlingar/a/rapport.pdf',
          rapport: true,
        },
      ],
    }),
    diarienummer: 'SFG 26-4.1',
    arende: 'SFG 26-4',
    handlingsnummer: 1,
    registrerad: T0,
    granskning: 'godkand',
    ...over,
  });
  for (const n of [1, 2])
    put({
      ...newHandling(n + 1),
      diarienummer: `SFG 26-7.${n}`,
      arende: 'SFG 26-7',
      handlingsnummer: n,
      registrerad: T0,
    });
  let skrivningar = 0;
  const repo: DiariumReader & ArendeLog & HandlingFlytt = {
    getHandling: (d) => Promise.resolve(handlingar.get(d) ?? null),
    getArende: (d) => Promise.resolve(arenden.get(d) ?? null),
    getArenden: () => Promise.resolve([...arenden.values()]),
    getArendeDetaljer: (d) => {
      const a = arenden.get(d);
      return Promise.resolve(
        a
          ? {
              arende: a,
              handlingar: [...handlingar.values()].filter((h) => h.arende === d),
              logg: loggar.get(d)!,
            }
          : null,
      );
    },
    findArendeByInsatsnyckel: () => Promise.resolve(null),
    listDiarium: () => Promise.resolve([...handlingar.values()]),
    updateHandling: () => Promise.reject(new Error('används inte')),
    updateArendeStatus: () => Promise.reject(new Error('används inte')),
    appendLog: (a, e) => Promise.resolve(append(a, e)),
    getLogHuvud: (a) => {
      const last = loggar.get(a)?.at(-1);
      return Promise.resolve(last ? { seq: last.seq, hash: last.hash } : null);
    },
    flyttaHandling(dnr: string, tillArende: string, planera: (l: FlyttLage) => FlyttPlan) {
      const h = handlingar.get(dnr)!;
      const fran = arenden.get(h.arende)!;
      const till = arenden.get(tillArende);
      if (!till) return Promise.reject(new DiariumRegelError(`Ärendet ${tillArende} finns inte i diariet.`));
      const n = till.antalHandlingar + 1;
      const plan = planera({
        handling: h,
        fran,
        till,
        handlingsnummer: n,
        nyttNummer: `${tillArende}.${n}`,
        tidpunkt: T1,
      });
      skrivningar++;
      const stubb = { ...h, ...plan.stubb };
      handlingar.set(dnr, stubb);
      handlingar.set(plan.flyttad.diarienummer, plan.flyttad);
      till.antalHandlingar = n;
      append(fran.diarienummer, plan.franLogg);
      append(till.diarienummer, plan.tillLogg);
      return Promise.resolve({ stubb, flyttad: plan.flyttad });
    },
  };
  const verifiera = async (a: string) => {
    const d = (await repo.getArendeDetaljer(a))!;
    return verifieraLogg(a, d.logg, d.handlingar, await repo.getLogHuvud(a));
  };
  return { repo, handlingar, loggar, arenden, verifiera, skrivningar: () => skrivningar };
}

const input = { till: 'SFG 26-7', skal: 'Hör till insatsens ärende', av: 'Rut Registrator [registrator]' };

describe('moving a handling to another ärende', () => {
  it('gives it the next free number in the target and leaves the old number as a stub pointing to it', async () => {
    const d = fakeDiarium();
    const r = await flyttaHandling({ repo: d.repo }, 'SFG 26-4.1', input);
    expect(r.redanFlyttad).toBe(false);
    expect(r.flyttad.diarienummer).toBe('SFG 26-7.3');
    expect(r.flyttad.arende).toBe('SFG 26-7');
    expect(r.flyttad.flyttadFran).toMatchObject({ fran: 'SFG 26-4.1', ursprung: 'SFG 26-4.1', av: input.av });
    expect(r.flyttad.filer.map((f) => f.nyckel)).toEqual(['handlingar/a/rapport.pdf']);
    expect(r.flyttad.ankomstdatum).toBe(d.handlingar.get('SFG 26-4.1')!.ankomstdatum);
    const stubb = d.handlingar.get('SFG 26-4.1')!;
    expect(stubb.flyttad).toMatchObject({ till: 'SFG 26-7.3', skal: input.skal, av: input.av, tidpunkt: T1 });
    expect(stubb.filer).toEqual([]);
    expect(stubb.flaggor).toContain('flyttad-till:SFG 26-7.3');
    expect(r.flyttad.flaggor).toContain('flyttad-fran:SFG 26-4.1');
  });

  it('writes an entry with the person and the reason in both logs, and both logs verify', async () => {
    const d = fakeDiarium();
    await flyttaHandling({ repo: d.repo }, 'SFG 26-4.1', input);
    const fran = d.loggar.get('SFG 26-4')!.at(-1)!;
    const till = d.loggar.get('SFG 26-7')!.at(-1)!;
    expect(fran).toMatchObject({
      handelse: HANDELSE.handlingFlyttad,
      av: input.av,
      data: { till: 'SFG 26-7.3', skal: input.skal },
    });
    expect(till).toMatchObject({
      handelse: HANDELSE.handlingInflyttad,
      av: input.av,
      data: { fran: 'SFG 26-4.1', skal: input.skal },
    });
    expect((await d.verifiera('SFG 26-4')).avvikelser).toEqual([]);
    expect((await d.verifiera('SFG 26-7')).avvikelser).toEqual([]);
  });

  it('finds a stub whose move is not in the log, and a moved handling whose files were changed', async () => {
    const d = fakeDiarium();
    await flyttaHandling({ repo: d.repo }, 'SFG 26-4.1', input);
    d.loggar.get('SFG 26-4')!.pop();
    const v = await d.verifiera('SFG 26-4');
    expect(v.avvikelser.map((a) => a.meddelande).join(' ')).toMatch(/SFG 26-4.1/);
    d.handlingar.set('SFG 26-7.3', { ...d.handlingar.get('SFG 26-7.3')!, filer: [] });
    expect((await d.verifiera('SFG 26-7')).ok).toBe(false);
  });

  it('returns the first move when the same move is asked again, writing nothing', async () => {
    const d = fakeDiarium();
    await flyttaHandling({ repo: d.repo }, 'SFG 26-4.1', input);
    const igen = await flyttaHandling({ repo: d.repo }, 'SFG 26-4.1', { ...input, till: 'SFG 26-7.2' });
    expect(igen.redanFlyttad).toBe(true);
    expect(igen.flyttad.diarienummer).toBe('SFG 26-7.3');
    expect(d.skrivningar()).toBe(1);
  });

  it.each([
    ['makulerad', { makulerad: { av: 'x', skal: 'fel', tidpunkt: T0 } }, {}, /makulerad/],
    ['under granskning', { granskning: 'pagar' as const }, {}, /under granskning/],
    ['still being read', { bedomning: 'lases' as const }, {}, /läses fortfarande in/],
    ['into a closed ärende', {}, { status: 'avslutat' as const }, /SFG 26-7 är avslutat/],
  ])('refuses a handling %s, in Swedish, and changes nothing', async (_namn, over, tillOver, fel) => {
    const d = fakeDiarium(over, tillOver);
    await expect(flyttaHandling({ repo: d.repo }, 'SFG 26-4.1', input)).rejects.toThrow(fel);
    expect(d.skrivningar()).toBe(0);
    expect(d.handlingar.get('SFG 26-4.1')!.flyttad).toBeUndefined();
  });

  it('refuses a move within the same ärende, without a reason, or to something that is not an ärende number', async () => {
    const d = fakeDiarium();
    await expect(
      flyttaHandling({ repo: d.repo }, 'SFG 26-4.1', { ...input, till: 'SFG 26-4' }),
    ).rejects.toThrow(/ligger redan i ärendet SFG 26-4/);
    await expect(flyttaHandling({ repo: d.repo }, 'SFG 26-4.1', { ...input, skal: '  ' })).rejects.toThrow(
      /Skäl för flytten måste anges/,
    );
    await expect(
      flyttaHandling({ repo: d.repo }, 'SFG 26-4.1', { ...input, till: 'ärende sju' }),
    ).rejects.toThrow(/inget ärendenummer/);
    expect(d.skrivningar()).toBe(0);
  });

  it('moves a moved handling on, keeping its first number as its origin', async () => {
    const d = fakeDiarium();
    d.arenden.set('SFG 26-9', arende(9));
    d.loggar.set('SFG 26-9', []);
    await flyttaHandling({ repo: d.repo }, 'SFG 26-4.1', input);
    const r = await flyttaHandling({ repo: d.repo }, 'SFG 26-7.3', { ...input, till: 'SFG 26-9' });
    expect(r.flyttad.diarienummer).toBe('SFG 26-9.1');
    expect(r.flyttad.flyttadFran).toMatchObject({ fran: 'SFG 26-7.3', ursprung: 'SFG 26-4.1' });
    expect(r.flyttad.flaggor.filter((f) => f.startsWith('flyttad-fran:'))).toEqual([
      'flyttad-fran:SFG 26-7.3',
    ]);
  });

  it('lists the old number in the postlista as moved, and the handling under its new number', async () => {
    const d = fakeDiarium();
    await flyttaHandling({ repo: d.repo }, 'SFG 26-4.1', input);
    const rader = postlistaRows([...d.handlingar.values()]);
    expect(rader.find((r) => r.diarienummer === 'SFG 26-4.1')?.status).toBe('Flyttad till SFG 26-7.3');
    expect(rader.find((r) => r.diarienummer === 'SFG 26-7.3')?.status).not.toMatch(/Flyttad/);
  });

  it('reads an ärende number from an ärende or a handling number', () => {
    expect(arendeAv('SFG 26-7')).toBe('SFG 26-7');
    expect(arendeAv(' SFG 26–7.3 ')).toBe('SFG 26-7');
  });
});

describe('notes on an ärende', () => {
  it('writes each note as an entry of the ärende log with who and when, and lists them oldest first', async () => {
    const d = fakeDiarium();
    await laggTillAnteckning({ repo: d.repo }, 'SFG 26-7', {
      text: 'Ringt insatsägaren.',
      av: 'Hanna Handläggare [h]',
    });
    await laggTillAnteckning({ repo: d.repo }, 'SFG 26-7', {
      text: 'Rättelse: mejlat, inte ringt.',
      av: 'Hanna Handläggare [h]',
    });
    const notes = anteckningarI(d.loggar.get('SFG 26-7')!);
    expect(notes.map((n) => n.text)).toEqual(['Ringt insatsägaren.', 'Rättelse: mejlat, inte ringt.']);
    expect(notes[0]).toMatchObject({ av: 'Hanna Handläggare [h]', tidpunkt: T1 });
    expect((await d.verifiera('SFG 26-7')).ok).toBe(true);
  });

  it('refuses an empty note, an overlong one and one in an ärende that does not exist', async () => {
    const d = fakeDiarium();
    await expect(laggTillAnteckning({ repo: d.repo }, 'SFG 26-7', { text: '  ', av: 'x' })).rejects.toThrow(
      /måste ha en text/,
    );
    await expect(
      laggTillAnteckning({ repo: d.repo }, 'SFG 26-7', { text: 'x'.repeat(4001), av: 'x' }),
    ).rejects.toThrow(/högst 4000 tecken/);
    await expect(laggTillAnteckning({ repo: d.repo }, 'SFG 26-99', { text: 'x', av: 'x' })).rejects.toThrow(
      /finns inte/,
    );
    expect(anteckningarI(d.loggar.get('SFG 26-7')!)).toEqual([]);
  });
});
