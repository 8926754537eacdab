import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ArkivDokument } from '../document-archive.js';
import type { ArendeTarget, NewHandling } from './ports.js';
import {
  LAS_IN_MANUELLT,
  RegistreringError,
  registreraHandling,
  sakertFilnamn,
  type RegistreraInput,
} from './registrera.js';
import type { Arende, Handling, Insats } from './types.js';

const PDF = new Uint8Array(Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n'));
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

const arende = (dnr: string): Arende => ({
  diarienummer: dnr,
  serie: 'SFG',
  ar: 2026,
  nummer: Number(dnr.split('-')[1]),
  arendemening: 'Slutrapport – Prova på – Exempelby kommun',
  insatsId: null,
  insatsnyckel: null,
  status: 'oppet',
  skapad: '2026-01-10T09:00:00.000Z',
  antalHandlingar: 1,
});

function harness(opts: { insatser?: Insats[]; arenden?: Arende[]; now?: string } = {}) {
  const filed: ArkivDokument[] = [];
  const calls: { target: ArendeTarget; handling: NewHandling; sourceKey: string; av?: string }[] = [];
  const bySource = new Map<string, Handling>();
  const arenden = new Map((opts.arenden ?? [arende('SFG 26-12')]).map((a) => [a.diarienummer, a]));
  const deps = {
    registry: {
      registerHandling: (
        target: ArendeTarget,
        handling: NewHandling,
        sourceKey: string,
        o?: { av?: string },
      ) => {
        calls.push({ target, handling, sourceKey, ...(o?.av ? { av: o.av } : {}) });
        const earlier = bySource.get(sourceKey);
        if (earlier) return Promise.resolve({ handling: earlier, skapad: false });
        const dnr = target.typ === 'befintligt' ? `${target.diarienummer}.2` : 'SFG 26-13.1';
        const h = {
          ...handling,
          diarienummer: dnr,
          arende: dnr.replace(/\.\d+$/, ''),
          handlingsnummer: 1,
          registrerad: 'x',
        };
        bySource.set(sourceKey, h);
        return Promise.resolve({ handling: h, skapad: true });
      },
      findBySource: () => Promise.resolve(null),
      importArende: () => Promise.reject(new Error('används inte')),
    },
    reader: {
      getArende: (dnr: string) => Promise.resolve(arenden.get(dnr) ?? null),
      findArendeByInsatsnyckel: (k: string) =>
        Promise.resolve([...arenden.values()].find((a) => a.insatsnyckel === k) ?? null),
    },
    insatser: { listInsatser: () => Promise.resolve(opts.insatser ?? []) },
    documents: {
      file: (_arkiv: string, d: ArkivDokument) => {
        filed.push(d);
        return Promise.resolve(`handlingar/${d.sha256}/${d.filnamn}`);
      },
    },
    clock: () => new Date(opts.now ?? '2026-03-02T08:30:00Z'),
    serie: 'SFG',
    maxFilstorlek: 4 * 1024 * 1024,
  };
  return { deps, filed, calls };
}

const input = (over: Partial<RegistreraInput> = {}): RegistreraInput => ({
  typ: 'inkommen',
  namn: 'Sara Provperson',
  organisation: 'Exempelby kommun',
  epost: '',
  postadress: 'Box 1, 811 00 Exempelby',
  datum: '2026-02-27',
  beskrivning: 'Brev om insatsen Prova på',
  arende: 'SFG 26-12',
  arendemening: '',
  insats: '',
  klass: 'allman-handling',
  satt: '',
  fil: { filnamn: 'brev.pdf', bytes: PDF },
  nyckel: 'formular-0123456789abcdef',
  av: 'Rut Registrator <rut@kansli.example> [sub-1]',
  ...over,
});

async function falt(p: Promise<unknown>): Promise<Record<string, string>> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RegistreringError);
  return (err as RegistreringError).falt;
}

describe('registering a handling by hand', () => {
  it('registers paper post in its ärende with the stamped date, the scan filed and named, and the person in the log', async () => {
    const { deps, filed, calls } = harness();
    const { handling, skapad } = await registreraHandling(deps, input());
    expect(skapad).toBe(true);
    expect(handling.diarienummer).toBe('SFG 26-12.2');
    expect(handling).toMatchObject({
      kalla: 'papper',
      ankomstdatum: '2026-02-27',
      // A date without a time: mid-day, the same date in Stockholm.
      mottagen: '2026-02-27T10:00:00.000Z',
      avsandare: {
        namn: 'Sara Provperson',
        organisation: 'Exempelby kommun',
        postadress: 'Box 1, 811 00 Exempelby',
        epost: null,
      },
      bedomning: 'komplett',
      granskning: 'ej-aktuell',
      flaggor: ['papper'],
      klassning: { klass: 'allman-handling' },
    });
    const sha = createHash('sha256').update(PDF).digest('hex');
    expect(handling.filer).toEqual([
      {
        filnamn: 'brev.pdf',
        sha256: sha,
        storlek: PDF.byteLength,
        typ: 'pdf',
        nyckel: `handlingar/${sha}/brev.pdf`,
        rapport: false,
      },
    ]);
    expect(filed[0]).toMatchObject({ contentType: 'application/pdf', sha256: sha });
    expect(calls[0]).toMatchObject({
      target: { typ: 'befintligt', diarienummer: 'SFG 26-12' },
      sourceKey: 'manuell#formular-0123456789abcdef',
      av: 'Rut Registrator <rut@kansli.example> [sub-1]',
    });
  });

  it('registers once when the same form is sent twice', async () => {
    const { deps } = harness();
    const first = await registreraHandling(deps, input());
    const again = await registreraHandling(deps, input());
    expect(again.skapad).toBe(false);
    expect(again.handling.diarienummer).toBe(first.handling.diarienummer);
  });

  it('dates it today, at the moment of registration, when no date is given', async () => {
    const { deps } = harness({ now: '2026-03-01T23:30:00Z' });
    const { handling } = await registreraHandling(deps, input({ datum: '' }));
    // 00:30 on 2 March in Stockholm.
    expect(handling.ankomstdatum).toBe('2026-03-02');
    expect(handling.mottagen).toBe('2026-03-01T23:30:00.000Z');
  });

  it('flags a paper slutrapport for the kansli to read in and send to granskning; nothing starts by itself', async () => {
    const { deps } = harness();
    const { handling } = await registreraHandling(deps, input({ klass: 'slutrapport' }));
    expect(handling.flaggor).toContain(LAS_IN_MANUELLT);
    expect(handling.bedomning).toBe('lases');
    expect(handling.granskning).toBe('ej-aktuell');
  });

  it('opens a new ärende tied to an insats of the register', async () => {
    const insats: Insats = {
      id: 'I-7',
      namn: 'Prova på',
      organisation: 'Exempelby kommun',
      arende: null,
      beviljadeMedel: 2_458_000,
    };
    const { deps, calls } = harness({ insatser: [insats] });
    await registreraHandling(
      deps,
      input({ arende: '', arendemening: 'Slutrapport Prova på', insats: 'I-7' }),
    );
    expect(calls[0]!.target).toEqual({
      typ: 'nytt',
      serie: 'SFG',
      ar: 2026,
      arendemening: 'Slutrapport Prova på',
      insatsId: 'I-7',
      insatsnyckel: 'insats:I-7',
    });
  });

  it('refuses a new ärende for an insats that already has one, naming it', async () => {
    const med = { ...arende('SFG 26-4'), insatsnyckel: 'insats:I-7' };
    const { deps } = harness({
      arenden: [med],
      insatser: [{ id: 'I-7', namn: 'Prova på', organisation: 'X', arende: null, beviljadeMedel: null }],
    });
    const fel = await falt(
      registreraHandling(deps, input({ arende: '', arendemening: 'Ny', insats: 'I-7' })),
    );
    expect(fel['insats']).toContain('SFG 26-4');
  });

  it('registers an upprättad handling without a file, from the förbund', async () => {
    const { deps, filed } = harness();
    const { handling } = await registreraHandling(
      deps,
      input({ typ: 'upprattad', namn: '', organisation: '', fil: null, beskrivning: 'Tjänsteanteckning' }),
    );
    expect(filed).toEqual([]);
    expect(handling).toMatchObject({
      kalla: 'upprattad',
      avsandare: { organisation: 'Samordningsförbund Gävleborg' },
      filer: [],
      flaggor: [],
    });
  });

  it('registers an expedierad handling as the mail sender does, with its recipient and how it was sent', async () => {
    const { deps } = harness();
    const { handling } = await registreraHandling(
      deps,
      input({
        typ: 'expedierad',
        satt: 'post',
        beskrivning: 'Beslut om komplettering',
        fil: { filnamn: 'scan.png', bytes: PNG },
      }),
    );
    expect(handling).toMatchObject({
      kalla: 'upprattad',
      flaggor: ['expedierad'],
      beskrivning: 'Expedierad: Beslut om komplettering',
      avsandare: { organisation: 'Samordningsförbund Gävleborg' },
      expediering: {
        mottagare: { namn: 'Sara Provperson', organisation: 'Exempelby kommun' },
        satt: 'post',
        skickad: '2026-02-27',
      },
    });
    expect(handling.filer[0]).toMatchObject({ filnamn: 'scan.png', typ: 'png' });
  });

  it('ties each missing or wrong field to its own Swedish message and registers nothing', async () => {
    const { deps, calls, filed } = harness();
    const fel = await falt(
      registreraHandling(
        deps,
        input({
          namn: '',
          organisation: '',
          epost: 'inte-en-adress',
          datum: '2026-02-30',
          beskrivning: ' ',
          klass: 'skrappost',
          arende: 'SFG 26-99',
          fil: null,
        }),
      ),
    );
    expect(fel).toEqual({
      namn: 'Ange avsändarens namn eller organisation.',
      epost: 'Ange en giltig e-postadress, t.ex. namn@kommun.se.',
      datum: 'Ange datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-03-02.',
      beskrivning: 'Ange vad handlingen avser.',
      klass: 'Välj handlingens klass.',
      fil: 'Bifoga den skannade handlingen.',
      arende: 'Ärendet SFG 26-99 finns inte i diariet.',
    });
    expect(calls).toEqual([]);
    expect(filed).toEqual([]);
  });

  it('refuses a date in the future (Swedish time) and a file that is not a scan', async () => {
    const { deps } = harness({ now: '2026-03-02T08:30:00Z' });
    const fel = await falt(
      registreraHandling(
        deps,
        input({
          datum: '2026-03-03',
          fil: { filnamn: 'virus.exe', bytes: new Uint8Array([0x4d, 0x5a, 1, 2]) },
        }),
      ),
    );
    expect(fel['datum']).toBe('Datumet kan inte ligga i framtiden.');
    expect(fel['fil']).toBe('Filen måste vara en PDF, JPEG, PNG eller TIFF.');
  });

  it('refuses a file over the limit, pointing to the command for large scans', async () => {
    const { deps } = harness();
    const big = new Uint8Array(4 * 1024 * 1024 + 1);
    big.set(PDF);
    const fel = await falt(registreraHandling(deps, input({ fil: { filnamn: 'stor.pdf', bytes: big } })));
    expect(fel['fil']).toContain('npm run diarium -- registrera');
  });

  it('makes hostile file names safe, keeping the format’s extension', () => {
    // The part after the last slash only: never a path.
    expect(sakertFilnamn('<script>alert(1)</script>.pdf', ['.pdf'])).toBe('script_.pdf');
    expect(sakertFilnamn('../../etc/passwd', ['.pdf'])).toBe('passwd.pdf');
    expect(sakertFilnamn('Årsbrev från Gävle.PDF', ['.pdf'])).toBe('Årsbrev_från_Gävle.PDF');
    expect(sakertFilnamn('', ['.tif', '.tiff'])).toBe('skanning.tif');
  });
});
