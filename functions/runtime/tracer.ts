import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * One tracer per cold start; service name from POWERTOOLS_SERVICE_NAME, and off outside Lambda. Handlers wrap it
 * with `captureResponse: false`: a response can hold a reviewer's page, with report content and a CSRF value,
 * which has no place in X-Ray.
 */
export const tracer = new Tracer();
