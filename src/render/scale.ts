/**
 * @module render/scale
 * A linear scale whose ticks and nice domain come from d3-array (the functions d3-scale's scaleLinear calls
 * for its own ticks). scaleLinear itself would bring d3-interpolate, d3-color and d3-format into the Worker
 * (about 11 KiB gzip) for a map these charts only need from numbers to pixels.
 */
import { nice as niceDomain, ticks as d3Ticks } from 'd3-array';

export interface LinearScale {
  (value: number): number;
  /** Round values spaced 1, 2 or 5 × 10^k apart inside the domain, about `count` of them. */
  ticks(count: number): number[];
}

export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
  options: { nice?: number; clamp?: boolean } = {},
): LinearScale {
  const [d0, d1] = options.nice ? niceDomain(domain[0], domain[1], options.nice) : domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  const scale = ((value: number) => {
    const t = (value - d0) / span;
    return r0 + (options.clamp ? Math.min(1, Math.max(0, t)) : t) * (r1 - r0);
  }) as LinearScale;
  scale.ticks = (count) => d3Ticks(d0, d1, count);
  return scale;
}
