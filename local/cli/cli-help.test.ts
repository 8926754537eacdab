import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordingIo } from '../../test/support/cli-io.js';
import { runDiariumCli } from './diarium/main.js';
import { runInsatserImport } from './insatser-import.js';
import { runParseCli } from './parse.js';
import { runSubmit } from './submit.js';

const io = () => recordingIo({ clock: () => new Date('2026-02-10T12:00:00Z') });

const clis = [
  {
    name: 'parse',
    run: runParseCli,
    flags: ['--json', '--idag', '--help'],
  },
  {
    name: 'submit',
    run: runSubmit,
    flags: [
      '--from',
      '--to',
      '--subject',
      '--received-at',
      '--smtp',
      '--http',
      '--timeout',
      '--json',
      '--help',
    ],
  },
  {
    name: 'insatser:import',
    run: runInsatserImport,
    flags: ['--skapa-arenden', '--av', '--endpoint', '--table', '--serie', '--help'],
  },
];

describe.each(clis)('npm run $name', ({ name, run, flags }) => {
  it('answers --help in Swedish with every flag and exit code 0', async () => {
    const t = io();
    expect(await run(['--help'], t.io)).toBe(0);
    const help = t.out.join('\n');
    for (const flag of flags) expect(help).toContain(flag);
    expect(help).toContain(`npm run`);
    expect(t.err).toEqual([]);
  });

  it('answers an unknown flag with one Swedish line and exit code 64', async () => {
    const t = io();
    expect(await run(['rapport.pdf', '--okand'], t.io)).toBe(64);
    expect(t.err).toEqual([`Okänd flagga --okand. Se npm run ${name} -- --help.`]);
    expect(t.out).toEqual([]);
  });

  it('answers a flag without its value with one Swedish line and exit code 64', async () => {
    const t = io();
    const flag = flags.find((f) => f !== '--help' && f !== '--json' && f !== '--skapa-arenden')!;
    expect(await run(['rapport.pdf', flag], t.io)).toBe(64);
    expect(t.err).toEqual([`Flaggan ${flag} behöver ett värde. Se npm run ${name} -- --help.`]);
  });
});

/** A port nothing listens on. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** A data directory whose stack.json names a stack (this process, so "alive") on non-default ports. */
async function stackOnOtherPorts() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cli-stack-'));
  const [smtp, http, dynamodb, aws] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const info = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    dataDir: dir,
    region: 'eu-west-1',
    smtp: `smtp://127.0.0.1:${smtp}`,
    http: `http://127.0.0.1:${http}`,
    outbox: 'http://127.0.0.1:1/',
    s3: 'http://127.0.0.1:1',
    dynamodb: `http://127.0.0.1:${dynamodb}`,
    aws: `http://127.0.0.1:${aws}`,
    table: 'rapportflode-diarium',
    bucket: 'rapportflode-inbound',
    eventBus: 'rapportflode-lokal',
  };
  writeFileSync(path.join(dir, 'stack.json'), JSON.stringify(info));
  writeFileSync(path.join(dir, 'rapport.txt'), 'Slutrapport');
  writeFileSync(
    path.join(dir, 'insatser.csv'),
    'id,namn,organisation,arende,beviljadeMedel\nins-1,Vägen vidare,Provköping kommun,SFG 21-3,2458000\n',
  );
  return { dir, info };
}

function stackIo(dir: string) {
  const t = io();
  return { ...t, io: { ...t.io, env: { RAPPORTFLODE_DATA: dir, INIT_CWD: dir } } };
}

describe('the kansli tools and a stack on non-default ports', () => {
  it('find it through .data/stack.json and say in one Swedish sentence, naming npm start, that it does not answer', async () => {
    const { dir, info } = await stackOnOtherPorts();
    const runs = [
      { run: () => runSubmit(['rapport.txt', '--timeout', '5'], s.io), url: info.smtp },
      { run: () => runDiariumCli(['list'], s.io), url: info.dynamodb },
      { run: () => runDiariumCli(['frige', 'SFG 26-1.1', '--av', 'Kim'], s.io), url: info.dynamodb },
      { run: () => runInsatserImport(['insatser.csv'], s.io), url: info.dynamodb },
    ];
    let s = stackIo(dir);
    for (const r of runs) {
      s = stackIo(dir);
      expect(await r.run(), s.err.join('\n') + s.out.join('\n')).toBe(2);
      const said = s.err.filter((l) => !l.startsWith('Skickad'));
      expect(said).toHaveLength(1);
      expect(said[0]).toContain(r.url);
      expect(said[0]).toMatch(/^Den lokala stacken körs inte .*"npm start".*\.$/);
      expect(said[0]).not.toContain('\n');
    }
  }, 30_000);

  it('take a flag over what .data/stack.json says', async () => {
    const { dir } = await stackOnOtherPorts();
    const elsewhere = `http://127.0.0.1:${await freePort()}`;
    const s = stackIo(dir);
    expect(await runDiariumCli(['list', '--endpoint', elsewhere], s.io)).toBe(2);
    expect(s.err.join('\n')).toContain(elsewhere);
  }, 30_000);
});
