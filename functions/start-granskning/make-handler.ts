import middy from '@middy/core';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { tracer } from '../runtime/tracer.js';
import type { WorkflowStarter } from '../../domain/granskning/ports.js';
import { granskningIdFor } from '../../domain/granskning/policy.js';
import type { Log } from '../../domain/log.js';
import { HANDLING_DIARIEFORD, appEventSchema, startarGranskning } from '../../events/handling-diarieford.js';

export interface StartDeps {
  workflow: WorkflowStarter;
  log: Log;
}

/** Starts one granskning per complete handling; the execution name makes a duplicate event a no-op. */
export function makeHandler(deps: StartDeps) {
  return middy(async (event: unknown): Promise<{ status: 'startad' | 'fanns-redan' | 'ej-aktuell' }> => {
    const e = appEventSchema.parse(event);
    if (
      e['detail-type'] === HANDLING_DIARIEFORD &&
      (!startarGranskning(e.detail) || e.detail.granskning !== 'pagar')
    ) {
      return { status: 'ej-aktuell' };
    }
    const granskningId = granskningIdFor(e.detail.diarienummer);
    const status = await deps.workflow.start(granskningId, {
      diarienummer: e.detail.diarienummer,
      arende: e.detail.arende,
      granskningId,
    });
    deps.log('info', 'Granskning', { diarienummer: e.detail.diarienummer, status });
    return { status };
  }).use(captureLambdaHandler(tracer, { captureResponse: false }));
}
