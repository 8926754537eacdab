import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LocalStack, LocalStackOptions } from '../../local/aws/stack.js';

/**
 * Options for a granskning test that restarts its stack: its own data directory, the first decision decides,
 * and waits long enough that no reminder interferes.
 */
export function restartableGranskning(prefix: string) {
  return {
    dataDir: mkdtempSync(path.join(os.tmpdir(), `rapportflode-${prefix}-`)),
    beslutPolicy: { typ: 'forsta' } as const,
    granskningTimeouts: { svarstid: 120, paminnelse: 60, eskalering: 60 },
  } satisfies Partial<LocalStackOptions>;
}

/**
 * Stops a running stack and starts it again on the same data and ports (the functions read their endpoints
 * once, at cold start, as on Lambda, so a link mailed before the restart still reaches its page).
 */
export async function restartOnSameData<
  T extends { stack: Pick<LocalStack, 'ports'>; stop(): Promise<void> },
>(
  running: T,
  start: (ports: LocalStack['ports']) => Promise<T>,
  between?: () => Promise<void> | void,
): Promise<T> {
  const ports = running.stack.ports;
  await running.stop();
  await between?.();
  return start(ports);
}
