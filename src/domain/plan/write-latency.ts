/**
 * @module plan/write-latency
 * The least time a write can take, from where the voters are: the leader appends locally and needs acks from
 * quorum − 1 other voters, each after a round trip and that voter's fsync, so the minimum is the round trip to
 * the (quorum − 1)-th nearest other voter plus one disk sync (etcd op-guide/performance). Queueing, batching and
 * the apiserver's own hop are left out: this is the floor the placement sets.
 *
 * etcd does not keep its leader in any zone (and may move it on every election), so the answer gives the best
 * case (the leader on the voter with the nearest quorum) and the worst (the farthest), with each voter's figure.
 */
import { zoneRttMs, type Network } from '../proposal.js';
import { quorumSize } from '../quorum.js';

export interface VoterPlace {
  name: string;
  zone: string;
}

export interface WriteLatency {
  /** Smallest over the possible leaders, in ms. */
  bestMs: number;
  /** Largest over the possible leaders, in ms. */
  worstMs: number;
  bestLeader: string;
  worstLeader: string;
  byLeader: { leader: string; zone: string; writeMs: number; quorumRttMs: number }[];
  assumption: string;
}

function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Undefined when there are no voters (nothing can be written). */
export function writeLatency(
  voters: readonly VoterPlace[],
  network: Network,
  diskSyncMs: number,
): WriteLatency | undefined {
  if (voters.length === 0) return undefined;
  const acksNeeded = quorumSize(voters.length) - 1;
  const byLeader = voters.map((leader) => {
    const rtts = voters
      .filter((other) => other !== leader)
      .map((other) => zoneRttMs(network, leader.zone, other.zone))
      .sort((a, b) => a - b);
    const quorumRttMs = acksNeeded === 0 ? 0 : rtts[acksNeeded - 1]!;
    return {
      leader: leader.name,
      zone: leader.zone,
      writeMs: roundMs(quorumRttMs + diskSyncMs),
      quorumRttMs: roundMs(quorumRttMs),
    };
  });
  let best = byLeader[0]!;
  let worst = byLeader[0]!;
  for (const entry of byLeader) {
    if (entry.writeMs < best.writeMs) best = entry;
    if (entry.writeMs > worst.writeMs) worst = entry;
  }
  return {
    bestMs: best.writeMs,
    worstMs: worst.writeMs,
    bestLeader: best.leader,
    worstLeader: worst.leader,
    byLeader,
    assumption:
      acksNeeded === 0
        ? `A single voter commits alone: a write costs its disk sync (${diskSyncMs} ms) and no round trip. Queueing, batching and the apiserver hop come on top.`
        : `A write needs the leader plus ${acksNeeded} more voter(s): round trip to the nearest ${acksNeeded === 1 ? 'other voter' : `${acksNeeded} other voters`} ` +
          `plus one disk sync (${diskSyncMs} ms). etcd may elect any voter, so best case = leader on ${best.leader} (${best.zone}), worst case = leader on ${worst.leader} (${worst.zone}). ` +
          'Queueing, batching and the apiserver hop come on top.',
  };
}
