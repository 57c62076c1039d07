/**
 * @module changes/refusals
 * Requests the planner will not turn into steps, each with its reason and the field at fault (answered as 422
 * problem+json; UNKNOWN_MEMBER as 400): names that are not members, a hosted control plane, a version path
 * etcd does not support, no quorum on the way without accepting downtime, more learners than etcd allows, a
 * Kubernetes upgrade (kubeadm's job, not this planner's).
 */
import { learnerLimit } from '../etcd-versions.js';
import { tooManyLearnersEtcdctlText } from '../ledger/etcd.js';
import type { Proposal } from '../proposal.js';
import { changeSources } from './sources.js';
import type { ChangeInput, ChangePointers, ChangeRefusal, ChangeStep, Membership } from './types.js';

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

/** What is wrong with the request before any planning. */
export function requestRefusals(input: ChangeInput, pointers: ChangePointers): ChangeRefusal[] {
  const refusals = [
    ...unknownNames(input, 'replaceMembers', pointers.options),
    ...unknownNames(input, 'failedMembers', pointers.options),
  ];
  for (const side of ['current', 'target'] as const) {
    if (input[side].platform !== 'hosted') continue;
    refusals.push({
      code: 'HOSTED_CONTROL_PLANE',
      pointer: `${pointers[side]}/platform`,
      detail:
        'On a hosted control plane (GKE, EKS, AKS) the provider changes etcd and the control plane; there is nothing for you to run.',
    });
  }
  if (input.current.kubernetesVersion !== input.target.kubernetesVersion) {
    refusals.push({
      code: 'KUBERNETES_UPGRADE_NOT_PLANNED',
      pointer: `${pointers.target}/kubernetesVersion`,
      detail:
        `current runs Kubernetes ${input.current.kubernetesVersion}, target ${input.target.kubernetesVersion}: a Kubernetes ` +
        "upgrade is kubeadm upgrade's job, not planned here. Give both the same kubernetesVersion.",
    });
  }
  const limit = learnerLimit(input.target.etcd.version, input.target.etcd.maxLearners);
  const targetLearners = input.target.etcdMembers.filter((m) => m.learner).length;
  if (targetLearners > limit) {
    refusals.push({
      code: 'TOO_MANY_LEARNERS',
      pointer: `${pointers.target}/etcd/members`,
      detail: `The target has ${targetLearners} learners; etcd ${input.target.etcd.version} allows ${limit}: etcdctl member add --learner would print "${tooManyLearnersEtcdctlText}".`,
      source: changeSources.maxLearners,
    });
  }
  return refusals;
}

/** A restore (asked for, or the only way when quorum is lost) needs downtime to be acceptable. */
export function restoreRefusal(
  quorumLost: boolean,
  start: Membership,
  failed: readonly string[],
  pointers: ChangePointers,
): ChangeRefusal {
  if (quorumLost) {
    return {
      code: 'NO_QUORUM_ON_THE_WAY',
      pointer: `${pointers.options}/failedMembers`,
      detail:
        `With ${failed.join(', ')} down, ${start.voterCount - start.down.length} of ${start.voterCount} voters run: ` +
        'no quorum, so no membership change can commit. Bring members back, or set options.downtimeAcceptable to plan a restore from a snapshot.',
      source: changeSources.recovery,
    };
  }
  return {
    code: 'RESTORE_NEEDS_DOWNTIME',
    pointer: `${pointers.options}/downtimeAcceptable`,
    detail:
      'A restore from a snapshot stops every member: set options.downtimeAcceptable to true, or leave restoreFromSnapshot out for a live plan.',
    source: changeSources.recovery,
  };
}

/** A live plan whose step stops a member the quorum needs (an upgrade of a 1- or 2-voter cluster). */
export function outageRefusal(step: ChangeStep, target: Proposal, pointers: ChangePointers): ChangeRefusal {
  const { voterCount, down, quorum } = step.membership;
  return {
    code: 'NO_QUORUM_ON_THE_WAY',
    pointer: `${pointers.target}/etcd/version`,
    detail:
      `Step ${step.index} (${step.title}) stops a member of a ${voterCount}-voter cluster, leaving ${voterCount - down.length} ` +
      `of the ${quorum} voters a quorum needs: writes stop meanwhile. Grow to 3 voters first (one request), then change ` +
      `the version to ${target.etcd.version} (a second one), or set options.downtimeAcceptable.`,
    source: changeSources.runtimeReconfiguration,
  };
}
