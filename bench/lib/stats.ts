/**
 * @module bench/lib/stats
 * Percentiles, a power-law fit and a plain-text table: the arithmetic every benchmark section shares.
 */
import { nearestRank } from '../../src/domain/statistics.js';

/** Nearest-rank percentile (a whole p in 1..100) of unsorted samples, by the answers' own rank rule. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[nearestRank(p, sorted.length) - 1]!;
}

export interface PowerLawFit {
  /** cost ∝ x^exponent */
  exponent: number;
  /** Coefficient of determination of the fit in log-log space. */
  r2: number;
}

/** Least squares on (log x, log y): the exponent of y ∝ x^k and how well the line fits. */
export function fitPowerLaw(points: readonly { x: number; y: number }[]): PowerLawFit {
  const usable = points.filter((p) => p.x > 0 && p.y > 0);
  const lx = usable.map((p) => Math.log(p.x));
  const ly = usable.map((p) => Math.log(p.y));
  const n = usable.length;
  const mx = lx.reduce((a, b) => a + b, 0) / n;
  const my = ly.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (lx[i]! - mx) * (ly[i]! - my);
    sxx += (lx[i]! - mx) ** 2;
    syy += (ly[i]! - my) ** 2;
  }
  const exponent = sxy / sxx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { exponent, r2 };
}

/** A left-aligned text table (first column) with right-aligned figures. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function ms(value: number, digits = 3): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

export function rate(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 1e6
    ? `${(value / 1e6).toFixed(2)} M`
    : value >= 1e3
      ? `${(value / 1e3).toFixed(1)} k`
      : value.toFixed(0);
}
