/**
 * @module changes
 * Safe change plans: from the cluster that runs today to the proposed one, step by step, with quorum kept at
 * every step (POST /v1/changes). Pure: the same input and seed give the same plan.
 *
 * @example
 *   const result = planChanges({ current, target, options: {} });
 *   if (result.ok) console.log(result.plan.summary);
 */
import { resolvePaths } from '../config/paths.js';
import { learnerLimit } from '../etcd-versions.js';
import { sortFindings } from '../findings.js';
import { hashString } from '../random.js';
import { PlanBuilder } from './builder.js';
import { diffMembers, memberInfos } from './diff.js';
import { changeFindings } from './findings.js';
import type { ClusterState } from './membership.js';
import { membershipOf } from './membership.js';
import { restoreSteps } from './restore.js';
import { rollingSteps } from './rolling.js';
import { changeSources } from './sources.js';
import { changeSummary } from './summary.js';
import type { ChangeInput, ChangeKind, ChangePlan, ChangeRefusal, ChangeResult, ClusterFacts } from './types.js';
import type { VersionHop } from './upgrade.js';
import { checkVersionPath } from './versions.js';
import type { Proposal } from '../proposal.js';
import type { MemberDiff } from './rolling.js';

export type * from './types.js';
export { maxSummaryChars } from './summary.js';

/** Trials per simulated election case when the caller does not say. */
export const defaultChangeTrials = 16;

function facts(p: Proposal): ClusterFacts {
  return {
    topology: p.topology,
    etcdVersion: p.etcd.version,
    voters: p.etcdMembers.filter((m) => !m.learner).map((m) => m.name),
    learners: p.etcdMembers.filter((m) => m.learner).map((m) => m.name),
    controlPlaneNodes: p.controlPlaneNodes.map((n) => n.name),
  };
}

function unknownNames(input: ChangeInput, key: 'replaceMembers' | 'failedMembers', pointer: string): ChangeRefusal[] {
  const names = new Set(input.current.etcdMembers.map((m) => m.name));
  return (input.options[key] ?? []).flatMap((name, i) =>
    names.has(name)
      ? []
      : [
          {
            code: 'UNKNOWN_MEMBER',
            pointer: `${pointer}/${key}/${i}`,
            detail: `${name} is not a member of current (${[...names].join(', ')}).`,
          },
        ],
  );
}

function kindsOf(
  current: Proposal,
  target: Proposal,
  diff: MemberDiff,
  path: string[],
  restore: boolean,
): ChangeKind[] {
  const kinds: ChangeKind[] = [];
  const before = current.etcdMembers.filter((m) => !m.learner).length;
  const after = target.etcdMembers.filter((m) => !m.learner).length;
  const zoneOf = (p: Proposal, name: string) => p.etcdMembers.find((m) => m.name === name)?.zone;
  if (restore) kinds.push('restore');
  if (current.topology !== target.topology)
    kinds.push(target.topology === 'external' ? 'stacked-to-external' : 'external-to-stacked');
  else {
    if (after > before) kinds.push('grow');
    if (after < before) kinds.push('shrink');
    // A zone loses or gains a member while the count stays, or a member keeps its name in another zone.
    const zonesOf = (p: Proposal) =>
      p.etcdMembers
        .map((m) => m.zone)
        .sort()
        .join();
    const moved = diff.rebuild.some((n) => zoneOf(current, n) !== zoneOf(target, n));
    if (!restore && (moved || (diff.add.length > 0 && diff.remove.length > 0 && zonesOf(current) !== zonesOf(target))))
      kinds.push('move-zones');
    if (!restore && (diff.rebuild.length > 0 || (diff.add.length > 0 && diff.remove.length > 0))) kinds.push('replace');
  }
  if (path.length > 1) kinds.push(path[path.length - 1]! > path[0]! ? 'upgrade' : 'downgrade');
  // Stacked to stacked, a node's join or reset is its member's: already a grow, shrink or replace.
  const nodesOwnTheChange = !(current.topology === 'stacked' && target.topology === 'stacked');
  const cpBefore = current.controlPlaneNodes.map((n) => n.name).join();
  if (nodesOwnTheChange && cpBefore !== target.controlPlaneNodes.map((n) => n.name).join())
    kinds.push('control-plane-nodes');
  return kinds.length > 0 ? kinds : ['none'];
}

function hops(current: Proposal, target: Proposal, path: string[]): VersionHop[] {
  return path.slice(1).map((to, i) => ({
    from: path[i] as VersionHop['from'],
    to: to as VersionHop['to'],
    // The pre-vote flag changes once, at the first hop; every member's flags spell it out.
    preVote: { from: i === 0 ? current.etcd.preVote : target.etcd.preVote, to: target.etcd.preVote },
    maxLearners: target.etcd.maxLearners,
  }));
}

export function planChanges(input: ChangeInput): ChangeResult {
  const { current, target, options } = input;
  const pointers = input.pointers ?? { current: '/current', target: '/target', options: '/options' };
  const refusals: ChangeRefusal[] = [
    ...unknownNames(input, 'replaceMembers', pointers.options),
    ...unknownNames(input, 'failedMembers', pointers.options),
  ];
  for (const [side, p] of [
    ['current', current],
    ['target', target],
  ] as const) {
    if (p.platform === 'hosted')
      refusals.push({
        code: 'HOSTED_CONTROL_PLANE',
        pointer: `${pointers[side]}/platform`,
        detail:
          'On a hosted control plane (GKE, EKS, AKS) the provider changes etcd and the control plane; there is nothing for you to run.',
      });
  }
  const versions = checkVersionPath(current.etcd.version, target.etcd.version, options.etcdVersionPath, {
    path: `${pointers.options}/etcdVersionPath`,
    targetVersion: `${pointers.target}/etcd/version`,
  });
  if (!versions.ok) refusals.push(versions.refusal);
  if (refusals.length > 0 || !versions.ok) return { ok: false, refusals };

  const paths = resolvePaths(options.paths);
  const currentInfo = memberInfos(current, paths);
  const targetInfo = memberInfos(target, paths);
  const failed = new Set(options.failedMembers ?? []);
  const initial: ClusterState = current.etcdMembers.map((m) => ({
    name: m.name,
    learner: m.learner,
    down: failed.has(m.name),
    endpoints: currentInfo.get(m.name)!.endpoints,
  }));
  const quorumLost = !membershipOf(initial).writable;
  const restore = options.restoreFromSnapshot === true || quorumLost;
  if (restore && options.downtimeAcceptable !== true) {
    return {
      ok: false,
      refusals: [
        quorumLost
          ? {
              code: 'NO_QUORUM_ON_THE_WAY',
              pointer: `${pointers.options}/failedMembers`,
              detail:
                `With ${[...failed].join(', ')} down, ${membershipOf(initial).voterCount - membershipOf(initial).down.length} of ${membershipOf(initial).voterCount} voters run: ` +
                'no quorum, so no membership change can commit. Bring members back, or set options.downtimeAcceptable to plan a restore from a snapshot.',
              source: changeSources.recovery,
            }
          : {
              code: 'RESTORE_NEEDS_DOWNTIME',
              pointer: `${pointers.options}/downtimeAcceptable`,
              detail:
                'A restore from a snapshot stops every member: set options.downtimeAcceptable to true, or leave restoreFromSnapshot out for a live plan.',
              source: changeSources.recovery,
            },
      ],
    };
  }

  const learnerIn = {
    current: (n: string) => current.etcdMembers.find((m) => m.name === n)?.learner === true,
    target: (n: string) => target.etcdMembers.find((m) => m.name === n)?.learner === true,
  };
  const replace = new Set([...(options.replaceMembers ?? []), ...failed]);
  const diff = diffMembers(currentInfo, targetInfo, learnerIn, replace);
  const limit = learnerLimit(target.etcd.version, target.etcd.maxLearners);
  const targetLearners = target.etcdMembers.filter((m) => m.learner).length;
  if (targetLearners > limit) {
    return {
      ok: false,
      refusals: [
        {
          code: 'TOO_MANY_LEARNERS',
          pointer: `${pointers.target}/etcd/members`,
          detail: `The target has ${targetLearners} learners; etcd ${target.etcd.version} allows ${limit} ("too many learner members in cluster").`,
          source: changeSources.maxLearners,
        },
      ],
    };
  }
  // Learners that stay learners but fill the limit would block every join: they leave first and come back last.
  const joins = diff.add.length + diff.rebuild.length + diff.addLearners.length;
  const staying = current.etcdMembers.filter(
    (m) => m.learner && learnerIn.target(m.name) && !diff.remove.includes(m.name) && !diff.addLearners.includes(m.name),
  );
  if (joins > 0 && staying.length >= limit) {
    for (const m of staying) {
      diff.remove.push(m.name);
      diff.addLearners.push(m.name);
    }
  }
  const zoneOf = new Map<string, string>([...currentInfo, ...targetInfo].map(([n, i]) => [n, i.zone]));
  const seed = options.seed ?? hashString(JSON.stringify([current, target, options]));
  const trials = options.trials ?? defaultChangeTrials;
  const b = new PlanBuilder(initial, paths, { base: current, zoneOf, seed, trials, cache: new Map() });

  if (restore) {
    restoreSteps(b, {
      version: target.etcd.version,
      voters: target.etcdMembers.filter((m) => !m.learner).map((m) => targetInfo.get(m.name)!),
      learners: target.etcdMembers.filter((m) => m.learner).map((m) => targetInfo.get(m.name)!),
      quorumLost,
    });
  } else {
    rollingSteps(b, {
      current,
      target,
      currentInfo,
      targetInfo,
      diff,
      failed,
      hops: hops(current, target, versions.path),
    });
  }

  const steps = b.steps;
  const outage = steps.filter((s) => !s.membership.writable);
  if (!restore && outage.length > 0 && options.downtimeAcceptable !== true) {
    const step = outage[0]!;
    return {
      ok: false,
      refusals: [
        {
          code: 'NO_QUORUM_ON_THE_WAY',
          pointer: `${pointers.target}/etcd/version`,
          detail:
            `Step ${step.index} (${step.title}) stops a member of a ${step.membership.voterCount}-voter cluster, leaving ` +
            `${step.membership.voterCount - step.membership.down.length} of the ${step.membership.quorum} voters a quorum needs: writes stop meanwhile. ` +
            'Grow to 3 voters first (one change, then the version in a second request), or set options.downtimeAcceptable.',
          source: changeSources.runtimeReconfiguration,
        },
      ],
    };
  }
  const lowest = Math.min(membershipOf(initial).tolerableFailures, ...steps.map((s) => s.membership.tolerableFailures));
  const simulated = steps.filter(
    (s) => s.risk.simulated !== null && (s.risk.leaderElection === 'transfer' || s.risk.leaderElection === 'certain'),
  );
  const findings = sortFindings(
    changeFindings({
      current,
      target,
      diff,
      steps,
      versionPath: versions.path,
      restore,
      restoreBecauseQuorumLost: quorumLost,
      failed: [...failed],
      pointers,
    }),
  );
  const partial: Omit<ChangePlan, 'summary'> = {
    kinds: kindsOf(current, target, diff, versions.path, restore),
    from: facts(current),
    to: facts(target),
    versionPath: versions.path,
    plannedDowntime: restore || outage.length > 0,
    steps,
    lowestTolerableFailures: steps.length > 0 ? lowest : membershipOf(initial).tolerableFailures,
    lowestToleranceSteps: steps.filter((s) => s.membership.tolerableFailures === lowest).map((s) => s.index),
    peakVoters: Math.max(membershipOf(initial).voterCount, ...steps.map((s) => s.membershipAfter.voterCount)),
    expectedWriteUnavailability: {
      electionsP50Ms: Math.round(simulated.reduce((sum, s) => sum + (s.risk.simulated!.p50Ms ?? 0), 0)),
      electionsP90Ms: Math.round(simulated.reduce((sum, s) => sum + (s.risk.simulated!.p90Ms ?? 0), 0)),
      trialsPerCase: trials,
      stepsWithElections: simulated.length,
      plannedOutageS: outage.reduce((sum, s) => sum + s.risk.expectedDurationS, 0),
    },
    paths,
    findings,
  };
  return { ok: true, plan: { ...partial, summary: changeSummary(partial) } };
}
