import { describe, expect, it } from 'vitest';
import { benchProposal } from '../../../bench/lib/proposals.js';
import { normalizeProposal } from '../normalize-proposal.js';
import { quorumSize } from '../quorum.js';
import { Random } from '../random.js';
import { capabilityNames } from './capabilities.js';
import {
  forEachSubsetOfSize,
  toleranceWithin,
  toleranceWithinByEnumeration,
  tolerances,
  tolerancesByEnumeration,
} from './failure-sets.js';
import { hostModel, popcount, type HostModel } from './hosts.js';

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - i + 1)) / i;
  return result;
}

describe("forEachSubsetOfSize (Gosper's hack)", () => {
  it('visits every k-subset of n exactly once (n up to 14; 18 for the sizes the planner uses)', () => {
    const cases: [number, number][] = [];
    for (let n = 0; n <= 14; n++) for (let k = 0; k <= n; k++) cases.push([n, k]);
    for (let k = 0; k <= 5; k++) cases.push([18, k]);
    for (const [n, k] of cases) {
      const seen = new Set<number>();
      let wrong = 0;
      forEachSubsetOfSize(n, k, (mask) => {
        // Exactly k bits set, all below n.
        let bits = 0;
        for (let m = mask; m !== 0; m &= m - 1) bits++;
        if (mask >>> n !== 0 || bits !== k) wrong++;
        seen.add(mask);
        return true;
      });
      expect([n, k, wrong, seen.size]).toEqual([n, k, 0, binomial(n, k)]);
    }
  });

  it('stops when the visitor returns false', () => {
    let visits = 0;
    forEachSubsetOfSize(10, 3, () => ++visits < 5);
    expect(visits).toBe(5);
  });
});

/** A host model from raw masks (any combination, including ones no proposal produces). */
function modelOf(n: number, voterMask: number, controlPlaneMask: number, servingMask: number): HostModel {
  const hosts = Array.from({ length: n }, (_, i) => ({
    name: `h${i}`,
    zone: 'z',
    controlPlane: (controlPlaneMask & (1 << i)) !== 0,
    voter: (voterMask & (1 << i)) !== 0,
    pointer: '',
  }));
  const voters = popcount(voterMask);
  return { topology: 'external', hosts, voterMask, controlPlaneMask, servingMask, voters, quorum: quorumSize(voters) };
}

function* allSmallModels(maxHosts: number): Generator<HostModel> {
  for (let n = 0; n <= maxHosts; n++) {
    const all = 2 ** n;
    for (let v = 0; v < all; v++) for (let c = 0; c < all; c++) for (let s = 0; s < all; s++) yield modelOf(n, v, c, s);
  }
}

function* randomModels(count: number, seed: number): Generator<HostModel> {
  const random = new Random(seed);
  for (let i = 0; i < count; i++) {
    const n = random.intBetween(1, 18);
    const mask = () => random.nextUint32() & (2 ** n - 1);
    yield modelOf(n, mask(), mask(), mask());
  }
}

function* proposalModels(): Generator<HostModel> {
  for (let i = 0; i < 300; i++) {
    const result = normalizeProposal(benchProposal(i * 7));
    if (result.ok) yield hostModel(result.proposal);
  }
}

describe('tolerances and toleranceWithin: closed forms against the enumeration', () => {
  it('agree on every host model of up to 3 hosts (every voter, control-plane and serving mask)', () => {
    let checked = 0;
    for (const model of allSmallModels(3)) {
      expect(tolerances(model)).toEqual(tolerancesByEnumeration(model));
      for (let candidates = 0; candidates < 2 ** model.hosts.length; candidates++)
        for (const capability of capabilityNames)
          expect(toleranceWithin(model, candidates, capability)).toBe(
            toleranceWithinByEnumeration(model, candidates, capability),
          );
      checked++;
    }
    expect(checked).toBe(1 + 8 + 64 + 512);
  });

  it('agree on 2,000 random models of 1–18 hosts and on models of proposals, setsExamined included', () => {
    for (const model of [...randomModels(2000, 20261126), ...proposalModels()]) {
      const byEnumeration = tolerancesByEnumeration(model);
      expect(tolerances(model)).toEqual(byEnumeration);
      expect(toleranceWithin(model, model.controlPlaneMask, 'apiServer')).toBe(
        toleranceWithinByEnumeration(model, model.controlPlaneMask, 'apiServer'),
      );
    }
  });

  it('give the enumeration’s partial answer when the ceiling stops it', () => {
    let partial = 0;
    for (const model of randomModels(300, 7)) {
      for (const ceiling of [1, 5, 40, 400]) {
        const byEnumeration = tolerancesByEnumeration(model, ceiling);
        if (!byEnumeration.exact) partial++;
        expect(tolerances(model, ceiling)).toEqual(byEnumeration);
      }
    }
    expect(partial).toBeGreaterThan(100);
  });

  it('count the sets of the 18-host worst case as the request limits document (C(18, ≤5) = 12,616 at most)', () => {
    const external = normalizeProposal({ topology: 'external', controlPlane: { nodes: 9 }, etcd: { members: 9 } });
    if (!external.ok) throw new Error('valid proposal');
    const report = tolerances(hostModel(external.proposal));
    expect(report.setsExamined).toBe(tolerancesByEnumeration(hostModel(external.proposal)).setsExamined);
    expect(report.setsExamined).toBeLessThanOrEqual(1 + 18 + 153 + 816 + 3060 + 8568);
    expect(report.byCapability.etcdQuorum.tolerated).toBe(4);
  });
});
