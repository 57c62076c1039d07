import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCommandLine } from '../src/domain/config/command-line.js';
import { postJson, problemOf } from './helpers.js';

type Answer = Record<string, any>;

async function config(body: unknown): Promise<{ status: number; body: Answer }> {
  const response = await postJson('/v1/config', body);
  return { status: response.status, body: (await response.json()) as Answer };
}

describe('POST /v1/config', () => {
  it('answers the minimal stacked proposal with placeholders for the missing addresses', async () => {
    const { status, body } = await config({ topology: 'stacked', controlPlane: { nodes: 3 } });
    expect(status).toBe(200);
    expect(body).toMatchObject({ topology: 'stacked', startable: true, voters: 3, quorum: 2, tolerableFailures: 1 });
    expect(body.etcd.members.map((m: Answer) => m.name)).toEqual(['cp-1', 'cp-2', 'cp-3']);
    expect(body.placeholders.map((p: Answer) => p.placeholder)).toEqual([
      '<cp-1-address>',
      '<cp-2-address>',
      '<cp-3-address>',
    ]);
    expect(body.apiServer.nodes[0].kubeApiserver.flags[0]).toEqual({
      name: '--etcd-servers',
      value: 'https://127.0.0.1:2379',
    });
    expect(body.findings.map((f: Answer) => f.code)).toContain('CONFIG_ADDRESS_PLACEHOLDERS');
  });

  it('still answers for timings etcd refuses, with startable false and pointers into the body', async () => {
    const { status, body } = await config({
      topology: 'stacked',
      controlPlane: { nodes: 3 },
      etcd: { heartbeatIntervalMs: 100, electionTimeoutMs: 400 },
    });
    expect(status).toBe(200);
    expect(body.startable).toBe(false);
    const refused = body.findings.find((f: Answer) => f.code === 'ETCD_ELECTION_TIMEOUT_BELOW_5X_HEARTBEAT');
    expect(refused.message).toContain(
      '--election-timeout[400ms] should be at least as 5 times as --heartbeat-interval[100ms]',
    );
    expect(refused.pointers).toEqual(['/etcd/electionTimeoutMs', '/etcd/heartbeatIntervalMs']);
    expect(body.summary).toContain('would not start');
  });

  it("reports client-go's refusal of renewDeadline ≤ 1.2 × retryPeriod", async () => {
    const { body } = await config({
      topology: 'stacked',
      controlPlane: { nodes: 3 },
      leaderElection: { leaseDurationS: 15, renewDeadlineS: 2.4, retryPeriodS: 2 },
    });
    expect(body.startable).toBe(false);
    const refused = body.findings.find(
      (f: Answer) => f.code === 'LEADER_ELECTION_RENEW_DEADLINE_NOT_ABOVE_JITTERED_RETRY',
    );
    expect(refused.message).toContain('renewDeadline must be greater than retryPeriod*JitterFactor');
    expect(body.controllerManager.flags).toContainEqual({ name: '--leader-elect-renew-deadline', value: '2400ms' });
  });

  it('external with a learner: voters in --etcd-servers, the learner procedure, and paths applied', async () => {
    const { status, body } = await config({
      topology: 'external',
      controlPlane: { nodes: 3, zones: ['zone-a', 'zone-b', 'zone-c'] },
      etcd: {
        members: [
          { name: 'etcd-1', zone: 'zone-a', address: '10.0.1.21' },
          { name: 'etcd-2', zone: 'zone-b', address: '10.0.2.21' },
          { name: 'etcd-3', zone: 'zone-c', address: '10.0.3.21' },
          { name: 'etcd-4', zone: 'zone-a', address: 'fd00::24', learner: true },
        ],
      },
      loadBalancer: { endpoint: 'k8s-api.example.internal:6443' },
      paths: { etcdDataDir: '/srv/etcd' },
    });
    expect(status).toBe(200);
    expect(body.apiServer.etcdServers).toEqual([
      'https://10.0.1.21:2379',
      'https://10.0.2.21:2379',
      'https://10.0.3.21:2379',
    ]);
    expect(body.apiServer.excluded[0].member).toBe('etcd-4');
    const learner = body.etcd.members[3];
    expect(learner.peerUrl).toBe('https://[fd00::24]:2380');
    expect(learner.etcd.flags).toContainEqual({ name: '--initial-cluster-state', value: 'existing' });
    expect(learner.etcd.flags).toContainEqual({ name: '--data-dir', value: '/srv/etcd' });
    expect(body.etcd.learnerProcedures[0].steps.map((s: Answer) => s.action)).toEqual([
      'add',
      'start',
      'check',
      'promote',
    ]);
    const kubeadm = parse(body.kubeadm.yaml);
    expect(kubeadm).toEqual(body.kubeadm.document);
    expect(kubeadm.controlPlaneEndpoint).toBe('k8s-api.example.internal:6443');
    expect(kubeadm.etcd.external.endpoints).toEqual(body.apiServer.etcdServers);
    for (const member of body.etcd.members) {
      expect(parseCommandLine(member.etcd.text)).toEqual({ command: 'etcd', args: [], flags: member.etcd.flags });
    }
  });

  it('is deterministic: the same body gives the same bytes', async () => {
    const body = { topology: 'stacked', controlPlane: { nodes: 5, zones: ['a', 'b', 'c'] } };
    const first = await (await postJson('/v1/config', body)).text();
    const second = await (await postJson('/v1/config', body)).text();
    expect(first).toBe(second);
  });

  it('rejects an unknown field and a relative path with pointers', async () => {
    const unknown = await postJson('/v1/config', { topology: 'stacked', controlPlane: { nodes: 3 }, pathz: {} });
    expect(unknown.status).toBe(400);
    const relative = await postJson('/v1/config', {
      topology: 'stacked',
      controlPlane: { nodes: 3 },
      paths: { etcdCaFile: 'ca.crt' },
    });
    expect(relative.status).toBe(400);
    const problem = await problemOf(relative);
    expect(problem.errors?.map((e) => e.pointer)).toContain('/paths/etcdCaFile');
  });

  it('says there is nothing to configure on a hosted platform', async () => {
    const { status, body } = await config({ topology: 'stacked', platform: 'hosted', controlPlane: { nodes: 3 } });
    expect(status).toBe(200);
    expect(body).toMatchObject({ etcd: null, kubeadm: null, startable: null, quorum: null, tolerableFailures: null });
    expect(body.findings.map((f: Answer) => f.code)).toContain('HOSTED_CONTROL_PLANE_NOT_CONFIGURABLE');
  });
});

describe('configForBody (the same answer without HTTP, for MCP)', () => {
  it('answers like the route, and reports errors under a base pointer', async () => {
    const { configForBody } = await import('../src/http/routes/config.js');
    const body = { topology: 'stacked', controlPlane: { nodes: 3 }, etcd: { electionTimeoutMs: 400 } };
    const direct = configForBody(body);
    const viaHttp = await config(body);
    expect(direct.ok && JSON.parse(JSON.stringify(direct.answer))).toEqual(viaHttp.body);
    const nested = configForBody(body, '/cluster');
    expect(nested.ok && nested.answer.findings[0]!.pointers).toEqual([
      '/cluster/etcd/electionTimeoutMs',
      '/cluster/etcd/heartbeatIntervalMs',
    ]);
    const bad = configForBody({ topology: 'stacked', controlPlane: { nodes: 0 } }, '/cluster');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.map((e) => e.pointer)).toContain('/cluster/controlPlane/nodes');
  });
});

describe('the documented finding codes', () => {
  it('lists every code the timing rules can produce, and every start-blocking one', async () => {
    const { timingCodes, refusedAtStartCodes } = await import('../src/domain/timing-rules.js');
    const { postConfigRoute } = await import('../src/http/routes/config.js');
    for (const code of Object.values(timingCodes)) expect(postConfigRoute.description).toContain(code);
    for (const code of refusedAtStartCodes) expect(postConfigRoute.description).toContain(code);
  });
});

describe('the documented request examples', () => {
  it('each gets a 200 answer', async () => {
    const { postConfigRoute } = await import('../src/http/routes/config.js');
    const examples = postConfigRoute.request.body.content['application/json'].examples as Record<
      string,
      { value: unknown }
    >;
    expect(Object.keys(examples).length).toBeGreaterThanOrEqual(5);
    for (const [name, example] of Object.entries(examples)) {
      const response = await postJson('/v1/config', example.value);
      expect(response.status, name).toBe(200);
    }
  });
});
