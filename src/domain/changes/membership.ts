/**
 * @module changes/membership
 * The cluster as the plan walks through it: which members are registered, which vote, which are down, and
 * the quorum arithmetic of that moment (quorum.ts). Every step records the membership at its riskiest moment
 * and after it, so a reader (and the property test) can check that no step drops below the stated tolerance.
 */
import type { MemberEndpoints } from '../config/etcd-members.js';
import { quorumSize, tolerableFailures } from '../quorum.js';
import type { Membership } from './types.js';

export interface StateMember {
  name: string;
  learner: boolean;
  down: boolean;
  endpoints: MemberEndpoints;
}

/** The registered members at one moment, in registration order. */
export type ClusterState = StateMember[];

export function membershipOf(state: ClusterState, alsoDown: readonly string[] = [], writable = true): Membership {
  const voters = state.filter((m) => !m.learner).map((m) => m.name);
  const learners = state.filter((m) => m.learner).map((m) => m.name);
  const down = state.filter((m) => !m.learner && (m.down || alsoDown.includes(m.name))).map((m) => m.name);
  const quorum = quorumSize(voters.length);
  const up = voters.length - down.length;
  const canWrite = writable && voters.length > 0 && up >= quorum;
  return {
    etcdVoters: voters,
    etcdLearners: learners,
    down,
    voterCount: voters.length,
    quorum,
    tolerableFailures: canWrite ? Math.min(tolerableFailures(voters.length), up - quorum) : 0,
    writable: canWrite,
  };
}

/** The riskier of two moments: lower tolerance, then fewer voters. */
export function riskier(a: Membership, b: Membership): Membership {
  if (a.writable !== b.writable) return a.writable ? b : a;
  if (a.tolerableFailures !== b.tolerableFailures) return a.tolerableFailures < b.tolerableFailures ? a : b;
  return a.voterCount <= b.voterCount ? a : b;
}

/** Client URLs of the voters that are up: what etcdctl should talk to. */
export function liveVoterUrls(state: ClusterState): string[] {
  return state.filter((m) => !m.learner && !m.down).map((m) => m.endpoints.clientUrl);
}

export function withMember(state: ClusterState, member: StateMember): ClusterState {
  return [...state, member];
}

export function withoutMember(state: ClusterState, name: string): ClusterState {
  return state.filter((m) => m.name !== name);
}

export function promoted(state: ClusterState, name: string): ClusterState {
  return state.map((m) => (m.name === name ? { ...m, learner: false } : m));
}
