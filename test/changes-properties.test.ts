/**
 * Properties of POST /v1/changes' planner over generated (current, target) pairs: no step has two membership
 * changes in flight, no step's tolerance is below what the plan states, and the last step leaves exactly the
 * target's membership. Tolerance is recomputed here from the voters and the down list with the majority rule
 * (floor(n/2)+1), not taken from the plan.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ChangePlan, maxSummaryChars, planChanges } from '../src/domain/changes/index.js';
import { normalizeProposal } from '../src/domain/normalize-proposal.js';
import type { Proposal } from '../src/domain/proposal.js';
import type { ProposalInput } from '../src/domain/proposal-input.js';

const zones = ['z1', 'z2', 'z3'];
const versions = ['3.4', '3.5', '3.6'] as const;

function side(
  topology: 'stacked' | 'external',
  names: string[],
  zoneOf: number[],
  learners: boolean[],
  version: (typeof versions)[number],
): ProposalInput {
  const members = names.map((name, i) => ({
    name,
    zone: zones[zoneOf[i]! % zones.length]!,
    address: `10.0.${i + 1}.${name.length + 10}`,
  }));
  if (topology === 'stacked') return { topology, controlPlane: { nodes: members, zones }, etcd: { version } };
  return {
    topology,
    controlPlane: { nodes: 3, zones },
    etcd: {
      version,
      members: members.map((m, i) => ({
        ...m,
        address: `10.1.${i + 1}.${m.name.length + 10}`,
        learner: learners[i] ?? false,
      })),
    },
  };
}

/** Current and target share a pool of names, so they overlap, differ, and move members between zones. */
const pair = fc
  .record({
    topologies: fc.tuple(
      fc.constantFrom<'stacked' | 'external'>('stacked', 'external'),
      fc.constantFrom<'stacked' | 'external'>('stacked', 'external'),
    ),
    current: fc.subarray(['a', 'b', 'c', 'd', 'e', 'f', 'g'], { minLength: 1, maxLength: 6 }),
    target: fc.subarray(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], { minLength: 1, maxLength: 6 }),
    zonesA: fc.array(fc.nat(2), { minLength: 8, maxLength: 8 }),
    zonesB: fc.array(fc.nat(2), { minLength: 8, maxLength: 8 }),
    learnersA: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    learnersB: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    versions: fc.constantFrom<[number, number]>([0, 0], [0, 1], [1, 2], [0, 2], [2, 1], [1, 1]),
    failed: fc.nat(3),
    replaced: fc.nat(2),
    restore: fc.constantFrom(false, false, false, true),
  })
  .map((g) => {
    const [from, to] = [versions[g.versions[0]]!, versions[g.versions[1]]!];
    // At most one learner per side, and never only learners: keep the generated proposals ones etcd accepts.
    const learnersOf = (names: string[], flags: boolean[]) =>
      names.map((_, i) => i === names.length - 1 && names.length > 1 && flags[i]!);
    const current = side(g.topologies[0], g.current, g.zonesA, learnersOf(g.current, g.learnersA), from);
    const target = side(g.topologies[1], g.target, g.zonesB, learnersOf(g.target, g.learnersB), to);
    const failed = g.current.slice(0, Math.min(g.failed, Math.floor((g.current.length - 1) / 2)));
    const replaced = g.current.slice(-g.replaced || g.current.length).filter((n) => !failed.includes(n));
    return { current, target, failed, replaced: g.replaced === 0 ? [] : replaced, restore: g.restore };
  });

function normalized(input: ProposalInput): Proposal {
  const result = normalizeProposal(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.proposal;
}

function naiveTolerance(voters: number, down: number, writable: boolean): number {
  if (!writable || voters === 0) return 0;
  const quorum = Math.floor(voters / 2) + 1;
  return Math.max(0, voters - down - quorum);
}

function checkPlan(plan: ChangePlan, target: Proposal) {
  const learnerLimit = target.etcd.version === '3.6' ? target.etcd.maxLearners : 1;
  let previousVoters: string[] | null = null;
  for (const step of plan.steps) {
    const where = `step ${step.index} (${step.action})`;
    // One membership change per step, and at most `learnerLimit` learners registered at any moment.
    if (step.membershipChange && step.membershipChange.kind !== 'rebuild')
      expect(step.membershipChange.member, where).not.toContain(',');
    expect(step.membership.etcdLearners.length, where).toBeLessThanOrEqual(
      Math.max(learnerLimit, plan.from.etcdLearners.length),
    );
    if (previousVoters !== null && !plan.plannedDowntime) {
      const added = step.membershipAfter.etcdVoters.filter((v) => !previousVoters!.includes(v)).length;
      const removed = previousVoters.filter((v) => !step.membershipAfter.etcdVoters.includes(v)).length;
      expect(added + removed, `${where}: voters changed by more than one`).toBeLessThanOrEqual(1);
    }
    previousVoters = step.membershipAfter.etcdVoters;
    // The stated tolerance is what the majority rule gives, and never below the plan's lowest.
    const naive = naiveTolerance(step.membership.voterCount, step.membership.down.length, step.membership.writable);
    expect(step.membership.tolerableFailures, where).toBe(naive);
    expect(step.membership.tolerableFailures, where).toBeGreaterThanOrEqual(plan.lowestTolerableFailures);
    // A step that adds or removes a voter has everybody else up (failed members go first, before any other change).
    if (!plan.plannedDowntime) expect(step.membership.writable, where).toBe(true);
  }
  const last = plan.steps[plan.steps.length - 1];
  const wanted = target.etcdMembers
    .filter((m) => !m.learner)
    .map((m) => m.name)
    .sort();
  const wantedLearners = target.etcdMembers
    .filter((m) => m.learner)
    .map((m) => m.name)
    .sort();
  if (last) {
    expect([...last.membershipAfter.etcdVoters].sort()).toEqual(wanted);
    expect([...last.membershipAfter.etcdLearners].sort()).toEqual(wantedLearners);
    expect(last.membershipAfter.down).toEqual([]);
  }
  expect(plan.summary.length).toBeLessThanOrEqual(maxSummaryChars);
}

describe('change plans over generated (current, target) pairs', () => {
  it('keep one membership change at a time, the stated tolerance, and end at the target', () => {
    fc.assert(
      fc.property(pair, ({ current, target, failed, replaced, restore }) => {
        const result = planChanges({
          current: normalized(current),
          target: normalized(target),
          options: {
            failedMembers: failed,
            replaceMembers: replaced,
            restoreFromSnapshot: restore,
            trials: 2,
            downtimeAcceptable: true,
          },
        });
        if (!result.ok) {
          // Only a two-minor downgrade may be refused here (3.6 → 3.4 is not generated; 3.4 → 3.6 is a path).
          expect(result.refusals.map((r) => r.code)).toEqual([]);
          return;
        }
        checkPlan(result.plan, normalized(target));
      }),
      { numRuns: 100, seed: 20261126 },
    );
  });
});
