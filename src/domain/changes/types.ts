/**
 * @module changes/types
 * The vocabulary of a change plan: how to get from the cluster that runs today (`current`) to the proposed
 * one (`target`), one safe step at a time. Both sides are normalized proposals (the body of POST /v1/plans);
 * members and control-plane nodes are matched by name.
 */
import type { CommandLine } from '../config/command-line.js';
import type { ConfigPaths } from '../config/paths.js';
import type { EtcdVersion } from '../etcd-versions.js';
import type { Finding, Source } from '../findings.js';
import type { Proposal, Topology } from '../proposal.js';
import type { WorkBudget } from '../simulation/work-budget.js';

interface ChangeOptions {
  /**
   * The etcd minor versions to pass through, current first and target last (e.g. 3.4, 3.5, 3.6). Absent: one
   * minor at a time from current.etcd.version to target.etcd.version.
   */
  etcdVersionPath?: EtcdVersion[];
  /** Whether a planned write outage is acceptable (a restore from a snapshot needs one). Default false. */
  downtimeAcceptable?: boolean;
  /** Members (by name) to rebuild in place: same name and address, fresh data directory (a failed disk). */
  replaceMembers?: string[];
  /** Members (by name) of `current` that are down right now. */
  failedMembers?: string[];
  /** Rebuild every member from one snapshot with a new cluster token instead of changing members live. */
  restoreFromSnapshot?: boolean;
  /** Certificate and data paths, as in POST /v1/config. */
  paths?: Partial<ConfigPaths>;
  /** Seed of the election simulations (default: derived from the request). */
  seed?: number;
  /** Trials per simulated election case. */
  trials?: number;
}

/** Where each option sits in the request, so refusals and findings can point at it. */
export interface ChangePointers {
  current: string;
  target: string;
  options: string;
}

export type ChangeKind =
  | 'grow'
  | 'shrink'
  | 'replace'
  | 'move-zones'
  | 'stacked-to-external'
  | 'external-to-stacked'
  | 'upgrade'
  | 'downgrade'
  | 'control-plane-nodes'
  | 'restore'
  | 'none';

type StepAction =
  | 'snapshot-save'
  | 'add-learner'
  | 'promote'
  | 'move-leader'
  | 'remove-member'
  | 'update-apiserver'
  | 'kubeadm-join'
  | 'kubeadm-reset'
  | 'upgrade-member'
  | 'enable-downgrade'
  | 'stop-cluster'
  | 'restore-member'
  | 'start-cluster';

/** One command to run, and where. */
export interface StepCommand {
  /** The host to run it on, or "any" (any host with etcdctl, the CA and a client certificate). */
  runOn: string;
  purpose: string;
  command: CommandLine;
  /** Run only when this holds (checked with the step's first check), e.g. "etcd-2 leads". */
  onlyIf?: { kind: 'member-leads'; member: string };
}

/** A static-pod manifest edited in place: each flag's value before and after (null: absent). */
export interface ManifestEdit {
  host: string;
  file: string;
  changes: { flag: string; from: string | null; to: string | null }[];
}

export interface StepCheck {
  description: string;
  command?: CommandLine;
  /** What the output must show before going on. */
  expect: string;
}

/** The cluster's voting membership at one moment. */
export interface Membership {
  /** Voters by name (`voterCount` counts them; a bare `voters` is a count elsewhere in the API). */
  etcdVoters: string[];
  etcdLearners: string[];
  /** Voters that are not running during the step (failed, or stopped by the step itself). */
  down: string[];
  voterCount: number;
  quorum: number;
  /** Voter failures the cluster survives on top of `down`; 0 when it has no quorum. */
  tolerableFailures: number;
  /** Whether a leader can commit writes (false during a planned outage). */
  writable: boolean;
}

export interface ElectionEstimate {
  /** What was simulated, in words. */
  scenario: string;
  trials: number;
  seed: number;
  /** Time without a leader able to commit, nearest-rank percentiles over all trials (null: beyond the horizon). */
  p50Ms: number | null;
  p90Ms: number | null;
}

export interface StepRisk {
  /** Operator estimate of the step's wall time, in seconds (not measured). */
  expectedDurationS: number;
  /**
   * none: no election; transfer: leadership moves by etcd's MoveLeader (a short pause, no timeout);
   * if-leader: an election only when the member leads at that moment (the plan moves leadership first);
   * certain: an election happens (e.g. every member restarts).
   */
  leaderElection: 'none' | 'transfer' | 'if-leader' | 'certain';
  /** From the election engine, when the step can cost an election or a transfer. */
  simulated: ElectionEstimate | null;
  note: string;
}

export interface ChangeStep {
  index: number;
  action: StepAction;
  title: string;
  member?: string;
  node?: string;
  commands: StepCommand[];
  manifestEdits: ManifestEdit[];
  checks: StepCheck[];
  /** At most one membership change per step, never two in flight. */
  membershipChange: { kind: 'add-learner' | 'promote' | 'remove' | 'rebuild'; member: string } | null;
  /** The membership at the step's riskiest moment. */
  membership: Membership;
  membershipAfter: Membership;
  risk: StepRisk;
  rollback: { description: string; commands: CommandLine[] };
  source: Source[];
}

export interface ClusterFacts {
  topology: Topology;
  etcdVersion: EtcdVersion;
  /** Names, as in a plan's placement (a bare `voters` is a count elsewhere in the API). */
  etcdVoters: string[];
  etcdLearners: string[];
  controlPlaneNodes: string[];
}

export interface ChangePlan {
  kinds: ChangeKind[];
  from: ClusterFacts;
  to: ClusterFacts;
  versionPath: EtcdVersion[];
  plannedDowntime: boolean;
  steps: ChangeStep[];
  lowestTolerableFailures: number;
  /** Steps (by index) at the lowest tolerance. */
  lowestToleranceSteps: number[];
  peakVoters: number;
  expectedWriteUnavailability: {
    /** Sum over steps of the simulated time without a writable leader (p50, p90 per step), in ms. */
    electionsP50Ms: number;
    electionsP90Ms: number;
    /** Simulated trials behind each figure. */
    trialsPerCase: number;
    stepsWithElections: number;
    /** A planned outage (restore), operator estimate in seconds; 0 without one. */
    plannedOutageS: number;
  };
  paths: ConfigPaths;
  findings: Finding[];
  summary: string;
}

/** A request that cannot be planned safely: answered with 422 and this reason. */
export interface ChangeRefusal {
  code: string;
  pointer: string;
  detail: string;
  source?: Source;
}

export type ChangeResult = { ok: true; plan: ChangePlan } | { ok: false; refusals: ChangeRefusal[] };

export interface ChangeInput {
  current: Proposal;
  target: Proposal;
  options: ChangeOptions;
  pointers?: ChangePointers;
  /**
   * The request's work budget: every election-engine event of every simulated case is charged to it
   * (WorkBudgetExceeded past it). Not in `options`, which seed the simulations.
   */
  budget?: WorkBudget;
}
