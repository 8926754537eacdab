import type { ParseArgsOptionsConfig } from 'node:util';
import { DEFAULT_SERIE } from '../../../domain/defaults.js';
import { DiariumRegelError, HandlingNotFoundError } from '../../../domain/diarium/errors.js';
import { EX_USAGE, parseCliArgs, type ParsedArgs } from '../args.js';
import { CLI_DEFAULTS, openCliDiarium, type CliDiarium, type CliIo } from './io.js';

/** The flags every command takes: where the diarium is. */
export const COMMON_OPTIONS = {
  endpoint: { type: 'string' },
  table: { type: 'string' },
  serie: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsOptionsConfig;

export const COMMON_HELP = `Diariet:
  --endpoint URL   DynamoDB (standard: den lokala stackens, ur .data/stack.json; annars
                   AWS_ENDPOINT_URL_DYNAMODB eller ${CLI_DEFAULTS.endpoint})
  --table NAMN     tabell (standard: ur .data/stack.json; annars TABLE_NAME eller ${CLI_DEFAULTS.table})
  --serie SERIE    diarieserie (standard SFG eller DIARIUM_SERIE)
  -h, --help       visa den här hjälpen`;

type CommonValues = ParsedArgs<typeof COMMON_OPTIONS>['values'];

export interface CommandContext {
  io: CliIo;
  diarium: CliDiarium;
  /** The positional argument after the command name (a diarienummer for most commands). */
  arg: string | undefined;
  /** The value, or a DiariumRegelError saying in Swedish that it is missing (exit code 1). */
  need: (value: string | undefined, what: string) => string;
}

export interface DiariumCommand {
  name: string;
  /** Earlier names that still work but are not shown in the help. */
  aliases: readonly string[];
  /** The command's lines in the overview help: how it is called, and what it does. */
  usage: string;
  summary: string;
  options: ParseArgsOptionsConfig;
  run(argv: string[], io: CliIo): Promise<number>;
}

export interface CommandSpec<O extends ParseArgsOptionsConfig> {
  name: string;
  aliases?: readonly string[];
  usage: string;
  summary: string;
  /** The command's own --help: usage, what it does, and its flags (the common ones are added). */
  help: string;
  options: O;
  run(ctx: CommandContext, values: ParsedArgs<O & typeof COMMON_OPTIONS>['values']): Promise<number>;
}

/**
 * A diarium command: its flags parsed strictly (a flag it does not take is a usage error), --help, the
 * diarium opened from the common flags and closed afterwards, and the exit codes the kansli's scripts rely
 * on: 0 done, 1 refused by a diarium rule or not found, 2 the local stack not reachable, 64 usage.
 */
export function defineCommand<O extends ParseArgsOptionsConfig>(spec: CommandSpec<O>): DiariumCommand {
  const options = { ...spec.options, ...COMMON_OPTIONS };
  const help = `${spec.help}\n\n${COMMON_HELP}`;
  return {
    name: spec.name,
    aliases: spec.aliases ?? [],
    usage: spec.usage,
    summary: spec.summary,
    options,
    async run(argv, io) {
      const parsed = parseCliArgs(argv, options, `npm run diarium -- ${spec.name}`);
      if (!parsed.ok) {
        io.err(parsed.message);
        return EX_USAGE;
      }
      const { values, positionals } = parsed.args;
      const common: CommonValues = values;
      if (common.help) {
        io.out(help);
        return 0;
      }
      const serie = common.serie ?? io.env['DIARIUM_SERIE'] ?? DEFAULT_SERIE;
      // A full export reads the whole diarium: allow it half a minute per request.
      const diarium = openCliDiarium(io, common, { serie, requestTimeout: 30_000 });
      const need = (value: string | undefined, what: string): string => {
        if (!value) throw new DiariumRegelError(`${what} saknas.\n\n${help}`);
        return value;
      };
      try {
        return await spec.run({ io, diarium, arg: positionals[1], need }, values);
      } catch (err) {
        if (err instanceof DiariumRegelError || err instanceof HandlingNotFoundError) {
          io.err(err.message);
          return 1;
        }
        const unreachable = diarium.explain(err);
        if (unreachable) {
          io.err(unreachable);
          return 2;
        }
        throw err;
      } finally {
        diarium.close();
      }
    },
  };
}
