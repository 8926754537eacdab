import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** Exit code for a command line the tool cannot use (sysexits EX_USAGE), as the kansli's scripts expect. */
export const EX_USAGE = 64;

export type ParsedArgs<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true }>
>;

/**
 * The kansli's tools parse their flags here so that a mistyped flag gives one Swedish line pointing to
 * --help, not node's English message and stack trace.
 */
export function parseCliArgs<O extends ParseArgsOptionsConfig>(
  argv: string[],
  options: O,
  helpCommand: string,
): { ok: true; args: ParsedArgs<O> } | { ok: false; message: string } {
  try {
    return { ok: true, args: parseArgs({ args: argv, options, allowPositionals: true }) };
  } catch (err) {
    return { ok: false, message: `${argsErrorSv(err)} Se ${helpCommand} --help.` };
  }
}

function argsErrorSv(err: unknown): string {
  const code = err instanceof Error && 'code' in err ? err.code : undefined;
  const message = err instanceof Error ? err.message : String(err);
  const flag = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Okänd flagga ${flag}.`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return /does not take an argument/.test(message)
      ? `Flaggan ${flag} tar inget värde.`
      : `Flaggan ${flag} behöver ett värde.`;
  }
  return `Felaktig kommandorad: ${message}`;
}

/**
 * The usual start of a tool that takes one file: a usage error (64), `--help` (0) or a missing file (2)
 * ends the run with its exit code; otherwise the flags and the file.
 */
export function oneFileArgs<A extends { values: { help?: unknown }; positionals: string[] }>(
  parsed: { ok: true; args: A } | { ok: false; message: string },
  io: { out: (text: string) => void; err: (text: string) => void },
  texts: { help: string; usage: string },
): { exit: number } | { values: A['values']; file: string } {
  if (!parsed.ok) {
    io.err(parsed.message);
    return { exit: EX_USAGE };
  }
  const { values, positionals } = parsed.args;
  if (values.help) {
    io.out(texts.help);
    return { exit: 0 };
  }
  const file = positionals[0];
  if (!file) {
    io.err(texts.usage);
    return { exit: 2 };
  }
  return { values, file };
}
