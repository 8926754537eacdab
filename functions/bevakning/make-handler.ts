import middy from '@middy/core';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { tracer } from '../runtime/tracer.js';
import { runBevakning, type BevakningDeps } from '../../domain/bevakning/run-bevakning.js';

/** Scheduled daily (EventBridge Scheduler): reminders due today, and the kansli's list. */
export function makeHandler(deps: BevakningDeps & { clock: () => Date }) {
  return middy(async () => {
    const r = await runBevakning(deps, deps.clock());
    const skickade = r.rapporter.reduce((n, b) => n + b.skickat.length, 0);
    deps.log('info', 'Bevakning klar', {
      datum: r.datum,
      insatser: r.rapporter.length,
      paminnelser: skickade + r.kompletteringar.reduce((n, k) => n + k.skickat.length, 0),
      kansliLista: r.kansliListaSkickad,
    });
    return { datum: r.datum, paminnelser: skickade, kansliListaSkickad: r.kansliListaSkickad };
  }).use(captureLambdaHandler(tracer, { captureResponse: false }));
}
