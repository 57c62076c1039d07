/**
 * @module simulation/availability
 * What the etcd layer tells the layers above it. The control plane never changes how etcd elects, so the
 * simulation is layered: a Raft trial runs first and reports, per member, when a request sent to that member
 * would commit; the apiserver, lease and load-balancer layers then run over that report with the same faults.
 */

/** A half-open interval [startUs, endUs) on the simulated clock. */
export interface IntervalUs {
  startUs: number;
  endUs: number;
}

export interface EtcdServiceTimeline {
  /** Simulated time at which the trial ended. */
  horizonUs: number;
  /**
   * member name → sorted, disjoint intervals during which a write sent to that member commits: the member is
   * up, knows the current leader, can reach it, and that leader can reach a quorum of voters.
   */
  writableThrough: Record<string, IntervalUs[]>;
  /** Intervals during which some leader can commit (a write from a well-placed client would succeed). */
  clusterWritable: IntervalUs[];
}

/** Whether t falls inside one of the sorted, disjoint intervals. */
export function covers(intervals: readonly IntervalUs[], timeUs: number): boolean {
  let lo = 0;
  let hi = intervals.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const interval = intervals[mid]!;
    if (timeUs < interval.startUs) hi = mid - 1;
    else if (timeUs >= interval.endUs) lo = mid + 1;
    else return true;
  }
  return false;
}
