/**
 * @module simulation/service-recorder
 * Records, during a trial, when a write sent through each member would commit, and when any leader could
 * commit, and turns that into the EtcdServiceTimeline of availability.ts. The engine decides writability
 * (recompute); this module only keeps the intervals.
 */
import type { EtcdServiceTimeline, IntervalUs } from './availability.js';

export class ServiceRecorder {
  private readonly writableSinceUs: Float64Array;
  private readonly writable: Uint8Array;
  private memberIntervals: IntervalUs[][] = [];
  private clusterIntervals: IntervalUs[] = [];
  private clusterWritableSinceUs = -1;

  constructor(memberCount: number) {
    this.writableSinceUs = new Float64Array(memberCount);
    this.writable = new Uint8Array(memberCount);
  }

  /** Starts a trial; the interval lists are allocated only when the trial records the service timeline. */
  reset(recording: boolean): void {
    this.clusterWritableSinceUs = -1;
    this.memberIntervals = recording ? Array.from(this.writable, () => []) : [];
    this.clusterIntervals = [];
    this.writable.fill(0);
  }

  /** Member i can (w = 1) or cannot (w = 0) take writes from nowUs on. */
  setMember(i: number, w: number, nowUs: number): void {
    if (w === this.writable[i]) return;
    if (w) this.writableSinceUs[i] = nowUs;
    else if (nowUs > this.writableSinceUs[i]!)
      this.memberIntervals[i]!.push({ startUs: this.writableSinceUs[i]!, endUs: nowUs });
    this.writable[i] = w;
  }

  /** A member that is down takes no writes, whatever it last believed. */
  memberDown(i: number, nowUs: number): void {
    if (!this.writable[i]) return;
    if (nowUs > this.writableSinceUs[i]!)
      this.memberIntervals[i]!.push({ startUs: this.writableSinceUs[i]!, endUs: nowUs });
    this.writable[i] = 0;
  }

  clusterWritable(nowUs: number): void {
    this.clusterWritableSinceUs = nowUs;
  }

  clusterUnwritable(nowUs: number): void {
    if (nowUs > this.clusterWritableSinceUs)
      this.clusterIntervals.push({ startUs: this.clusterWritableSinceUs, endUs: nowUs });
  }

  /** Closes the open intervals at stopUs. */
  timeline(names: readonly string[], stopUs: number, clusterWritableNow: boolean): EtcdServiceTimeline {
    const writableThrough: Record<string, IntervalUs[]> = {};
    for (let i = 0; i < names.length; i++) {
      const intervals = this.memberIntervals[i]!;
      if (this.writable[i] && stopUs > this.writableSinceUs[i]!)
        intervals.push({ startUs: this.writableSinceUs[i]!, endUs: stopUs });
      writableThrough[names[i]!] = intervals;
    }
    const cluster = this.clusterIntervals;
    if (clusterWritableNow && stopUs > this.clusterWritableSinceUs)
      cluster.push({ startUs: this.clusterWritableSinceUs, endUs: stopUs });
    return { horizonUs: stopUs, writableThrough, clusterWritable: cluster };
  }
}
