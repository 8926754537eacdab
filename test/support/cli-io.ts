/**
 * The io a kansli CLI runs with in a test: what it writes to stdout and stderr is recorded; `extra` sets or
 * overrides the rest (env, clock, an injected repository, a store, a queue).
 */
export function recordingIo<T extends object>(extra: T) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      env: {},
      clock: () => new Date(),
      ...extra,
    },
  };
}
