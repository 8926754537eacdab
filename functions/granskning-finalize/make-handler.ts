import middy from '@middy/core';
import { finalizeGranskning, type GranskningDeps } from '../../domain/granskning/use-cases.js';
import { granskningFinalizePayloadSchema } from '../../events/granskning.js';

export function makeHandler(deps: GranskningDeps) {
  return middy(async (event: unknown) => {
    const p = granskningFinalizePayloadSchema.parse(event);
    return finalizeGranskning(deps, p);
  });
}
