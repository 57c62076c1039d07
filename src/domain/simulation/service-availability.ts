/**
 * @module simulation/service-availability
 * The service-availability observer: after every event that changed who leads or who can reach whom, decides
 * whether a write sent through each member commits now (member up, follows the current leader at its term,
 * reaches it both ways, the leader reaches a quorum of live voters and is not transferring leadership),
 * whether any leader can commit, and whether every live member knows the leader. Keeps the time without a
 * leader able to commit, and (when recording) the intervals of the EtcdServiceTimeline.
 */
import type { EtcdServiceTimeline } from './availability.js';
import type { Network } from './network.js';
import { LEADER } from './raft-messages.js';
import type { RaftNodes } from './raft-node.js';
import { ServiceRecorder } from './service-recorder.js';
import type { TrialMetricsObserver } from './trial-metrics.js';

export class ServiceAvailability {
  writableNow = false;
  allKnowNow = false;
  private unavailableSinceUs = -1;
  private unavailableTotalUs = 0;
  /** Whether this trial keeps the EtcdServiceTimeline intervals. */
  recording = false;
  private readonly recorder: ServiceRecorder;

  constructor(
    private readonly nodes: RaftNodes,
    private readonly network: Network,
    private readonly up: Uint8Array,
    /** Members handling SIGTERM before their handover: a leader about to go is not a settled leader. */
    private readonly stopping: Uint8Array,
    private readonly metrics: TrialMetricsObserver,
  ) {
    this.recorder = new ServiceRecorder(nodes.n);
  }

  reset(recording: boolean): void {
    this.recording = recording;
    this.writableNow = false;
    this.allKnowNow = false;
    this.unavailableSinceUs = -1;
    this.unavailableTotalUs = 0;
    this.recorder.reset(recording);
  }

  /** The live leader of the highest term, or −1. */
  currentLeader(): number {
    const { state, term } = this.nodes;
    let best = -1;
    for (let i = 0; i < this.nodes.n; i++) {
      if (this.up[i] && state[i] === LEADER && (best < 0 || term[i]! > term[best]!)) best = i;
    }
    return best;
  }

  /** Whether a write through each member commits now, whether some leader can commit, and whether all know it. */
  recompute(nowUs: number): void {
    const { n, lead, term, learner, voterIds, quorum, transferee } = this.nodes;
    const net = this.network;
    const leader = this.currentLeader();
    let leaderOk = false;
    if (leader >= 0 && transferee[leader]! < 0) {
      let reach = 0;
      for (const v of voterIds) if (v === leader || (this.up[v] && net.connected(leader, v))) reach++;
      leaderOk = reach >= quorum;
    }
    const lt = leader >= 0 ? term[leader]! : -1;
    let allKnow = leader >= 0;
    for (let i = 0; i < n; i++) {
      if (!this.up[i]) continue;
      const knows = leader >= 0 && lead[i] === leader && term[i] === lt;
      if (!knows) allKnow = false;
      if (this.recording) {
        // etcd refuses writes on a learner (ErrGRPCNotSupportedForLearner), so none go through it.
        const w = leaderOk && knows && !learner[i] && (i === leader || net.connected(i, leader)) ? 1 : 0;
        this.recorder.setMember(i, w, nowUs);
      }
    }
    if (this.recording) for (let i = 0; i < n; i++) if (!this.up[i]) this.recorder.memberDown(i, nowUs);
    this.trackUnavailable(leaderOk, nowUs);
    this.allKnowNow = allKnow && leaderOk && !this.stopping[leader];
    if (this.allKnowNow && this.metrics.firstFaultUs >= 0 && this.metrics.allKnowUs < 0) this.metrics.allKnowUs = nowUs;
  }

  private trackUnavailable(leaderOk: boolean, nowUs: number): void {
    const afterFault = this.metrics.firstFaultUs >= 0;
    if (leaderOk !== this.writableNow) {
      if (leaderOk) {
        if (this.recording) this.recorder.clusterWritable(nowUs);
        if (this.unavailableSinceUs >= 0) {
          this.unavailableTotalUs += nowUs - this.unavailableSinceUs;
          this.unavailableSinceUs = -1;
        }
      } else {
        if (this.recording) this.recorder.clusterUnwritable(nowUs);
        if (afterFault) this.unavailableSinceUs = nowUs;
      }
      this.writableNow = leaderOk;
    } else if (!leaderOk && afterFault && this.unavailableSinceUs < 0) {
      this.unavailableSinceUs = nowUs;
    }
  }

  /** Time without a leader able to commit after the first fault, counted to stopUs. */
  unavailableUs(stopUs: number): number {
    return this.unavailableTotalUs + (this.unavailableSinceUs >= 0 ? stopUs - this.unavailableSinceUs : 0);
  }

  timeline(names: readonly string[], stopUs: number): EtcdServiceTimeline {
    return this.recorder.timeline(names, stopUs, this.writableNow);
  }
}
