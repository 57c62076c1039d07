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
  // The round trips a leader waits on depend only on its zone (the other voters are the same multiset of
  // zones for every leader in it), so each zone's figure is worked out once.
  const quorumRttByZone = new Map<string, number>();
  const quorumRttFrom = (leader: VoterPlace): number => {
    if (acksNeeded === 0) return 0;
    const known = quorumRttByZone.get(leader.zone);
    if (known !== undefined) return known;
    const rtts: number[] = [];
    for (const other of voters) if (other !== leader) rtts.push(zoneRttMs(network, leader.zone, other.zone));
    rtts.sort((a, b) => a - b);
    const quorumRttMs = rtts[acksNeeded - 1]!;
    quorumRttByZone.set(leader.zone, quorumRttMs);
    return quorumRttMs;
  };
  const byLeader = voters.map((leader) => {
    const quorumRttMs = quorumRttFrom(leader);
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
