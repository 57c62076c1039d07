/**
 * @module changes/builder
 * Builds the ordered steps of a plan while tracking the cluster through them. Each method is one kind of
 * step: it records the membership before, during and after, the commands, the checks that gate the next
 * step, the risk window and the rollback. The order of calls is decided by rolling.ts, upgrade.ts and
 * restore.ts; this module only knows how to write one step correctly.
 */
import type { Flag } from '../config/command-line.js';
import type { MemberEndpoints } from '../config/etcd-members.js';
import type { ConfigPaths } from '../config/paths.js';
import * as cmd from './commands.js';
import { type ElectionContext, type ElectionMode, estimateElection } from './elections.js';
import { type ClusterState, liveVoterUrls, membershipOf, riskier } from './membership.js';
import { changeSources } from './sources.js';
import type { ChangeStep, ElectionEstimate, Membership, StepCheck, StepRisk } from './types.js';

/** What the plan knows about one member, from the side (current or target) it comes from. */
export interface MemberInfo {
  name: string;
  zone: string;
  /** The host it runs on; for a stacked member, its control-plane node. */
  host: string;
  stacked: boolean;
  endpoints: MemberEndpoints;
  /** Its complete etcd flag set as POST /v1/config generates it. */
  etcdFlags: Flag[];
}

/** Rough wall times per step kind, in seconds: operator estimates for planning a window, not measurements. */
export const stepDurationS = {
  snapshot: 60,
  addLearner: 120,
  promote: 10,
  moveLeader: 5,
  remove: 30,
  apiserver: 60,
  kubeadmJoin: 300,
  kubeadmReset: 120,
  upgradeMember: 120,
  restoreOutage: 900,
} as const;

export type StepDraft = Omit<ChangeStep, 'index' | 'membership' | 'membershipAfter' | 'risk'> & {
  risk: Omit<StepRisk, 'simulated'> & { simulated?: ElectionEstimate | null };
  /** Voters stopped during the step on purpose (besides failed ones). */
  stopped?: string[];
  writable?: boolean;
};

export class PlanBuilder {
  readonly steps: ChangeStep[] = [];
  state: ClusterState;

  constructor(
    initial: ClusterState,
    readonly paths: ConfigPaths,
    readonly elections: ElectionContext,
  ) {
    this.state = initial;
  }

  endpoints(): string[] {
    return liveVoterUrls(this.state);
  }

  /** Appends a step that moves the cluster from the current state to `after`. */
  push(draft: StepDraft, after: ClusterState = this.state): ChangeStep {
    const { stopped, writable, ...rest } = draft;
    const before = membershipOf(this.state, stopped ?? [], writable ?? true);
    const afterMembership: Membership = membershipOf(after);
    const during = draft.membershipChange?.kind === 'remove' ? riskier(before, afterMembership) : before;
    const step: ChangeStep = {
      ...rest,
      index: this.steps.length + 1,
      membership: during,
      membershipAfter: afterMembership,
      risk: { ...draft.risk, simulated: draft.risk.simulated ?? null },
    };
    this.steps.push(step);
    this.state = after;
    return step;
  }

  simulate(leader: string, mode: ElectionMode, state: ClusterState = this.state): ElectionEstimate | null {
    return estimateElection(this.elections, state, leader, mode);
  }

  healthCheck(endpoints = this.endpoints()): StepCheck {
    return {
      description: 'Every listed member answers and the cluster commits a proposal.',
      command: cmd.endpointHealth(this.paths, endpoints),
      expect: 'Each endpoint "is healthy: successfully committed proposal".',
    };
  }

  statusCheck(description: string, expect: string, endpoints = this.endpoints()): StepCheck {
    return { description, command: cmd.endpointStatus(this.paths, endpoints), expect };
  }

  /** A voter to hand leadership to: up, voting, not `except`, preferably one the target keeps. */
  transferee(except: string, keep: ReadonlySet<string>): string | undefined {
    const candidates = this.state.filter((m) => !m.learner && !m.down && m.name !== except);
    return (candidates.find((m) => keep.has(m.name)) ?? candidates[0])?.name;
  }

  /**
   * A move-leader step, run only when `member` leads at that moment: the check finds out; if it does not
   * lead, the step is skipped. Returns the transferee, or undefined when there is none (a lone voter).
   */
  moveLeaderOff(member: string, keep: ReadonlySet<string>, why: string): string | undefined {
    // A member that is down or a learner does not lead: nothing to move.
    const self = this.state.find((m) => m.name === member);
    if (!self || self.down || self.learner) return undefined;
    const to = this.transferee(member, keep);
    if (to === undefined) return undefined;
    const endpoints = this.endpoints();
    this.push({
      action: 'move-leader',
      title: `Move leadership off ${member} if it leads`,
      member,
      commands: [
        {
          runOn: 'any',
          purpose: `Transfer leadership to ${to} (etcdctl finds the leader among the endpoints).`,
          command: cmd.moveLeader(this.paths, endpoints, to),
          onlyIf: { kind: 'member-leads', member },
        },
      ],
      manifestEdits: [],
      checks: [
        this.statusCheck(
          `Find the leader first: skip this step unless ${member}'s row shows IS LEADER = true.`,
          `${member} is not the leader (after the transfer, ${to} is).`,
          endpoints,
        ),
      ],
      membershipChange: null,
      risk: {
        expectedDurationS: stepDurationS.moveLeader,
        leaderElection: 'transfer',
        simulated: this.simulate(member, 'transfer'),
        note:
          `${why} A transfer pauses proposals only until ${to} takes over (no election timeout to wait out); ` +
          'if it does not finish within one election timeout etcd aborts it and the old leader carries on.',
      },
      rollback: {
        description: 'Nothing to undo: leadership may move back at any time with move-leader.',
        commands: [],
      },
      source: [changeSources.moveLeader, changeSources.downgrade36],
    });
    return to;
  }
}
