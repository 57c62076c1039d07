/**
 * One test per claim of the claims ledger (docs/reference/ledger.md: client-go-lease-timing, apiserver-etcd-client) about failover, as raft_paper_test.go does for the Raft paper. The
 * expected figures are derived below from client-go's rules (tools/leaderelection/leaderelection.go) and the
 * load balancer's, with the model's constants: L = 15 s lease, RD = 10 s renew deadline, P = 2 s retry period,
 * jitter J ∈ [P, 2.2·P) = [2, 4.4) s, ℓ = 2 ms per request (the model's default requestLatencyMs).
 */
import { describe, expect, it } from 'vitest';
import {
  buildModel,
  runControlPlaneTrial,
  type ControlPlaneTrialResult,
} from '../../src/domain/simulation/control-plane/index.js';
import type { Scenario } from '../../src/domain/simulation/scenario.js';
import { etcdReport, proposal, s } from './fixtures.js';

const L = s(15);
const RD = s(10);
const P = s(2);
const JMAX = s(4.4);
const LAT = 2_000;
const HORIZON = s(60);
const stackedMembers = ['etcd-cp-1', 'etcd-cp-2', 'etcd-cp-3'];
const bothOn = (node: string) => ({ 'kube-controller-manager': node, 'kube-scheduler': node }) as const;

function run(
  scenario: Scenario,
  etcd = etcdReport(stackedMembers, HORIZON),
  holders = bothOn('cp-1'),
  seed = 1,
  options = {},
): ControlPlaneTrialResult {
  const model = buildModel(proposal('stacked'), { initialHolders: holders, ...options });
  return runControlPlaneTrial({ model, scenario, etcd, seed });
}

/** Leaderless time from `fromUs` until the first acquisition after it. */
function takeoverUs(
  r: ControlPlaneTrialResult,
  component: 'kube-controller-manager' | 'kube-scheduler',
  fromUs: number,
): number {
  const next = r.leadership[component].find((span) => span.startUs > fromUs);
  expect(next, `${component} gets a new leader`).toBeDefined();
  return next!.startUs - fromUs;
}

describe('a crashed lease holder is replaced within the bounds client-go allows', () => {
  // Derivation. The holder's record changes every P + ℓ (fast-path Update, then P of waiting), so its last change
  // R before the crash at X lies in (X − P − ℓ, X). A candidate tries every ℓ + J; its first try after R (start
  // before R + ℓ + 2.2P) observes the change at o = start + ℓ. It may take over on the first try starting at or
  // after o + L (before o + L + ℓ + 2.2P), and leads once that try's Get and Update return (+2ℓ).
  //   lower: A > R + ℓ + L + 2ℓ > X − P + L + 2ℓ          → gap > L − P + 2ℓ       = 13.004 s
  //   upper: A < R + 2.2P + 2ℓ + L + ℓ + 2.2P + 2ℓ < X + … → gap < L + 4.4P + 5ℓ    = 23.810 s
  const lower = L - P + 2 * LAT;
  const upper = L + 2 * JMAX + 5 * LAT;
  const crash: Scenario = {
    faults: [{ type: 'crash', target: { kind: 'node', name: 'cp-1' }, at: { atMs: 1000, withinMs: 2000 } }],
    horizonMs: 60_000,
  };

  it('for 150 seeds, both components, the crashed node a follower of etcd', () => {
    const gaps: number[] = [];
    for (let seed = 1; seed <= 150; seed++) {
      const model = buildModel(proposal('stacked'), { initialHolders: bothOn('cp-1') });
      const probe = runControlPlaneTrial({ model, scenario: crash, etcd: etcdReport(stackedMembers, s(62)), seed });
      const x = probe.faultTimesUs[0]!;
      const etcd = etcdReport(stackedMembers, s(62), { 'etcd-cp-1': [{ startUs: x, endUs: s(62) }] });
      const r = runControlPlaneTrial({ model, scenario: crash, etcd, seed });
      for (const component of ['kube-controller-manager', 'kube-scheduler'] as const) {
        const gap = takeoverUs(r, component, x);
        expect(gap, `seed ${seed} ${component}`).toBeGreaterThan(lower);
        expect(gap, `seed ${seed} ${component}`).toBeLessThan(upper);
        gaps.push(gap);
      }
    }
    // The jitter really spreads the outcome over most of the allowed range.
    expect(Math.min(...gaps)).toBeLessThan(s(16));
    expect(Math.max(...gaps)).toBeGreaterThan(s(20));
  });

  it('also when the crashed node held the etcd leadership and the survivors need an election', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const x = s(1);
      const etcd = etcdReport(stackedMembers, HORIZON, { 'etcd-cp-1': [{ startUs: x, endUs: HORIZON }] }, [
        { startUs: x, endUs: x + s(1.6) },
      ]);
      const r = run(
        { faults: [{ type: 'crash', target: { kind: 'node', name: 'cp-1' }, at: { atMs: 1000 } }], horizonMs: 59_000 },
        etcd,
        bothOn('cp-1'),
        seed,
      );
      for (const component of ['kube-controller-manager', 'kube-scheduler'] as const) {
        const gap = takeoverUs(r, component, x);
        expect(gap).toBeGreaterThan(lower);
        expect(gap).toBeLessThan(upper);
      }
    }
  });
});

describe('a graceful stop', () => {
  // kube-scheduler sets ReleaseOnCancel: the stop writes an empty holder; a candidate's next try (previous try
  // started ≤ X, next starts < X + ℓ + 2.2P) sees it free and takes it with Get + Update (+2ℓ): < X + 4.4 s + 3ℓ.
  // kube-controller-manager does not release: a graceful stop is a crash for it (bounds above).
  it('hands the scheduler lease over within one jittered retry, the controller-manager not', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const x = s(3);
      const etcd = etcdReport(stackedMembers, HORIZON, { 'etcd-cp-1': [{ startUs: x, endUs: HORIZON }] });
      const r = run(
        { faults: [{ type: 'stop', target: { kind: 'node', name: 'cp-1' }, at: { atMs: 3000 } }], horizonMs: 57_000 },
        etcd,
        bothOn('cp-1'),
        seed,
      );
      expect(
        r.leaseWrites['kube-scheduler'].some((w) => w.timeUs === x && w.holder === ''),
        'the release is written',
      ).toBe(true);
      expect(takeoverUs(r, 'kube-scheduler', x)).toBeLessThan(JMAX + 3 * LAT);
      expect(takeoverUs(r, 'kube-controller-manager', x)).toBeGreaterThan(L - P + 2 * LAT);
    }
  });
});

describe('etcd unavailability and lease renewals', () => {
  it('an etcd election shorter than RenewDeadline costs no leadership', () => {
    // Renewals block until etcd commits again: the iteration started before the outage has RD to succeed, and
    // a request waits up to RD/2, the next one starting when the first times out; an outage < RD − ℓ is bridged.
    for (const outageS of [1.2, 1.9, 5, 9.9]) {
      for (let seed = 1; seed <= 30; seed++) {
        const x = s(2);
        const etcd = etcdReport(stackedMembers, HORIZON, { 'etcd-cp-1': [{ startUs: x, endUs: HORIZON }] }, [
          { startUs: x, endUs: x + s(outageS) },
        ]);
        // The etcd leader (member etcd-cp-1, etcd only) crashes; the leases are held on cp-2.
        const r = run(
          {
            faults: [{ type: 'crash', target: { kind: 'member', name: 'etcd-cp-1' }, at: { atMs: 2000 } }],
            horizonMs: 58_000,
          },
          etcd,
          bothOn('cp-2'),
          seed,
        );
        expect(r.capabilities.controllerManagerLeader.gapUs, `${outageS} s, seed ${seed}`).toBe(0);
        expect(r.capabilities.schedulerLeader.gapUs, `${outageS} s, seed ${seed}`).toBe(0);
        expect(r.leadership['kube-controller-manager']).toHaveLength(1);
        expect(r.capabilities.etcdWrites.gapUs).toBe(s(outageS));
      }
    }
  });

  it('in the stacked topology losing the local etcd member costs the holder its leadership (coupled failure)', () => {
    // The holder's apiserver talks to its own member only: with that member gone it cannot renew.
    const x = s(2);
    const etcd = etcdReport(stackedMembers, HORIZON, { 'etcd-cp-1': [{ startUs: x, endUs: HORIZON }] });
    const r = run(
      {
        faults: [{ type: 'crash', target: { kind: 'member', name: 'etcd-cp-1' }, at: { atMs: 2000 } }],
        horizonMs: 58_000,
      },
      etcd,
      bothOn('cp-1'),
      4,
    );
    expect(r.capabilities.controllerManagerLeader.gapUs).toBeGreaterThan(0);
    expect(r.leadership['kube-controller-manager'][0]!.endedBy).toBe('renew-deadline');
  });

  it('a quorum loss makes both components lose leadership RetryPeriod + RenewDeadline after their last renewal', () => {
    // renew() is wait.Until(iteration, P): after the last successful renewal returns (its write took effect at
    // W, returned at W + ℓ), the next iteration starts P later and gives up RD after its start. So leadership
    // ends at W + ℓ + P + RD, i.e. RenewDeadline after the first failed attempt, 12 s after the last renewal.
    for (let seed = 1; seed <= 40; seed++) {
      const x = s(5);
      const etcd = etcdReport(stackedMembers, HORIZON, {}, [{ startUs: x, endUs: HORIZON }]);
      const r = run(
        { faults: [{ type: 'partition', groups: [['a'], ['b'], ['c']], at: { atMs: 5000 } }], horizonMs: 55_000 },
        etcd,
        bothOn('cp-3'),
        seed,
      );
      for (const component of ['kube-controller-manager', 'kube-scheduler'] as const) {
        const lastWrite = r.leaseWrites[component].filter((w) => w.timeUs < x).at(-1)!;
        const span = r.leadership[component][0]!;
        expect(span.endedBy).toBe('renew-deadline');
        expect(span.endUs).toBe(lastWrite.timeUs + LAT + P + RD);
        expect(r.leadership[component]).toHaveLength(1); // nobody can acquire without etcd
      }
    }
  });
});

describe('the load balancer', () => {
  // A check starts every interval I (phase fixed per backend); the first one after the crash at X starts in
  // [X, X + I), the fall-th failing one (fall − 1)·I later, and a dead host's check fails after the timeout T:
  // removal in [X + (fall − 1)·I + T, X + fall·I + T) = [5 s, 7 s) with haproxy-like defaults (2 s, 1 s, 3).
  it('takes a crashed stacked node out of rotation within interval × unhealthyThreshold + timeout', () => {
    const removals: number[] = [];
    for (let seed = 1; seed <= 100; seed++) {
      const x = s(4);
      const etcd = etcdReport(stackedMembers, HORIZON, { 'etcd-cp-1': [{ startUs: x, endUs: HORIZON }] }, [
        { startUs: x, endUs: x + s(1.5) },
      ]);
      const r = run(
        { faults: [{ type: 'crash', target: { kind: 'node', name: 'cp-1' }, at: { atMs: 4000 } }], horizonMs: 56_000 },
        etcd,
        bothOn('cp-2'),
        seed,
      );
      const removal = r.lbRemovalsUs['cp-1']!;
      expect(removal).toBeGreaterThanOrEqual(2 * s(2) + s(1));
      expect(removal).toBeLessThan(3 * s(2) + s(1));
      // The survivors fail at most one check during a 1.5 s election and stay in rotation.
      expect(r.lbRemovalsUs['cp-2']).toBeUndefined();
      // Requests through the load balancer fail (some of them) from the crash until cp-1 is out.
      expect(r.capabilities.apiWrites.gapUs).toBe(removal);
      removals.push(removal);
    }
    expect(Math.max(...removals) - Math.min(...removals)).toBeGreaterThan(s(1));
  });

  it('with a refused connection (apiserver-only crash) the check fails at once, not after the timeout', () => {
    const r = run(
      {
        faults: [
          { type: 'crash', target: { kind: 'node', name: 'cp-1' }, components: ['kube-apiserver'], at: { atMs: 4000 } },
        ],
        horizonMs: 56_000,
      },
      etcdReport(stackedMembers, HORIZON),
      bothOn('cp-2'),
      3,
    );
    const removal = r.lbRemovalsUs['cp-1']!;
    expect(removal).toBeGreaterThanOrEqual(2 * s(2) + LAT);
    expect(removal).toBeLessThan(3 * s(2) + LAT);
  });

  it('puts a restarted backend back after healthyThreshold passing checks', () => {
    const r = run(
      {
        faults: [
          {
            type: 'crash',
            target: { kind: 'node', name: 'cp-1' },
            components: ['kube-apiserver'],
            at: { atMs: 4000 },
            restartAfterMs: 20_000,
          },
        ],
        horizonMs: 56_000,
      },
      etcdReport(stackedMembers, HORIZON),
      bothOn('cp-2'),
      3,
    );
    const back = r.rotation['cp-1']!.find((i) => i.startUs > s(4))!;
    // First passing check in [24 s, 26 s), the second one interval later, each answered after ℓ.
    expect(back.startUs).toBeGreaterThanOrEqual(s(24) + s(2) + LAT);
    expect(back.startUs).toBeLessThan(s(26) + s(2) + LAT);
  });
});

describe('clock-rate skew', () => {
  // client-go tolerates a rate ratio up to about LeaseDuration/RenewDeadline (its package comment). A holder that
  // cannot renew keeps believing it leads until W + ℓ + P + RD on its clock; a candidate whose clock runs 1.9×
  // fast expires the lease after L/1.9 ≈ 7.9 s of real time: two leaders for a while. At rate 1 they never overlap.
  const scenario: Scenario = {
    faults: [
      { type: 'crash', target: { kind: 'node', name: 'cp-1' }, components: ['kube-apiserver'], at: { atMs: 3000 } },
    ],
    horizonMs: 57_000,
  };
  it('fast candidate clocks can produce two leaders; exact clocks cannot', () => {
    let overlapping = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const exact = run(scenario, etcdReport(stackedMembers, HORIZON), bothOn('cp-1'), seed);
      expect(exact.dualLeadership['kube-controller-manager']).toEqual([]);
      const skewed = run(scenario, etcdReport(stackedMembers, HORIZON), bothOn('cp-1'), seed, {
        clockRates: { 'cp-2': 1.9, 'cp-3': 1.9 },
      });
      if (skewed.dualLeadership['kube-controller-manager'].length > 0) overlapping++;
    }
    expect(overlapping).toBeGreaterThan(10);
  });
});
