import net from 'node:net';
import { StartRefusedError } from './lifecycle.js';

export class PortBusyError extends StartRefusedError {}

export type Service = 'smtp' | 's3' | 'dynamodb' | 'ses' | 'http' | 'aws';
/** The IAM proxies in front of the emulators (local/aws/iam): kept across a restart like the others. */
export type ProxyService = 'iamDynamodb' | 'iamS3' | 'iamSes' | 'iamAws';
export const PROXY_SERVICES: readonly ProxyService[] = ['iamDynamodb', 'iamS3', 'iamSes', 'iamAws'];

export interface Reservation {
  port: number;
  release: () => Promise<void>;
}

/**
 * Holds a port (a listening socket) from the moment it is chosen until its service binds it: the stack picks
 * its ports before a synth of several seconds, and an outgoing connection's ephemeral port must not take one
 * in between. A requested port that is busy fails at once with a clear message.
 */
export async function reservePort(preferred: number | undefined): Promise<Reservation> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new PortBusyError(
              `Porten ${preferred ?? 0} används redan av ett annat program. Stoppa det, eller välj en annan port (se README, "Starta lokalt").`,
            )
          : err,
      );
    });
    server.listen(preferred ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  let released: Promise<void> | undefined;
  // Idempotent: the service releases it just before binding, and the stack's shutdown releases them all.
  const release = () => (released ??= new Promise<void>((resolve) => server.close(() => resolve())));
  return { port, release };
}

/** One reservation per service, in a fixed order; 0 or absent = any free port. */
export async function reservePorts(
  p: Partial<Record<Service | ProxyService, number>> = {},
): Promise<Record<Service | ProxyService, Reservation>> {
  const order = ['smtp', 's3', 'dynamodb', 'ses', 'http', 'aws', ...PROXY_SERVICES] as const;
  const done: Partial<Record<Service | ProxyService, Reservation>> = {};
  try {
    for (const s of order) done[s] = await reservePort(p[s] || undefined);
  } catch (err) {
    // One port busy: the ones already held are let go, not leaked until the process ends.
    await Promise.all(Object.values(done).map((r) => r.release()));
    throw err;
  }
  return done as Record<Service | ProxyService, Reservation>;
}

export function portsOf(
  reserved: Record<Service | ProxyService, Reservation>,
): Record<Service | ProxyService, number> {
  return {
    smtp: reserved.smtp.port,
    s3: reserved.s3.port,
    dynamodb: reserved.dynamodb.port,
    ses: reserved.ses.port,
    http: reserved.http.port,
    aws: reserved.aws.port,
    iamDynamodb: reserved.iamDynamodb.port,
    iamS3: reserved.iamS3.port,
    iamSes: reserved.iamSes.port,
    iamAws: reserved.iamAws.port,
  };
}

/** Retries `check` every 100 ms until it succeeds: an emulator that was just started takes a moment to answer. */
export async function waitFor(
  check: () => Promise<unknown>,
  what: string,
  timeoutMs = 60_000,
  /** A reason to stop waiting at once (the emulator's process failed to start), thrown as it is. */
  gaveUp: () => Error | null = () => null,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    const fatal = gaveUp();
    if (fatal) throw fatal;
    try {
      await check();
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(
    `${what} svarade inte inom ${timeoutMs / 1000} s: ${last instanceof Error ? last.message : String(last)}`,
  );
}
