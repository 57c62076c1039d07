/**
 * @module changes/elections
 * What a step costs in leader elections, from the election engine's public surface (election-config.ts, monte-carlo.ts):
 * seeded Monte Carlo trials of the cluster as it is at that step, with etcd's timings and the zones' RTTs.
 *
 * Two cases matter for membership changes:
 * - a transfer: `etcdctl move-leader` (and a leader's graceful stop, which etcd turns into the same
 *   MoveLeader) — simulated as a graceful stop of the leader; the pause is the transfer itself.
 * - a leader that is removed (or crashes) without a transfer: raft does not hand over on removal, the
 *   others wait out their election timeouts — simulated as a crash of the leader. The removed member still
 *   counts as a voter in the simulation, which needs at most one vote more than the real cluster would.
 *
 * Cases are cached within one plan by what decides them (the voters' zones, the leader's zone, the mode),
 * so a plan with many similar steps simulates each case once.
 */
import type { Proposal } from '../proposal.js';
import { hashString } from '../random.js';
import { electionConfigFromProposal } from '../simulation/election-config.js';
import { runTrials } from '../simulation/monte-carlo.js';
import { summarizeSamples } from '../statistics.js';
import { timingFindings, timingsStartable } from '../timing-rules.js';
import type { WorkBudget } from '../simulation/work-budget.js';
import type { ClusterState } from './membership.js';
import type { ElectionEstimate } from './types.js';

export type ElectionMode = 'transfer' | 'leader-lost';

export interface ElectionContext {
  /** Timings, network and version of the cluster at this point of the plan. */
  base: Proposal;
  /** Zone of each member by name (current and target). */
  zoneOf: Map<string, string>;
  seed: number;
  trials: number;
  cache: Map<string, ElectionEstimate>;
  /** The request's work budget, charged with every engine event of every case. */
  budget?: WorkBudget;
}

function usToMs(us: number | null): number | null {
  return us === null ? null : Math.round(us / 100) / 10;
}

export function estimateElection(
  context: ElectionContext,
  state: ClusterState,
  leader: string,
  mode: ElectionMode,
): ElectionEstimate | null {
  const running = state.filter((m) => !m.down);
  const voters = running.filter((m) => !m.learner);
  // A lone voter left behind elects itself; there is nobody to simulate a vote with.
  if (voters.length < 2 || !voters.some((m) => m.name === leader)) return null;
  // A cluster whose etcd refuses these timings never starts: it has no election to estimate (as for a plan's
  // failover section), and the engine cannot run them (a heartbeat of 0).
  if (!timingsStartable(timingFindings(context.base))) return null;
  const zoneOf = (name: string) => context.zoneOf.get(name) ?? context.base.zones[0] ?? 'zone-a';
  // What decides the outcome: the mode, where the leader is, and how many voters and learners sit in each zone
  // (names do not matter, and neither does their order).
  const key = JSON.stringify([
    mode,
    zoneOf(leader),
    running.map((m) => `${zoneOf(m.name)}:${m.learner ? 'l' : 'v'}`).sort(),
    context.base.etcd,
  ]);
  const cached = context.cache.get(key);
  if (cached) return cached;

  const proposal: Proposal = {
    ...context.base,
    etcdMembers: running.map((m) => ({
      name: m.name,
      zone: zoneOf(m.name),
      learner: m.learner,
      host: m.name,
      pointer: '',
    })),
  };
  const config = { ...electionConfigFromProposal(proposal), initialLeader: leader };
  const horizonMs = 30 * context.base.etcd.electionTimeoutMs;
  const scenario = {
    faults: [
      {
        type: mode === 'transfer' ? ('stop' as const) : ('crash' as const),
        target: { kind: 'member' as const, name: leader },
        at: { atMs: 0, withinMs: context.base.etcd.heartbeatIntervalMs },
      },
    ],
    horizonMs,
  };
  const seed = (context.seed ^ hashString(key)) >>> 0;
  // The project's one percentile rule (statistics.ts): nearest rank, and no p90 below 20 trials.
  const unavailable = summarizeSamples(
    runTrials(config, scenario, {
      trials: context.trials,
      seed,
      ...(context.budget ? { budget: context.budget } : {}),
    }).map((m) => m.unavailableUs),
  );
  const estimate: ElectionEstimate = {
    scenario:
      mode === 'transfer'
        ? `leadership moved off ${leader} (etcd MoveLeader, simulated as its graceful stop) with ${voters.length} voters`
        : `${leader} leaves while leading, without a transfer (simulated as a crash) with ${voters.length} voters`,
    trials: context.trials,
    seed,
    p50Ms: usToMs(unavailable.p50),
    p90Ms: usToMs(unavailable.p90),
  };
  context.cache.set(key, estimate);
  return estimate;
}

export interface PreVoteComparison {
  trials: number;
  /** Time without a writable leader after a leader crash, p50 in ms, without and with --pre-vote. */
  withoutPreVoteP50Ms: number | null;
  withPreVoteP50Ms: number | null;
}

/**
 * What the 3.5 pre-vote default does to an election after a leader crash in this cluster: the same crash
 * simulated with --pre-vote off and on (pre-vote adds a round of MsgPreVote before a candidate bumps its term).
 */
export function compareLeaderCrashPreVote(context: ElectionContext, state: ClusterState): PreVoteComparison | null {
  const leader = state.find((m) => !m.learner && !m.down)?.name;
  if (leader === undefined) return null;
  const run = (preVote: boolean) =>
    estimateElection(
      { ...context, base: { ...context.base, etcd: { ...context.base.etcd, preVote } } },
      state,
      leader,
      'leader-lost',
    );
  const without = run(false);
  const withPreVote = run(true);
  if (!without || !withPreVote) return null;
  return { trials: context.trials, withoutPreVoteP50Ms: without.p50Ms, withPreVoteP50Ms: withPreVote.p50Ms };
}
