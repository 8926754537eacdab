import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

let metrics: Metrics | undefined;

/** The function's one Metrics instance, shared by its counters and the handler's logMetrics middleware. */
export function sharedMetrics(): Metrics {
  return (metrics ??= new Metrics({ namespace: 'Rapportflode' }));
}

/**
 * A business-metric counter. `now` publishes each value as EMF at once (for functions where most invocations
 * record none, so logMetrics would warn on every one); `at-end` leaves publishing to the logMetrics middleware.
 * Off when the config record says so: outside CloudWatch the EMF lines would only clutter the log.
 */
export function countMetric(
  c: { POWERTOOLS_METRICS_DISABLED: boolean },
  publish: 'now' | 'at-end' = 'now',
): (name: string, value: number) => void {
  if (c.POWERTOOLS_METRICS_DISABLED) return () => undefined;
  const m = sharedMetrics();
  return (name, value) => {
    m.addMetric(name, MetricUnit.Count, value);
    if (publish === 'now') m.publishStoredMetrics();
  };
}
