import type http from 'node:http';
import type { Defer } from './lifecycle.js';
import type { Reservation } from './ports.js';

type SesStart = (c: { host: string; port: number }) => Promise<http.Server>;

/** SES outbound (aws-ses-v2-local): takes the functions' SendEmail calls and shows them in its outbox viewer. */
export async function startSesOutbox(opts: { reservation: Reservation; defer: Defer }): Promise<string> {
  const sesModule = (await import('aws-ses-v2-local')) as unknown as {
    default: SesStart | { default: SesStart };
  };
  // CommonJS default export: `x.default` under Node's ESM loader, `x` itself under some bundlers.
  const startSes = typeof sesModule.default === 'function' ? sesModule.default : sesModule.default.default;
  const { port } = opts.reservation;
  await opts.reservation.release();
  const server = await startSes({ host: '127.0.0.1', port });
  opts.defer(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${port}`;
}
