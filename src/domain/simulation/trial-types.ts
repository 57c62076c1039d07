/**
 * @module simulation/trial-types
 * What one trial takes and returns: its options, the faults it applied, its metrics and its result, and the
 * error thrown when a Raft safety invariant breaks.
 */
import type { EtcdServiceTimeline } from './availability.js';
import type { Fault } from './scenario.js';
import type { WorkBudget } from './work-budget.js';
import type { TimelineEntry } from './timeline.js';

export interface TrialOptions {
  /** Record the timeline (off for Monte Carlo: it is the main allocation). */
  recordTimeline?: boolean;
  /** Record per-member writability (EtcdServiceTimeline). */
  recordService?: boolean;
  /**
   * Stop as soon as every fault has happened and the cluster is settled again (a leader every live member
   * follows, able to commit). The metrics are the same as running to the horizon as long as nothing else
   * happens; it is not used when messages can be lost (a loss could start a new election later).
   */
  stopWhenSettled?: boolean;
  /** Hard cap on events processed; the trial stops there and says so. */
  maxEvents?: number;
  /**
   * The request's one work budget: every event of the trial is charged to it, and the trial stops one event
   * past what is left, so the charge throws WorkBudgetExceeded (the hard stop) instead of running on.
   */
  budget?: WorkBudget;
  /** Skip the `faults` list (Monte Carlo reads only the metrics). */
  metricsOnly?: boolean;
  /** Stop recording the timeline after this many entries (the result says so). Default unlimited. */
  maxTimelineEntries?: number;
  /** Named in invariant-violation errors so a failing run can be replayed. */
  seed?: number;
  trialIndex?: number;
}

export interface AppliedFault {
  type: Fault['type'];
  timeUs: number;
  /** Members the fault hit (for a partition: the members cut off from the rest, i.e. every member). */
  members: string[];
  detail: string;
}

export interface TrialMetrics {
  /** When the first fault happened (0 for a bootstrap without faults). */
  faultAtUs: number;
  /** From the first fault to the first member becoming leader after it; null if none within the horizon. */
  newLeaderAfterUs: number | null;
  /** From the first fault until there is a leader that every live member follows; null if never. */
  allKnowAfterUs: number | null;
  /** Time after the first fault during which no leader could commit (clusterWritable false). */
  unavailableUs: number;
  newLeader: string | null;
  newLeaderTerm: number | null;
  /** Candidacies (real elections, i.e. term bumps) from the first fault until the new leader. */
  electionRounds: number;
  /** Pre-vote campaigns from the first fault until the new leader. */
  preVoteRounds: number;
  /** Terms with two or more candidates and no leader, before the new leader. */
  splitVotes: number;
  /** Terms with a candidate but no leader, before the new leader (split votes, stale logs, lost messages). */
  failedElections: number;
  /** newLeaderTerm − the highest term at the first fault. */
  termsUsed: number | null;
  endUs: number;
  events: number;
  /** The trial hit maxEvents before its horizon. */
  truncated: boolean;
}

export interface TrialResult {
  seed?: number;
  trialIndex?: number;
  faults: AppliedFault[];
  metrics: TrialMetrics;
  timeline?: TimelineEntry[];
  /** The timeline stopped at maxTimelineEntries. */
  timelineTruncated?: boolean;
  service?: EtcdServiceTimeline;
}

export class InvariantViolation extends Error {
  constructor(message: string, seed: number | undefined, trialIndex: number | undefined) {
    super(`Raft invariant violated (seed ${seed ?? 'unknown'}, trial ${trialIndex ?? 'unknown'}): ${message}`);
    this.name = 'InvariantViolation';
  }
}
