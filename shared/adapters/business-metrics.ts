/**
 * The business metrics port (shared/kernel/metrics.ts) on Powertools Metrics, and the local stack's in-memory
 * stand-in. Powertools writes the invocation's metrics as one EMF line when the edge's `logMetrics` flushes;
 * a metric with dimensions of its own (an SP-API `operation`, a `currency`) also goes out at once as a single metric with them, so
 * its dimensions never mix with the invocation's.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricUnit as Unit } from '@aws-lambda-powertools/metrics/types';
import { VALUE_METRICS, type BusinessMetrics, type CountMetric, type MetricDimensions, type ValueMetric } from '#shared/kernel/metrics.ts';
import { metrics } from './observability.ts';

const UNITS = { None: MetricUnit.NoUnit, 'Count/Second': MetricUnit.CountPerSecond } as const;

export const powertoolsBusinessMetrics: BusinessMetrics = {
  count(name: CountMetric, by = 1, dimensions?: MetricDimensions) {
    emit(name, MetricUnit.Count, by, dimensions);
  },
  measure(name: ValueMetric, value: number, dimensions?: MetricDimensions) {
    emit(name, UNITS[VALUE_METRICS[name]], value, dimensions);
  },
};

function emit(name: string, unit: Unit, value: number, dimensions: MetricDimensions | undefined): void {
  // The service-wide series always (the alarms read it), the breakdown beside it (shared/kernel/metrics.ts).
  metrics.addMetric(name, unit, value);
  if (!dimensions || Object.keys(dimensions).length === 0) return;
  const single = metrics.singleMetric();
  for (const [key, dimensionValue] of Object.entries(dimensions)) single.addDimension(key, dimensionValue);
  single.addMetric(name, unit, value);
}

/** One metric as recorded: its name, dimensions and the sum of what was counted or measured. */
export interface RecordedMetric {
  readonly name: string;
  readonly dimensions: MetricDimensions;
  readonly sum: number;
  readonly samples: number;
}

/** The local stack's metrics: kept in memory, summed by name and dimensions (`GET /_local/metrics`, tests). */
export class RecordingBusinessMetrics implements BusinessMetrics {
  private readonly recorded = new Map<string, RecordedMetric>();

  count(name: CountMetric, by = 1, dimensions: MetricDimensions = {}): void {
    this.add(name, by, dimensions);
  }

  measure(name: ValueMetric, value: number, dimensions: MetricDimensions = {}): void {
    this.add(name, value, dimensions);
  }

  /** Every metric recorded so far, by name then dimensions. */
  list(): RecordedMetric[] {
    return [...this.recorded.values()].sort((a, b) => a.name.localeCompare(b.name) || JSON.stringify(a.dimensions).localeCompare(JSON.stringify(b.dimensions)));
  }

  /** The sum of `name` over the records whose dimensions include `dimensions`. */
  total(name: string, dimensions: MetricDimensions = {}): number {
    return this.list()
      .filter((m) => m.name === name && Object.entries(dimensions).every(([k, v]) => m.dimensions[k] === v))
      .reduce((sum, m) => sum + m.sum, 0);
  }

  private add(name: string, value: number, dimensions: MetricDimensions): void {
    const sorted = Object.fromEntries(Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b)));
    const key = `${name} ${JSON.stringify(sorted)}`;
    const previous = this.recorded.get(key);
    this.recorded.set(key, { name, dimensions: sorted, sum: (previous?.sum ?? 0) + value, samples: (previous?.samples ?? 0) + 1 });
  }
}
