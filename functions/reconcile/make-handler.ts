import middy from '@middy/core';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { tracer } from '../runtime/tracer.js';
import { reconcile, type ReconcileDeps, type ReconcileResult } from '../../domain/ingest/reconcile.js';

/** Scheduled: every hour, the last two days of stored mail are checked against the diarium. */
export function makeHandler(deps: ReconcileDeps & { metric: (name: string, value: number) => void }) {
  return middy(async (): Promise<ReconcileResult> => {
    const result = await reconcile(deps, { windowHours: 48, graceMinutes: 15 });
    deps.metric('ReconciliationFindings', result.saknade.length);
    deps.log('info', 'Avstämning klar', {
      granskade: result.granskade,
      saknade: result.saknade.length,
      ofardiga: result.ofardiga.length,
    });
    return result;
  }).use(captureLambdaHandler(tracer, { captureResponse: false }));
}
