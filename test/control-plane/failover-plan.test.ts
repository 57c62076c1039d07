import { describe, expect, it } from 'vitest';
import {
  type CaseDistribution,
  canonicalLoss,
  failoverSection,
  lossCases,
  planFailover,
} from '../../src/domain/simulation/control-plane/index.js';
import { WorkBudget } from '../../src/domain/simulation/work-budget.js';
import type { Proposal } from '../../src/domain/proposal.js';
import { fakeEtcdLayer, proposal, s } from './fixtures.js';

describe('the plan failover section', () => {
  it('covers every single-node and single-zone loss, with gaps inside the derived bounds', () => {
    const p = proposal('stacked');
    const plan = planFailover({ proposal: p, etcdTrialFor: fakeEtcdLayer(p), trialsPerCase: 20, seed: 42 });
    expect(plan.cases.map((c) => `${c.loss}:${c.name}`)).toEqual([
      'node:cp-1',
      'node:cp-2',
      'node:cp-3',
      'zone:a',
      'zone:b',
      'zone:c',
    ]);
    const cp1 = plan.cases[0]!;
    // The fake etcd layer: cp-1's member leads, so losing cp-1 costs a 1.3 s election; the others cost none.
    expect(cp1.gaps.etcdWrites).toEqual({ trials: 20, p50Us: s(1.3), p90Us: s(1.3), unrecovered: 0, withheld: {} });
    expect(plan.cases[1]!.gaps.etcdWrites.p50Us).toBe(0);
    for (const c of plan.cases) {
      // The lost node holds both leases: takeover within (13.004 s, 23.810 s) (claims.test.ts); the load balancer
      // drops the dead backend within [5 s, 7 s).
      for (const g of [c.gaps.controllerManagerLeader, c.gaps.schedulerLeader]) {
        expect(g.p50Us!).toBeGreaterThan(s(13));
        expect(g.p90Us!).toBeLessThan(s(23.81));
      }
      expect(c.gaps.apiWrites.p90Us!).toBeLessThan(s(7));
      expect(c.summary).toMatch(/^Losing (node|zone) [a-z0-9-]+, in 20 trials: etcd writes pause typically /);
    }
    expect(plan.assumptions.join(' ')).toContain('20 seeded trials per case');
    expect(cp1.summary).toContain('etcd writes pause typically 1.300 s (p90 1.300 s)');
    expect(plan.cases[1]!.summary).toContain('etcd writes pause typically not at all,');
  });

  it('withholds the p90 below 20 trials and says how many trials are behind a figure', () => {
    const p = proposal('stacked');
    const plan = planFailover({ proposal: p, etcdTrialFor: fakeEtcdLayer(p), trialsPerCase: 19, seed: 42 });
    const cp1 = plan.cases[0]!;
    expect(cp1.gaps.etcdWrites).toEqual({
      trials: 19,
      p50Us: s(1.3),
      p90Us: null,
      unrecovered: 0,
      withheld: { p90: 'too-few-trials' },
    });
    expect(cp1.summary).toMatch(/^Losing node cp-1, in 19 trials: etcd writes pause typically 1\.300 s, /);
    expect(cp1.summary).not.toContain('p90');
  });

  it('reports an unrecovered gap when a zone holds the etcd majority (2 zones)', () => {
    const base = proposal('stacked');
    const p = {
      ...base,
      zones: ['a', 'b'],
      controlPlaneNodes: base.controlPlaneNodes.map((n, i) => ({ ...n, zone: i < 2 ? 'a' : 'b' })),
    };
    p.etcdMembers = base.etcdMembers.map((m, i) => ({ ...m, zone: i < 2 ? 'a' : 'b' }));
    const plan = planFailover({ proposal: p, etcdTrialFor: fakeEtcdLayer(p), trialsPerCase: 4, seed: 1 });
    const zoneA = plan.cases.find((c) => c.loss === 'zone' && c.name === 'a')!;
    expect(zoneA.gaps.etcdWrites).toEqual({
      trials: 4,
      p50Us: null,
      p90Us: null,
      unrecovered: 4,
      withheld: { p50: 'censored', p90: 'too-few-trials' },
    });
    expect(zoneA.gaps.apiWrites.unrecovered).toBe(4);
    expect(zoneA.summary).toContain('etcd writes pause typically not recovered by the horizon');
    const zoneB = plan.cases.find((c) => c.loss === 'zone' && c.name === 'b')!;
    expect(zoneB.gaps.etcdWrites.p50Us).toBe(0);
  });

  it('is the same for the same seed', () => {
    const p = proposal('external');
    const a = planFailover({ proposal: p, etcdTrialFor: fakeEtcdLayer(p), trialsPerCase: 3, seed: 7 });
    const b = planFailover({ proposal: p, etcdTrialFor: fakeEtcdLayer(p), trialsPerCase: 3, seed: 7 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    // External: control-plane nodes and etcd hosts are separate losses.
    expect(a.cases.filter((c) => c.loss === 'node').map((c) => c.name)).toEqual([
      'cp-1',
      'cp-2',
      'cp-3',
      'etcd-1',
      'etcd-2',
      'etcd-3',
    ]);
  });
});

/** A plain Map as the store, counting reads that found something. */
function mapStore() {
  const map = new Map<string, CaseDistribution>();
  const counts = { hits: 0, sets: 0 };
  return {
    counts,
    get: (key: string) => {
      const d = map.get(key);
      if (d) counts.hits++;
      return d;
    },
    set: (key: string, d: CaseDistribution) => {
      counts.sets++;
      map.set(key, d);
    },
  };
}

/**
 * The proposal with every host, member and zone renamed, the zones and all but the first member in reverse
 * order. The first control-plane node (which holds the leases when an etcd-only host is lost) and the first
 * voter (which leads etcd) stay first: the proposal's order says who they are.
 */
function renamed(p: Proposal): Proposal {
  const zone = (z: string) => `zone-${z}-x`;
  const host = (h: string) => `host-${h}-x`;
  return {
    ...p,
    zones: p.zones.map(zone).reverse(),
    controlPlaneNodes: p.controlPlaneNodes.map((n) => ({ ...n, name: host(n.name), zone: zone(n.zone) })),
    etcdMembers: [p.etcdMembers[0]!, ...p.etcdMembers.slice(1).reverse()].map((m) => ({
      ...m,
      name: `m-${m.name}`,
      host: host(m.host),
      zone: zone(m.zone),
    })),
  };
}

describe('the failover section shares one simulation between losses that are the same up to names', () => {
  // Worked out by hand for 3 stacked nodes in 3 zones at equal RTTs: cp-1's member leads etcd, so losing cp-1
  // (or zone a, its only host) is one case; losing cp-2 or cp-3 (or their zones) is the other, by symmetry.
  it('3 identical nodes in identical zones: 6 losses, 2 simulations', () => {
    const p = proposal('stacked');
    const keys = lossCases(p).map((c) => canonicalLoss(p, c, {}).key);
    expect(new Set(keys).size).toBe(2);
    expect(keys[0]).toBe(keys[3]); // cp-1 and zone a
    expect(new Set([keys[1], keys[2], keys[4], keys[5]]).size).toBe(1);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('a different RTT, learner or lease holder is a different simulation', () => {
    const p = proposal('stacked');
    const slowC = { ...p, network: { ...p.network, zonePairRttMs: { a: { c: 9 }, b: { c: 9 } } } };
    const keys = lossCases(slowC).map((c) => canonicalLoss(slowC, c, {}).key);
    expect(keys[1]).not.toBe(keys[2]); // losing cp-2 (zone b) and cp-3 (the far zone c) differ now
    const external = proposal('external');
    const withLearner = {
      ...external,
      etcdMembers: external.etcdMembers.map((m, i) => ({ ...m, learner: i === 2 })),
    };
    const cases = lossCases(withLearner);
    const key = (name: string) => canonicalLoss(withLearner, cases.find((c) => c.name === name)!, {}).key;
    expect(key('etcd-2')).not.toBe(key('etcd-3')); // a voter's host vs a learner's
    const plain = lossCases(external);
    const plainKey = (name: string) => canonicalLoss(external, plain.find((c) => c.name === name)!, {}).key;
    expect(plainKey('etcd-2')).toBe(plainKey('etcd-3'));
    expect(plainKey('cp-2')).toBe(plainKey('cp-3'));
    expect(plainKey('cp-1')).not.toBe(plainKey('cp-2')); // cp-1 shares zone a with the etcd leader
  });

  it('the section answers the same with or without a store, and a renamed proposal reuses every distribution', () => {
    const p = proposal('external');
    const alone = planFailover({ proposal: p, etcdTrialFor: fakeEtcdLayer(p), trialsPerCase: 20, seed: 3 });
    const store = mapStore();
    const stored = planFailover({ proposal: p, etcdTrialFor: fakeEtcdLayer(p), trialsPerCase: 20, seed: 3, store });
    expect(JSON.stringify(stored)).toBe(JSON.stringify(alone));
    const q = renamed(p);
    const again = planFailover({ proposal: q, etcdTrialFor: fakeEtcdLayer(q), trialsPerCase: 20, seed: 3, store });
    expect(store.counts.sets).toBeGreaterThan(0);
    expect(store.counts.hits).toBe(store.counts.sets); // nothing simulated a second time
    const gapsByName = new Map(alone.cases.map((c) => [`${c.loss}:${c.name}`, c.gaps]));
    for (const c of again.cases) {
      const original = c.name.replace(/^(host|zone)-(.*)-x$/, '$2');
      expect(c.gaps, c.name).toEqual(gapsByName.get(`${c.loss}:${original}`));
    }
  });

  it('a stored distribution charges the budget what its run did: the same 400 with or without the store', () => {
    const p = proposal('stacked');
    const used = WorkBudget.unlimited();
    const full = failoverSection(p, { seed: 5, budget: used, trialsPerCase: 3 });
    const store = mapStore();
    failoverSection(p, { seed: 5, trialsPerCase: 3, store });
    for (const limit of [Math.floor(used.used / 2), used.used - 1, used.used]) {
      const outcome = (withStore: boolean) => {
        try {
          const section = failoverSection(p, {
            seed: 5,
            trialsPerCase: 3,
            budget: new WorkBudget(limit),
            ...(withStore ? { store } : {}),
          });
          return JSON.stringify(section);
        } catch (error) {
          return String(error);
        }
      };
      expect(outcome(true), `limit ${limit}`).toBe(outcome(false));
    }
    expect(
      JSON.stringify(failoverSection(p, { seed: 5, trialsPerCase: 3, budget: new WorkBudget(used.used), store })),
    ).toBe(JSON.stringify(full));
  });
});
