/**
 * @module plan/placement-search
 * Where to put V etcd voters over the available zones. Placements considered: as even as possible over a
 * chosen set of k zones (counts differ by at most one), for every set of zones and every choice of which
 * zones take the extra voter. With zone-loss survival required, every zone must hold at most
 * V − quorum = tolerable-failures voters, so k ranges from the fewest zones that allows up to min(zones, V);
 * otherwise k = min(zones, V): spreading never costs node-failure tolerance, and Kubernetes' multi-zone
 * guidance asks for it anyway.
 *
 * Among the candidates: lowest worst-case write latency, then lowest best case, then more zones, then the
 * zones' order in the request. Work: at most Σ_k C(9, k)·C(k, V mod k) ≈ 3,700 placements for 9 voters over 9
 * zones, each scored in O(V²).
 */
import { zoneRttMs, type Network } from '../proposal.js';
import { tolerableFailures } from '../quorum.js';
import { forEachSubsetOfSize } from './failure-sets.js';

export interface ZoneCount {
  zone: string;
  voters: number;
}

export interface PlacementChoice {
  counts: ZoneCount[];
  writeLatencyMs: { best: number; worst: number };
}

/**
 * Best and worst write latency of a placement, at zone level: the leader in zone z needs quorum − 1 acks,
 * from (count_z − 1) peers at z's own RTT and count_w voters at rtt(z, w). The same figures as
 * write-latency.ts (a test checks), without building members: this runs for every candidate placement.
 */
function placementLatency(
  counts: readonly number[],
  zoneIndexes: readonly number[],
  rtt: readonly number[][],
  diskSyncMs: number,
) {
  let voters = 0;
  for (const count of counts) voters += count;
  const acksNeeded = Math.floor(voters / 2);
  let best = Infinity;
  let worst = -Infinity;
  // Insertion-sorted (rtt, count) pairs in scratch arrays: no allocation per candidate.
  const ms = scratchMs;
  const ns = scratchN;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] === 0) continue;
    const from = rtt[zoneIndexes[i]!]!;
    let size = 0;
    for (let j = 0; j < counts.length; j++) {
      const n = i === j ? counts[j]! - 1 : counts[j]!;
      if (n <= 0) continue;
      const value = from[zoneIndexes[j]!]!;
      let at = size++;
      while (at > 0 && ms[at - 1]! > value) {
        ms[at] = ms[at - 1]!;
        ns[at] = ns[at - 1]!;
        at--;
      }
      ms[at] = value;
      ns[at] = n;
    }
    let quorumRtt = 0;
    let needed = acksNeeded;
    for (let e = 0; e < size && needed > 0; e++) {
      quorumRtt = ms[e]!;
      needed -= ns[e]!;
    }
    const writeMs = Math.round((Math.round(quorumRtt * 1000) / 1000 + diskSyncMs) * 1000) / 1000;
    if (writeMs < best) best = writeMs;
    if (writeMs > worst) worst = writeMs;
  }
  return { best, worst };
}

/** Scratch space for placementLatency (at most one entry per zone; 32 covers any mask-sized zone list). */
const scratchMs = new Float64Array(32);
const scratchN = new Int32Array(32);

/** Undefined when no placement meets the cap (zone loss with fewer than 3 zones). */
export function bestPlacement(
  voters: number,
  zones: readonly string[],
  network: Network,
  diskSyncMs: number,
  surviveZoneLoss: boolean,
): PlacementChoice | undefined {
  const cap = surviveZoneLoss ? tolerableFailures(voters) : voters;
  if (cap === 0) return undefined;
  const maxK = Math.min(zones.length, voters);
  const minK = surviveZoneLoss ? Math.ceil(voters / cap) : maxK;
  let best: (PlacementChoice & { k: number; order: number[] }) | undefined;
  const rtt = zones.map((a) => zones.map((b) => zoneRttMs(network, a, b)));

  for (let k = minK; k <= maxK; k++) {
    const base = Math.floor(voters / k);
    const extra = voters - base * k;
    if (base + (extra > 0 ? 1 : 0) > cap) continue;
    forEachSubsetOfSize(zones.length, k, (zoneMask) => {
      const chosen = zones.map((_, i) => i).filter((i) => (zoneMask & (1 << i)) !== 0);
      forEachSubsetOfSize(k, extra, (extraMask) => {
        const perZone = chosen.map((_, j) => base + ((extraMask & (1 << j)) !== 0 ? 1 : 0));
        const writeLatencyMs = placementLatency(perZone, chosen, rtt, diskSyncMs);
        const counts = chosen.map((zoneIndex, j) => ({ zone: zones[zoneIndex]!, voters: perZone[j]! }));
        const candidate = { counts, writeLatencyMs, k, order: chosen };
        if (!best || better(candidate, best)) best = candidate;
        return true;
      });
      return true;
    });
  }
  return best ? { counts: best.counts, writeLatencyMs: best.writeLatencyMs } : undefined;
}

function better(
  a: PlacementChoice & { k: number; order: number[] },
  b: PlacementChoice & { k: number; order: number[] },
): boolean {
  if (a.writeLatencyMs.worst !== b.writeLatencyMs.worst) return a.writeLatencyMs.worst < b.writeLatencyMs.worst;
  if (a.writeLatencyMs.best !== b.writeLatencyMs.best) return a.writeLatencyMs.best < b.writeLatencyMs.best;
  if (a.k !== b.k) return a.k > b.k;
  // Earlier zones in the request first; then the larger counts on earlier zones.
  for (let i = 0; i < Math.min(a.order.length, b.order.length); i++)
    if (a.order[i] !== b.order[i]) return a.order[i]! < b.order[i]!;
  for (let i = 0; i < a.counts.length; i++)
    if (a.counts[i]!.voters !== b.counts[i]!.voters) return a.counts[i]!.voters > b.counts[i]!.voters;
  return false;
}
