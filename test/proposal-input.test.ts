/**
 * The proposal input model: what the schema accepts, what normalization makes of it, and how contradictions
 * are reported. Expectations are written out by hand from the rules in src/domain/normalize-proposal.ts.
 */
import { describe, expect, it } from 'vitest';
import { normalizeProposal } from '../src/domain/normalize-proposal.js';
import { zoneRttMs } from '../src/domain/proposal.js';
import type { ProposalInput } from '../src/domain/proposal-input.js';
import { checkProposal } from '../src/http/parse-proposal.js';
import { proposalExamples } from '../src/http/schemas/proposal.js';

function ok(body: unknown, base = '') {
  const result = checkProposal(body, base);
  if (!result.ok) throw new Error(`expected a valid proposal, got ${JSON.stringify(result.errors)}`);
  return result.proposal;
}

function errorsOf(body: unknown, base = '') {
  const result = checkProposal(body, base);
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

describe('the minimal request', () => {
  it('is complete: 3 stacked nodes in one zone with kubeadm, etcd and client-go defaults', () => {
    const proposal = ok({ topology: 'stacked', controlPlane: { nodes: 3 } });
    expect(proposal.platform).toBe('self-managed');
    expect(proposal.zones).toEqual(['zone-a']);
    expect(proposal.controlPlaneNodes).toEqual([
      { name: 'cp-1', zone: 'zone-a', pointer: '/controlPlane/nodes' },
      { name: 'cp-2', zone: 'zone-a', pointer: '/controlPlane/nodes' },
      { name: 'cp-3', zone: 'zone-a', pointer: '/controlPlane/nodes' },
    ]);
    // Stacked: one member per node, on it, named as the node (kubeadm names the member after the node).
    expect(proposal.etcdMembers.map((m) => [m.name, m.host, m.zone, m.learner])).toEqual([
      ['cp-1', 'cp-1', 'zone-a', false],
      ['cp-2', 'cp-2', 'zone-a', false],
      ['cp-3', 'cp-3', 'zone-a', false],
    ]);
    expect(proposal.etcd).toEqual({
      version: '3.5',
      heartbeatIntervalMs: 100,
      electionTimeoutMs: 1000,
      preVote: true,
      maxLearners: 1,
      diskSyncMs: 1,
    });
    expect(proposal.leaderElection).toEqual({ leaseDurationS: 15, renewDeadlineS: 10, retryPeriodS: 2 });
    expect(proposal.loadBalancer.endpoint).toBe('k8s-api.cluster.internal:6443');
  });

  it('defaults pre-vote from the version: off in 3.4, on in 3.6', () => {
    expect(ok({ topology: 'stacked', controlPlane: { nodes: 3 }, etcd: { version: '3.4' } }).etcd.preVote).toBe(false);
    expect(ok({ topology: 'stacked', controlPlane: { nodes: 3 }, etcd: { version: '3.6' } }).etcd.preVote).toBe(true);
    expect(
      ok({ topology: 'stacked', controlPlane: { nodes: 3 }, etcd: { version: '3.4', preVote: true } }).etcd.preVote,
    ).toBe(true);
  });

  it('accepts every named example', () => {
    for (const example of Object.values(proposalExamples)) expect(checkProposal(example.value).ok).toBe(true);
  });
});

describe('placement of counts', () => {
  it('spreads 5 external members over 3 zones round-robin: 2/2/1', () => {
    const proposal = ok({
      topology: 'external',
      controlPlane: { nodes: 3, zones: ['a', 'b', 'c'] },
      etcd: { members: 5 },
    });
    expect(proposal.etcdMembers.map((m) => `${m.name}@${m.zone}`)).toEqual([
      'etcd-1@a',
      'etcd-2@b',
      'etcd-3@c',
      'etcd-4@a',
      'etcd-5@b',
    ]);
    expect(proposal.etcdMembers.every((m) => m.host === m.name && m.pointer === '/etcd/members')).toBe(true);
    expect(proposal.controlPlaneNodes.map((n) => `${n.name}@${n.zone}`)).toEqual(['cp-1@a', 'cp-2@b', 'cp-3@c']);
  });

  it('gives an external cluster 3 members when etcd.members is absent', () => {
    const proposal = ok({ topology: 'external', controlPlane: { nodes: 2 } });
    expect(proposal.etcdMembers.map((m) => m.name)).toEqual(['etcd-1', 'etcd-2', 'etcd-3']);
  });

  it('keeps named entities, their pointers, zones and addresses; a missing zone goes round-robin by position', () => {
    const proposal = ok({
      topology: 'external',
      controlPlane: { nodes: [{ name: 'm1', zone: 'b', address: '10.0.0.1' }, { name: 'm2' }], zones: ['a', 'b'] },
      etcd: {
        members: [
          { name: 'e1', zone: 'a' },
          { name: 'e2', learner: true, address: 'fd00::2' },
          { name: 'e3', heartbeatIntervalMs: 50 },
        ],
      },
    });
    expect(proposal.controlPlaneNodes).toEqual([
      { name: 'm1', zone: 'b', address: '10.0.0.1', pointer: '/controlPlane/nodes/0' },
      { name: 'm2', zone: 'b', pointer: '/controlPlane/nodes/1' }, // index 1 → zones[1]
    ]);
    expect(proposal.etcdMembers).toEqual([
      { name: 'e1', zone: 'a', learner: false, host: 'e1', pointer: '/etcd/members/0' },
      { name: 'e2', zone: 'b', address: 'fd00::2', learner: true, host: 'e2', pointer: '/etcd/members/1' },
      { name: 'e3', zone: 'a', learner: false, host: 'e3', heartbeatIntervalMs: 50, pointer: '/etcd/members/2' },
    ]);
  });

  it('derives zones from the nodes, in order of appearance, when controlPlane.zones is absent', () => {
    const proposal = ok({
      topology: 'stacked',
      controlPlane: {
        nodes: [
          { name: 'x', zone: 'z2' },
          { name: 'y', zone: 'z1' },
          { name: 'w', zone: 'z2' },
        ],
      },
    });
    expect(proposal.zones).toEqual(['z2', 'z1']);
  });

  it('puts stacked members on their nodes, pointing at the node they came from', () => {
    const proposal = ok({
      topology: 'stacked',
      controlPlane: { nodes: [{ name: 'n1', address: '10.1.0.1' }, { name: 'n2' }] },
    });
    expect(proposal.etcdMembers).toEqual([
      { name: 'n1', zone: 'zone-a', address: '10.1.0.1', learner: false, host: 'n1', pointer: '/controlPlane/nodes/0' },
      { name: 'n2', zone: 'zone-a', learner: false, host: 'n2', pointer: '/controlPlane/nodes/1' },
    ]);
  });
});

describe('network', () => {
  it('looks zone pairs up either way round and falls back to the defaults', () => {
    const proposal = ok({
      topology: 'stacked',
      controlPlane: { nodes: 3, zones: ['a', 'b', 'c'] },
      network: {
        interZoneRttMs: 4,
        zoneRttMs: [
          { from: 'a', to: 'b', rttMs: 9 },
          { from: 'c', to: 'c', rttMs: 0.2 },
        ],
      },
    });
    expect(zoneRttMs(proposal.network, 'b', 'a')).toBe(9);
    expect(zoneRttMs(proposal.network, 'a', 'c')).toBe(4);
    expect(zoneRttMs(proposal.network, 'c', 'c')).toBe(0.2);
    expect(zoneRttMs(proposal.network, 'a', 'a')).toBe(0.5);
  });

  it('is not fooled by zone names that are Object.prototype keys', () => {
    const proposal = ok({ topology: 'stacked', controlPlane: { nodes: 2, zones: ['constructor', 'toString'] } });
    expect(zoneRttMs(proposal.network, 'constructor', 'constructor')).toBe(0.5);
    expect(zoneRttMs(proposal.network, 'constructor', 'toString')).toBe(2);
  });
});

describe('contradictions are 400 problems pointing at the field', () => {
  const cases: [string, unknown, { pointer: string; detail: RegExp }[]][] = [
    [
      'etcd.members with the stacked topology',
      { topology: 'stacked', controlPlane: { nodes: 3 }, etcd: { members: 3 } },
      [{ pointer: '/etcd/members', detail: /stacked topology runs exactly one etcd member/ }],
    ],
    [
      "a learner for stacked (members are not the user's to list)",
      { topology: 'stacked', controlPlane: { nodes: 3 }, etcd: { members: [{ name: 'cp-1', learner: true }] } },
      [{ pointer: '/etcd/members', detail: /stacked/ }],
    ],
    [
      'duplicate node names, case-insensitively',
      { topology: 'stacked', controlPlane: { nodes: [{ name: 'cp-1' }, { name: 'CP-1' }] } },
      [{ pointer: '/controlPlane/nodes/1/name', detail: /already used at \/controlPlane\/nodes\/0\/name/ }],
    ],
    [
      'an etcd member named like a node (external hosts are distinct)',
      {
        topology: 'external',
        controlPlane: { nodes: [{ name: 'h1' }] },
        etcd: { members: [{ name: 'h1' }, { name: 'h2' }, { name: 'h3' }] },
      },
      [{ pointer: '/etcd/members/0/name', detail: /already used/ }],
    ],
    [
      'a node named like a generated member',
      { topology: 'external', controlPlane: { nodes: [{ name: 'etcd-2' }] }, etcd: { members: 3 } },
      [{ pointer: '/etcd/members', detail: /"etcd-2" is already used at \/controlPlane\/nodes\/0\/name/ }],
    ],
    [
      'duplicate addresses',
      {
        topology: 'stacked',
        controlPlane: {
          nodes: [
            { name: 'a', address: '10.0.0.1' },
            { name: 'b', address: '10.0.0.1' },
          ],
        },
      },
      [{ pointer: '/controlPlane/nodes/1/address', detail: /already used at \/controlPlane\/nodes\/0\/address/ }],
    ],
    [
      'a zone listed twice',
      { topology: 'stacked', controlPlane: { nodes: 3, zones: ['a', 'b', 'a'] } },
      [{ pointer: '/controlPlane/zones/2', detail: /listed twice/ }],
    ],
    [
      'a node in an undeclared zone',
      { topology: 'stacked', controlPlane: { nodes: [{ name: 'n1', zone: 'zone-d' }], zones: ['zone-a'] } },
      [{ pointer: '/controlPlane/nodes/0/zone', detail: /not one of controlPlane.zones/ }],
    ],
    [
      'zoneRttMs naming an unknown zone',
      {
        topology: 'stacked',
        controlPlane: { nodes: 3, zones: ['a', 'b'] },
        network: { zoneRttMs: [{ from: 'a', to: 'q', rttMs: 1 }] },
      },
      [{ pointer: '/network/zoneRttMs/0/to', detail: /"q" is not a zone/ }],
    ],
    [
      'a zone pair given twice, in either order',
      {
        topology: 'stacked',
        controlPlane: { nodes: 3, zones: ['a', 'b'] },
        network: {
          zoneRttMs: [
            { from: 'a', to: 'b', rttMs: 1 },
            { from: 'b', to: 'a', rttMs: 2 },
          ],
        },
      },
      [{ pointer: '/network/zoneRttMs/1', detail: /already given at \/network\/zoneRttMs\/0/ }],
    ],
    [
      'maxLearners before etcd 3.6',
      { topology: 'external', controlPlane: { nodes: 3 }, etcd: { version: '3.5', maxLearners: 2 } },
      [{ pointer: '/etcd/maxLearners', detail: /etcd 3.6 flag/ }],
    ],
  ];

  it.each(cases)('%s', (_, body, expected) => {
    const errors = errorsOf(body);
    expect(errors).toHaveLength(expected.length);
    expected.forEach((want, i) => {
      expect(errors[i]!.pointer).toBe(want.pointer);
      expect(errors[i]!.location).toBe('body');
      expect(errors[i]!.detail).toMatch(want.detail);
    });
  });

  it('prefixes every pointer with the base pointer, for schema and normalization errors alike', () => {
    expect(
      errorsOf({ topology: 'stacked', controlPlane: { nodes: 3 }, etcd: { members: 3 } }, '/cluster')[0]!.pointer,
    ).toBe('/cluster/etcd/members');
    expect(errorsOf({ topology: 'stacked', controlPlane: { nodes: 0 } }, '/cluster')[0]!.pointer).toBe(
      '/cluster/controlPlane/nodes',
    );
    const proposal = ok({ topology: 'stacked', controlPlane: { nodes: [{ name: 'a' }] } }, '/cluster');
    expect(proposal.controlPlaneNodes[0]!.pointer).toBe('/cluster/controlPlane/nodes/0');
  });

  it('accepts 3.6 with --max-learners', () => {
    expect(
      ok({ topology: 'external', controlPlane: { nodes: 3 }, etcd: { version: '3.6', maxLearners: 2 } }).etcd
        .maxLearners,
    ).toBe(2);
  });
});

describe('the schema', () => {
  const base = { topology: 'stacked', controlPlane: { nodes: 3 } };
  const cases: [string, unknown, string, RegExp][] = [
    [
      'more nodes than maxControlPlaneNodes',
      { ...base, controlPlane: { nodes: 10 } },
      '/controlPlane/nodes',
      /at most 9 \(the limit maxControlPlaneNodes\)/,
    ],
    [
      'a node list over maxControlPlaneNodes',
      { ...base, controlPlane: { nodes: Array.from({ length: 10 }, (_, i) => ({ name: `n${i}` })) } },
      '/controlPlane/nodes',
      /maxControlPlaneNodes/,
    ],
    ['a fractional count', { ...base, controlPlane: { nodes: 2.5 } }, '/controlPlane/nodes', /whole number/],
    ['zero nodes', { ...base, controlPlane: { nodes: 0 } }, '/controlPlane/nodes', /at least 1/],
    [
      'more etcd members than maxEtcdMembers',
      { topology: 'external', controlPlane: { nodes: 3 }, etcd: { members: 10 } },
      '/etcd/members',
      /maxEtcdMembers/,
    ],
    [
      'more zones than maxZones',
      { ...base, controlPlane: { nodes: 3, zones: Array.from({ length: 10 }, (_, i) => `z${i}`) } },
      '/controlPlane/zones',
      /maxZones/,
    ],
    [
      'a name over maxNameLength',
      { ...base, controlPlane: { nodes: [{ name: 'n'.repeat(64) }] } },
      '/controlPlane/nodes/0/name',
      /maxNameLength/,
    ],
    [
      'a name with a comma (it would break --initial-cluster)',
      { ...base, controlPlane: { nodes: [{ name: 'a,b' }] } },
      '/controlPlane/nodes/0/name',
      /letters, digits/,
    ],
    [
      'an invalid address',
      { ...base, controlPlane: { nodes: [{ name: 'a', address: '300.1.1.1' }] } },
      '/controlPlane/nodes/0/address',
      /IPv4/,
    ],
    ['an unknown field', { ...base, etcd: { heartbeatMs: 100 } }, '/etcd/heartbeatMs', /Unknown field/],
    ['an unknown topology', { ...base, topology: 'hybrid' }, '/topology', /./],
    ['an RTT beyond maxRttMs', { ...base, network: { interZoneRttMs: 20_000 } }, '/network/interZoneRttMs', /maxRttMs/],
    [
      'an election timeout beyond maxEtcdTimingMs',
      { ...base, etcd: { electionTimeoutMs: 700_000 } },
      '/etcd/electionTimeoutMs',
      /maxEtcdTimingMs/,
    ],
    [
      'a load-balancer endpoint without a port',
      { ...base, loadBalancer: { endpoint: 'k8s-api' } },
      '/loadBalancer/endpoint',
      /host:port/,
    ],
    [
      'too many zone pairs',
      { ...base, network: { zoneRttMs: Array.from({ length: 46 }, () => ({ from: 'a', to: 'b', rttMs: 1 })) } },
      '/network/zoneRttMs',
      /maxZoneRttEntries/,
    ],
  ];

  it.each(cases)('rejects %s', (_, body, pointer, detail) => {
    const errors = errorsOf(body);
    expect(errors.map((e) => e.pointer)).toContain(pointer);
    expect(errors.find((e) => e.pointer === pointer)!.detail).toMatch(detail);
  });

  it("lets timing values etcd would reject through, so the answer can report etcd's own error", () => {
    expect(checkProposal({ ...base, etcd: { heartbeatIntervalMs: 0, electionTimeoutMs: 60_000 } }).ok).toBe(true);
    expect(checkProposal({ ...base, leaderElection: { leaseDurationS: 0 } }).ok).toBe(true);
  });

  it('accepts IPv6 and DNS addresses and a bracketed IPv6 endpoint', () => {
    const proposal = ok({
      ...base,
      controlPlane: {
        nodes: [
          { name: 'a', address: 'fd00::1' },
          { name: 'b', address: 'cp-b.example.internal' },
        ],
      },
      loadBalancer: { endpoint: '[fd00::10]:6443' },
    });
    expect(proposal.controlPlaneNodes.map((n) => n.address)).toEqual(['fd00::1', 'cp-b.example.internal']);
  });

  it('normalizes the same way with or without the schema (the domain needs no zod)', () => {
    const input: ProposalInput = {
      topology: 'external',
      controlPlane: { nodes: 2, zones: ['a', 'b'] },
      etcd: { members: 3 },
    };
    const direct = normalizeProposal(input);
    expect(direct.ok && JSON.stringify(direct.proposal)).toBe(JSON.stringify(ok(input)));
  });
});
