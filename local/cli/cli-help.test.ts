import { describe, expect, it } from 'vitest';
import { runInsatserImport } from './insatser-import.js';
import { runParseCli } from './parse.js';
import { runSubmit } from './submit.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      env: {},
      clock: () => new Date('2026-02-10T12:00:00Z'),
    },
  };
}

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
