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
import type { Network } from '../proposal.js';
import { tolerableFailures } from '../quorum.js';
import { forEachSubsetOfSize } from './failure-sets.js';
import { writeLatency } from './write-latency.js';

export interface ZoneCount {
  zone: string;
  voters: number;
}

export interface PlacementChoice {
  counts: ZoneCount[];
  writeLatencyMs: { best: number; worst: number };
}

function votersOf(counts: readonly ZoneCount[]) {
  const voters: { name: string; zone: string }[] = [];
  for (const { zone, voters: n } of counts) for (let i = 0; i < n; i++) voters.push({ name: `${zone}#${i}`, zone });
  return voters;
}

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

  for (let k = minK; k <= maxK; k++) {
    const base = Math.floor(voters / k);
    const extra = voters - base * k;
    if (base + (extra > 0 ? 1 : 0) > cap) continue;
    forEachSubsetOfSize(zones.length, k, (zoneMask) => {
      const chosen = zones.map((_, i) => i).filter((i) => (zoneMask & (1 << i)) !== 0);
      forEachSubsetOfSize(k, extra, (extraMask) => {
        const counts = chosen.map((zoneIndex, j) => ({ zone: zones[zoneIndex]!, voters: base + ((extraMask & (1 << j)) !== 0 ? 1 : 0) }));
        const latency = writeLatency(votersOf(counts), network, diskSyncMs)!;
        const candidate = { counts, writeLatencyMs: { best: latency.bestMs, worst: latency.worstMs }, k, order: chosen };
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
  for (let i = 0; i < Math.min(a.order.length, b.order.length); i++) if (a.order[i] !== b.order[i]) return a.order[i]! < b.order[i]!;
  for (let i = 0; i < a.counts.length; i++) if (a.counts[i]!.voters !== b.counts[i]!.voters) return a.counts[i]!.voters > b.counts[i]!.voters;
  return false;
}
