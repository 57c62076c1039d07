/**
 * @module simulation/election-config
 * What one election simulation runs on: the members, the timing model (etcd's ticks or the Raft paper's
 * continuous timeouts), the network and how the trial starts. Everything is explicit here; the builders fill
 * it from a normalized Proposal or from a bare member count.
 */
import { preVoteDefault } from '../etcd-versions.js';
import { voters, zoneRttMs, type Proposal } from '../proposal.js';

export interface SimMember {
  name: string;
  zone: string;
  /** The host (node) the member runs on; faults on a node hit its member. Default: the member's name. */
  host: string;
  learner: boolean;
  /**
   * Log position (term and index of the last entry) at the moment of the first fault — e.g. the old leader's
   * newest entries reached only some followers. Absent: the member holds every entry the leader has.
   */
  lastLogTerm?: number;
  lastLogIndex?: number;
}

/** etcd's Raft: everything counted in ticks of heartbeatIntervalMs on a per-member timer. */
export interface EtcdTiming {
  model: 'etcd';
  heartbeatIntervalMs: number;
  electionTimeoutMs: number;
  preVote: boolean;
  /** `--initial-election-tick-advance` (default true); matters only when the trial starts with a fresh cluster. */
  initialElectionTickAdvance: boolean;
}

/** Classic Raft as in the paper: continuous timeouts, no ticks. */
export interface ClassicTiming {
  model: 'classic';
  electionTimeoutMinMs: number;
  electionTimeoutMaxMs: number;
  heartbeatIntervalMs: number;
  /** Resend RequestVote to peers that have not answered, every this many ms, while a candidate. Absent: never. */
  voteRetryMs?: number;
  preVote: boolean;
  /** Step down when a quorum was not heard from within the minimum election timeout. */
  checkQuorum: boolean;
  /** Ignore (pre-)votes of higher terms within the minimum election timeout of hearing from a leader. */
  leaderLease: boolean;
  /**
   * Whether a candidate waits for its disk sync (new term and self-vote) before sending RequestVote. etcd
   * does (a follower's raftNode saves the Ready before sending). Default true; false sends in parallel.
   */
  syncBeforeVoteRequest?: boolean;
  /**
   * A timer fires up to this many ms late (OS timer and scheduling jitter), uniformly. Default 0. Without any,
   * equal timeouts (min = max) keep candidates in lock step forever.
   */
  timerJitterMs?: number;
}

type Timing = EtcdTiming | ClassicTiming;

export interface SimNetwork {
  /** oneWayUs[i][j]: base one-way latency from member i to member j, integer µs. */
  oneWayUs: number[][];
  /** jitterUs[i][j]: a message from i to j takes an extra uniform [0, jitterUs] µs. */
  jitterUs: number[][];
  /** Probability that any one message is lost. */
  lossProbability: number;
  /** fsync before a member acknowledges a vote or an append (and before a candidate asks for votes), µs. */
  diskSyncUs: number;
  /** Each disk sync takes an extra uniform [0, diskSyncJitterUs] µs (fsync latency varies). Default 0. */
  diskSyncJitterUs?: number;
  /**
   * Each disk sync takes an extra exponentially distributed delay with this mean, µs (capped at 20 × the
   * mean): fsync latency's long tail under load (queueing behind other writes, a starved CPU). Default 0.
   */
  diskSyncTailUs?: number;
  /**
   * fsync latency is log-normal: diskSyncUs is its median and this the standard deviation of its logarithm
   * (0: every fsync takes diskSyncUs). The same spread applies to etcd's shutdown handling before a stopping
   * leader hands over (a process waiting on the OS either way). Default 0; the simulations route defaults it
   * to the value fitted to real etcd (docs/CALIBRATION.md).
   */
  diskSyncSpread?: number;
}

export interface ElectionConfig {
  members: SimMember[];
  timing: Timing;
  network: SimNetwork;
  /**
   * steady: the trial starts with a leader that every member follows (term `initialTerm`), runs `warmupMs` to
   * settle, and the fault schedule starts at time 0 after that. bootstrap: a fresh cluster starts at time 0
   * with no leader (and etcd's initial election tick advance); the fault schedule also starts at 0.
   */
  start: 'steady' | 'bootstrap';
  /** Steady start: who leads; default the first voter with the most up-to-date log. */
  initialLeader?: string;
  /** Steady start: the leader's term. Default 2. */
  initialTerm?: number;
  /** Steady start: simulated time before the fault schedule starts. Default two heartbeat intervals. */
  warmupMs?: number;
}

export const defaultInitialTerm = 2;
/** Entries in every log at a steady start (an arbitrary, non-zero position). */
export const defaultLogIndex = 10;

/** Integer microseconds from milliseconds, rounded to the nearest µs (the engine's clock has no fractions). */
export function msToUs(ms: number): number {
  return Math.round(ms * 1000);
}

export interface NetworkOptions {
  /** Uniform extra delay per message as a fraction of the link's one-way latency. Default 0.1. */
  jitterFraction?: number;
  lossProbability?: number;
  diskSyncMs?: number;
}

/** A network where every link has the same round trip. */
export function uniformNetwork(
  memberCount: number,
  rttMs: number,
  options: NetworkOptions & { diskSyncMs: number },
): SimNetwork {
  const oneWay = msToUs(rttMs / 2);
  const jitter = Math.round(oneWay * (options.jitterFraction ?? 0.1));
  const matrix = (value: number) =>
    Array.from({ length: memberCount }, (_, i) => Array.from({ length: memberCount }, (_, j) => (i === j ? 0 : value)));
  return {
    oneWayUs: matrix(oneWay),
    jitterUs: matrix(jitter),
    lossProbability: options.lossProbability ?? 0,
    diskSyncUs: msToUs(options.diskSyncMs),
  };
}

/** The election configuration of a normalized proposal: its members, zones, RTTs and etcd flags. */
export function electionConfigFromProposal(
  proposal: Proposal,
  options: NetworkOptions & { model?: 'etcd'; start?: ElectionConfig['start']; preVote?: boolean } = {},
): ElectionConfig {
  const members: SimMember[] = proposal.etcdMembers.map((m) => ({
    name: m.name,
    zone: m.zone,
    host: m.host,
    learner: m.learner,
  }));
  if (voters(proposal).length === 0) throw new RangeError('the proposal has no voting etcd member');
  const jitterFraction = options.jitterFraction ?? 0.1;
  const oneWayUs = members.map((a, i) =>
    members.map((b, j) => (i === j ? 0 : msToUs(zoneRttMs(proposal.network, a.zone, b.zone) / 2))),
  );
  const jitterUs = oneWayUs.map((row) => row.map((v) => Math.round(v * jitterFraction)));
  return {
    members,
    timing: {
      model: 'etcd',
      heartbeatIntervalMs: proposal.etcd.heartbeatIntervalMs,
      electionTimeoutMs: proposal.etcd.electionTimeoutMs,
      preVote: options.preVote ?? proposal.etcd.preVote ?? preVoteDefault(proposal.etcd.version),
      initialElectionTickAdvance: true,
    },
    network: {
      oneWayUs,
      jitterUs,
      lossProbability: options.lossProbability ?? 0,
      diskSyncUs: msToUs(options.diskSyncMs ?? proposal.etcd.diskSyncMs),
    },
    start: options.start ?? 'steady',
  };
}

/**
 * Members m1..mN in one zone, for tests, benchmarks and scripts that need a plain cluster. (The simulation
 * endpoint names a bare member count etcd-1..etcd-N: see election-setup.ts.)
 */
export function plainMembers(count: number, learners = 0): SimMember[] {
  return Array.from({ length: count + learners }, (_, i) => ({
    name: `m${i + 1}`,
    zone: 'zone-a',
    host: `m${i + 1}`,
    learner: i >= count,
  }));
}
