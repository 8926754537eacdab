import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics_channel from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { FUNCTION_HEADER } from './proxy.js';

/**
 * The local stack runs every handler in its own process, where all SDK clients share one set of environment
 * credentials. The function a call comes from is instead the async context the stack invoked it in: each
 * outgoing request made inside `asFunction(fnId, …)` is tagged with the function's name before it is sent.
 * Handler code is untouched; the tag is not part of the SigV4 signature and the proxy removes it.
 */
const current = new AsyncLocalStorage<string>();

export function asFunction<T>(fnId: string, run: () => T): T {
  return current.run(fnId, run);
}

export function currentFunction(): string | undefined {
  return current.getStore();
}

/**
 * Tags requests to the given proxy endpoints (http://127.0.0.1:port) with the calling function. Uses the
 * `http.client.request.created` channel (Node ≥ 22.12), published before the request's headers are sent.
 * Returns a function that stops tagging.
 */
export function tagFunctionRequests(endpoints: string[]): () => void {
  const hosts = new Set(endpoints.map((e) => new URL(e).host));
  const channel = diagnostics_channel.channel('http.client.request.created');
  const onCreated = (message: unknown) => {
    const fnId = current.getStore();
    if (!fnId) return;
    const request = (message as { request: ClientRequest }).request;
    const host = request.getHeader('host');
    if (typeof host !== 'string' || !hosts.has(host)) return;
    // With `Expect: 100-continue` (S3 uploads) Node renders and queues the header block at once; it is still
    // in the request's queue here (no socket yet), so the tag goes into the queued copy too.
    const internal = request as unknown as { _header?: string | null; outputData?: { data: unknown }[] };
    if (typeof internal._header !== 'string') {
      request.setHeader(FUNCTION_HEADER, fnId);
      return;
    }
    const queued = internal.outputData?.find((o) => o.data === internal._header);
    if (request.headersSent && !queued) return;
    const tagged = `${internal._header.slice(0, -2)}${FUNCTION_HEADER}: ${fnId}\r\n\r\n`;
    if (queued) queued.data = tagged;
    internal._header = tagged;
  };
  channel.subscribe(onCreated);
  return () => channel.unsubscribe(onCreated);
}
