/**
 * @module simulation/presets
 * Named experiments. `raft-paper-figure16` is the leader-crash experiment of the Raft paper (Ongaro &
 * Ousterhout, USENIX ATC 2014, §9.3, Figure 16), as set out in the claims ledger (docs/reference/ledger.md: raft-paper-experiment):
 *
 * - 5 servers; broadcast time (round trip + disk write) about 15 ms: here 1 ms one way (+ up to 0.5 ms
 *   jitter) and 12–14 ms of disk sync before a vote or an ack (1 + 13 + 1 ≈ 15 ms). A candidate sends its
 *   RequestVotes in parallel with its own disk write (syncBeforeVoteRequest false): with the write first,
 *   a request would take as long as the whole broadcast and 5 ms of randomness could never break a tie,
 *   which contradicts the paper's 287 ms median for 150–155 ms (see the report in scripts/raft-paper.ts).
 * - Classic Raft timing: continuous timeouts drawn uniformly from [min, max]; heartbeat interval = min / 2;
 *   each timer fires up to 0.5 ms late (scheduling jitter), so 150–150 can eventually break its ties.
 * - The leader is crashed at a uniformly random moment within its heartbeat interval; followers' timers were
 *   last reset by the same heartbeat, so they start together (up to the message jitter).
 * - Logs differ so that 2 of the 4 survivors cannot win: the leader and two followers hold index 11, the
 *   other two only index 10 (same term), so their candidacies are rejected by the up-to-date members.
 * - Downtime = crash until every survivor has heard from the new leader (allKnow).
 */
import type { ElectionConfig, SimMember } from './election-config.js';
import { defaultInitialTerm, msToUs } from './election-config.js';
import type { Scenario } from './scenario.js';

export const presetNames = ['raft-paper-figure16'] as const;
export type PresetName = (typeof presetNames)[number];

/** The timeout ranges of Figure 16: top graph (150 ms minimum, growing randomness), bottom (scaled ranges). */
export const raftPaperTimeoutRangesMs: readonly (readonly [number, number])[] = [
  [150, 150],
  [150, 151],
  [150, 155],
  [150, 175],
  [150, 200],
  [150, 300],
  [12, 24],
  [25, 50],
  [50, 100],
  [100, 200],
];

const paperOneWayMs = 1;
const paperJitterMs = 0.5;
const paperDiskSyncMs = 13;
/** fsync latency varies: 12–14 ms. Without any variation, equal timeouts (150–150) could never break a tie. */
const paperDiskJitterMs = 2;
/** Election timers fire up to 0.5 ms late (OS scheduling): the only tie-breaker left when min = max. */
const paperTimerJitterMs = 0.5;

export function raftPaperConfig(minMs = 150, maxMs = 300): ElectionConfig {
  const term = defaultInitialTerm;
  const members: SimMember[] = ['s1', 's2', 's3', 's4', 's5'].map((name, i) => ({
    name,
    zone: 'lab',
    host: name,
    learner: false,
    lastLogTerm: term,
    lastLogIndex: i < 3 ? 11 : 10,
  }));
  const n = members.length;
  const oneWay = msToUs(paperOneWayMs);
  const jitter = msToUs(paperJitterMs);
  return {
    members,
    timing: {
      model: 'classic',
      electionTimeoutMinMs: minMs,
      electionTimeoutMaxMs: maxMs,
      heartbeatIntervalMs: minMs / 2,
      preVote: false,
      checkQuorum: false,
      leaderLease: false,
      syncBeforeVoteRequest: false,
      timerJitterMs: paperTimerJitterMs,
    },
    network: {
      oneWayUs: members.map((_, i) => members.map((__, j) => (i === j ? 0 : oneWay))),
      jitterUs: Array.from({ length: n }, (_, i) => Array.from({ length: n }, (__, j) => (i === j ? 0 : jitter))),
      lossProbability: 0,
      diskSyncUs: msToUs(paperDiskSyncMs - paperDiskJitterMs / 2),
      diskSyncJitterUs: msToUs(paperDiskJitterMs),
    },
    start: 'steady',
    initialLeader: 's1',
    initialTerm: term,
    warmupMs: maxMs,
  };
}

/** Crash the leader at a uniformly random moment within one heartbeat interval (min / 2). */
export function raftPaperScenario(minMs = 150, horizonMs = 30_000): Scenario {
  return {
    faults: [{ type: 'crash', target: { kind: 'etcd-leader' }, at: { atMs: 0, withinMs: minMs / 2 } }],
    horizonMs,
  };
}
