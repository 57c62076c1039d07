/**
 * @module simulation/presets
 * Named experiments, each a set of public request fields. `raft-paper-figure16` is the leader-crash
 * experiment of the Raft paper (Ongaro & Ousterhout, USENIX ATC 2014, §9.3, Figure 16), as set out in the claims
 * ledger (docs/reference/ledger.md: raft-paper-experiment):
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
import type { ElectionConfig } from './election-config.js';
import { type ElectionRequest, type ElectionSetup, electionSetup, plainClusterProposal } from './election-setup.js';
import type { Scenario } from './scenario.js';

export const presetNames = ['raft-paper-figure16'] as const;

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

/**
 * The preset as the public request fields it stands for (the answer echoes them): anyone can rerun the
 * experiment, or vary one of its assumptions, with an ordinary request.
 */
export function raftPaperFields(minMs = 150, maxMs = 300): ElectionRequest {
  return {
    members: 5,
    // 1 ms one way, + up to 0.5 ms jitter.
    rttMs: 2,
    networkModel: { jitterFraction: 0.5, diskSyncJitterMs: 2, diskSyncSpread: 0 },
    // fsync 12–14 ms before a vote or an ack: broadcast ≈ 1 + 13 + 1 ms.
    etcd: { diskSyncMs: 12 },
    model: 'classic',
    classic: {
      electionTimeoutMinMs: minMs,
      electionTimeoutMaxMs: maxMs,
      // Timers fire up to 0.5 ms late (OS scheduling): the only tie-breaker left when min = max.
      timerJitterMs: 0.5,
      // RequestVote in parallel with the candidate's own disk write.
      syncBeforeVoteRequest: false,
    },
    // 2 of the 4 survivors hold a shorter log (same term), so their candidacies are rejected.
    memberLogs: {
      'etcd-1': { lastLogIndex: 11 },
      'etcd-2': { lastLogIndex: 11 },
      'etcd-3': { lastLogIndex: 11 },
      'etcd-4': { lastLogIndex: 10 },
      'etcd-5': { lastLogIndex: 10 },
    },
  };
}

/** The engine setup of a preset request, or errors for fields the preset fixes. */
export function presetSetup(request: ElectionRequest): ElectionSetup {
  const fixed = ['members', 'learners', 'etcd', 'rttMs', 'model', 'classic', 'networkModel', 'memberLogs'] as const;
  const conflicts = fixed.filter((k) => request[k] !== undefined);
  if (conflicts.length > 0)
    return {
      ok: false,
      errors: conflicts.map((k) => ({
        pointer: `/${k}`,
        detail: 'The preset fixes the cluster and its timing; leave this out or drop `preset`.',
      })),
    };
  const min = request.presetTimeoutMs?.minMs ?? 150;
  const max = request.presetTimeoutMs?.maxMs ?? 300;
  if (max < min)
    return { ok: false, errors: [{ pointer: '/presetTimeoutMs/maxMs', detail: 'Must be at least minMs.' }] };
  const setup = raftPaperSetup(min, max);
  return { ...setup, words: `the Raft paper's 5-server cluster (classic timing, timeouts ${min}–${max} ms)` };
}

function raftPaperSetup(minMs: number, maxMs: number): ElectionSetup & { ok: true } {
  const fields = raftPaperFields(minMs, maxMs);
  const proposal = plainClusterProposal(fields);
  if (!proposal.ok) throw new Error(`the preset cluster must normalize: ${JSON.stringify(proposal.errors)}`);
  const setup = electionSetup(proposal.proposal, fields, '/etcd');
  if (!setup.ok) throw new Error(`the preset must set up: ${JSON.stringify(setup.errors)}`);
  return setup;
}

export function raftPaperConfig(minMs = 150, maxMs = 300): ElectionConfig {
  return raftPaperSetup(minMs, maxMs).config;
}

/** Crash the leader at a uniformly random moment within one heartbeat interval (min / 2). */
export function raftPaperScenario(minMs = 150, horizonMs = 30_000): Scenario {
  return {
    faults: [{ type: 'crash', target: { kind: 'etcd-leader' }, at: { atMs: 0, withinMs: minMs / 2 } }],
    horizonMs,
  };
}
