import { describe, expect, it } from 'vitest';
import { planFailover } from '../../src/domain/simulation/control-plane/index.js';
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
    expect(plan.assumptions[2]).toContain('20 seeded trials per case');
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
