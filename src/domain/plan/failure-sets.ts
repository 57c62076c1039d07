/**
 * @module plan/failure-sets
 * The largest number of arbitrary host failures each capability survives, found by enumerating failure sets
 * in order of size: k is survived when every set of k failed hosts leaves the capability up. No rule of thumb:
 * odd placements (a learner, an apiserver whose only etcd member is elsewhere) are judged as they are.
 *
 * Cost: every capability needs an etcd quorum, so all of them break by k = voters − quorum + 1, and the sets
 * examined are at most Σ_{k ≤ that} C(hosts, k). With the request limits (≤ 9 control-plane nodes, ≤ 9 etcd
 * members, so ≤ 18 hosts and ≤ 9 voters) that is C(18, ≤5) = 12,616 sets. `failureSetCeiling` is a safety
 * net above that: should a caller exceed it, the answer says `exact: false` and gives a lower bound.
 */
import { capabilitiesAfter, capabilityNames, type CapabilityName } from './capabilities.js';
import { hostNames, type HostModel } from './hosts.js';

/** Most failure sets one analysis examines. */
export const failureSetCeiling = 20_000;

export interface Tolerance {
  /**
   * Largest k such that every set of k failed hosts leaves the capability up; null when it is down even with
   * every host up (e.g. no voters).
   */
  tolerated: number | null;
  /** One smallest set of hosts whose failure takes the capability down (the first in host order). */
  smallestFailingSet: string[];
}

export interface ToleranceReport {
  hosts: number;
  byCapability: Record<CapabilityName, Tolerance>;
  /** Every capability at once: the smallest of the three. */
  cluster: Tolerance;
  setsExamined: number;
  /** False only if the ceiling stopped the enumeration; `tolerated` is then a lower bound. */
  exact: boolean;
}

/** Calls visit(mask) for every k-subset of n bits, in increasing numeric order (Gosper's hack); stops on false. */
export function forEachSubsetOfSize(n: number, k: number, visit: (mask: number) => boolean): void {
  if (k === 0) {
    visit(0);
    return;
  }
  if (k > n) return;
  let mask = (1 << k) - 1;
  const limit = 1 << n;
  while (mask < limit) {
    if (!visit(mask)) return;
    const lowest = mask & -mask;
    const ripple = mask + lowest;
    mask = (((ripple ^ mask) >>> 2) / lowest) | ripple;
  }
}

export function tolerances(model: HostModel, ceiling = failureSetCeiling): ToleranceReport {
  const n = model.hosts.length;
  const brokenAt = new Map<CapabilityName, { k: number; mask: number }>();
  let setsExamined = 0;
  let exact = true;
  let k = 0;
  for (; k <= n && brokenAt.size < capabilityNames.length; k++) {
    forEachSubsetOfSize(n, k, (mask) => {
      if (setsExamined >= ceiling) {
        exact = false;
        return false;
      }
      setsExamined += 1;
      const capabilities = capabilitiesAfter(model, mask);
      for (const name of capabilityNames) {
        if (!capabilities[name] && !brokenAt.has(name)) brokenAt.set(name, { k, mask });
      }
      return brokenAt.size < capabilityNames.length;
    });
    if (!exact) break;
  }

  const toleranceOf = (name: CapabilityName): Tolerance => {
    const broken = brokenAt.get(name);
    // Not broken: only possible when the ceiling stopped us; every size below k was survived.
    if (!broken) return { tolerated: Math.max(0, k - 1), smallestFailingSet: [] };
    return { tolerated: broken.k === 0 ? null : broken.k - 1, smallestFailingSet: hostNames(model, broken.mask) };
  };
  const byCapability = {
    etcdQuorum: toleranceOf('etcdQuorum'),
    apiServer: toleranceOf('apiServer'),
    controllerLeaders: toleranceOf('controllerLeaders'),
  };
  const weakest = capabilityNames
    .map((name) => byCapability[name])
    .reduce((a, b) => ((b.tolerated ?? -1) < (a.tolerated ?? -1) ? b : a));
  return { hosts: n, byCapability, cluster: weakest, setsExamined, exact };
}

/**
 * Largest k such that every k failures among the hosts in `candidateMask` (the others stay up) keep the
 * capability; null when it is down with none of them failed. For "how many control-plane nodes can fail".
 */
export function toleranceWithin(model: HostModel, candidateMask: number, capability: CapabilityName): number | null {
  const candidates = model.hosts.map((_, i) => i).filter((i) => (candidateMask & (1 << i)) !== 0);
  for (let k = 0; k <= candidates.length; k++) {
    let survived = true;
    forEachSubsetOfSize(candidates.length, k, (subset) => {
      let failed = 0;
      for (let j = 0; j < candidates.length; j++) if ((subset & (1 << j)) !== 0) failed |= 1 << candidates[j]!;
      survived = capabilitiesAfter(model, failed)[capability];
      return survived;
    });
    if (!survived) return k === 0 ? null : k - 1;
  }
  return candidates.length;
}
