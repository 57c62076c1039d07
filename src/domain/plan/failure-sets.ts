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
 *
 * The answer is defined by that enumeration (`tolerancesByEnumeration`), and computed from closed forms
 * (`tolerances`): each capability fails exactly when enough voters fail or when all of its last-resort hosts
 * do, so where the enumeration first meets it, and how many sets it examines on the way, can be counted
 * without visiting them. The test checks the two agree on every small model and thousands of random ones.
 */
import { capabilitiesAfter, capabilityNames, type CapabilityName } from './capabilities.js';
import { hostNames, popcount, type HostModel } from './hosts.js';

/** Most failure sets one analysis examines. */
const failureSetCeiling = 20_000;

interface Tolerance {
  /**
   * Largest k such that every set of k failed hosts leaves the capability up; null when it is down even with
   * every host up (e.g. no voters).
   */
  tolerated: number | null;
  /** One smallest set of hosts whose failure takes the capability down (the first in host order). */
  smallestFailingSet: string[];
}

export interface ToleranceReport {
  /** How many hosts the failure sets range over (`failureDomains.hosts` lists them). */
  hostCount: number;
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

/**
 * The hosts whose failure, all together, takes a capability down without touching etcd quorum: every host
 * that can serve (apiServer), every control-plane host that can serve (controllerLeaders); undefined for
 * etcdQuorum, which only voters take down.
 */
function lastResortMask(model: HostModel, name: CapabilityName): number | undefined {
  if (name === 'apiServer') return model.servingMask;
  if (name === 'controllerLeaders') return model.servingMask & model.controlPlaneMask;
  return undefined;
}

/** The `count` lowest set bits of a mask. */
function lowestBits(mask: number, count: number): number {
  let result = 0;
  let rest = mask;
  for (let i = 0; i < count; i++) {
    const bit = rest & -rest;
    result |= bit;
    rest &= ~bit;
  }
  return result;
}

/** Position of a k-subset in the enumeration order of its size (increasing numeric order: colex rank). */
function rankAmongSubsets(mask: number): number {
  let rank = 0;
  let i = 0;
  for (let rest = mask; rest !== 0; rest &= rest - 1) {
    rank += binomial(31 - Math.clz32(rest & -rest), ++i);
  }
  return rank;
}

function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - i + 1)) / i;
  return result;
}

/**
 * Where the enumeration first meets each capability down, without enumerating. A failure set `mask` takes a
 * capability down exactly when it holds `voters − quorum + 1` voters (or there are no voters), or, for the
 * API and the controllers, when it holds every host of `lastResortMask`. So the smallest failing size is the
 * smaller of those two counts, and the first failing set of that size in increasing numeric order is the
 * lowest voters or the last-resort hosts themselves, whichever is numerically smaller.
 */
function firstFailures(model: HostModel): Map<CapabilityName, { k: number; mask: number }> {
  const etcdBreak = model.quorum === 0 ? 0 : model.voters - model.quorum + 1;
  const etcdMask = lowestBits(model.voterMask, etcdBreak);
  const first = new Map<CapabilityName, { k: number; mask: number }>();
  for (const name of capabilityNames) {
    const lastResort = lastResortMask(model, name);
    const lastResortSize = lastResort === undefined ? Number.POSITIVE_INFINITY : popcount(lastResort);
    if (lastResort === undefined || etcdBreak < lastResortSize) first.set(name, { k: etcdBreak, mask: etcdMask });
    else if (lastResortSize < etcdBreak) first.set(name, { k: lastResortSize, mask: lastResort });
    else first.set(name, { k: etcdBreak, mask: Math.min(etcdMask, lastResort) });
  }
  return first;
}

/**
 * The tolerance report: what the enumeration below would answer, including how many sets it examines
 * (every set of the sizes below the last break, then the sets of that size up to the last first failure),
 * computed directly; the enumeration runs only when it would reach the ceiling.
 */
export function tolerances(model: HostModel, ceiling = failureSetCeiling): ToleranceReport {
  const first = firstFailures(model);
  let lastLevel = 0;
  for (const { k } of first.values()) lastLevel = Math.max(lastLevel, k);
  let lastMask = 0;
  for (const { k, mask } of first.values()) if (k === lastLevel) lastMask = Math.max(lastMask, mask);
  let setsExamined = rankAmongSubsets(lastMask) + 1;
  for (let k = 0; k < lastLevel; k++) setsExamined += binomial(model.hosts.length, k);
  if (setsExamined > ceiling) return tolerancesByEnumeration(model, ceiling);
  return report(model, (name) => first.get(name), lastLevel + 1, setsExamined, true);
}

/**
 * The enumeration itself, set by set in the order described above. `tolerances` answers the same from closed
 * forms when the enumeration would finish within the ceiling; this stays as the reference and for the
 * ceiling's partial answer.
 */
export function tolerancesByEnumeration(model: HostModel, ceiling = failureSetCeiling): ToleranceReport {
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

  return report(model, (name) => brokenAt.get(name), k, setsExamined, exact);
}

function report(
  model: HostModel,
  brokenAt: (name: CapabilityName) => { k: number; mask: number } | undefined,
  levelReached: number,
  setsExamined: number,
  exact: boolean,
): ToleranceReport {
  const toleranceOf = (name: CapabilityName): Tolerance => {
    const broken = brokenAt(name);
    // Not broken: only possible when the ceiling stopped us; every size below the level reached was survived.
    if (!broken) return { tolerated: Math.max(0, levelReached - 1), smallestFailingSet: [] };
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
  return { hostCount: model.hosts.length, byCapability, cluster: weakest, setsExamined, exact };
}

/**
 * Largest k such that every k failures among the hosts in `candidateMask` (the others stay up) keep the
 * capability; null when it is down with none of them failed. For "how many control-plane nodes can fail".
 * From the same closed forms as `tolerances`: the smallest failing set within the candidates needs
 * `voters − quorum + 1` of their voters, or all of the capability's last-resort hosts among them.
 */
export function toleranceWithin(model: HostModel, candidateMask: number, capability: CapabilityName): number | null {
  if (model.quorum === 0) return null;
  const etcdBreak = model.voters - model.quorum + 1;
  let smallest = Number.POSITIVE_INFINITY;
  if (popcount(model.voterMask & candidateMask) >= etcdBreak) smallest = etcdBreak;
  const lastResort = lastResortMask(model, capability);
  if (lastResort !== undefined && (lastResort & ~candidateMask) === 0)
    smallest = Math.min(smallest, popcount(lastResort));
  const candidates = popcount(candidateMask & (2 ** model.hosts.length - 1));
  if (smallest === Number.POSITIVE_INFINITY) return candidates;
  return smallest === 0 ? null : smallest - 1;
}

/** `toleranceWithin` by enumerating the candidates' failure sets: the reference the closed form is tested against. */
export function toleranceWithinByEnumeration(
  model: HostModel,
  candidateMask: number,
  capability: CapabilityName,
): number | null {
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
