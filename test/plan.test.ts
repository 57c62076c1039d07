/**
 * POST /v1/plans and the plan analysis, against expectations worked out by hand from the upstream sources of the claims ledger, docs/reference/ledger.md (etcd FAQ,
 * kubeadm's HA topology page, etcd-io/website#779) and from the arithmetic in each comment.
 */
import { describe, expect, it } from 'vitest';
import { postJson, problemOf } from './helpers.js';
import { analyzePlan, type Plan } from '../src/domain/plan/index.js';
import { checkProposal } from '../src/http/parse-proposal.js';
import { etcdFaqTable } from './etcd-faq-table.js';

function planOf(body: unknown): Plan {
  const checked = checkProposal(body);
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  return analyzePlan(checked.proposal);
}

const codes = (plan: Plan) => plan.findings.map((f) => f.code);

describe('quorum of the voters (etcd FAQ)', () => {
  it.each(etcdFaqTable)(
    '%i stacked nodes: quorum %i, %i host failures survived by enumeration',
    (nodes, quorum, tolerated) => {
      const plan = planOf({ topology: 'stacked', controlPlane: { nodes } });
      expect(plan.quorum).toBe(quorum);
      expect(plan.tolerableFailures).toBe(tolerated);
      expect(plan.failureDomains!.arbitraryHostFailures.byCapability.etcdQuorum.tolerated).toBe(tolerated);
      expect(plan.failureDomains!.arbitraryHostFailures.exact).toBe(true);
    },
  );

  it.each(etcdFaqTable)('%i external members: quorum %i, tolerates %i', (members, quorum, tolerated) => {
    const plan = planOf({ topology: 'external', controlPlane: { nodes: 3 }, etcd: { members } });
    expect([plan.quorum, plan.tolerableFailures]).toEqual([quorum, tolerated]);
    expect(plan.failureDomains!.arbitraryHostFailures.byCapability.etcdQuorum.tolerated).toBe(tolerated);
  });

  it('excludes learners: 3 voters + 1 learner still need 2 and tolerate 1', () => {
    const plan = planOf({
      topology: 'external',
      controlPlane: { nodes: 3 },
      etcd: { members: [{ name: 'e1' }, { name: 'e2' }, { name: 'e3' }, { name: 'e4', learner: true }] },
    });
    expect([plan.voters, plan.learners, plan.quorum, plan.tolerableFailures]).toEqual([3, 1, 2, 1]);
    // Losing e1 and e2 leaves e3 and the learner e4: 1 voter < 2.
    expect(plan.failureDomains!.arbitraryHostFailures.byCapability.etcdQuorum).toEqual({
      tolerated: 1,
      smallestFailingSet: ['e1', 'e2'],
    });
    expect(codes(plan)).toContain('LEARNERS_DO_NOT_VOTE');
  });
});

describe('zones', () => {
  it('5 voters over 3 zones (2/2/1) survive the loss of any one zone', () => {
    const plan = planOf({
      topology: 'external',
      controlPlane: { nodes: 3, zones: ['a', 'b', 'c'] },
      etcd: { members: 5 },
    });
    expect(plan.placement.zones.map((z) => z.etcdVoters.length)).toEqual([2, 2, 1]);
    // Quorum 3; losing a or b leaves 3, losing c leaves 4.
    expect(
      plan.failureDomains!.zones.map((z) => [z.zone, z.votersLeft, z.survives.etcdQuorum, z.survives.apiServer]),
    ).toEqual([
      ['a', 3, true, true],
      ['b', 3, true, true],
      ['c', 4, true, true],
    ]);
    expect(plan.comparison!.external.survivesAnyZoneLoss).toBe(true);
    expect(codes(plan)).not.toContain('ZONE_HOLDS_QUORUM');
    expect(codes(plan)).not.toContain('FEWER_THAN_THREE_ZONES');
    expect(plan.summary).toContain('survives the loss of any one zone');
  });

  it('the 2-zone trap: 3 voters split 2/1 lose quorum with the larger zone', () => {
    const plan = planOf({
      topology: 'stacked',
      controlPlane: {
        nodes: [
          { name: 'm1', zone: 'east' },
          { name: 'm2', zone: 'east' },
          { name: 'm3', zone: 'west' },
        ],
      },
    });
    const [east, west] = plan.failureDomains!.zones;
    expect([east!.zone, east!.votersLeft, east!.survives.etcdQuorum]).toEqual(['east', 1, false]);
    expect([west!.zone, west!.votersLeft, west!.survives.etcdQuorum]).toEqual(['west', 2, true]);
    expect(plan.failureDomains!.worstZoneLoss!.zone).toBe('east');
    const holds = plan.findings.find((f) => f.code === 'ZONE_HOLDS_QUORUM')!;
    expect(holds.severity).toBe('warning');
    expect(holds.pointers).toEqual(['/controlPlane/nodes/0', '/controlPlane/nodes/1']);
    const twoZones = plan.findings.find((f) => f.code === 'FEWER_THAN_THREE_ZONES')!;
    expect(twoZones.source?.url).toContain('etcd-io/website/issues/779');
  });

  it('the 2-zone trap, even split: 4 voters 2/2 lose quorum with either zone, though neither holds one', () => {
    const plan = planOf({ topology: 'stacked', controlPlane: { nodes: 4, zones: ['a', 'b'] } });
    // Quorum 3; either zone leaves 2.
    expect(plan.failureDomains!.zones.map((z) => z.survives.etcdQuorum)).toEqual([false, false]);
    expect(codes(plan).filter((c) => c === 'ZONE_LOSS_LOSES_QUORUM')).toHaveLength(2);
    expect(codes(plan)).toContain('EVEN_VOTER_COUNT');
  });

  it('a zone holding every control-plane node: etcd survives its loss, the API does not', () => {
    const plan = planOf({
      topology: 'external',
      controlPlane: {
        nodes: [
          { name: 'cp-1', zone: 'a' },
          { name: 'cp-2', zone: 'a' },
        ],
        zones: ['a', 'b', 'c'],
      },
      etcd: { members: 3 },
    });
    const a = plan.failureDomains!.zones[0]!;
    expect(a.survives).toEqual({ etcdQuorum: true, apiServer: false, controllerLeaders: false });
    const finding = plan.findings.find((f) => f.code === 'ZONE_LOSS_STOPS_API')!;
    expect(finding.pointers).toEqual(['/controlPlane/nodes/0', '/controlPlane/nodes/1']);
  });

  it('everything in one zone: that zone is the whole cluster', () => {
    const plan = planOf({ topology: 'stacked', controlPlane: { nodes: 3 } });
    expect(plan.failureDomains!.zones[0]!.survives.etcdQuorum).toBe(false);
    expect(codes(plan)).toEqual(['FEWER_THAN_THREE_ZONES']);
  });
});

describe('stacked vs external (kubeadm HA topology)', () => {
  it('stacked: each node loss takes an etcd member and a control-plane instance together', () => {
    const plan = planOf({ topology: 'stacked', controlPlane: { nodes: 3, zones: ['a', 'b', 'c'] } });
    for (const host of plan.failureDomains!.hosts) {
      expect(host.runs).toEqual([
        `etcd member ${host.host} (voter)`,
        'kube-apiserver',
        'kube-controller-manager',
        'kube-scheduler',
      ]);
      expect(host.coupled).toBe(true);
      // One of three lost: 2 voters ≥ quorum 2, two apiservers with live local members.
      expect(host.survives).toEqual({ etcdQuorum: true, apiServer: true, controllerLeaders: true });
    }
    const { stacked, external } = plan.comparison!;
    expect([stacked.hostCount, stacked.coupledFailure, stacked.proposed]).toEqual([3, true, true]);
    // External for the same etcd: the 3 control-plane nodes plus 3 etcd hosts.
    expect([
      external.hostCount,
      external.controlPlaneHosts,
      external.etcdHosts,
      external.coupledFailure,
      external.proposed,
    ]).toEqual([6, 3, 3, false, false]);
    // Stacked 3: two node losses take two voters (quorum 2 of 3 gone). External 3 + 3: etcd survives 1 etcd
    // host loss; 2 of 3 control-plane nodes may go with etcd untouched; any 2 hosts can still be 2 etcd hosts.
    expect(stacked.tolerates).toEqual({ etcdHostFailures: 1, controlPlaneNodeFailures: 1, anyHostFailures: 1 });
    expect(external.tolerates).toEqual({ etcdHostFailures: 1, controlPlaneNodeFailures: 2, anyHostFailures: 1 });
    expect(external.blastRadius.filter((b) => b.takesDown.length === 1).map((b) => b.takesDown[0])).toEqual([
      'etcd member etcd-1 (voter)',
      'etcd member etcd-2 (voter)',
      'etcd member etcd-3 (voter)',
    ]);
  });

  it('external: losing an etcd host leaves every apiserver up; losing a control-plane host leaves etcd whole', () => {
    const plan = planOf({ topology: 'external', controlPlane: { nodes: 3 }, etcd: { members: 3 } });
    const hosts = plan.failureDomains!.hosts;
    expect(hosts.map((h) => [h.host, h.runs.length, h.coupled])).toEqual([
      ['cp-1', 3, false],
      ['cp-2', 3, false],
      ['cp-3', 3, false],
      ['etcd-1', 1, false],
      ['etcd-2', 1, false],
      ['etcd-3', 1, false],
    ]);
    // 6 hosts; etcd survives any 1 (3 voters), the control plane survives 2 control-plane losses but the
    // combined tolerance is 1: losing etcd-1 and etcd-2 is a 2-host failure that stops everything.
    const tol = plan.failureDomains!.arbitraryHostFailures;
    expect(tol.byCapability.etcdQuorum.tolerated).toBe(1);
    expect(tol.byCapability.apiServer.tolerated).toBe(1);
    expect(tol.cluster.smallestFailingSet).toEqual(['etcd-1', 'etcd-2']);
    expect(plan.comparison!.stacked.hostCount).toBe(3);
  });

  it('external with 5 control-plane nodes and 1 etcd host: etcd is the single point of failure', () => {
    const plan = planOf({ topology: 'external', controlPlane: { nodes: 5 }, etcd: { members: 1 } });
    const tol = plan.failureDomains!.arbitraryHostFailures;
    expect(tol.cluster).toEqual({ tolerated: 0, smallestFailingSet: ['etcd-1'] });
    expect(codes(plan)).toContain('SINGLE_VOTER');
  });
});

describe('write latency', () => {
  it('one voter per zone with measured RTTs: best and worst leader worked out by hand', () => {
    const plan = planOf({
      topology: 'stacked',
      controlPlane: {
        nodes: [
          { name: 'a1', zone: 'a' },
          { name: 'b1', zone: 'b' },
          { name: 'c1', zone: 'c' },
        ],
      },
      etcd: { diskSyncMs: 1 },
      network: {
        zoneRttMs: [
          { from: 'a', to: 'b', rttMs: 1 },
          { from: 'a', to: 'c', rttMs: 5 },
          { from: 'b', to: 'c', rttMs: 4 },
        ],
      },
    });
    // Quorum 2: the leader needs one ack. a: nearest is b (1) → 2 ms; b: a (1) → 2 ms; c: b (4) → 5 ms.
    const latency = plan.writeLatency!;
    expect(latency.byLeader.map((l) => [l.leader, l.writeMs])).toEqual([
      ['a1', 2],
      ['b1', 2],
      ['c1', 5],
    ]);
    expect([latency.bestMs, latency.bestLeader, latency.worstMs, latency.worstLeader]).toEqual([2, 'a1', 5, 'c1']);
    expect(latency.assumption).toMatch(/may elect any voter/);
  });

  it('5 voters 2/2/1 with defaults: 3 ms from any leader', () => {
    // Quorum 3, two acks. Leader in a: 0.5 (its zone peer), then 2 → 2 + 1 ms disk. Leader in c: 2 and 2 → 3 ms.
    const plan = planOf({
      topology: 'external',
      controlPlane: { nodes: 3, zones: ['a', 'b', 'c'] },
      etcd: { members: 5 },
    });
    expect(plan.writeLatency!.byLeader.map((l) => l.writeMs)).toEqual([3, 3, 3, 3, 3]);
  });
});

describe('platforms', () => {
  it('hosted: sizing does not apply, no figures are invented', () => {
    const plan = planOf({ topology: 'stacked', platform: 'hosted', controlPlane: { nodes: 3 } });
    expect(plan.sizingApplies).toBe(false);
    expect([plan.quorum, plan.tolerableFailures, plan.failureDomains, plan.comparison, plan.writeLatency]).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(plan.findings).toEqual([
      expect.objectContaining({ code: 'HOSTED_SIZING_NOT_APPLICABLE', severity: 'info', pointers: ['/platform'] }),
    ]);
    expect(plan.summary).toMatch(/provider runs etcd, kube-apiserver/);
    expect(plan.summary).toContain('What is yours');
  });

  it('local: a single node is expected, an info and no warning', () => {
    const plan = planOf({ topology: 'stacked', platform: 'local', controlPlane: { nodes: 1 } });
    expect(plan.findings.map((f) => [f.code, f.severity])).toEqual([['LOCAL_SINGLE_NODE', 'info']]);
  });

  it('self-managed single node: warnings', () => {
    const plan = planOf({ topology: 'stacked', controlPlane: { nodes: 1 } });
    expect(
      plan.findings
        .filter((f) => f.severity === 'warning')
        .map((f) => f.code)
        .sort(),
    ).toEqual(['SINGLE_CONTROL_PLANE_NODE', 'SINGLE_VOTER']);
  });
});

describe('timing findings (from timing-rules.ts)', () => {
  it('an election timeout under 5 heartbeats is an error, and the summary says it would not start', () => {
    const plan = planOf({
      topology: 'stacked',
      controlPlane: { nodes: 3, zones: ['a', 'b', 'c'] },
      etcd: { heartbeatIntervalMs: 100, electionTimeoutMs: 400 },
    });
    const finding = plan.findings.find((f) => f.code === 'ETCD_ELECTION_TIMEOUT_BELOW_5X_HEARTBEAT')!;
    expect(finding.severity).toBe('error');
    expect(finding.pointers).toContain('/etcd/electionTimeoutMs');
    expect(plan.findings[0]!.severity).toBe('error');
    expect(plan.summary).toContain('As written it would not start');
    expect(plan.summary).not.toContain('ETCD_');
  });

  it('defaults on a LAN raise no timing finding', () => {
    const plan = planOf({ topology: 'stacked', controlPlane: { nodes: 3, zones: ['a', 'b', 'c'] } });
    expect(plan.findings).toEqual([]);
  });
});

describe('POST /v1/plans', () => {
  it('answers the minimal request with links, quorum and a quotable summary', async () => {
    const response = await postJson('/v1/plans', { topology: 'stacked', controlPlane: { nodes: 3 } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Plan & { links: Record<string, string> };
    expect(body.links).toEqual({ config: '/v1/config', simulations: '/v1/simulations' });
    expect([body.quorum, body.tolerableFailures]).toEqual([2, 1]);
    // The user named no zone: the summary does not invent "zone-a".
    expect(body.summary).toMatch(
      /^3 stacked control-plane nodes, each with its etcd member, in one zone: it survives any 1 host failure; 2 can stop it \(e\.g\. cp-1 and cp-2\)\. etcd needs 2 of 3 voters; 1 may fail\./,
    );
    expect(body.summary).not.toContain('zone-a');
    expect(body.placement.controlPlaneNodes.map((n) => n.etcdMember)).toEqual(['cp-1', 'cp-2', 'cp-3']);
  });

  it('rejects contradictions as validation problems with pointers', async () => {
    const response = await postJson('/v1/plans', {
      topology: 'stacked',
      controlPlane: { nodes: 3 },
      etcd: { members: 3 },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = await problemOf(response);
    expect(problem.type).toBe('/problems/validation');
    expect(problem.errors).toEqual([expect.objectContaining({ pointer: '/etcd/members', location: 'body' })]);
    expect(problem.detail).not.toContain('..');
  });

  it('rejects sizes beyond the limits, naming the limit', async () => {
    const problem = await problemOf(
      await postJson('/v1/plans', { topology: 'external', controlPlane: { nodes: 3 }, etcd: { members: 11 } }),
    );
    expect(problem.errors![0]).toMatchObject({ pointer: '/etcd/members' });
    expect(problem.errors![0]!.detail).toContain('maxEtcdMembers');
  });

  it('gives byte-identical answers to equal requests', async () => {
    const body = { topology: 'external', controlPlane: { nodes: 3, zones: ['a', 'b', 'c'] }, etcd: { members: 5 } };
    const [first, second] = await Promise.all([postJson('/v1/plans', body), postJson('/v1/plans', body)]);
    expect(await first.text()).toBe(await second.text());
  });

  it('stays exact at the largest accepted request (9 control-plane nodes + 9 etcd members)', async () => {
    const response = await postJson('/v1/plans', {
      topology: 'external',
      controlPlane: { nodes: 9, zones: ['a', 'b', 'c'] },
      etcd: { members: 9 },
    });
    const body = (await response.json()) as Plan;
    const tol = body.failureDomains!.arbitraryHostFailures;
    expect(tol.exact).toBe(true);
    expect(tol.byCapability.etcdQuorum.tolerated).toBe(4);
    // Hand count: every capability breaks by 5 failures, so sets of size 0..5 of 18 hosts at most:
    // 1 + 18 + 153 + 816 + 3060 + (the 5-sets up to the first failing one) ≤ 12,616.
    expect(tol.setsExamined).toBeLessThanOrEqual(12_616);
    expect(tol.setsExamined).toBeGreaterThan(1 + 18 + 153 + 816 + 3060);
  });
});

describe('the contract', () => {
  it('documents named request examples for both routes and lets clients omit every default', async () => {
    const { get } = await import('./helpers.js');
    const doc = (await (await get('/openapi.json')).json()) as {
      paths: Record<
        string,
        { post: { requestBody: { content: Record<string, { examples: Record<string, unknown> }> } } }
      >;
      components: {
        schemas: Record<string, { required?: string[]; properties?: Record<string, { required?: string[] }> }>;
      };
    };
    for (const path of ['/v1/plans', '/v1/recommendations']) {
      const examples = Object.keys(doc.paths[path]!.post.requestBody.content['application/json']!.examples);
      expect(examples).toEqual(expect.arrayContaining(['minimalStacked', 'externalFiveOverThreeZones', 'twoZones']));
    }
    const proposal = doc.components.schemas.ProposalInput!;
    expect(proposal.required).toEqual(['topology', 'controlPlane']);
    expect(proposal.properties!.controlPlane!.required).toEqual(['nodes']);
    expect(doc.components.schemas.RecommendationInput!.required ?? []).toEqual([]);
  });
});

describe('degenerate proposals still get an answer', () => {
  it('only learners: no quorum, an error finding, and a summary that says why', () => {
    const plan = planOf({
      topology: 'external',
      controlPlane: { nodes: 2 },
      etcd: { members: [{ name: 'l1', learner: true }] },
    });
    expect([plan.voters, plan.learners, plan.quorum]).toEqual([0, 1, 0]);
    expect(plan.findings[0]).toMatchObject({ code: 'NO_VOTERS', severity: 'error', pointers: ['/etcd/members'] });
    expect(plan.failureDomains!.arbitraryHostFailures.cluster.tolerated).toBeNull();
    expect(plan.writeLatency).toBeNull();
    expect(plan.summary).toMatch(/no voting member/);
  });
});
