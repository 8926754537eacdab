import path from 'node:path';
import { dataDirFrom, readStackInfo, type StackInfo } from '../aws/instance.js';

/**
 * The running local stack's addresses, as `npm start` wrote them to `<data>/stack.json` (null if no stack
 * runs on that data). Every kansli tool takes its defaults from here, so a stack on other ports is found;
 * a flag, then an environment variable, still overrides.
 */
export function runningStack(env: Record<string, string | undefined>): StackInfo | null {
  return readStackInfo(dataDirFrom(env));
}

/** The directory the user typed the command in: npm runs scripts in the repository and says where in INIT_CWD. */
export function callerCwd(io: { env: Record<string, string | undefined>; cwd?: string | undefined }): string {
  return io.cwd ?? io.env['INIT_CWD'] ?? process.cwd();
}

/** A path the user gave, resolved against where they typed the command (not the repository npm runs in). */
export function userPath(
  io: { env: Record<string, string | undefined>; cwd?: string | undefined },
  p: string,
) {
  return path.resolve(callerCwd(io), p);
}

/** The one sentence for "no stack answered", naming the command that starts one. */
export function notRunning(what: string, url: string, flag: string): string {
  return `Den lokala stacken körs inte (ingen ${what} svarar på ${url}): starta den med "npm start" i ett annat fönster, eller ange ${flag}.`;
}
