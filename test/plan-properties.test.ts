/**
 * The failure-domain analysis against a naive recomputation, and its invariants, over random small proposals.
 * The naive model works on names and arrays straight from the Proposal (no bit masks, no HostModel), and
 * enumerates every subset of hosts, not just the small ones.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeProposal } from '../src/domain/normalize-proposal.js';
import { analyzePlan } from '../src/domain/plan/index.js';
import type { Proposal } from '../src/domain/proposal.js';
import type { ProposalInput } from '../src/domain/proposal-input.js';

const zoneNames = ['z1', 'z2', 'z3', 'z4'];

/** Random valid proposals: stacked or external, 1–5 nodes and 1–5 members (some learners), zones anywhere. */
const proposalInput: fc.Arbitrary<ProposalInput> = fc
  .record({
    topology: fc.constantFrom<'stacked' | 'external'>('stacked', 'external'),
    nodeZones: fc.array(fc.constantFrom(...zoneNames), { minLength: 1, maxLength: 5 }),
    members: fc.array(fc.record({ zone: fc.constantFrom(...zoneNames), learner: fc.boolean() }), {
      minLength: 1,
      maxLength: 5,
    }),
  })
  .map(({ topology, nodeZones, members }) => ({
    topology,
    controlPlane: { nodes: nodeZones.map((zone, i) => ({ name: `n${i}`, zone })), zones: zoneNames },
    ...(topology === 'external'
      ? {
          etcd: {
            version: '3.6' as const,
            maxLearners: 5,
            members: members.map((m, i) => ({ name: `e${i}`, zone: m.zone, learner: m.learner })),
          },
        }
      : {}),
  }));

function normalized(input: ProposalInput): Proposal {
  const result = normalizeProposal(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.proposal;
}

/** Naive capabilities after the named hosts fail, straight from the definitions. */
function naiveWorks(proposal: Proposal, failed: ReadonlySet<string>) {
  const voters = proposal.etcdMembers.filter((m) => !m.learner);
  const quorum = Math.floor(voters.length / 2) + 1;
  const etcdQuorum = voters.length > 0 && voters.filter((m) => !failed.has(m.host)).length >= quorum;
  const servingApiserver = proposal.controlPlaneNodes.some((node) => {
    if (failed.has(node.name)) return false;
    if (proposal.topology === 'external') return etcdQuorum;
    const local = proposal.etcdMembers.find((m) => m.host === node.name);
    return local !== undefined && !local.learner && etcdQuorum;
  });
  return { etcdQuorum, apiServer: servingApiserver, controllerLeaders: servingApiserver };
}

function allHosts(proposal: Proposal): string[] {
  return [...new Set([...proposal.controlPlaneNodes.map((n) => n.name), ...proposal.etcdMembers.map((m) => m.host)])];
}

/** Largest k such that every k-subset of hosts keeps the capability; null if even the empty set breaks it. */
function naiveTolerance(
  proposal: Proposal,
  capability: 'etcdQuorum' | 'apiServer' | 'controllerLeaders',
): number | null {
  const hosts = allHosts(proposal);
  let smallestBreaking = Infinity;
  for (let mask = 0; mask < 2 ** hosts.length; mask++) {
    const failed = new Set(hosts.filter((_, i) => Math.floor(mask / 2 ** i) % 2 === 1));
    if (!naiveWorks(proposal, failed)[capability]) smallestBreaking = Math.min(smallestBreaking, failed.size);
  }
  if (smallestBreaking === 0) return null;
  return smallestBreaking === Infinity ? hosts.length : smallestBreaking - 1;
}

const runs = { numRuns: 150, seed: 20261125 };

describe('analysis vs brute force', { timeout: 30_000 }, () => {
  it('agrees on the arbitrary host failures every capability survives', () => {
    fc.assert(
      fc.property(proposalInput, (input) => {
        const proposal = normalized(input);
        const report = analyzePlan(proposal).failureDomains!.arbitraryHostFailures;
        expect(report.exact).toBe(true);
        for (const capability of ['etcdQuorum', 'apiServer', 'controllerLeaders'] as const) {
          expect(report.byCapability[capability].tolerated).toBe(naiveTolerance(proposal, capability));
        }
      }),
      runs,
    );
  });

  it('agrees on every single-host and single-zone loss, and the failing witness really fails', () => {
    fc.assert(
      fc.property(proposalInput, (input) => {
        const proposal = normalized(input);
        const domains = analyzePlan(proposal).failureDomains!;
        for (const loss of domains.hosts) expect(loss.survives).toEqual(naiveWorks(proposal, new Set([loss.host])));
        for (const loss of domains.zones) {
          const inZone = allHosts(proposal).filter((host) =>
            [
              ...proposal.controlPlaneNodes.map((n) => ({ host: n.name, zone: n.zone })),
              ...proposal.etcdMembers.map((m) => ({ host: m.host, zone: m.zone })),
            ].some((h) => h.host === host && h.zone === loss.zone),
          );
          expect(loss.survives).toEqual(naiveWorks(proposal, new Set(inZone)));
        }
        const witness = domains.arbitraryHostFailures.cluster.smallestFailingSet;
        const after = naiveWorks(proposal, new Set(witness));
        expect(after.etcdQuorum && after.apiServer && after.controllerLeaders).toBe(false);
      }),
      runs,
    );
  });
});

describe('invariants', { timeout: 30_000 }, () => {
  it('a zone loss keeps quorum exactly when the voters outside that zone reach quorum', () => {
    fc.assert(
      fc.property(proposalInput, (input) => {
        const proposal = normalized(input);
        const voters = proposal.etcdMembers.filter((m) => !m.learner);
        const quorum = Math.floor(voters.length / 2) + 1;
        for (const loss of analyzePlan(proposal).failureDomains!.zones) {
          const outside = voters.filter((m) => m.zone !== loss.zone).length;
          expect(loss.survives.etcdQuorum).toBe(voters.length > 0 && outside >= quorum);
        }
      }),
      runs,
    );
  });

  it('moving a voter to another zone never changes the arbitrary failures etcd survives', () => {
    fc.assert(
      fc.property(proposalInput, fc.nat(), fc.constantFrom(...zoneNames), (input, pick, zone) => {
        const before = analyzePlan(normalized(input)).failureDomains!.arbitraryHostFailures;
        const moved = structuredClone(input);
        if (moved.topology === 'external' && Array.isArray(moved.etcd?.members)) {
          const members = moved.etcd.members;
          members[pick % members.length]!.zone = zone;
        } else if (Array.isArray(moved.controlPlane.nodes)) {
          const nodes = moved.controlPlane.nodes;
          nodes[pick % nodes.length]!.zone = zone;
        }
        const after = analyzePlan(normalized(moved)).failureDomains!.arbitraryHostFailures;
        expect(after.byCapability).toEqual(before.byCapability);
        expect(after.cluster.tolerated).toBe(before.cluster.tolerated);
      }),
      runs,
    );
  });

  it('etcd survives exactly voters − quorum arbitrary host failures (the FAQ rule), whatever the placement', () => {
    fc.assert(
      fc.property(proposalInput, (input) => {
        const plan = analyzePlan(normalized(input));
        expect(plan.failureDomains!.arbitraryHostFailures.byCapability.etcdQuorum.tolerated).toBe(
          plan.voters === 0 ? null : plan.tolerableFailures,
        );
      }),
      runs,
    );
  });

  it('no capability survives more failures than etcd quorum does', () => {
    fc.assert(
      fc.property(proposalInput, (input) => {
        const by = analyzePlan(normalized(input)).failureDomains!.arbitraryHostFailures.byCapability;
        for (const other of [by.apiServer, by.controllerLeaders]) {
          if (by.etcdQuorum.tolerated === null) expect(other.tolerated).toBeNull();
          else expect(other.tolerated ?? -1).toBeLessThanOrEqual(by.etcdQuorum.tolerated);
        }
      }),
      runs,
    );
  });
});
