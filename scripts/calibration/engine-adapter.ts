/**
 * @module calibration/engine-adapter
 * Runs the calibration settings through the election simulator (src/domain/simulation/election-engine.ts) and
 * reduces its trials to the figures the calibration compares. The engine is loaded at run time so this script
 * also works on a branch where it has not landed yet (it then says so instead of printing a column).
 *
 * Settings mirror the real run: N plain members, etcd timing, a steady start, the leader crashed (SIGKILL) or
 * stopped (SIGTERM) at a moment uniform within one heartbeat interval, loopback network and a disk-sync delay.
 */
import type { Random as RandomType } from '../../src/domain/random.js';

interface EngineTrial {
  firstCampaignMs: number;
  electedMs: number;
  allKnowMs: number;
  terms: number;
  winnerSequence: string[];
}

export type EngineResult =
  | { ok: true; name: string; trials: EngineTrial[]; sampleTimeline?: string }
  | { ok: false; reason: string };

export interface EngineSettings {
  members: number;
  heartbeatMs: number;
  electionMs: number;
  preVote: boolean;
  fault: 'kill' | 'stop';
  trials: number;
  seed: number;
  /** One-way loopback delay and the fsync before vote messages, ms. */
  oneWayMs: number;
  diskSyncMs: number;
  /** Mean of the exponential fsync tail (network.diskSyncTailUs), ms; 0 for a constant fsync. */
  diskSyncTailMs?: number;
  /** Log-spread of fsync (network.diskSyncSpread); 0 or absent for a constant fsync. */
  diskSyncSpread?: number;
}

interface TimelineEntryLike {
  timeUs: number;
  member: string;
  kind: string;
  term: number;
  peer?: string;
  detail?: string;
}
interface TrialResultLike {
  metrics: {
    faultAtUs: number;
    newLeaderAfterUs: number | null;
    allKnowAfterUs: number | null;
    termsUsed: number | null;
    newLeader: string | null;
  };
  timeline?: TimelineEntryLike[];
}

const dynamicImport = (path: string): Promise<Record<string, unknown>> => import(/* @vite-ignore */ path);

export async function simulateWithEngine(s: EngineSettings): Promise<EngineResult> {
  let engineMod: Record<string, unknown>;
  let configMod: Record<string, unknown>;
  let timelineMod: Record<string, unknown>;
  let Random: typeof RandomType;
  try {
    engineMod = await dynamicImport('../../src/domain/simulation/election-engine.js');
    configMod = await dynamicImport('../../src/domain/simulation/election-config.js');
    timelineMod = await dynamicImport('../../src/domain/simulation/timeline.js');
    Random = ((await dynamicImport('../../src/domain/random.js')) as { Random: typeof RandomType }).Random;
  } catch (err) {
    return {
      ok: false,
      reason: `the election simulator (src/domain/simulation/election-engine.ts) is not on this branch yet (${String(err).slice(0, 80)}); run \`git merge main\` once it lands.`,
    };
  }
  const ElectionEngine = engineMod.ElectionEngine as new (
    config: unknown,
    scenario: unknown,
  ) => { run(rng: RandomType, o: object): TrialResultLike };
  const plainMembers = configMod.plainMembers as (n: number) => unknown[];
  const uniformNetwork = configMod.uniformNetwork as (n: number, rttMs: number, o: object) => unknown;
  const timelineToText = timelineMod.timelineToText as (e: TimelineEntryLike[]) => string;
  if (!ElectionEngine || !plainMembers || !uniformNetwork)
    return {
      ok: false,
      reason: 'the simulator on this branch does not export ElectionEngine/plainMembers/uniformNetwork.',
    };

  const config = {
    members: plainMembers(s.members),
    timing: {
      model: 'etcd',
      heartbeatIntervalMs: s.heartbeatMs,
      electionTimeoutMs: s.electionMs,
      preVote: s.preVote,
      initialElectionTickAdvance: true,
    },
    network: {
      ...(uniformNetwork(s.members, 2 * s.oneWayMs, { diskSyncMs: s.diskSyncMs, jitterFraction: 0.1 }) as object),
      diskSyncTailUs: Math.round(1000 * (s.diskSyncTailMs ?? 0)),
      diskSyncSpread: s.diskSyncSpread ?? 0,
    },
    start: 'steady',
  };
  const scenario = {
    faults: [
      {
        type: s.fault === 'kill' ? 'crash' : 'stop',
        target: { kind: 'etcd-leader' },
        at: { atMs: 0, withinMs: s.heartbeatMs },
      },
    ],
    horizonMs: 30 * s.electionMs,
  };
  const engine = new ElectionEngine(config, scenario);
  const trials: EngineTrial[] = [];
  let sampleTimeline: string | undefined;
  for (let i = 0; i < s.trials; i++) {
    const r = engine.run(Random.derive(s.seed, i), {
      recordTimeline: true,
      stopWhenSettled: true,
      seed: s.seed,
      trialIndex: i,
    });
    const m = r.metrics;
    const after = (r.timeline ?? []).filter((e) => e.timeUs >= m.faultAtUs);
    const firstCampaign = after.find((e) => e.kind === 'election-timeout');
    const newLeaderAt = m.newLeaderAfterUs === null ? Infinity : m.faultAtUs + m.newLeaderAfterUs;
    const winnerSequence = after
      .filter(
        (e) =>
          e.member === m.newLeader &&
          e.timeUs <= newLeaderAt &&
          ['became-pre-candidate', 'became-candidate', 'became-leader'].includes(e.kind),
      )
      .map((e) => e.kind.replace('became-', ''));
    trials.push({
      firstCampaignMs: firstCampaign ? (firstCampaign.timeUs - m.faultAtUs) / 1000 : Number.NaN,
      electedMs: m.newLeaderAfterUs === null ? Number.NaN : m.newLeaderAfterUs / 1000,
      allKnowMs: m.allKnowAfterUs === null ? Number.NaN : m.allKnowAfterUs / 1000,
      terms: m.termsUsed ?? Number.NaN,
      winnerSequence,
    });
    if (i === 0 && timelineToText) {
      const from = m.faultAtUs - 1000 * s.heartbeatMs;
      sampleTimeline = timelineToText(
        (r.timeline ?? []).filter((e) => e.timeUs >= from && e.timeUs <= newLeaderAt + 2000 * s.heartbeatMs),
      );
    }
  }
  return { ok: true, name: 'src/domain/simulation', trials, sampleTimeline };
}
