/** @module calibration/stats — percentiles (nearest rank) and a side-by-side table. */
import { nearestRank } from '../../src/domain/statistics.js';

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of sorted values: the smallest value with at least p% of values ≤ it. */
function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[nearestRank(p, sorted.length) - 1]! : Number.NaN;
}

export function summarize(values: number[]): Summary {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const mean = v.reduce((s, x) => s + x, 0) / (v.length || 1);
  return {
    n: v.length,
    min: v[0] ?? NaN,
    p50: percentile(v, 50),
    p90: percentile(v, 90),
    p99: percentile(v, 99),
    max: v[v.length - 1] ?? NaN,
    mean,
  };
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(0).padStart(6) : '     –');

/** Rows of "label | n | min p50 p90 p99 max mean" in ms. */
export function table(rows: Array<[string, Summary]>): string {
  const width = Math.max(...rows.map(([l]) => l.length), 10);
  const head = `${'ms'.padEnd(width)} |    n |    min    p50    p90    p99    max   mean`;
  const lines = rows.map(
    ([label, s]) =>
      `${label.padEnd(width)} | ${String(s.n).padStart(4)} | ${[s.min, s.p50, s.p90, s.p99, s.max, s.mean].map(fmt).join(' ')}`,
  );
  return [head, '-'.repeat(head.length), ...lines].join('\n');
}
