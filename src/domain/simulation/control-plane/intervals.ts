/**
 * @module simulation/control-plane/intervals
 * Sorted, disjoint half-open intervals [startUs, endUs) on the simulated clock: the currency in which every
 * control-plane layer states when something works. Small and naive on purpose (interval lists stay short).
 */
import type { IntervalUs } from '../availability.js';

/** Sorts and merges touching or overlapping intervals; drops empty ones. */
export function normalize(intervals: readonly IntervalUs[]): IntervalUs[] {
  const sorted = intervals
    .filter((i) => i.endUs > i.startUs)
    .sort((a, b) => a.startUs - b.startUs || a.endUs - b.endUs);
  const out: IntervalUs[] = [];
  for (const interval of sorted) {
    const last = out[out.length - 1];
    if (last && interval.startUs <= last.endUs) last.endUs = Math.max(last.endUs, interval.endUs);
    else out.push({ startUs: interval.startUs, endUs: interval.endUs });
  }
  return out;
}

export function union(...lists: (readonly IntervalUs[])[]): IntervalUs[] {
  return normalize(lists.flat());
}

/** The parts of [fromUs, toUs) not covered by the intervals. */
export function complement(intervals: readonly IntervalUs[], fromUs: number, toUs: number): IntervalUs[] {
  const out: IntervalUs[] = [];
  let cursor = fromUs;
  for (const interval of normalize(intervals)) {
    if (interval.endUs <= cursor) continue;
    if (interval.startUs >= toUs) break;
    if (interval.startUs > cursor) out.push({ startUs: cursor, endUs: interval.startUs });
    cursor = Math.max(cursor, interval.endUs);
  }
  if (cursor < toUs) out.push({ startUs: cursor, endUs: toUs });
  return out;
}

export function intersect(a: readonly IntervalUs[], b: readonly IntervalUs[]): IntervalUs[] {
  const out: IntervalUs[] = [];
  const x = normalize(a);
  const y = normalize(b);
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const startUs = Math.max(x[i]!.startUs, y[j]!.startUs);
    const endUs = Math.min(x[i]!.endUs, y[j]!.endUs);
    if (startUs < endUs) out.push({ startUs, endUs });
    if (x[i]!.endUs < y[j]!.endUs) i++;
    else j++;
  }
  return out;
}

/** Restricts intervals to [fromUs, toUs). */
export function clip(intervals: readonly IntervalUs[], fromUs: number, toUs: number): IntervalUs[] {
  return intersect(intervals, [{ startUs: fromUs, endUs: toUs }]);
}

/** Total length covered. */
export function measure(intervals: readonly IntervalUs[]): number {
  return normalize(intervals).reduce((sum, i) => sum + (i.endUs - i.startUs), 0);
}

/**
 * The earliest time in [fromUs, untilUs) that the intervals cover, or undefined: when a request sent at
 * fromUs, waiting at most until untilUs, first finds its path working.
 */
export function firstCovered(intervals: readonly IntervalUs[], fromUs: number, untilUs: number): number | undefined {
  for (const interval of intervals) {
    if (interval.endUs <= fromUs) continue;
    const t = Math.max(interval.startUs, fromUs);
    return t < untilUs ? t : undefined;
  }
  return undefined;
}

/** Every start and end, sorted and unique: the moments at which a combination of the lists can change. */
export function boundaries(...lists: (readonly IntervalUs[])[]): number[] {
  const set = new Set<number>();
  for (const list of lists) for (const i of list) set.add(i.startUs).add(i.endUs);
  return [...set].sort((a, b) => a - b);
}

/**
 * Builds intervals of [fromUs, toUs) on which predicate holds, given that it can only change at the listed
 * moments (it is evaluated once per piece, at the piece's start).
 */
export function sweep(
  changes: readonly number[],
  fromUs: number,
  toUs: number,
  predicate: (timeUs: number) => boolean,
): IntervalUs[] {
  const points = [fromUs, ...changes.filter((t) => t > fromUs && t < toUs), toUs];
  const out: IntervalUs[] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const startUs = points[k]!;
    const endUs = points[k + 1]!;
    if (startUs < endUs && predicate(startUs)) out.push({ startUs, endUs });
  }
  return normalize(out);
}

/** The end of the interval covering t (t itself when none does): when something that works at t stops. */
export function endOfCover(intervals: readonly IntervalUs[], timeUs: number): number {
  for (const interval of intervals) {
    if (interval.endUs <= timeUs) continue;
    return interval.startUs <= timeUs ? interval.endUs : timeUs;
  }
  return timeUs;
}
