/** POST /v1/simulations through the real app: answers, determinism, seeds, limits and pointers. */
import { describe, expect, it } from 'vitest';
import { postJson, problemOf } from './helpers.js';
import { limits } from '../src/http/limits.js';

describe('POST /v1/simulations', () => {
  it('defaults: crash the leader of 3 members once; echoes the derived seed and returns the timeline', async () => {
    const res = await postJson('/v1/simulations', { members: 3 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.kind).toBe('etcd-election');
    expect(body.trials).toBe(1);
    expect(typeof body.seed).toBe('number');
    expect(body.cluster.quorum).toBe(2);
    expect(body.cluster.timing).toMatchObject({
      heartbeatIntervalMs: 100,
      electionTimeoutMs: 1000,
      electionTicks: 10,
      preVote: true,
    });
    expect(body.scenario.faults).toEqual([
      { type: 'crash', target: { kind: 'etcd-leader' }, at: { atMs: 0, withinMs: 100 } },
    ]);
    // Crash → campaign ≥ 0.8 s (tick rules) → a leader among the two survivors.
    expect(['etcd-2', 'etcd-3']).toContain(body.trial.metrics.newLeader);
    expect(body.trial.metrics.newLeaderAfterUs).toBeGreaterThan(800_000);
    expect(body.trial.timeline.some((e: any) => e.kind === 'became-leader')).toBe(true);
    expect(Object.keys(body.trial.service.writableThrough)).toEqual(['etcd-1', 'etcd-2', 'etcd-3']);
    expect(body.summary).toContain('became leader');
  });

  it('equal requests give byte-identical answers, whatever the key order; an explicit seed replays', async () => {
    const a = await (
      await postJson('/v1/simulations', { members: 5, trials: 50, etcd: { version: '3.4', heartbeatIntervalMs: 100 } })
    ).text();
    const b = await (
      await postJson('/v1/simulations', { etcd: { heartbeatIntervalMs: 100, version: '3.4' }, trials: 50, members: 5 })
    ).text();
    expect(a).toBe(b);
    const seed = JSON.parse(a).seed;
    const c = await (
      await postJson('/v1/simulations', { members: 5, trials: 50, etcd: { version: '3.4' }, seed })
    ).text();
    expect(JSON.parse(c).distribution).toEqual(JSON.parse(a).distribution);
  });

  it('trials > 1 returns distributions (and trial 0 on request)', async () => {
    const body = (await (
      await postJson('/v1/simulations', { members: 5, trials: 300, includeTimeline: true })
    ).json()) as any;
    const d = body.distribution.newLeader;
    expect(d.count).toBe(300);
    // 5 members, 2 ms RTT: the first of four campaigns comes 0.8–1.9 s after the crash, plus a few ms of votes.
    expect(d.minUs).toBeGreaterThan(800_000);
    expect(d.maxUs).toBeLessThan(1_950_000);
    expect(d.p50Us).toBeGreaterThan(d.minUs);
    expect(d.cdf.at(-1).fraction).toBe(1);
    expect(body.trial.timeline.length).toBeGreaterThan(0);
  });

  it('takes the /v1/plans body under cluster; fault targets may name zones', async () => {
    const res = await postJson('/v1/simulations', {
      cluster: { topology: 'stacked', controlPlane: { nodes: 3, zones: ['a', 'b', 'c'] } },
      scenario: { faults: [{ type: 'crash', target: { kind: 'zone', name: 'b' }, at: { atMs: 0 } }] },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.cluster.members.map((m: any) => m.name)).toEqual(['cp-1', 'cp-2', 'cp-3']);
    expect(body.trial.faults[0].members).toEqual(['cp-2']);
  });

  it('the Raft paper preset runs classic timing over 5 servers', async () => {
    const body = (await (
      await postJson('/v1/simulations', { preset: 'raft-paper-figure16', trials: 100 })
    ).json()) as any;
    expect(body.model).toBe('classic');
    expect(body.cluster.members).toHaveLength(5);
    // 150–300 ms: the first timeout is at least 150 − 75 ms after the crash.
    expect(body.distribution.allKnow.minUs).toBeGreaterThan(75_000);
  });

  it('the default fault moment stays within maxSimulationHorizonMs when the heartbeat is longer (found by the black-box fuzz)', async () => {
    // The default crash is within one heartbeat; a 200 s heartbeat would echo a fault time the schema forbids.
    const res = await postJson('/v1/simulations', {
      members: 3,
      etcd: { heartbeatIntervalMs: 200_000, electionTimeoutMs: 600_000 },
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { scenario: { faults: { at: { atMs: number; withinMs: number } }[] } };
    expect(answer.scenario.faults[0]!.at).toEqual({ atMs: 0, withinMs: 120_000 });
  });

  it('rejects what it cannot simulate, naming the field and the limit', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ members: 10 }, '/members', /maxSimulationMembers/],
      [{ members: 3, trials: limits.maxSimulationTrials + 1 }, '/trials', /maxSimulationTrials/],
      [{ members: 3, scenario: { faults: [], horizonMs: 120_001 } }, '/scenario/horizonMs', /maxSimulationHorizonMs/],
      [
        {
          members: 3,
          scenario: { faults: [{ type: 'crash', target: { kind: 'member', name: 'etcd-7' }, at: { atMs: 0 } }] },
        },
        '/scenario/faults/0/target/name',
        /No etcd member "etcd-7"/,
      ],
      [
        { members: 3, scenario: { faults: [{ type: 'partition', groups: [['nowhere']], at: { atMs: 0 } }] } },
        '/scenario/faults/0/groups/0/0',
        /"nowhere" is not an etcd member, host or zone of the cluster \(members: etcd-1, etcd-2, etcd-3;/,
      ],
      // The etcd kind's cluster is its members: their hosts and zones are the only node and zone targets.
      [
        {
          members: 3,
          scenario: { faults: [{ type: 'crash', target: { kind: 'node', name: 'cp-1' }, at: { atMs: 0 } }] },
        },
        '/scenario/faults/0/target/name',
        /No host "cp-1" in the cluster \(hosts: /,
      ],
      [
        {
          members: 3,
          scenario: { faults: [{ type: 'crash', target: { kind: 'zone', name: 'mars' }, at: { atMs: 0 } }] },
        },
        '/scenario/faults/0/target/name',
        /No zone "mars" in the cluster \(zones: /,
      ],
      [
        { members: 3, cluster: { topology: 'stacked', controlPlane: { nodes: 3 } } },
        '/members',
        /either `cluster` or `members`/,
      ],
      [{ preset: 'raft-paper-figure16', members: 3 }, '/members', /preset fixes the cluster/],
      [{ model: 'classic' }, '/classic', /needs `classic`/],
      [
        { members: 3, etcd: { heartbeatIntervalMs: 100, electionTimeoutMs: 50 } },
        '/etcd/electionTimeoutMs',
        /at least the heartbeat interval/,
      ],
      [{ members: 3, tyop: true }, '/tyop', /Unknown field/],
      // Durations below the engine clock's 1 µs (issue 14): a 400 naming the field and the smallest value.
      [{ members: 3, etcd: { heartbeatIntervalMs: 0.0004 } }, '/etcd/heartbeatIntervalMs', /at least 0\.001 ms/],
      [
        { preset: 'raft-paper-figure16', presetTimeoutMs: { minMs: 0.0005, maxMs: 1 } },
        '/presetTimeoutMs/minMs',
        /at least 0\.001 ms/,
      ],
      [
        { model: 'classic', classic: { electionTimeoutMinMs: 0.0001, electionTimeoutMaxMs: 1 } },
        '/classic/electionTimeoutMinMs',
        /at least 0\.001 ms/,
      ],
      [{ members: 3, memberLogs: { 'etcd-9': { lastLogIndex: 3 } } }, '/memberLogs/etcd-9', /No member "etcd-9"/],
      [{ members: 3, trials: 2001, includeSamples: true }, '/includeSamples', /the limit maxSimulationSamples/],
    ];
    for (const [body, pointer, detail] of cases) {
      const res = await postJson('/v1/simulations', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const problem = await problemOf(res);
      const error = problem.errors!.find((e) => e.pointer === pointer);
      expect(error, `${JSON.stringify(body)} → ${JSON.stringify(problem.errors)}`).toBeDefined();
      expect(error!.detail).toMatch(detail);
    }
  });

  it('stops a request beyond the event budget with a problem naming maxSimulationEvents', async () => {
    // 9 members cut off from their leader for good never settle: ~27,000 events per 120 s trial, so 200
    // trials need ~5.4 million events, beyond the 1.5 million budget.
    const res = await postJson('/v1/simulations', {
      members: 9,
      trials: 200,
      scenario: { faults: [{ type: 'partition', groups: [['etcd-1']], at: { atMs: 0 } }], horizonMs: 120_000 },
    });
    expect(res.status).toBe(400);
    const problem = await problemOf(res);
    expect(problem.errors![0]!.pointer).toBe('/trials');
    expect(problem.errors![0]!.detail).toMatch(/the limit maxSimulationEvents/);
  });

  it('refuses early a request whose first trials project far beyond the event budget', async () => {
    // ~27,000 events per trial (see above) × 30,000 trials is ~270 times the budget: the first 20 trials show it.
    const res = await postJson('/v1/simulations', {
      members: 9,
      trials: 30_000,
      scenario: { faults: [{ type: 'partition', groups: [['etcd-1']], at: { atMs: 0 } }], horizonMs: 120_000 },
    });
    expect(res.status).toBe(400);
    const problem = await problemOf(res);
    expect(problem.errors![0]!.pointer).toBe('/trials');
    expect(problem.errors![0]!.detail).toMatch(
      /projected from its first trials.*the limit maxSimulationEvents|the limit maxSimulationEvents.*projected/,
    );
  });

  it('a request that fits is not refused by the projection, even with trial 0 run in full to the horizon', async () => {
    // 3 members, 20,000 crash trials: about 1.5 million events, half the budget; trial 0 with its timeline runs
    // the whole 10 s horizon (~300 events) and is left out of the projection.
    const res = await postJson('/v1/simulations', { members: 3, trials: 20_000, includeTimeline: true });
    expect(res.status).toBe(200);
  });

  it('the smallest accepted durations run (1 µs clock), including a cluster body heartbeat', async () => {
    const res = await postJson('/v1/simulations', {
      members: 3,
      etcd: { heartbeatIntervalMs: 0.001, electionTimeoutMs: 0.01 },
      scenario: { faults: [], horizonMs: 1 },
    });
    expect(res.status).toBe(200);
    const tiny = await postJson('/v1/simulations', {
      cluster: { topology: 'external', controlPlane: { nodes: 1 }, etcd: { members: 3, heartbeatIntervalMs: 0.0004 } },
    });
    expect([400]).toContain(tiny.status);
    const problem = await problemOf(tiny);
    expect(problem.errors!.some((e) => /heartbeatIntervalMs$/.test(e.pointer))).toBe(true);
  });

  it('echoes the network model, multiTermShare beside the split-vote rate, and samples on request', async () => {
    const res = await postJson('/v1/simulations', {
      members: 5,
      etcd: { version: '3.4' },
      trials: 200,
      includeSamples: true,
      networkModel: { jitterFraction: 0 },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.cluster.networkModel).toEqual({
      oneWayMs: { min: 0.25, max: 0.25 },
      jitterFraction: 0,
      lossProbability: 0,
      diskSyncMs: 1,
      diskSyncJitterMs: 0,
      diskSyncTailMs: 0,
      // The default fsync spread, fitted to real etcd's graceful stops (docs/CALIBRATION.md).
      diskSyncSpread: 1.4,
    });
    const d = body.distribution;
    expect(d.samples).toHaveLength(200);
    const multi = d.samples.filter((x: any) => x.termsUsed > 1).length;
    expect(d.multiTermShare).toBe(multi / 200);
    // etcd 3.4 (no pre-vote): about 1 failover in 10 needs a second term (a vote ignored under the lease, then
    // a second candidate of the same term; docs/CALIBRATION.md measured 12.5% for 5 members).
    expect(d.multiTermShare).toBeGreaterThan(0.03);
    expect(d.multiTermShare).toBeLessThan(0.3);
    expect(body.summary).toMatch(/needed more than one term/);
  });

  it('the preset answers with the public fields it stands for, and those fields without the preset give the same distribution', async () => {
    const preset = (await (
      await postJson('/v1/simulations', {
        preset: 'raft-paper-figure16',
        presetTimeoutMs: { minMs: 150, maxMs: 200 },
        trials: 100,
        seed: 3,
      })
    ).json()) as any;
    expect(preset.presetFields).toMatchObject({
      model: 'classic',
      classic: { timerJitterMs: 0.5, syncBeforeVoteRequest: false },
    });
    const scenario = preset.scenario;
    const fields = (await (
      await postJson('/v1/simulations', {
        ...preset.presetFields,
        scenario: { faults: scenario.faults, horizonMs: scenario.horizonMs },
        trials: 100,
        seed: 3,
      })
    ).json()) as any;
    expect(fields.distribution).toEqual(preset.distribution);
  });
});
