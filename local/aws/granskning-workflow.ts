import type { Log } from '../../domain/log.js';
import path from 'node:path';
import { stateMachineDefinition } from '../../infra/definition.js';
import type { LocalFunctions } from './functions.js';
import { limiter } from './limiter.js';
import type { LocalStackOptions } from './options.js';
import { LocalStepFunctions, type LocalLambda } from './step-functions.js';
import type { Template } from './synth.js';

const payloadOf = (params: unknown) => (params as { Payload?: unknown }).Payload ?? params;
// The handlers take a Lambda context they do not read.
const ctx = {} as never;

/** The granskning state machine: the synthesized ASL, its Lambda tasks mapped by state name. */
export function startGranskningWorkflow(opts: {
  stateMachineArn: string;
  serviceTemplate: Template;
  fns: Pick<LocalFunctions, 'granskningTask' | 'finalize'>;
  options: Pick<LocalStackOptions, 'granskningConcurrency' | 'granskningTimeouts'>;
  dataDir: string;
  log: Log;
}): LocalStepFunctions {
  const { fns, log } = opts;
  // The granskning Lambdas run with the concurrency a Lambda would be given, so a burst of reports queues
  // them instead of starving the ingest of the machine's two cores.
  const limitGranskning = limiter(opts.options.granskningConcurrency ?? 2);
  // Lambda errors reach the log as they would in CloudWatch; the state machine sees them as task failures.
  const logged = <T>(name: string, run: () => Promise<T>): Promise<T> =>
    run().catch((err: unknown) => {
      log(
        'error',
        `Lambda ${name} misslyckades: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      throw err;
    });
  const waitTask: LocalLambda = async (params, token) => {
    const payload = { ...(payloadOf(params) as Record<string, unknown>), taskToken: token };
    await limitGranskning(() => logged('granskning-task', () => fns.granskningTask(payload, ctx)));
    return null;
  };
  const avsluta: LocalLambda = async (params) => {
    const r = await logged('granskning-finalize', () => fns.finalize(payloadOf(params), ctx));
    return { utfall: r.utfall, beslutshandling: r.beslutshandling };
  };
  const timeouts = opts.options.granskningTimeouts;
  return new LocalStepFunctions(
    opts.stateMachineArn,
    stateMachineDefinition(opts.serviceTemplate),
    {
      waitForToken: { NotifieraBeredningsgrupp: waitTask, Paminnelse: waitTask, Eskalering: waitTask },
      invoke: { Avsluta: avsluta },
    },
    {
      dataDir: path.join(opts.dataDir, 'stepfunctions'),
      ...(timeouts
        ? {
            taskTimeoutOverrideSeconds: {
              NotifieraBeredningsgrupp: timeouts.svarstid,
              Paminnelse: timeouts.paminnelse,
              Eskalering: timeouts.eskalering,
            },
          }
        : {}),
      log,
    },
  );
}
