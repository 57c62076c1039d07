/**
 * @module changes/findings
 * What a reader must know about a change plan, derived from its steps and the two proposals.
 */
import { learnerLimit } from '../etcd-versions.js';
import { tooManyLearnersEtcdctlText } from '../ledger/etcd.js';
import { plural } from '../text.js';
import type { Finding } from '../findings.js';
import type { Proposal } from '../proposal.js';
import { quorumFindings, recommendedMaxVoters } from '../quorum.js';
import type { MemberDiff } from './rolling.js';
import { changeSources } from './sources.js';
import type { PreVoteComparison } from './elections.js';
import type { ChangePointers, ChangeStep } from './types.js';

export interface FindingInput {
  current: Proposal;
  target: Proposal;
  diff: MemberDiff;
  steps: ChangeStep[];
  versionPath: string[];
  restore: boolean;
  restoreBecauseQuorumLost: boolean;
  failed: string[];
  pointers: ChangePointers;
  /** A leader crash in the current cluster, simulated without and with --pre-vote (for the 3.5 hop). */
  preVote: PreVoteComparison | null;
}

function membersPointer(proposal: Proposal, base: string): string {
  return `${base}${proposal.topology === 'stacked' ? '/controlPlane/nodes' : '/etcd/members'}`;
}

function stepList(steps: ChangeStep[]): string {
  const shown = steps.slice(0, 6).map((s) => s.index);
  return `step${steps.length === 1 ? '' : 's'} ${shown.join(', ')}${steps.length > 6 ? ', …' : ''}`;
}

function membershipFindings(input: FindingInput): Finding[] {
  const { diff, steps, pointers } = input;
  const findings: Finding[] = [];
  const targetMembers = membersPointer(input.target, pointers.target);
  const joins = diff.add.length + diff.rebuild.length + diff.addLearners.length;
  if (joins > 1) {
    findings.push({
      code: 'ONE_MEMBERSHIP_CHANGE_AT_A_TIME',
      severity: 'info',
      message:
        `${joins} members join: etcd changes membership one member at a time, so each is added as a learner and promoted ` +
        'before the next is added; adding two voters at once would raise the quorum before either holds data.',
      pointers: [targetMembers],
      source: changeSources.runtimeReconfiguration,
    });
  }
  if (joins > 0) {
    const limit = learnerLimit(input.target.etcd.version, input.target.etcd.maxLearners);
    findings.push({
      code: 'LEARNER_LIMIT',
      severity: 'info',
      message:
        `etcd ${input.target.etcd.version} allows ${plural(limit, 'learner')} at a time (etcdctl member add --learner ` +
        `otherwise prints "${tooManyLearnersEtcdctlText}"): the plan never has more in flight.`,
      pointers: [`${pointers.target}/etcd/version`],
      source: changeSources.maxLearners,
    });
  }
  const twoVoters = steps.filter((s) => s.membership.writable && s.membership.voterCount === 2);
  if (twoVoters.length > 0) {
    const grows = input.diff.add.length > 0 && steps.some((s) => s.membershipAfter.voterCount === 1);
    findings.push({
      code: 'TWO_VOTERS_TOLERATE_NOTHING',
      severity: 'warning',
      message:
        `${stepList(twoVoters)} run with 2 voters, which need both for quorum: ${grows ? 'going from 1 to 2 voters gains nothing while the second catches up, and ' : ''}` +
        'losing either member stops writes, and removing a member from a 2-member cluster is unsafe if anything fails meanwhile. Keep that window short.',
      pointers: [targetMembers],
      source: changeSources.runtimeReconfiguration,
    });
  }
  const rebuiltLive = diff.rebuild.filter((n) => !input.failed.includes(n));
  if (rebuiltLive.length > 0) {
    findings.push({
      code: 'REBUILD_IN_PLACE_LOWERS_TOLERANCE',
      severity: 'warning',
      message:
        `${rebuiltLive.join(', ')} keep${rebuiltLive.length === 1 ? 's its' : ' their'} name but move or are rebuilt: the old member must be removed before the new one can ` +
        'join under the same name and peer URL, so the cluster runs one voter short meanwhile. To keep full tolerance, give the replacement a new name: it then joins before the old one leaves.',
      pointers: rebuiltLive.map(
        (n) => input.current.etcdMembers.find((m) => m.name === n)?.pointer ?? pointers.current,
      ),
      source: changeSources.runtimeReconfiguration,
    });
  }
  const peak = Math.max(0, ...steps.map((s) => s.membershipAfter.voterCount));
  if (peak > recommendedMaxVoters) {
    findings.push({
      code: 'PEAK_ABOVE_RECOMMENDED_VOTERS',
      severity: 'warning',
      message: `The plan grows to ${peak} voters before it shrinks; etcd advises at most ${recommendedMaxVoters}, and writes are slower meanwhile.`,
      pointers: [targetMembers],
      source: changeSources.runtimeReconfiguration,
    });
  }
  return findings;
}

function zoneFindings(input: FindingInput): Finding[] {
  const voters = input.target.etcdMembers.filter((m) => !m.learner);
  const zones = new Set(voters.map((m) => m.zone));
  if (zones.size !== 2) return [];
  return [
    {
      code: 'TARGET_SPANS_TWO_ZONES',
      severity: 'warning',
      message:
        'The target places its voters in 2 zones: one zone always holds a majority, and losing that zone loses quorum. Use 3 zones.',
      pointers: [membersPointer(input.target, input.pointers.target)],
      source: changeSources.twoZones,
    },
  ];
}

function versionFindings(input: FindingInput): Finding[] {
  const findings: Finding[] = [];
  const path = input.versionPath;
  const pointer = `${input.pointers.target}/etcd/version`;
  if (path.length > 1) {
    findings.push({
      code: 'CLUSTER_VERSION_RULE',
      severity: 'info',
      message:
        `Version path ${path.join(' → ')}: during each hop the cluster runs the lowest version any member runs, and takes the new ` +
        'version only when every member runs it; from then on the old binary no longer fits, so the snapshot of step 1 is the way back.',
      pointers: [pointer],
      source: changeSources.upgradePolicy,
    });
  }
  if (path.includes('3.4') && path.includes('3.5')) {
    const preVoteChanges = input.current.etcd.preVote !== input.target.etcd.preVote;
    findings.push({
      code: 'PRE_VOTE_DEFAULT_CHANGES_AT_3_5',
      severity: 'info',
      message:
        '--pre-vote defaults to false in 3.4 and true from 3.5. With pre-vote a member that was cut off asks whether it could win before ' +
        'raising its term, so a returning member no longer forces an election; a real election takes one extra round trip' +
        (input.preVote?.withoutPreVoteP50Ms != null && input.preVote.withPreVoteP50Ms != null
          ? `, small next to the randomized election timeout (a simulated leader crash here: p50 ${input.preVote.withoutPreVoteP50Ms} ms ` +
            `without and ${input.preVote.withPreVoteP50Ms} ms with pre-vote, ${input.preVote.trials} trials each). `
          : '. ') +
        (preVoteChanges
          ? `The plan changes --pre-vote from ${input.current.etcd.preVote} to ${input.target.etcd.preVote} at the 3.5 hop.`
          : `Your --pre-vote stays ${input.target.etcd.preVote}, set explicitly in every member's flags.`),
      pointers: [`${input.pointers.target}/etcd/preVote`],
      source: changeSources.preVote,
    });
  }
  if (path.includes('3.6') && path.includes('3.5') && path.indexOf('3.6') > path.indexOf('3.5')) {
    findings.push({
      code: 'UPGRADE_TO_3_6_NEEDS_LATEST_3_5',
      severity: 'warning',
      message:
        'Before the 3.6 hop every member must run the latest 3.5 patch, and --enable-v2 must never have been on (check with etcdutl check v2store).',
      pointers: [pointer],
      source: changeSources.upgrade36,
    });
  }
  return findings;
}

function restoreFindings(input: FindingInput): Finding[] {
  if (!input.restore) return [];
  const findings: Finding[] = [
    {
      code: 'RESTORE_LOSES_RECENT_WRITES',
      severity: 'warning',
      message:
        'A restore brings back the keyspace as of the snapshot: writes after it are lost, every member and the cluster get new IDs, and ' +
        'revisions go back, which confuses watch caches (Kubernetes informers); restart the control-plane components and kubelets afterwards.',
      pointers: [`${input.pointers.options}/restoreFromSnapshot`],
      source: changeSources.recovery,
    },
  ];
  if (input.restoreBecauseQuorumLost) {
    findings.push({
      code: 'RESTORE_BECAUSE_QUORUM_LOST',
      severity: 'warning',
      message: `With ${input.failed.join(', ')} down the cluster has no quorum, so no membership change can commit: the plan restores from a snapshot instead.`,
      pointers: [`${input.pointers.options}/failedMembers`],
      source: changeSources.recovery,
    });
  }
  return findings;
}

export function changeFindings(input: FindingInput): Finding[] {
  const target = input.target;
  const voters = target.etcdMembers.filter((m) => !m.learner).length;
  const targetMembers = membersPointer(target, input.pointers.target);
  const quorum = quorumFindings(
    {
      voters,
      learners: target.etcdMembers.length - voters,
      etcdVersion: target.etcd.version,
      maxLearners: target.etcd.maxLearners,
    },
    { voters: targetMembers, learners: targetMembers, etcdVersion: `${input.pointers.target}/etcd/version` },
  ).filter((f) => f.severity === 'warning');
  const failed =
    input.failed.length > 0 && !input.restoreBecauseQuorumLost
      ? [
          {
            code: 'FAILED_MEMBERS_FIRST',
            severity: 'warning' as const,
            message: `${input.failed.join(', ')} ${input.failed.length === 1 ? 'is' : 'are'} down and still count${input.failed.length === 1 ? 's' : ''} toward the quorum: the plan removes ${input.failed.length === 1 ? 'it' : 'them'} first, before any other change.`,
            pointers: [`${input.pointers.options}/failedMembers`],
            source: changeSources.runtimeReconfiguration,
          },
        ]
      : [];
  return [
    ...failed,
    ...membershipFindings(input),
    ...zoneFindings(input),
    ...versionFindings(input),
    ...restoreFindings(input),
    ...quorum,
  ];
}
