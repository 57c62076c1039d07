/**
 * @module plan/tuned-timings
 * etcd heartbeat and election timeout for a placement, from etcd's tuning guide (claims ledger: etcd-tuning):
 * - heartbeat ≈ the round trip between members (the guide's 0.5–1.5 × RTT): the largest RTT between any two
 *   voters, rounded up to a multiple of 10 ms, and never below etcd's default of 100 ms (a shorter heartbeat
 *   only adds load; the default already suits every RTT below it);
 * - election timeout ≥ 10 × RTT: 10 × the heartbeat (which covers 10 × RTT, and etcd's own rule of at least
 *   5 × heartbeat), never below the default 1000 ms, and at most 50,000 ms, etcd's ceiling. When the RTT is so
 *   large that 10 × heartbeat exceeds the ceiling, the ceiling is used and `withinGuide` is false.
 */
import { zoneRttMs, type Network } from '../proposal.js';

const etcdElectionCeilingMs = 50_000;

export interface TunedTimings {
  heartbeatIntervalMs: number;
  electionTimeoutMs: number;
  /** The largest round trip between two voters, the RTT the figures are tuned to. */
  maxVoterRttMs: number;
  withinGuide: boolean;
  rationale: string;
}

export function tunedTimings(voterZones: readonly string[], network: Network): TunedTimings {
  let maxVoterRttMs = 0;
  for (let i = 0; i < voterZones.length; i++) {
    for (let j = i + 1; j < voterZones.length; j++)
      maxVoterRttMs = Math.max(maxVoterRttMs, zoneRttMs(network, voterZones[i]!, voterZones[j]!));
  }
  const heartbeatIntervalMs = Math.max(100, Math.ceil(maxVoterRttMs / 10) * 10);
  const wanted = Math.max(1000, 10 * heartbeatIntervalMs);
  const electionTimeoutMs = Math.min(etcdElectionCeilingMs, wanted);
  const withinGuide = wanted <= etcdElectionCeilingMs;
  const rationale =
    heartbeatIntervalMs === 100 && electionTimeoutMs === 1000
      ? `The voters are at most ${maxVoterRttMs} ms apart, well within etcd's defaults (100 ms heartbeat, 1000 ms election timeout), which are kept.`
      : withinGuide
        ? `The voters are up to ${maxVoterRttMs} ms apart: heartbeat ${heartbeatIntervalMs} ms (about one round trip, rounded up to 10 ms) and election timeout ${electionTimeoutMs} ms (10 heartbeats, so at least 10 × RTT), per etcd's tuning guide.`
        : `The voters are up to ${maxVoterRttMs} ms apart: 10 × that exceeds etcd's 50 s ceiling on the election timeout, so it is capped at ${electionTimeoutMs} ms and elections will be fragile. Place the voters closer together.`;
  return { heartbeatIntervalMs, electionTimeoutMs, maxVoterRttMs, withinGuide, rationale };
}
