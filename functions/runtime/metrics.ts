import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * A business-metric counter, published as EMF at once. Off when the config record says so: outside CloudWatch
 * the EMF lines would only clutter the log.
 */
export function countMetric(c: {
  POWERTOOLS_METRICS_DISABLED: boolean;
}): (name: string, value: number) => void {
  if (c.POWERTOOLS_METRICS_DISABLED) return () => undefined;
  const metrics = new Metrics({ namespace: 'Rapportflode' });
  return (name, value) => {
    metrics.addMetric(name, MetricUnit.Count, value);
    metrics.publishStoredMetrics();
  };
}
