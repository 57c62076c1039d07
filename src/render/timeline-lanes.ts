/**
 * @module render/timeline-lanes
 * From a simulation answer to the lanes of the failover timeline: etcd member states replayed from the
 * engine's timeline entries, capability states from availability windows, and the window of time worth
 * drawing (from just before the first fault to a little after the last change).
 *
 * Reads only the structural fields it names, so it takes the JSON answer as well as the engine's own types.
 */
import type { CapabilityState, MemberState, Segment } from './failover-timeline.js';

export interface Interval {
  startUs: number;
  endUs: number;
}

export interface MemberEvent {
  timeUs: number;
  member: string;
  kind: string;
}

/** The engine's timeline kinds that change what a member is. */
const stateAfter: Record<string, MemberState> = {
  'became-pre-candidate': 'pre-candidate',
  'became-candidate': 'candidate',
  'became-leader': 'leader',
  'became-follower': 'follower',
  'stepped-down': 'follower',
  crashed: 'down',
  stopped: 'down',
  restarted: 'follower',
};

/** Consecutive segments of one member's state over [startUs, endUs]; states before startUs carry in. */
export function memberSegments(
  member: string,
  events: readonly MemberEvent[],
  startUs: number,
  endUs: number,
): Segment<MemberState>[] {
  let state: MemberState = 'follower';
  let since = startUs;
  const out: Segment<MemberState>[] = [];
  for (const e of events) {
    const next = e.member === member ? stateAfter[e.kind] : undefined;
    if (next === undefined || e.timeUs > endUs) continue;
    if (e.timeUs <= startUs) {
      state = next;
      continue;
    }
    if (next === state) continue;
    out.push({ startUs: since, endUs: e.timeUs, state });
    state = next;
    since = e.timeUs;
  }
  out.push({ startUs: since, endUs, state });
  return out;
}

/** A capability's segments over [startUs, endUs]: down wins over degraded, the rest is up. */
export function capabilitySegments(
  down: readonly Interval[],
  degraded: readonly Interval[],
  startUs: number,
  endUs: number,
): Segment<CapabilityState>[] {
  const marks = new Set<number>([startUs, endUs]);
  for (const i of [...down, ...degraded]) {
    if (i.startUs > startUs && i.startUs < endUs) marks.add(i.startUs);
    if (i.endUs > startUs && i.endUs < endUs) marks.add(i.endUs);
  }
  const points = [...marks].sort((a, b) => a - b);
  const inside = (list: readonly Interval[], t: number) => list.some((i) => i.startUs <= t && t < i.endUs);
  const out: Segment<CapabilityState>[] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const [a, b] = [points[k]!, points[k + 1]!];
    const state: CapabilityState = inside(down, a) ? 'down' : inside(degraded, a) ? 'degraded' : 'up';
    const last = out[out.length - 1];
    if (last && last.state === state) last.endUs = b;
    else out.push({ startUs: a, endUs: b, state });
  }
  return out;
}

/** The complement of `up` within [startUs, endUs]: when etcd could not commit. */
export function gaps(up: readonly Interval[], startUs: number, endUs: number): Interval[] {
  const out: Interval[] = [];
  let cursor = startUs;
  for (const i of [...up].sort((a, b) => a.startUs - b.startUs)) {
    if (i.startUs > cursor) out.push({ startUs: cursor, endUs: Math.min(i.startUs, endUs) });
    cursor = Math.max(cursor, i.endUs);
    if (cursor >= endUs) break;
  }
  if (cursor < endUs) out.push({ startUs: cursor, endUs });
  return out.filter((i) => i.endUs > i.startUs);
}

/**
 * The time worth drawing: from a little before the first fault to a little after the last change, and never
 * past the horizon. `changesUs` are the moments something changed.
 */
export function drawnWindow(firstFaultUs: number, changesUs: readonly number[], horizonUs: number): Interval {
  const after = changesUs.filter((t) => t > firstFaultUs && t < horizonUs);
  const last = after.length > 0 ? Math.max(...after) : firstFaultUs;
  const span = Math.max(last - firstFaultUs, 200_000);
  return {
    startUs: firstFaultUs - Math.round(span * 0.12),
    endUs: Math.min(horizonUs, last + Math.round(span * 0.2)),
  };
}
