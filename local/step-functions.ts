import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A Lambda behind a Task state, called in-process with the state's Parameters (and the task token, if any). */
export type LocalLambda = (parameters: Json, taskToken?: string) => Promise<Json>;

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
  tasks: { state: string; result?: Json; token?: string }[];
}

interface PendingToken {
  execution: string;
  resolve: (v: Json) => void;
  reject: (e: Error) => void;
}

export class TaskError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs the synthesized ASL with aws-local-stepfunctions and gives it what that library lacks:
 * `.waitForTaskToken` (the task resolves when SendTaskSuccess names its token) and a journal on disk,
 * replayed on start, so a granskning waiting for decisions survives a restart of the local stack.
 */
export class LocalStepFunctions {
  private readonly machine: StateMachine;
  private readonly journal = new Map<string, JournalEntry>();
  private readonly tokens = new Map<string, PendingToken>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly file: string;

  constructor(
    readonly arn: string,
    definition: Record<string, unknown>,
    private readonly lambdas: { waitForToken: Record<string, LocalLambda>; invoke: Record<string, LocalLambda> },
    private readonly opts: { dataDir: string; taskTimeoutOverrideSeconds?: Record<string, number>; log: (m: string) => void },
  ) {
    const def = structuredClone(definition) as unknown as StateMachineDefinition & { States: Record<string, Record<string, unknown>> };
    for (const [name, seconds] of Object.entries(opts.taskTimeoutOverrideSeconds ?? {})) {
      const state = def.States[name];
      if (state) state['TimeoutSeconds'] = seconds;
    }
    this.machine = new StateMachine(def, { validationOptions: { checkArn: false, checkPaths: false } });
    mkdirSync(opts.dataDir, { recursive: true });
    this.file = path.join(opts.dataDir, 'executions.json');
    if (existsSync(this.file)) {
      const entries = JSON.parse(readFileSync(this.file, 'utf8')) as JournalEntry[];
      for (const e of entries) this.journal.set(e.name, e);
    }
  }

  private save(): void {
    writeFileSync(this.file, JSON.stringify([...this.journal.values()], null, 1));
  }

  /** Resumes executions that were running when the stack stopped. */
  resume(): number {
    let n = 0;
    for (const e of this.journal.values()) {
      if (e.status === 'RUNNING') {
        this.launch(e, true);
        n++;
      }
    }
    return n;
  }

  startExecution(name: string, input: Json): { executionArn: string; startDate: number } {
    const executionArn = `${this.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.journal.get(name);
    if (existing) {
      // Step Functions: same name and input of a running execution is idempotent; otherwise ExecutionAlreadyExists.
      if (existing.status === 'RUNNING' && JSON.stringify(existing.input) === JSON.stringify(input)) {
        return { executionArn, startDate: Date.parse(existing.startDate) / 1000 };
      }
      throw new TaskError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const entry: JournalEntry = { name, arn: executionArn, input, status: 'RUNNING', startDate: new Date().toISOString(), tasks: [] };
    this.journal.set(name, entry);
    this.save();
    this.launch(entry, false);
    return { executionArn, startDate: Date.parse(entry.startDate) / 1000 };
  }

  private launch(entry: JournalEntry, replay: boolean): void {
    let visit = 0;
    const recorded = replay ? [...entry.tasks] : [];
    if (replay) entry.tasks = [];
    const handlers: Record<string, (input: Json) => Promise<Json>> = {};
    const wrap = (state: string, run: (input: Json, previous: JournalEntry['tasks'][number] | undefined) => Promise<Json>) => {
      handlers[state] = async (input) => {
        const previous = recorded[visit];
        visit++;
        if (previous?.state === state && previous.result !== undefined) {
          entry.tasks.push(previous);
          this.save();
          return previous.result;
        }
        return run(input, previous?.state === state ? previous : undefined);
      };
    };
    for (const [state, lambda] of Object.entries(this.lambdas.waitForToken)) {
      wrap(state, async (input, previous) => {
        // On replay of a task that was waiting, keep its token: the mails with links were already sent.
        const token = previous?.token ?? randomBytes(24).toString('base64url');
        for (const [t, p] of this.tokens) if (p.execution === entry.name) this.tokens.delete(t);
        const record: JournalEntry['tasks'][number] = { state, token };
        entry.tasks.push(record);
        this.save();
        const { promise, resolve, reject } = Promise.withResolvers<Json>();
        this.tokens.set(token, { execution: entry.name, resolve, reject });
        if (!previous) await lambda(input, token);
        const result = await promise;
        record.result = result;
        delete record.token;
        this.save();
        return result;
      });
    }
    for (const [state, lambda] of Object.entries(this.lambdas.invoke)) {
      wrap(state, async (input) => {
        const payload = await lambda(input);
        const result: Json = { Payload: payload, StatusCode: 200 };
        entry.tasks.push({ state, result });
        this.save();
        return result;
      });
    }
    const exec = this.machine.run(entry.input, {
      overrides: { taskResourceLocalHandlers: handlers },
      context: { Task: { Token: 'ersatts-lokalt' } },
    } as Parameters<StateMachine['run']>[1]);
    const done = exec.result.then(
      (output) => {
        entry.status = 'SUCCEEDED';
        entry.output = output as Json;
      },
      (err: unknown) => {
        entry.status = 'FAILED';
        entry.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        this.opts.log(`Granskning ${entry.name} misslyckades: ${entry.error}`);
      },
    );
    this.running.set(
      entry.name,
      done.finally(() => {
        entry.stopDate = new Date().toISOString();
        this.save();
        this.running.delete(entry.name);
        for (const [t, p] of this.tokens) if (p.execution === entry.name) this.tokens.delete(t);
      }),
    );
  }

  sendTaskSuccess(token: string, output: string): void {
    const pending = this.tokens.get(token);
    if (!pending) throw new TaskError('TaskDoesNotExist', 'Task does not exist anymore');
    this.tokens.delete(token);
    pending.resolve(JSON.parse(output) as Json);
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

  /** Waits for running executions to settle (tests); abandons waiting tasks on shutdown. */
  async idle(): Promise<void> {
    await Promise.all(this.running.values());
  }
}
