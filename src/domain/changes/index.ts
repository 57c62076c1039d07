/**
 * @module changes
 * Safe change plans: from the cluster that runs today to the proposed one, step by step, with quorum kept at
 * every step (POST /v1/changes). Pure: the same input and seed give the same plan.
 *
 * @example
 *   const result = planChanges({ current, target, options: {} });
 *   if (result.ok) console.log(result.plan.summary);
 */
import { type ConfigPaths, resolvePaths } from '../config/paths.js';
import { learnerLimit } from '../etcd-versions.js';
import { sortFindings } from '../findings.js';
import type { Proposal } from '../proposal.js';
import { hashString } from '../random.js';
import { type MemberInfo, PlanBuilder } from './builder.js';
import { diffMembers, memberInfos } from './diff.js';
import { type ElectionContext, compareLeaderCrashPreVote } from './elections.js';
import { changeFindings } from './findings.js';
import { kindsOf } from './kinds.js';
import { type ClusterState, membershipOf } from './membership.js';
import { outageRefusal, requestRefusals, restoreRefusal } from './refusals.js';
import { restoreSteps } from './restore.js';
import { type MemberDiff, apiserverEdits, rollingSteps } from './rolling.js';
import { changeSummary } from './summary.js';
import type { ChangeInput, ChangePlan, ChangePointers, ChangeResult, ChangeStep, ClusterFacts } from './types.js';
import type { VersionHop } from './upgrade.js';
import { checkVersionPath } from './versions.js';

export type * from './types.js';
export { maxSummaryChars } from './summary.js';

/** Trials per simulated election case when the caller does not say. */
const defaultChangeTrials = 20;

const defaultPointers: ChangePointers = { current: '/current', target: '/target', options: '/options' };

function facts(p: Proposal): ClusterFacts {
  return {
    topology: p.topology,
    etcdVersion: p.etcd.version,
    etcdVoters: p.etcdMembers.filter((m) => !m.learner).map((m) => m.name),
    etcdLearners: p.etcdMembers.filter((m) => m.learner).map((m) => m.name),
    controlPlaneNodes: p.controlPlaneNodes.map((n) => n.name),
  };
}

function hops(current: Proposal, target: Proposal, path: readonly string[]): VersionHop[] {
  return path.slice(1).map((to, i) => ({
    from: path[i] as VersionHop['from'],
    to: to as VersionHop['to'],
    // The pre-vote flag changes once, at the first hop; every member's flags spell it out.
    preVote: { from: i === 0 ? current.etcd.preVote : target.etcd.preVote, to: target.etcd.preVote },
    maxLearners: target.etcd.maxLearners,
  }));
}

/** Who is where, before any step: the matched members, the starting state and what changes. */
interface Prepared {
  paths: ConfigPaths;
  currentInfo: Map<string, MemberInfo>;
  targetInfo: Map<string, MemberInfo>;
  failed: Set<string>;
  initial: ClusterState;
  diff: MemberDiff;
}

function prepare(input: ChangeInput): Prepared {
  const { current, target, options } = input;
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
  const learnerIn = {
    current: (n: string) => current.etcdMembers.find((m) => m.name === n)?.learner === true,
    target: (n: string) => target.etcdMembers.find((m) => m.name === n)?.learner === true,
  };
  const diff = diffMembers(currentInfo, targetInfo, learnerIn, new Set([...(options.replaceMembers ?? []), ...failed]));
  // Learners that stay learners but fill the limit would block every join: they leave first and come back last.
  const limit = learnerLimit(target.etcd.version, target.etcd.maxLearners);
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
  return { paths, currentInfo, targetInfo, failed, initial, diff };
}

function electionContext(input: ChangeInput, prepared: Prepared, trials: number): ElectionContext {
  const { current, target, options } = input;
  const zoneOf = new Map<string, string>(
    [...prepared.currentInfo, ...prepared.targetInfo].map(([n, i]) => [n, i.zone]),
  );
  const seed = options.seed ?? hashString(JSON.stringify([current, target, options]));
  return { base: current, zoneOf, seed, trials, cache: new Map(), ...(input.budget ? { budget: input.budget } : {}) };
}

function buildSteps(
  input: ChangeInput,
  prepared: Prepared,
  path: readonly string[],
  restore: boolean,
  context: ElectionContext,
) {
  const { current, target } = input;
  const { currentInfo, targetInfo, initial, paths, diff, failed } = prepared;
  const b = new PlanBuilder(initial, paths, context);
  if (restore) {
    const infoOf = (learner: boolean) =>
      target.etcdMembers.filter((m) => m.learner === learner).map((m) => targetInfo.get(m.name)!);
    restoreSteps(b, {
      version: target.etcd.version,
      voters: infoOf(false),
      learners: infoOf(true),
      quorumLost: !membershipOf(initial).writable,
      currentStacked: current.topology === 'stacked',
      apiserverEdits: apiserverEdits({ current, target }, b),
      newTopology: current.topology === target.topology ? null : target.topology,
    });
  } else {
    rollingSteps(b, { current, target, currentInfo, targetInfo, diff, failed, hops: hops(current, target, path) });
  }
  return b.steps;
}

function assemble(
  input: ChangeInput,
  prepared: Prepared,
  steps: ChangeStep[],
  path: ChangePlan['versionPath'],
  restore: boolean,
  context: ElectionContext,
): ChangePlan {
  const trials = context.trials;
  const { current, target } = input;
  const start = membershipOf(prepared.initial);
  const outage = steps.filter((s) => !s.membership.writable);
  const lowest = Math.min(start.tolerableFailures, ...steps.map((s) => s.membership.tolerableFailures));
  // What a plan costs for sure: transfers and certain elections (a removal's "if it still leads" is a contingency).
  const simulated = steps.filter(
    (s) => s.risk.simulated !== null && (s.risk.leaderElection === 'transfer' || s.risk.leaderElection === 'certain'),
  );
  const sum = (pick: (s: ChangeStep) => number) => Math.round(simulated.reduce((total, s) => total + pick(s), 0));
  const findings = changeFindings({
    current,
    target,
    diff: prepared.diff,
    steps,
    versionPath: path,
    restore,
    restoreBecauseQuorumLost: !start.writable,
    failed: [...prepared.failed],
    pointers: input.pointers ?? defaultPointers,
    preVote:
      path.includes('3.4') && path.includes('3.5') && start.writable
        ? compareLeaderCrashPreVote(context, prepared.initial)
        : null,
  });
  const partial: Omit<ChangePlan, 'summary'> = {
    kinds: kindsOf(current, target, prepared.diff, path, restore),
    from: facts(current),
    to: facts(target),
    versionPath: path,
    plannedDowntime: restore || outage.length > 0,
    steps,
    lowestTolerableFailures: lowest,
    lowestToleranceSteps: steps.filter((s) => s.membership.tolerableFailures === lowest).map((s) => s.index),
    peakVoters: Math.max(start.voterCount, ...steps.map((s) => s.membershipAfter.voterCount)),
    expectedWriteUnavailability: {
      electionsP50Ms: sum((s) => s.risk.simulated!.p50Ms ?? 0),
      electionsP90Ms: sum((s) => s.risk.simulated!.p90Ms ?? 0),
      trialsPerCase: trials,
      stepsWithElections: simulated.length,
      plannedOutageS: outage.reduce((total, s) => total + s.risk.expectedDurationS, 0),
    },
    paths: prepared.paths,
    findings: sortFindings(findings),
  };
  return { ...partial, summary: changeSummary(partial) };
}

export function planChanges(input: ChangeInput): ChangeResult {
  const { current, target, options } = input;
  const pointers = input.pointers ?? defaultPointers;
  const refusals = requestRefusals(input, pointers);
  const versions = checkVersionPath(current.etcd.version, target.etcd.version, options.etcdVersionPath, {
    path: `${pointers.options}/etcdVersionPath`,
    targetVersion: `${pointers.target}/etcd/version`,
  });
  if (!versions.ok) refusals.push(versions.refusal);
  if (refusals.length > 0 || !versions.ok) return { ok: false, refusals };

  const prepared = prepare(input);
  const start = membershipOf(prepared.initial);
  const restore = options.restoreFromSnapshot === true || !start.writable;
  const downtimeAcceptable = options.downtimeAcceptable === true;
  if (restore && !downtimeAcceptable)
    return { ok: false, refusals: [restoreRefusal(!start.writable, start, [...prepared.failed], pointers)] };

  const context = electionContext(input, prepared, options.trials ?? defaultChangeTrials);
  const steps = buildSteps(input, prepared, versions.path, restore, context);
  const outage = steps.find((s) => !s.membership.writable);
  if (!restore && outage && !downtimeAcceptable)
    return { ok: false, refusals: [outageRefusal(outage, target, pointers)] };
  return { ok: true, plan: assemble(input, prepared, steps, versions.path, restore, context) };
}
