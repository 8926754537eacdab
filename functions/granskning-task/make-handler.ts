import middy from '@middy/core';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { tracer } from '../runtime/tracer.js';
import { runGranskningStep, type GranskningDeps } from '../../domain/granskning/use-cases.js';
import { granskningTaskPayloadSchema } from '../../events/granskning.js';

/** The wait-for-token task: its return value is ignored; the workflow resumes on SendTaskSuccess. */
export function makeHandler(deps: GranskningDeps) {
  return middy(async (event: unknown): Promise<{ steg: string }> => {
    const p = granskningTaskPayloadSchema.parse(event);
    await runGranskningStep(deps, p.steg, p.taskToken, p.granskning);
    return { steg: p.steg };
  }).use(captureLambdaHandler(tracer, { captureResponse: false }));
}
