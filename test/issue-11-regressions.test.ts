/**
 * One test per request quoted in issue 11, through the HTTP API. Expected values are worked out by hand:
 * zone a holds only apiservers, zone d every etcd voter, 40 ms apart; etcd's texts are read from etcd-io/etcd
 * at v3.4.45 / v3.5.33 / v3.6.14 (claims ledger).
 */
import { describe, expect, it } from 'vitest';
import { get, postJson } from './helpers.js';

interface Answer {
  summary: string;
  findings: { code: string; message: string; pointers: string[]; severity: string }[];
  [key: string]: unknown;
}

async function post(path: string, body: unknown): Promise<Answer> {
  const response = await postJson(path, body);
  expect(response.status, path).toBe(200);
  return (await response.json()) as Answer;
}

const apiserversInA = {
  topology: 'external',
  controlPlane: {
    nodes: [
      { name: 'cp-1', zone: 'a' },
      { name: 'cp-2', zone: 'a' },
      { name: 'cp-3', zone: 'a' },
    ],
    zones: ['a', 'd'],
  },
  etcd: {
    members: [
      { name: 'etcd-1', zone: 'd' },
      { name: 'etcd-2', zone: 'd' },
      { name: 'etcd-3', zone: 'd' },
    ],
  },
  network: { zoneRttMs: [{ from: 'a', to: 'd', rttMs: 40 }] },
};

describe('point 1: the cause and the write floor in a plan summary', () => {
  it('external, apiservers in a, etcd in d: losing a stops the API, not etcd; a write takes ≥ 41.5 ms', async () => {
    const plan = await post('/v1/plans', apiserversInA);
    expect(plan.summary).toContain(
      'Losing d stops etcd (quorum lost); losing a leaves no apiserver (etcd keeps quorum).',
    );
    expect(plan.summary).not.toMatch(/Losing a or d/);
    // 40 ms apiserver → leader, then 0.5 ms to the nearest other voter in d and 1 ms disk sync.
    expect(plan.summary).toContain('A write through the API takes at least 41.5 ms (40 ms of it apiserver to leader).');
    expect((plan.writeLatency as { throughApiServer: unknown }).throughApiServer).toEqual({
      bestMs: 41.5,
      worstMs: 41.5,
      bestHopMs: 40,
    });
  });
});

describe('point 2: hosted control planes get no invented numbers', () => {
  const hosted = { topology: 'stacked', platform: 'hosted', controlPlane: { nodes: 3 } };

  it('plans and config say what the provider runs and what is still the user’s, in the same words', async () => {
    const plan = await post('/v1/plans', hosted);
    const config = await post('/v1/config', hosted);
    expect(plan.quorum).toBeNull();
    expect(config.etcd).toBeNull();
    // No invented numbers: quorum 2 and startable true were the provider's business.
    expect([config.quorum, config.tolerableFailures, config.startable]).toEqual([null, null, null]);
    for (const answer of [plan, config]) {
      expect(answer.summary).toContain(
        'the provider runs etcd, kube-apiserver, kube-controller-manager and kube-scheduler',
      );
      expect(answer.summary).toContain('What is yours');
      expect(answer.findings).toHaveLength(1);
    }
  });
});

describe('point 3: quoted texts are exact for the version asked', () => {
  it.each([
    [
      '3.4',
      `"error verifying flags, --election-timeout[400ms] should be at least as 5 times as --heartbeat-interval[100ms]. See 'etcd --help'."`,
    ],
    [
      '3.5',
      '"failed to verify flags" with the error "--election-timeout[400ms] should be at least as 5 times as --heartbeat-interval[100ms]"',
    ],
    [
      '3.6',
      '"failed to verify flags" with the error "--election-timeout[400ms] should be at least as 5 times as --heartbeat-interval[100ms]"',
    ],
  ])('etcd %s', async (version, quoted) => {
    const body = { topology: 'stacked', controlPlane: { nodes: 3 }, etcd: { version, electionTimeoutMs: 400 } };
    for (const path of ['/v1/plans', '/v1/config']) {
      const answer = await post(path, body);
      const finding = answer.findings.find((f) => f.code === 'ETCD_ELECTION_TIMEOUT_BELOW_5X_HEARTBEAT')!;
      expect(finding.message).toContain(quoted);
      if (version !== '3.4') expect(finding.message).not.toContain('error verifying flags');
    }
  });

  it('learners over the limit quote what etcdctl prints', async () => {
    const answer = await post('/v1/config', {
      topology: 'external',
      controlPlane: { nodes: 3 },
      etcd: {
        members: [
          { name: 'e1' },
          { name: 'e2' },
          { name: 'e3' },
          { name: 'e4', learner: true },
          { name: 'e5', learner: true },
        ],
      },
    });
    const finding = answer.findings.find((f) => f.code === 'TOO_MANY_LEARNERS')!;
    expect(finding.message).toContain('"etcdserver: too many learner members in cluster"');
    expect(finding.message).not.toContain('membership: too many learner');
  });

  it("quotes component-base's wording of the Kubernetes minor asked, and 1.36's when none is given", async () => {
    const finding = async (kubernetesVersion?: string) => {
      const answer = await post('/v1/config', {
        topology: 'stacked',
        controlPlane: { nodes: 3 },
        ...(kubernetesVersion ? { kubernetesVersion } : {}),
        leaderElection: { leaseDurationS: 10 },
      });
      return answer.findings.find((f) => f.code === 'LEADER_ELECTION_LEASE_NOT_ABOVE_RENEW_DEADLINE')!.message;
    };
    // lease = renew = 10 s. component-base v0.34+ refuses it as "must be greater than `RenewDeadline`",
    // v0.26–v0.33 as "LeaseDuration must be greater than RenewDeadline", v0.25 lets it through to client-go.
    const latest = await finding();
    expect(latest).toContain('On Kubernetes 1.36 ');
    expect(latest).toContain('"must be greater than `RenewDeadline`"');
    expect(latest).not.toContain('LeaseDuration must be');
    const middle = await finding('1.30');
    expect(middle).toContain('"LeaseDuration must be greater than RenewDeadline"');
    expect(middle).not.toContain('`RenewDeadline`');
    const old = await finding('1.25');
    expect(old).toContain('lets equal values through');
    expect(old).not.toContain('LeaseDuration must be');
    expect(old).toContain('"leaseDuration must be greater than renewDeadline"');
  });
});

describe('point 4: the checks an expert expects', () => {
  it('diskSyncMs 800 gets a finding with its pointer and source', async () => {
    const plan = await post('/v1/plans', {
      topology: 'stacked',
      controlPlane: { nodes: 3 },
      etcd: { diskSyncMs: 800 },
    });
    const finding = plan.findings.find((f) => f.code === 'ETCD_DISK_SYNC_ABOVE_GUIDANCE')!;
    expect(finding.pointers).toEqual(['/etcd/diskSyncMs']);
  });

  it('1050 ms with a 100 ms heartbeat acts as 1000 ms, in plans and in config', async () => {
    const body = { topology: 'stacked', controlPlane: { nodes: 3 }, etcd: { electionTimeoutMs: 1050 } };
    for (const path of ['/v1/plans', '/v1/config']) {
      const answer = await post(path, body);
      const finding = answer.findings.find((f) => f.code === 'ETCD_ELECTION_TIMEOUT_NOT_TICK_MULTIPLE')!;
      expect(finding.message, path).toContain('acts as 1000 ms');
    }
  });

  it('config carries the tuning warnings plans give for 150 ms RTT with default timings, and says so', async () => {
    const body = {
      topology: 'stacked',
      controlPlane: { nodes: 3, zones: ['a', 'b', 'c'] },
      network: { interZoneRttMs: 150 },
    };
    const plan = await post('/v1/plans', body);
    const config = await post('/v1/config', body);
    const codes = (a: Answer) =>
      a.findings
        .map((f) => f.code)
        .filter((c) => c.startsWith('ETCD_'))
        .sort();
    expect(codes(config)).toEqual(codes(plan));
    expect(codes(config)).toContain('ETCD_ELECTION_TIMEOUT_BELOW_10X_RTT');
    expect(codes(config)).toContain('ETCD_CROSS_REGION_RTT');
    expect(config.summary).toContain("Watch: the election timeout is below 10 times the voters' round trip");
  });

  it('two nodes: losing either node stops it', async () => {
    const plan = await post('/v1/plans', { topology: 'stacked', controlPlane: { nodes: 2 } });
    expect(plan.summary).toContain('losing either cp-1 or cp-2 stops etcd (quorum lost)');
  });

  it('learners over the limit: the voters start, only the extra member add is refused', async () => {
    const config = await post('/v1/config', {
      topology: 'external',
      controlPlane: { nodes: 3 },
      etcd: {
        members: [
          { name: 'e1' },
          { name: 'e2' },
          { name: 'e3' },
          { name: 'e4', learner: true },
          { name: 'e5', learner: true },
        ],
      },
    });
    expect(config.startable).toBe(true);
    expect(config.summary).not.toContain('would not start');
    expect(config.summary).toContain('etcd refuses the member add of each learner over its limit');
  });
});

describe('point 6: one body, one meaning', () => {
  it('a plan body is accepted by /v1/simulations as its cluster, as the links say', async () => {
    const plan = await post('/v1/plans', apiserversInA);
    expect(plan.links).toEqual({ config: '/v1/config', simulations: '/v1/simulations' });
    const simulation = await postJson('/v1/simulations', { cluster: apiserversInA, trials: 1, seed: 1 });
    expect(simulation.status).toBe(200);
  });
});

describe('point 7: names and plain words', () => {
  it('a missing required field is named in plain words', async () => {
    const quorum = await get('/v1/quorum');
    expect(quorum.status).toBe(400);
    const problem = (await quorum.json()) as { errors: { pointer: string; detail: string }[] };
    expect(problem.errors[0]!.pointer).toBe('voters');
    expect(problem.errors[0]!.detail).toMatch(/^Required/);
    expect(JSON.stringify(problem)).not.toContain('received undefined');
    const plan = await postJson('/v1/plans', { topology: 'stacked' });
    expect(plan.status).toBe(400);
    const body = (await plan.json()) as { errors: { pointer: string; detail: string }[] };
    expect(body.errors).toContainEqual(
      expect.objectContaining({ pointer: '/controlPlane', detail: 'controlPlane is required.' }),
    );
  });

  it('maxLearners on etcd 3.5 is refused, not ignored', async () => {
    const response = await postJson('/v1/plans', {
      topology: 'stacked',
      controlPlane: { nodes: 3 },
      etcd: { version: '3.5', maxLearners: 2 },
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('/etcd/maxLearners');
  });

  it('recommendations count per zone under names that say so', async () => {
    const answer = (await post('/v1/recommendations', { nodeFailures: 1, zones: ['a', 'b', 'c'] })) as unknown as {
      recommendations: { controlPlaneNodeCount: number; placement: { etcdVoterCount: number }[] }[];
    };
    expect(answer.recommendations[0]!.placement.map((p) => p.etcdVoterCount)).toEqual([1, 1, 1]);
  });
});

describe('point 7: maxLearners on a version without the flag', () => {
  it('GET /v1/quorum says etcd 3.5 has no --max-learners instead of ignoring it', async () => {
    const response = await get('/v1/quorum?voters=3&learners=2&etcdVersion=3.5&maxLearners=2');
    const body = (await response.json()) as Answer & { learnerLimit: number };
    expect(body.learnerLimit).toBe(1);
    const finding = body.findings.find((f) => f.code === 'MAX_LEARNERS_NOT_A_FLAG')!;
    expect(finding.pointers).toEqual(['maxLearners']);
    expect(body.findings.map((f) => f.code)).toContain('TOO_MANY_LEARNERS');
  });
});

describe('point 3: the Kubernetes version of a change plan', () => {
  it('a Kubernetes upgrade between current and target is refused, not silently ignored', async () => {
    const side = (kubernetesVersion: string) => ({
      topology: 'stacked',
      kubernetesVersion,
      controlPlane: { nodes: 3 },
    });
    const response = await postJson('/v1/changes', { current: side('1.30'), target: side('1.31') });
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: { pointer: string; detail: string }[] };
    expect(problem.errors).toContainEqual(
      expect.objectContaining({
        pointer: '/target/kubernetesVersion',
        detail: expect.stringContaining('1.30, target 1.31'),
      }),
    );
    const same = await postJson('/v1/changes', { current: side('1.31'), target: side('1.31') });
    expect(same.status).toBe(200);
  });
});
