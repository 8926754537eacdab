import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { z } from 'zod';
import type { Log } from '../../domain/log.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A Lambda behind a Task state, called in-process with the state's Parameters (and the task token, if any). */
export type LocalLambda = (parameters: Json, taskToken?: string) => Promise<Json>;

/** One visit of a Task state, in visit order. */
interface TaskRecord {
  state: string;
  result?: Json;
  /** A wait-for-token task still waiting: its token, kept so mailed links stay valid after a restart. */
  token?: string;
  /** When the wait began: a replayed wait only gets what is left of its TimeoutSeconds. */
  started?: string;
  /** The task's Lambda ran (the mails with links went out); a replay must not run it again. */
  notified?: boolean;
  /** The wait timed out (States.Timeout); a replay throws it again so the same Catch path is taken. */
  timedOut?: boolean;
}

interface JournalEntry {
  name: string;
  arn: string;
  input: Json;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  startDate: string;
  stopDate?: string;
  output?: Json;
  error?: string;
  /** Task results in visit order, so a restarted stack replays instead of re-running side effects. */
  tasks: TaskRecord[];
}

const JsonSchema: z.ZodType<Json> = z.lazy(() =>
  z.union([
    z.null(),
    z.boolean(),
    z.number(),
    z.string(),
    z.array(JsonSchema),
    z.record(z.string(), JsonSchema),
  ]),
);
const JournalSchema = z.object({
  name: z.string().min(1),
  arn: z.string(),
  input: JsonSchema,
  status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED']),
  startDate: z.string(),
  stopDate: z.string().optional(),
  output: JsonSchema.optional(),
  error: z.string().optional(),
  tasks: z.array(
    z.object({
      state: z.string(),
      result: JsonSchema.optional(),
      token: z.string().optional(),
      started: z.string().optional(),
      notified: z.boolean().optional(),
      timedOut: z.boolean().optional(),
    }),
  ),
});

interface PendingToken {
  execution: string;
  resolve: (v: Json) => void;
  reject: (e: Error) => void;
  /** Journals a decision the moment it is accepted (SendTaskSuccess is durable on AWS). */
  record?: (v: Json) => void;
}

export class TaskError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Catchers match on the error name: this is what `Catch: ["States.Timeout"]` sees. */
function statesTimeout(): Error {
  const e = new Error('States.Timeout');
  e.name = 'States.Timeout';
  return e;
}

/** Never settles: a stopped runner must neither resume nor fail an execution (the journal keeps it RUNNING). */
const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/**
 * Runs the synthesized ASL with aws-local-stepfunctions and gives it what that library lacks:
 * `.waitForTaskToken` (the task resolves when SendTaskSuccess names its token) and a journal on disk,
 * replayed on start, so a granskning waiting for decisions survives a restart of the local stack.
 *
 * Replay: the library re-runs the execution from its first state; each Task visit consumes the next
 * journal record of the same state (results are returned, recorded timeouts thrown again), so no side
 * effect runs twice. Wait-for-token timeouts are enforced here (not by the library) so they can be
 * journalled and, after a restart, count from when the wait began, as on AWS.
 */
export class LocalStepFunctions {
  private readonly machine: StateMachine;
  private readonly journal = new Map<string, JournalEntry>();
  private readonly tokens = new Map<string, PendingToken>();
  /** Outcomes sent for a replayed wait before the replay reached it (kept until it does). */
  private readonly early = new Map<string, { ok: Json } | { err: Error }>();
  private readonly running = new Map<string, { done: Promise<void>; abort: () => void }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waitTimeouts = new Map<string, number>();
  private readonly dir: string;
  private closed = false;
  /** Lambdas under way: a stopped runner waits for them (tests restart a stack in the same process). */
  private readonly inFlight = new Set<Promise<unknown>>();

  private track<T>(p: Promise<T>): Promise<T> {
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return p;
  }

  /** Waits (at most `ms`) for the Lambdas still running after close() or kill(). */
  async drain(ms = 15_000): Promise<void> {
    await Promise.race([Promise.all(this.inFlight), new Promise((r) => setTimeout(r, ms).unref())]);
  }

  constructor(
    readonly arn: string,
    definition: Record<string, unknown>,
    private readonly lambdas: {
      waitForToken: Record<string, LocalLambda>;
      invoke: Record<string, LocalLambda>;
    },
    private readonly opts: {
      dataDir: string;
      taskTimeoutOverrideSeconds?: Record<string, number>;
      log: Log;
    },
  ) {
    const def = structuredClone(definition) as unknown as StateMachineDefinition & {
      States: Record<string, Record<string, unknown>>;
    };
    for (const [name, seconds] of Object.entries(opts.taskTimeoutOverrideSeconds ?? {})) {
      const state = def.States[name];
      if (state) state['TimeoutSeconds'] = seconds;
    }
    for (const name of Object.keys(lambdas.waitForToken)) {
      const state = def.States[name];
      const seconds = typeof state?.['TimeoutSeconds'] === 'number' ? state['TimeoutSeconds'] : 99_999_999;
      this.waitTimeouts.set(name, seconds);
      // The library's own task timer (60 s by default) must never win over ours, yet not outlive it by much.
      if (state) state['TimeoutSeconds'] = seconds + 5;
    }
    this.machine = new StateMachine(def, { validationOptions: { checkArn: false, checkPaths: false } });
    mkdirSync(opts.dataDir, { recursive: true });
    // One file per execution: a save rewrites only the execution that changed, whatever the journal's size.
    this.dir = path.join(opts.dataDir, 'executions');
    mkdirSync(this.dir, { recursive: true });
    for (const f of readdirSync(this.dir)) {
      if (!f.endsWith('.json')) continue;
      let parsed: ReturnType<typeof JournalSchema.safeParse> | undefined;
      try {
        parsed = JournalSchema.safeParse(JSON.parse(readFileSync(path.join(this.dir, f), 'utf8')));
      } catch {
        parsed = undefined;
      }
      if (!parsed?.success || `${parsed.data.name}.json` !== f) {
        this.setAside(f, 'filen går inte att läsa');
        continue;
      }
      this.journal.set(parsed.data.name, parsed.data as JournalEntry);
    }
  }

  /**
   * A journal that cannot be replayed is moved to `trasiga/` and reported: the rest of the stack (and every
   * other granskning) keeps running, and the file is kept for whoever looks into it.
   */
  private setAside(file: string, why: string): void {
    const dir = path.join(this.dir, 'trasiga');
    mkdirSync(dir, { recursive: true });
    const target = path.join(dir, `${Date.now()}-${file}`);
    try {
      renameSync(path.join(this.dir, file), target);
    } catch {
      // Already gone: nothing left to set aside.
    }
    this.opts.log(
      'error',
      `Granskningsjournalen ${file} kunde inte spelas upp (${why}) och flyttades till ${target}. Övriga granskningar fortsätter.`,
    );
  }

  /** Per execution being replayed: the recorded task visits the replay has not reached yet. */
  private readonly replaying = new Map<string, () => TaskRecord[]>();

  private save(entry: JournalEntry): void {
    if (this.closed) return;
    // A replay rewrites the task list as it goes; what it has not reached yet stays in the file, so a kill
    // during a replay loses no recorded result, token or timeout.
    const rest = this.replaying.get(entry.name)?.() ?? [];
    const tasks = rest.length > 0 ? [...entry.tasks, ...rest] : entry.tasks;
    writeFileSync(path.join(this.dir, `${entry.name}.json`), JSON.stringify({ ...entry, tasks }));
  }

  private later(ms: number, run: () => void): () => void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) run();
    }, ms);
    this.timers.add(t);
    return () => {
      clearTimeout(t);
      this.timers.delete(t);
    };
  }

  /** Resumes executions that were running when the stack stopped. */
  resume(): number {
    let n = 0;
    for (const e of [...this.journal.values()]) {
      if (e.status !== 'RUNNING') continue;
      try {
        this.launch(e, true);
        n++;
      } catch (err) {
        this.journal.delete(e.name);
        this.setAside(`${e.name}.json`, err instanceof Error ? err.message : String(err));
      }
    }
    return n;
  }

  startExecution(name: string, input: Json): { executionArn: string; startDate: number } {
    if (this.closed) throw new TaskError('ServiceUnavailable', 'The local Step Functions runner is stopped');
    const executionArn = `${this.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.journal.get(name);
    if (existing) {
      // Step Functions: same name and input of a running execution is idempotent; otherwise ExecutionAlreadyExists.
      if (existing.status === 'RUNNING' && JSON.stringify(existing.input) === JSON.stringify(input)) {
        return { executionArn, startDate: Date.parse(existing.startDate) / 1000 };
      }
      throw new TaskError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const entry: JournalEntry = {
      name,
      arn: executionArn,
      input,
      status: 'RUNNING',
      startDate: new Date().toISOString(),
      tasks: [],
    };
    this.journal.set(name, entry);
    this.save(entry);
    this.launch(entry, false);
    return { executionArn, startDate: Date.parse(entry.startDate) / 1000 };
  }

  /** A waitForTaskToken task: runs its Lambda with a token, then waits for the token's success, failure or timeout. */
  private async waitForToken(
    entry: JournalEntry,
    state: string,
    lambda: LocalLambda,
    input: Json,
    previous: TaskRecord | undefined,
  ): Promise<Json> {
    // On replay of a task that was waiting, keep its token: the mails with links were already sent.
    const token = previous?.token ?? randomBytes(24).toString('base64url');
    for (const [t, p] of this.tokens) if (p.execution === entry.name) this.tokens.delete(t);
    const record: TaskRecord = { state, token, started: previous?.started ?? new Date().toISOString() };
    if (previous?.notified) record.notified = true;
    entry.tasks.push(record);
    this.save(entry);
    const { promise, resolve, reject } = Promise.withResolvers<Json>();
    // The outcome may come (a timeout, a decision) while the notify Lambda still runs; it is awaited only
    // after that, so it must never count as an unhandled rejection meanwhile.
    promise.catch(() => undefined);
    this.tokens.set(token, {
      execution: entry.name,
      resolve,
      reject,
      record: (v) => {
        record.result = v;
        this.save(entry);
      },
    });
    const early = this.early.get(token);
    if (early) {
      this.early.delete(token);
      this.tokens.delete(token);
      if ('ok' in early) resolve(early.ok);
      else reject(early.err);
    }
    const timeoutMs = (this.waitTimeouts.get(state) ?? 99_999_999) * 1000;
    const left = Date.parse(record.started ?? '') + timeoutMs - Date.now();
    const timeOut = () => {
      if (!this.tokens.has(token)) return;
      this.tokens.delete(token);
      reject(statesTimeout());
    };
    let cancelTimer: () => void = () => undefined;
    if (!(left > 0)) {
      // The wait ran out while the stack was down: the task timed out (as on AWS), and mails not yet
      // sent for it are not sent now.
      timeOut();
    } else cancelTimer = this.later(Math.min(left, 2_147_483_647), timeOut);
    if (!record.notified && this.tokens.has(token)) {
      try {
        await this.track(lambda(input, token));
      } catch (err) {
        cancelTimer();
        this.tokens.delete(token);
        throw err;
      }
      if (this.closed) return never();
      record.notified = true;
      this.save(entry);
    }
    try {
      const result = await promise;
      record.result = result;
      return result;
    } catch (err) {
      if (err instanceof Error && err.name === 'States.Timeout') record.timedOut = true;
      throw err;
    } finally {
      cancelTimer();
      if (!this.closed) {
        delete record.token;
        this.save(entry);
      }
    }
  }

  private launch(entry: JournalEntry, replay: boolean): void {
    const recorded = replay ? [...entry.tasks] : [];
    let cursor = 0;
    if (replay) {
      entry.tasks = [];
      this.replaying.set(entry.name, () => recorded.slice(cursor));
      // The mailed links stay valid from the first moment: a decision arriving while the replay walks
      // towards its wait is journalled on the recorded visit, which the replay then returns.
      for (const t of recorded) {
        const token = t.token;
        if (!token || t.result !== undefined || t.timedOut) continue;
        this.tokens.set(token, {
          execution: entry.name,
          resolve: () => undefined,
          reject: (err) => this.early.set(token, { err }),
          record: (v) => {
            t.result = v;
            delete t.token;
            this.save(entry);
          },
        });
      }
    }
    const handlers: Record<string, (input: Json) => Promise<Json>> = {};
    const wrap = (state: string, run: (input: Json, previous: TaskRecord | undefined) => Promise<Json>) => {
      handlers[state] = async (input) => {
        if (this.closed) return never();
        // Only a record of this very state is consumed; anything else means the run has diverged: run live.
        const candidate = recorded[cursor];
        const previous = candidate?.state === state ? candidate : undefined;
        if (previous) cursor++;
        else cursor = recorded.length;
        if (previous?.result !== undefined) {
          entry.tasks.push(previous);
          this.save(entry);
          return previous.result;
        }
        if (previous?.timedOut) {
          entry.tasks.push(previous);
          this.save(entry);
          throw statesTimeout();
        }
        return run(input, previous);
      };
    };
    for (const [state, lambda] of Object.entries(this.lambdas.waitForToken)) {
      wrap(state, (input, previous) => this.waitForToken(entry, state, lambda, input, previous));
    }
    for (const [state, lambda] of Object.entries(this.lambdas.invoke)) {
      wrap(state, async (input) => {
        const payload = await this.track(lambda(input));
        if (this.closed) return never();
        const result: Json = { Payload: payload, StatusCode: 200 };
        entry.tasks.push({ state, result });
        this.save(entry);
        return result;
      });
    }
    const exec = this.machine.run(entry.input, {
      overrides: { taskResourceLocalHandlers: handlers },
      context: { Task: { Token: 'ersatts-lokalt' } },
    });
    const done = exec.result.then(
      (output) => {
        if (this.closed) return;
        entry.status = 'SUCCEEDED';
        entry.output = output;
      },
      (err: unknown) => {
        if (this.closed) return;
        entry.status = 'FAILED';
        entry.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        this.opts.log('error', `Granskning ${entry.name} misslyckades: ${entry.error}`);
      },
    );
    this.running.set(entry.name, {
      abort: () => {
        exec.abort();
      },
      done: done.finally(() => {
        if (!this.closed) {
          entry.stopDate = new Date().toISOString();
          this.save(entry);
        }
        this.running.delete(entry.name);
        this.replaying.delete(entry.name);
        for (const [t, p] of this.tokens) if (p.execution === entry.name) this.tokens.delete(t);
      }),
    });
  }

  sendTaskSuccess(token: string, output: string): void {
    const pending = this.tokens.get(token);
    if (!pending) throw new TaskError('TaskDoesNotExist', 'Task does not exist anymore');
    this.tokens.delete(token);
    const value = JSON.parse(output) as Json;
    pending.record?.(value);
    pending.resolve(value);
  }

  sendTaskFailure(token: string, error: string, cause: string): void {
    const pending = this.tokens.get(token);
    if (!pending) throw new TaskError('TaskDoesNotExist', 'Task does not exist anymore');
    this.tokens.delete(token);
    const e = new Error(cause);
    e.name = error;
    pending.reject(e);
  }

  describeExecution(executionArn: string): Record<string, Json> {
    const name = executionArn.split(':').pop() ?? '';
    const e = this.journal.get(name);
    if (!e) throw new TaskError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return {
      executionArn: e.arn,
      stateMachineArn: this.arn,
      name: e.name,
      status: e.status,
      startDate: Date.parse(e.startDate) / 1000,
      ...(e.stopDate ? { stopDate: Date.parse(e.stopDate) / 1000 } : {}),
      input: JSON.stringify(e.input),
      ...(e.output !== undefined ? { output: JSON.stringify(e.output) } : {}),
      ...(e.error ? { error: e.error } : {}),
    };
  }

  /** Names of all executions in the journal (tests: "a duplicate start made no second execution"). */
  executionNames(): string[] {
    return [...this.journal.keys()];
  }

  /** Waits for running executions to settle (tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /**
   * Stops the runner as a stopped stack would: running executions are abandoned where they stand and stay
   * RUNNING in the journal (the next start replays them); no timer, Lambda or journal write happens after this.
   */
  close(): void {
    if (this.closed) return;
    for (const entry of this.journal.values()) this.save(entry);
    this.kill();
  }

  /** Tests: stops as a killed process would, without even the final journal write of close(). */
  kill(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.tokens.clear();
    this.early.clear();
    for (const r of this.running.values()) r.abort();
  }
}
