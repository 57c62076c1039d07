/** POST /v1/simulations with kind "control-plane", through the real app (engine + control-plane layer). */
import { describe, expect, it } from 'vitest';
import { postJson, problemOf } from './helpers.js';
import { limits } from '../src/http/limits.js';

const cluster = { topology: 'stacked', controlPlane: { nodes: 3, zones: ['a', 'b', 'c'] } };

describe('POST /v1/simulations, kind control-plane', () => {
  it('one trial: crash the lease holder node; the timeline crosses every layer and the gaps respect the derived bounds', async () => {
    const res = await postJson('/v1/simulations', {
      kind: 'control-plane',
      cluster,
      seed: 11,
      controlPlaneOptions: { initialHolders: { 'kube-controller-manager': 'cp-1', 'kube-scheduler': 'cp-1' } },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.kind).toBe('control-plane');
    expect(body.topology).toBe('stacked');
    // The default scenario crashes the controller-manager lease holder's node, resolved to cp-1.
    expect(body.scenario.faults[0].target).toEqual({ kind: 'node', name: 'cp-1' });
    const layers = new Set(body.trial.timeline.map((e: any) => e.layer));
    for (const layer of [
      'fault',
      'etcd',
      'kube-apiserver',
      'load-balancer',
      'kube-controller-manager',
      'kube-scheduler',
    ])
      expect(layers).toContain(layer);
    const caps = body.trial.capabilities;
    // Stacked: cp-1's etcd member dies with it. Lease takeover in (13.004, 23.81) s (claims.test.ts); load balancer
    // removal in [5, 7) s after the crash.
    expect(caps.controllerManagerLeader.gapUs).toBeGreaterThan(13_004_000);
    expect(caps.controllerManagerLeader.gapUs).toBeLessThan(23_810_000);
    expect(body.trial.lbRemovalsUs['cp-1']).toBeGreaterThanOrEqual(5_000_000);
    expect(body.trial.lbRemovalsUs['cp-1']).toBeLessThan(7_000_000);
    expect(body.trial.timelineText).toContain('taken out of rotation');
    expect(body.summary).toContain('kube-controller-manager was leaderless for');
  });

  it('equal requests give byte-identical answers', async () => {
    const req = { kind: 'control-plane', cluster, trials: 5, seed: 3 };
    const a = await (await postJson('/v1/simulations', req)).text();
    const b = await (await postJson('/v1/simulations', req)).text();
    expect(a).toBe(b);
    const body = JSON.parse(a);
    expect(body.distribution.gaps.apiWrites).toHaveProperty('p90Us');
    expect(body.trial).toBeUndefined();
  });

  it('compares stacked with external for the same zone loss', async () => {
    const res = await postJson('/v1/simulations', {
      kind: 'control-plane',
      cluster,
      trials: 6,
      seed: 2,
      scenario: {
        faults: [{ type: 'crash', target: { kind: 'zone', name: 'b' }, at: { atMs: 1000, withinMs: 1000 } }],
      },
      controlPlaneOptions: {
        compareTopologies: true,
        initialHolders: { 'kube-controller-manager': 'cp-2', 'kube-scheduler': 'cp-2' },
      },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    // Both lose one of three etcd members in zone b; both lose the lease holder.
    for (const side of [body.comparison.stacked, body.comparison.external]) {
      expect(side.gaps.controllerManagerLeader.p50Us).toBeGreaterThan(13_000_000);
      expect(side.gaps.etcdWrites.unrecovered).toBe(0);
    }
    // The sentence says what deltaUs says: no difference, or the widest one with both figures.
    const deltas = Object.values(body.comparison.deltaUs as Record<string, { p50Us: number | null }>).map(
      (d) => d.p50Us,
    );
    if (deltas.every((d) => d === 0)) expect(body.comparison.summary).toContain('every typical gap is the same');
    else expect(body.comparison.summary).toMatch(/differ most for .+, [\d.]+ s stacked vs [\d.]+ s external\.$/);
  });

  it('rejects what the layer cannot run, with pointers', async () => {
    const noCluster = await postJson('/v1/simulations', { kind: 'control-plane', members: 3 });
    expect(noCluster.status).toBe(400);
    const p1 = await problemOf(noCluster);
    expect(p1.errors!.map((e: any) => e.pointer)).toContain('/cluster');

    const badNode = await postJson('/v1/simulations', {
      kind: 'control-plane',
      cluster,
      scenario: { faults: [{ type: 'crash', target: { kind: 'node', name: 'cp-9' }, at: { atMs: 0 } }] },
    });
    expect((await problemOf(badNode)).errors![0]!.pointer).toBe('/scenario/faults/0/target/name');

    const badLe = await postJson('/v1/simulations', {
      kind: 'control-plane',
      cluster: { ...cluster, leaderElection: { leaseDurationS: 15, renewDeadlineS: 2, retryPeriodS: 2 } },
    });
    const p3 = await problemOf(badLe);
    expect(p3.errors).toContainEqual(
      expect.objectContaining({
        pointer: '/cluster/leaderElection/renewDeadlineS',
        detail: expect.stringContaining('(client-go: "renewDeadline must be greater than retryPeriod*JitterFactor")'),
      }),
    );

    const leaseInEtcd = await postJson('/v1/simulations', {
      members: 3,
      scenario: {
        faults: [{ type: 'crash', target: { kind: 'lease-holder', component: 'kube-scheduler' }, at: { atMs: 0 } }],
      },
    });
    expect((await problemOf(leaseInEtcd)).errors![0]!.pointer).toBe('/scenario/faults/0/target');

    const tooMany = await postJson('/v1/simulations', { kind: 'control-plane', cluster, trials: 401 });
    expect((await problemOf(tooMany)).errors![0]!.detail).toContain('maxControlPlaneTrials');
  });
});

describe('hosted platforms (issue 11)', () => {
  it('refuses to simulate the control plane a provider runs, saying what the provider runs', async () => {
    const res = await postJson('/v1/simulations', {
      kind: 'control-plane',
      cluster: { ...cluster, platform: 'hosted' },
    });
    expect(res.status).toBe(400);
    const errors = (await problemOf(res)).errors!;
    expect(errors).toHaveLength(1);
    expect(errors[0]!.pointer).toBe('/cluster/platform');
    expect(errors[0]!.detail).toContain(
      'the provider runs etcd, kube-apiserver, kube-controller-manager and kube-scheduler',
    );
    expect(errors[0]!.detail).toContain('not simulated as if you ran them');
    // No invented figure: the refusal carries no leaderless time, no quorum.
    expect(errors[0]!.detail).not.toMatch(/\d+\.\d+ s/);
  });

  it('refuses an etcd election simulation of a hosted cluster too: the provider runs its etcd', async () => {
    const res = await postJson('/v1/simulations', { cluster: { ...cluster, platform: 'hosted' } });
    expect(res.status).toBe(400);
    const errors = (await problemOf(res)).errors!;
    expect(errors.map((e) => e.pointer)).toEqual(['/cluster/platform']);
    expect(errors[0]!.detail).toContain('the provider runs etcd');
    // The same cluster run by the user is simulated.
    expect((await postJson('/v1/simulations', { cluster })).status).toBe(200);
  });
});

describe('bounded work for the control-plane layers (issue 14)', () => {
  const lb = (intervalS: number, timeoutS: number) => ({
    ...cluster,
    loadBalancer: { healthCheckIntervalS: intervalS, healthCheckTimeoutS: timeoutS },
  });

  it('answers the request that hung the server with a 400 naming the field and the smallest accepted value', async () => {
    // The request from the issue: a 1e-7 s timeout is shorter than the simulation's 1 µs clock.
    const res = await postJson('/v1/plans', { ...lb(1e-6, 1e-7), failover: true });
    const problem = await problemOf(res);
    expect(res.status).toBe(400);
    expect(problem.errors).toEqual([
      {
        pointer: '/loadBalancer/healthCheckTimeoutS',
        location: 'body',
        detail: "Must be at least 0.000001 (1 µs, the resolution of the simulation's clock); 1e-7 would round to 0.",
      },
    ]);
  });

  it('refuses before running a health-check interval whose checks alone exceed the event limit', async () => {
    // 1 µs checks of 3 backends over 10 s of warm-up plus 32 s of trial: 2 · 3 · 42,000,000 events per trial.
    // The plan's failover section and the control-plane simulation each have their own limit.
    for (const [path, body, pointer, limit] of [
      [
        '/v1/plans',
        { ...lb(1e-6, 1e-6), failover: true },
        '/loadBalancer/healthCheckIntervalS',
        `${limits.maxFailoverSectionEvents} simulated events \\(the limit maxFailoverSectionEvents\\)`,
      ],
      [
        '/v1/simulations',
        { kind: 'control-plane', cluster: lb(1e-6, 1e-6) },
        '/cluster/loadBalancer/healthCheckIntervalS',
        `${limits.maxControlPlaneEvents} simulated events \\(the limit maxControlPlaneEvents\\)`,
      ],
    ] as const) {
      const res = await postJson(path, body);
      expect(res.status, path).toBe(400);
      const error = (await problemOf(res)).errors![0]!;
      expect(error.pointer, path).toBe(pointer);
      expect(error.detail, path).toMatch(
        new RegExp(`more than ${limit}: load-balancer health checks alone would need about \\d+`),
      );
    }
  });

  it('a node named like an Object.prototype member gets the default clock rate, not a 500 (black-box fuzz)', async () => {
    const nodes = ['hasOwnProperty', 'constructor', 'cp-3'].map((name, i) => ({ name, zone: `zone-${'abc'[i]}` }));
    const res = await postJson('/v1/plans', { topology: 'stacked', controlPlane: { nodes } });
    expect(res.status).toBe(200);
    const plan = (await res.json()) as { failover: { cases: { name: string }[] } | null };
    expect(plan.failover?.cases.map((c) => c.name)).toContain('hasOwnProperty');
  });

  it('answers 1e-9 s intervals on control-plane simulations with a 400, not a 500', async () => {
    const res = await postJson('/v1/simulations', { kind: 'control-plane', cluster: lb(1e-9, 1e-9) });
    expect(res.status).toBe(400);
    const pointers = (await problemOf(res)).errors!.map((e) => e.pointer);
    expect(pointers).toEqual([
      '/cluster/loadBalancer/healthCheckIntervalS',
      '/cluster/loadBalancer/healthCheckTimeoutS',
    ]);
  });

  it('refuses a lease retry period whose renewals exceed the budget, naming the field', async () => {
    const res = await postJson('/v1/simulations', {
      kind: 'control-plane',
      cluster: { ...cluster, leaderElection: { leaseDurationS: 15, renewDeadlineS: 10, retryPeriodS: 0.00001 } },
    });
    expect(res.status).toBe(400);
    const error = (await problemOf(res)).errors![0]!;
    expect(error.pointer).toBe('/cluster/leaderElection/retryPeriodS');
    expect(error.detail).toContain('lease renewals and retries alone would need about');
  });
});

describe('POST /v1/plans failover section', () => {
  it('lists every single-node and single-zone loss with p50/p90 gaps and the trials used', async () => {
    const res = await postJson('/v1/plans', { ...cluster, failover: true });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    const f = body.failover;
    // 20 trials per case, the fewest that support a p90; every gap carries its trial count.
    expect(f.trialsPerCase).toBe(20);
    expect(f.cases.map((c: any) => `${c.loss}:${c.name}`)).toEqual([
      'node:cp-1',
      'node:cp-2',
      'node:cp-3',
      'zone:a',
      'zone:b',
      'zone:c',
    ]);
    for (const c of f.cases) {
      // The lost node holds both leases: takeover within (13.004, 23.81) s; etcd keeps its quorum (2 of 3).
      expect(c.gaps.controllerManagerLeader.p50Us).toBeGreaterThan(13_004_000);
      expect(c.gaps.controllerManagerLeader.p90Us).toBeLessThan(23_810_000);
      expect(c.gaps.etcdWrites.unrecovered).toBe(0);
      expect(c.gaps.controllerManagerLeader.trials).toBe(20);
      expect(c.summary).toContain('in 20 trials');
    }
    // Zone a holds only cp-1: the same loss, simulated once and reported under both names.
    expect(f.cases[3].gaps).toEqual(f.cases[0].gaps);
    // Equal bodies, equal answers.
    expect(await (await postJson('/v1/plans', { ...cluster, failover: true })).text()).toBe(JSON.stringify(body));
  });

  it('is null on a hosted platform', async () => {
    const body = (await (
      await postJson('/v1/plans', { ...cluster, platform: 'hosted', failover: true })
    ).json()) as any;
    expect(body.failover).toBeNull();
  });

  it('is on by default and off with "failover": false', async () => {
    const byDefault = (await (await postJson('/v1/plans', cluster)).json()) as any;
    const asked = (await (await postJson('/v1/plans', { ...cluster, failover: true })).json()) as any;
    expect(byDefault.failover).toEqual(asked.failover);
    expect(byDefault.failover.cases).toHaveLength(6);
    const off = (await (await postJson('/v1/plans', { ...cluster, failover: false })).json()) as any;
    expect(off.failover).toBeNull();
    expect(off.quorum).toBe(2);
  });

  it('beyond maxFailoverSectionEvents: null when left out, a 400 naming the limit and the field when asked for', async () => {
    // 3 nodes renewing two leases every 10 ms for 40 s, 20 trials per distinct loss: millions of events.
    const busy = { ...cluster, leaderElection: { leaseDurationS: 15, renewDeadlineS: 10, retryPeriodS: 0.01 } };
    const byDefault = await postJson('/v1/plans', busy);
    expect(byDefault.status).toBe(200);
    expect(((await byDefault.json()) as any).failover).toBeNull();
    const asked = await postJson('/v1/plans', { ...busy, failover: true });
    expect(asked.status).toBe(400);
    const error = (await problemOf(asked)).errors![0]!;
    expect(error.pointer).toBe('/leaderElection/retryPeriodS');
    expect(error.detail).toContain(`the limit maxFailoverSectionEvents`);
    expect(error.detail).toContain(String(limits.maxFailoverSectionEvents));
    expect(error.detail).toContain('"failover": false');
  });

  it('is a plan option, not part of the proposal: /v1/config refuses it as an unknown field', async () => {
    const res = await postJson('/v1/config', { ...cluster, failover: true });
    expect(res.status).toBe(400);
  });
});

describe('kind control-plane with an external learner', () => {
  it('simulates the apiservers talking to the voters only, as /v1/config lists them (found by test/mcp-agreement.test.ts: a 500 before)', async () => {
    const cluster = {
      topology: 'external',
      controlPlane: { nodes: 2, zones: ['a'] },
      etcd: { members: [{ name: 'etcd-1' }, { name: 'etcd-2', learner: true }], version: '3.4' },
    };
    const res = await postJson('/v1/simulations', { kind: 'control-plane', cluster, seed: 1 });
    expect(res.status).toBe(200);
    const config = (await (await postJson('/v1/config', cluster)).json()) as {
      apiServer: { etcdServers: string[] };
    };
    expect(config.apiServer.etcdServers.join(',')).not.toContain('etcd-2');
  });
});
