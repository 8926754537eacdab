import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { EX_USAGE, parseCliArgs } from '../args.js';
import { COMMON_HELP, type DiariumCommand } from './command.js';
import { anteckning } from './commands/anteckning.js';
import { arkivera } from './commands/arkivera.js';
import { bevakning } from './commands/bevakning.js';
import { exportCsv } from './commands/export.js';
import { filer } from './commands/filer.js';
import { flytta } from './commands/flytta.js';
import { frige } from './commands/frige.js';
import { lasIn } from './commands/las-in.js';
import { klass } from './commands/klass.js';
import { korrigeraAnkomstdatum } from './commands/korrigera-ankomstdatum.js';
import { list } from './commands/list.js';
import { listindex } from './commands/listindex.js';
import { makulera } from './commands/makulera.js';
import { registrera } from './commands/registrera.js';
import { show } from './commands/show.js';
import { verifiera } from './commands/verifiera.js';
import type { CliIo } from './io.js';

// What the tests use from the tool, besides runDiariumCli and COMMANDS.
export type { CliIo } from './io.js';
export type { ListRad } from './commands/list.js';
export { safeFileName } from './commands/filer.js';

export const COMMANDS: readonly DiariumCommand[] = [
  list,
  show,
  filer,
  exportCsv,
  makulera,
  registrera,
  lasIn,
  korrigeraAnkomstdatum,
  frige,
  klass,
  flytta,
  anteckning,
  verifiera,
  bevakning,
  arkivera,
  listindex,
];

const HJALP = `Diariet – verktyg för kansliet

  npm run diarium -- <kommando> [argument] [flaggor]

Kommandon:
${COMMANDS.map((c) => `  ${c.usage}\n      ${c.summary}`).join('\n')}

npm run diarium -- <kommando> --help visar kommandots alla flaggor.

${COMMON_HELP}`;

function findCommand(name: string): DiariumCommand | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases.includes(name));
}

/**
 * The kansli's diarium tool. Exit codes: 0 done (and for --help), 1 refused by a diarium rule or not
 * found, 2 the local stack not reachable, 64 a command line the tool cannot use.
 */
export async function runDiariumCli(argv: string[], io: CliIo): Promise<number> {
  // Lenient first pass, only to find the command: its own flags are checked strictly by the command, so
  // that a mistake is reported against that command's --help.
  const allOptions: ParseArgsOptionsConfig = Object.fromEntries(
    COMMANDS.flatMap((c) => Object.entries(c.options)),
  );
  const { values, positionals } = parseArgs({
    args: argv,
    options: allOptions,
    allowPositionals: true,
    strict: false,
  });
  const name = positionals[0];
  if (name === undefined) {
    const strict = parseCliArgs(argv, allOptions, 'npm run diarium --');
    if (!strict.ok) {
      io.err(strict.message);
      return EX_USAGE;
    }
    io.out(HJALP);
    return values['help'] ? 0 : EX_USAGE;
  }
  const command = findCommand(name);
  if (!command) {
    io.err(`Okänt kommando "${name}". Se npm run diarium -- --help.`);
    return EX_USAGE;
  }
  return command.run(argv, io);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runDiariumCli(process.argv.slice(2), {
    out: (t) => console.log(t),
    err: (t) => console.error(t),
    env: process.env,
    clock: () => new Date(),
  });
}
