import middy from '@middy/core';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { tracer } from '../runtime/tracer.js';
import { finalizeGranskning, type GranskningDeps } from '../../domain/granskning/use-cases.js';
import { granskningFinalizePayloadSchema } from '../../events/granskning.js';

export function makeHandler(deps: GranskningDeps) {
  return middy(async (event: unknown) => {
    const p = granskningFinalizePayloadSchema.parse(event);
    return finalizeGranskning(deps, p);
  }).use(captureLambdaHandler(tracer, { captureResponse: false }));
}
