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
import { plural } from '../text.js';

export interface VoterPlace {
  name: string;
  zone: string;
  /** The host it runs on (stacked: its control-plane node); its name when absent. */
  host?: string;
}

export interface WriteLatency {
  /** Smallest over the possible leaders, in ms. */
  bestMs: number;
  /** Largest over the possible leaders, in ms. */
  worstMs: number;
  bestLeader: string;
  worstLeader: string;
  byLeader: { leader: string; zone: string; writeMs: number; quorumRttMs: number }[];
  /**
   * The floor of a write through the API: an apiserver's round trip to the leader (0 when a stacked apiserver's
   * own member leads) plus the commit. Best and worst over the apiservers and the possible leaders.
   */
  throughApiServer: { bestMs: number; worstMs: number; bestHopMs: number } | null;
  assumption: string;
}

/** Where the apiservers run, for the hop to the leader. */
export interface ApiServerPlace {
  name: string;
  zone: string;
}

function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Undefined when there are no voters (nothing can be written). */
export function writeLatency(
  voters: readonly VoterPlace[],
  network: Network,
  diskSyncMs: number,
  apiServers: readonly ApiServerPlace[] = [],
  stacked = false,
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
    throughApiServer: throughApiServer(apiServers, voters, byLeader, network, stacked),
    bestMs: best.writeMs,
    worstMs: worst.writeMs,
    bestLeader: best.leader,
    worstLeader: worst.leader,
    byLeader,
    assumption:
      acksNeeded === 0
        ? `A single voter commits alone: a write costs its disk sync (${diskSyncMs} ms) and no round trip. Queueing and batching come on top; throughApiServer adds the round trip from the apiserver to the leader.`
        : `A write needs the leader plus ${plural(acksNeeded, 'more voter')}: round trip to the nearest ${acksNeeded === 1 ? 'other voter' : `${acksNeeded} other voters`} ` +
          `plus one disk sync (${diskSyncMs} ms). etcd may elect any voter, so best case = leader on ${best.leader} (${best.zone}), worst case = leader on ${worst.leader} (${worst.zone}). ` +
          'Queueing and batching come on top; throughApiServer adds the round trip from the apiserver to the leader.',
  };
}

/** The apiserver hop added to each leader's commit floor; null without apiservers. */
function throughApiServer(
  apiServers: readonly ApiServerPlace[],
  voters: readonly VoterPlace[],
  byLeader: readonly { leader: string; zone: string; writeMs: number }[],
  network: Network,
  stacked: boolean,
): WriteLatency['throughApiServer'] {
  let best: { totalMs: number; hopMs: number } | undefined;
  let worstMs = 0;
  for (const apiServer of apiServers) {
    for (const [i, leader] of byLeader.entries()) {
      // A stacked apiserver talks to its own member, which is the leader or forwards to it.
      const leaderHost = voters[i]!.host ?? voters[i]!.name;
      const hopMs = stacked && apiServer.name === leaderHost ? 0 : zoneRttMs(network, apiServer.zone, leader.zone);
      const totalMs = hopMs + leader.writeMs;
      if (!best || totalMs < best.totalMs) best = { totalMs, hopMs };
      worstMs = Math.max(worstMs, totalMs);
    }
  }
  if (!best) return null;
  return { bestMs: roundMs(best.totalMs), worstMs: roundMs(worstMs), bestHopMs: roundMs(best.hopMs) };
}
