/** The apiserver, load-balancer and fault layers on their own, and the trial's bookkeeping. */
import { describe, expect, it } from 'vitest';
import {
  buildModel,
  gapDistribution,
  leaderElectionErrors,
  runControlPlaneMonteCarlo,
  runControlPlaneTrial,
  compareTopologies,
  renderTimeline,
} from '../../src/domain/simulation/control-plane/index.js';
import type { Scenario } from '../../src/domain/simulation/scenario.js';
import { etcdReport, proposal, s } from './fixtures.js';

describe('client-go validation', () => {
  it('rejects what NewLeaderElector rejects, with its texts', () => {
    expect(leaderElectionErrors({ leaseDurationS: 15, renewDeadlineS: 10, retryPeriodS: 2 })).toEqual([]);
    expect(leaderElectionErrors({ leaseDurationS: 10, renewDeadlineS: 10, retryPeriodS: 2 })).toEqual([
      'leaseDuration must be greater than renewDeadline',
    ]);
    // 1.2 × 5 = 6 ≥ 6: must be strictly greater.
    expect(leaderElectionErrors({ leaseDurationS: 15, renewDeadlineS: 6, retryPeriodS: 5 })).toEqual([
      'renewDeadline must be greater than retryPeriod*JitterFactor',
    ]);
    expect(() =>
      buildModel(proposal('stacked', { leaderElection: { leaseDurationS: 5, renewDeadlineS: 10, retryPeriodS: 2 } })),
    ).toThrow(/leaseDuration must be greater than renewDeadline/);
  });

  it('uses RenewDeadline/2 as the request timeout, at least one second', () => {
    expect(buildModel(proposal('stacked')).requestTimeoutUs).toBe(s(5));
    expect(
      buildModel(proposal('stacked', { leaderElection: { leaseDurationS: 3, renewDeadlineS: 1.5, retryPeriodS: 1 } }))
        .requestTimeoutUs,
    ).toBe(s(1));
  });
});

describe('external topology: the apiserver etcd client moves off a dead endpoint', () => {
  it('after the reconnect delay, to a working endpoint, while a stacked apiserver on a dead member just fails', () => {
    // External: cp-1 starts on etcd-1 (its list is rotated so apiservers start on different endpoints).
    const model = buildModel(proposal('external'), {
      initialHolders: { 'kube-controller-manager': 'cp-2', 'kube-scheduler': 'cp-2' },
      etcdReconnectDelayMs: 1000,
    });
    expect(model.etcdEndpoints.get('cp-1')).toEqual(['etcd-1', 'etcd-2', 'etcd-3']);
    expect(model.etcdEndpoints.get('cp-2')).toEqual(['etcd-2', 'etcd-3', 'etcd-1']);
    // etcd-1 (a follower) dies at 2 s; the others keep committing.
    const etcd = etcdReport(['etcd-1', 'etcd-2', 'etcd-3'], s(30), { 'etcd-1': [{ startUs: s(2), endUs: s(30) }] });
    const scenario: Scenario = {
      faults: [{ type: 'crash', target: { kind: 'node', name: 'etcd-1' }, at: { atMs: 2000 } }],
      horizonMs: 28_000,
    };
    const r = runControlPlaneTrial({ model, scenario, etcd, seed: 1 });
    // cp-1 cannot write for exactly the reconnect delay; nobody else notices.
    expect(
      r.timeline.some(
        (e) => e.subject === 'cp-1' && e.timeUs === s(3) && e.text === 'etcd client moves from etcd-1 to etcd-2',
      ),
    ).toBe(true);
    expect(r.timeline.some((e) => e.subject === 'cp-1' && e.timeUs === s(3) && e.text === 'ready')).toBe(true);
    // The load balancer saw at most one failed check (1 s < fall × interval): nobody leaves the rotation.
    expect(r.lbRemovalsUs).toEqual({});
    expect(r.capabilities.controllerManagerLeader.gapUs).toBe(0);
  });

  it('a zone partition cuts an apiserver off from the external etcd majority; it moves to a reachable member', () => {
    // Zone a (cp-1, etcd-1) is cut off from b and c. etcd: etcd-1 is in the minority (cannot commit); the
    // majority keeps its leader (in zone b). cp-1's apiserver cannot reach etcd-2/etcd-3 either: no endpoint
    // works for it, so it stays unready until the heal.
    const model = buildModel(proposal('external'), {
      initialHolders: { 'kube-controller-manager': 'cp-1', 'kube-scheduler': 'cp-2' },
    });
    const etcd = etcdReport(['etcd-1', 'etcd-2', 'etcd-3'], s(40), { 'etcd-1': [{ startUs: s(1), endUs: s(21.1) }] });
    const scenario: Scenario = {
      faults: [{ type: 'partition', groups: [['a'], ['b', 'c']], at: { atMs: 1000 }, healAfterMs: 20_000 }],
      horizonMs: 39_000,
    };
    const r = runControlPlaneTrial({ model, scenario, etcd, seed: 2 });
    const notReady = r.timeline.filter((e) => e.subject === 'cp-1' && e.layer === 'kube-apiserver');
    expect(notReady[0]).toMatchObject({ timeUs: s(1), text: 'not ready (its etcd endpoint cannot commit)' });
    // The controller-manager lease moves off cp-1 (about 12 s + lease expiry later); the scheduler stays put.
    expect(r.leadership['kube-controller-manager'][0]!.endedBy).toBe('renew-deadline');
    expect(r.capabilities.schedulerLeader.gapUs).toBe(0);
  });
});

describe('faults', () => {
  it('a zone outage takes every host in the zone; lease-holder targets resolve to the holder at that moment', () => {
    const model = buildModel(proposal('stacked'), {
      initialHolders: { 'kube-controller-manager': 'cp-2', 'kube-scheduler': 'cp-3' },
    });
    const etcd = etcdReport(['etcd-cp-1', 'etcd-cp-2', 'etcd-cp-3'], s(40), {
      'etcd-cp-2': [{ startUs: s(1), endUs: s(40) }],
    });
    const r = runControlPlaneTrial({
      model,
      scenario: {
        faults: [
          { type: 'crash', target: { kind: 'lease-holder', component: 'kube-controller-manager' }, at: { atMs: 1000 } },
        ],
        horizonMs: 39_000,
      },
      etcd,
      seed: 1,
    });
    expect(r.timeline[0]!.text).toBe('fault 0: crash of the kube-controller-manager lease holder = cp-2');
    expect(r.lbRemovalsUs['cp-2']).toBeDefined();
    expect(r.capabilities.schedulerLeader.gapUs).toBe(0);
  });

  it('draws spread fault moments from the seed, identically for the same seed', () => {
    const model = buildModel(proposal('stacked'));
    const scenario: Scenario = {
      faults: [{ type: 'crash', target: { kind: 'node', name: 'cp-1' }, at: { atMs: 1000, withinMs: 100 } }],
      horizonMs: 20_000,
    };
    const etcd = etcdReport(['etcd-cp-1', 'etcd-cp-2', 'etcd-cp-3'], s(22));
    const a = runControlPlaneTrial({ model, scenario, etcd, seed: 9 });
    const b = runControlPlaneTrial({ model, scenario, etcd, seed: 9 });
    expect(a.faultTimesUs[0]).toBeGreaterThanOrEqual(s(1));
    expect(a.faultTimesUs[0]).toBeLessThan(s(1.1));
    expect(renderTimeline(a.timeline)).toBe(renderTimeline(b.timeline));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe('Monte Carlo', () => {
  it('nearest-rank percentiles, each withheld where the trials cannot support it', () => {
    const samples = Array.from({ length: 100 }, (_, i) => (i + 1) * 10); // 10..1000
    // Ranks ⌈0.5·100⌉ = 50 → 500 and ⌈0.9·100⌉ = 90 → 900; a p99 needs 200 trials.
    expect(gapDistribution(samples)).toEqual({
      trials: 100,
      p50Us: 500,
      p90Us: 900,
      p99Us: null,
      maxUs: 1000,
      unrecovered: 0,
      withheld: { p99: 'too-few-trials' },
    });
    expect(gapDistribution([7])).toEqual({
      trials: 1,
      p50Us: 7,
      p90Us: null,
      p99Us: null,
      maxUs: 7,
      unrecovered: 0,
      withheld: { p90: 'too-few-trials', p99: 'too-few-trials' },
    });
    // 20 trials, two never recovered: they rank above everything, so p90 (rank 18) is still 18 but max is unknown.
    const twenty = [...Array.from({ length: 18 }, (_, i) => i + 1), null, null];
    expect(gapDistribution(twenty)).toMatchObject({ p50Us: 10, p90Us: 18, maxUs: null, unrecovered: 2 });
    // Three never recovered: rank 18 falls on one of them.
    const three = [...Array.from({ length: 17 }, (_, i) => i + 1), null, null, null];
    expect(gapDistribution(three)).toMatchObject({ p90Us: null, withheld: { p90: 'censored', p99: 'too-few-trials' } });
  });

  it('gives the distributions of each gap, and compares stacked with external for the same node crash', () => {
    const scenario: Scenario = {
      faults: [{ type: 'crash', target: { kind: 'node', name: 'cp-1' }, at: { atMs: 1000 } }],
      horizonMs: 30_000,
    };
    const holders = { 'kube-controller-manager': 'cp-1', 'kube-scheduler': 'cp-1' } as const;
    // Stacked: the crash takes an etcd member (here the leader: 1.3 s election). External: etcd is untouched.
    const stacked = runControlPlaneMonteCarlo({
      model: buildModel(proposal('stacked'), { initialHolders: holders }),
      scenario,
      trials: 40,
      seed: 5,
      etcdTrial: () => ({
        timeline: etcdReport(
          ['etcd-cp-1', 'etcd-cp-2', 'etcd-cp-3'],
          s(31),
          { 'etcd-cp-1': [{ startUs: s(1), endUs: s(31) }] },
          [{ startUs: s(1), endUs: s(2.3) }],
        ),
      }),
    });
    const external = runControlPlaneMonteCarlo({
      model: buildModel(proposal('external'), { initialHolders: holders }),
      scenario,
      trials: 40,
      seed: 5,
      etcdTrial: () => ({ timeline: etcdReport(['etcd-1', 'etcd-2', 'etcd-3'], s(31)) }),
    });
    expect(stacked.gaps.etcdWrites).toEqual({
      trials: 40,
      p50Us: s(1.3),
      p90Us: s(1.3),
      p99Us: null,
      maxUs: s(1.3),
      unrecovered: 0,
      withheld: { p99: 'too-few-trials' },
    });
    expect(stacked.summary).toMatch(
      /^In 40 simulated trials, everything was typically back [\d.]+ s after the first fault \(p90 [\d.]+ s\)\. Typical gaps: etcd writes 1\.300 s, /,
    );
    expect(external.gaps.etcdWrites.maxUs).toBe(0);
    for (const r of [stacked, external]) {
      // Lease gaps within the crash bounds derived in claims.test.ts; LB gaps within [5, 7) s.
      expect(r.gaps.controllerManagerLeader.p50Us!).toBeGreaterThan(s(13));
      expect(r.gaps.controllerManagerLeader.maxUs!).toBeLessThan(s(23.81));
      expect(r.gaps.apiWrites.maxUs!).toBeLessThan(s(7));
      expect(r.gaps.apiWrites.p50Us!).toBeGreaterThanOrEqual(s(5));
      expect(r.fullRecovery.unrecovered).toBe(0);
    }
    const cmp = compareTopologies(stacked, external);
    expect(cmp.deltaUs.etcdWrites.p50Us).toBe(-s(1.3));
    // The sentence names the capability whose typical gap differs most (from deltaUs), with both figures.
    const [widest] = Object.entries(cmp.deltaUs).sort(
      (a, b) => Math.abs(b[1].p50Us ?? 0) - Math.abs(a[1].p50Us ?? 0),
    )[0]!;
    const label = {
      etcdWrites: 'etcd writes',
      apiReads: 'API reads',
      apiWrites: 'API writes',
      controllerManagerLeader: 'controller-manager leadership',
      schedulerLeader: 'scheduler leadership',
    }[widest]!;
    const gap = (r: typeof stacked) => (r.gaps[widest as keyof typeof r.gaps].p50Us! / 1e6).toFixed(3);
    expect(cmp.summary).toBe(
      `Same failure by topology, 40 trials each: the typical gaps differ most for ${label}, ${gap(stacked)} s stacked vs ${gap(external)} s external.`,
    );
  });
});
