import path from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { WORKSPACE } from './workspace';

/**
 * The names of the Prometheus metrics the services expose: libs/observability's registry (loaded from
 * its sources at run time, like service-config.ts loads the env schemas) and prom-client's default
 * process metrics, which each service adds when it starts.
 */
export function exposedMetricNames(): Set<string> {
  const { registry } = require(path.join(WORKSPACE, 'libs/observability/src/metrics.ts')) as { registry: Registry };
  const defaults = new Registry();
  collectDefaultMetrics({ register: defaults });
  return new Set([...registry.getMetricsAsArray(), ...defaults.getMetricsAsArray()].map((metric) => metric.name));
}

/** The series a metric's name stands for in PromQL: a histogram's _bucket, _count and _sum too. */
export const seriesBase = (series: string) => series.replace(/_(bucket|count|sum)$/, '');
