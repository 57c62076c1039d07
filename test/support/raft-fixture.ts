/**
 * A Raft cluster of RaftNodes with no harness around it, for step-level tests (the shape of etcd-io/raft's
 * raft_paper_test.go): set a member's state, put one message in (or one tick), read term, state and outbox.
 * Timers run on etcd's tick model (EtcdTicks) over a fake host whose queue only records what is scheduled.
 */
import { Random } from '../../src/domain/random.js';
import { Outbox } from '../../src/domain/simulation/outbox.js';
import type { RaftEvent, RaftObserver } from '../../src/domain/simulation/raft-events.js';
import {
  CANDIDATE,
  F_REJECT,
  F_TRANSFER,
  FOLLOWER,
  LEADER,
  M_APP,
  M_APP_RESP,
  M_HEARTBEAT,
  M_HEARTBEAT_RESP,
  M_PREVOTE,
  M_PREVOTE_RESP,
  M_TIMEOUT_NOW,
  M_VOTE,
  M_VOTE_RESP,
  PRE_CANDIDATE,
} from '../../src/domain/simulation/raft-messages.js';
import { RaftNodes } from '../../src/domain/simulation/raft-node.js';
import { EtcdTicks, type TimerHost } from '../../src/domain/simulation/timing-policy.js';

const msgType = {
  MsgPreVote: M_PREVOTE,
  MsgPreVoteResp: M_PREVOTE_RESP,
  MsgVote: M_VOTE,
  MsgVoteResp: M_VOTE_RESP,
  MsgApp: M_APP,
  MsgAppResp: M_APP_RESP,
  MsgHeartbeat: M_HEARTBEAT,
  MsgHeartbeatResp: M_HEARTBEAT_RESP,
  MsgTimeoutNow: M_TIMEOUT_NOW,
} as const;
export type MsgName = keyof typeof msgType;
const typeName = new Map<number, MsgName>(Object.entries(msgType).map(([k, v]) => [v, k as MsgName]));

const stateOf = { follower: FOLLOWER, 'pre-candidate': PRE_CANDIDATE, candidate: CANDIDATE, leader: LEADER };
export type StateName = keyof typeof stateOf;
const stateName = new Map<number, StateName>(Object.entries(stateOf).map(([k, v]) => [v, k as StateName]));

export interface SentMessage {
  from: number;
  to: number;
  type: MsgName;
  term: number;
  logTerm: number;
  index: number;
  reject: boolean;
  transfer: boolean;
  /** Leaves only after the sender's disk sync. */
  persistFirst: boolean;
}

export interface FixtureOptions {
  members?: number;
  learners?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  leaderLease?: boolean;
  /** ElectionTicks; heartbeat 100 ms, election ET × 100 ms. Default 10. */
  electionTicks?: number;
  seed?: number;
}

export class RaftFixture {
  readonly nodes: RaftNodes;
  readonly outbox = new Outbox();
  readonly events: RaftEvent[] = [];
  readonly votes: { term: number; voter: number; candidate: number }[] = [];
  readonly names: string[];
  readonly electionTicks: number;

  constructor(options: FixtureOptions = {}) {
    const voters = options.members ?? 3;
    const n = voters + (options.learners ?? 0);
    this.names = Array.from({ length: n }, (_, i) => `m${i + 1}`);
    this.electionTicks = options.electionTicks ?? 10;
    const learner = Uint8Array.from(this.names, (_, i) => (i >= voters ? 1 : 0));
    const voterIds = Int32Array.from({ length: voters }, (_, i) => i);
    const preVote = options.preVote ?? false;
    const checkQuorum = options.checkQuorum ?? true;
    const observer: RaftObserver = {
      detailed: true,
      event: (e) => this.events.push(e),
      becamePreCandidate: () => {},
      becameCandidate: () => {},
      becameLeader: () => {},
      voted: (term, voter, candidate) => this.votes.push({ term, voter, candidate }),
    };
    this.nodes = new RaftNodes(
      learner,
      voterIds,
      {
        preVote,
        checkQuorum,
        leaderLease: options.leaderLease ?? true,
        answerStaleLeader: checkQuorum || preVote,
        electionTicks: this.electionTicks,
      },
      this.outbox,
      observer,
    );
    const host: TimerHost = {
      now: 0,
      rng: new Random(options.seed ?? 1),
      up: new Uint8Array(n).fill(1),
      incarnation: new Int32Array(n),
      schedule: () => {},
      activePeers: () => n - 1,
      flush: () => {},
      tickAdvance: () => {},
      heartbeatsInFlight: () => {},
    };
    const timing = new EtcdTicks(
      {
        model: 'etcd',
        heartbeatIntervalMs: 100,
        electionTimeoutMs: 100 * this.electionTicks,
        preVote,
        initialElectionTickAdvance: false,
      },
      this.nodes,
      host,
    );
    this.nodes.timing = timing;
    this.nodes.clearProgress();
    // Every member starts as a follower of term 1 with no leader and log (1, 1), as raft.newRaft does.
    for (let i = 0; i < n; i++) this.become(i, 'follower', { term: 1, lead: -1, vote: -1, logTerm: 1, logIndex: 1 });
  }

  /** Index of a member by name (m1 = 0). */
  id(name: string): number {
    const i = this.names.indexOf(name);
    if (i < 0) throw new Error(`no member ${name}`);
    return i;
  }

  /** Puts member i into a state directly (the test's precondition), with a fresh randomized timeout. */
  become(
    i: number,
    state: StateName,
    s: { term: number; lead?: number; vote?: number; logTerm?: number; logIndex?: number; elapsed?: number },
  ): void {
    const nodes = this.nodes;
    nodes.reset(i, s.term);
    nodes.state[i] = stateOf[state];
    nodes.lead[i] = s.lead ?? (state === 'leader' ? i : -1);
    nodes.vote[i] = s.vote ?? (state === 'candidate' || state === 'leader' ? i : -1);
    if (s.logTerm !== undefined) nodes.lastTerm[i] = s.logTerm;
    if (s.logIndex !== undefined) nodes.lastIndex[i] = s.logIndex;
    nodes.match[i * nodes.n + i] = nodes.lastIndex[i]!;
    nodes.electionElapsed[i] = s.elapsed ?? 0;
    if (state === 'candidate' || state === 'pre-candidate') nodes.voteResp[i * nodes.n + i] = 1;
    nodes.synced();
    this.outbox.clear();
    this.events.length = 0;
  }

  step(
    to: number,
    m: {
      type: MsgName;
      from: number;
      term: number;
      logTerm?: number;
      index?: number;
      reject?: boolean;
      transfer?: boolean;
    },
  ): SentMessage[] {
    this.nodes.step(to, {
      type: msgType[m.type],
      from: m.from,
      term: m.term,
      logTerm: m.logTerm ?? 0,
      index: m.index ?? 0,
      flags: (m.reject ? F_REJECT : 0) | (m.transfer ? F_TRANSFER : 0),
    });
    return this.drain();
  }

  tick(i: number, times = 1): SentMessage[] {
    const out: SentMessage[] = [];
    for (let k = 0; k < times; k++) {
      this.nodes.tick(i);
      out.push(...this.drain());
    }
    return out;
  }

  /** The outbox as readable messages; empties it and clears the needs-sync flags, as the harness does. */
  drain(): SentMessage[] {
    const o = this.outbox;
    const out: SentMessage[] = [];
    for (let k = 0; k < o.count; k++) {
      const slot = o.pending[k]!;
      out.push({
        from: o.from[slot]!,
        to: o.to[slot]!,
        type: typeName.get(o.type[slot]!)!,
        term: o.term[slot]!,
        logTerm: o.logTerm[slot]!,
        index: o.index[slot]!,
        reject: (o.flags[slot]! & F_REJECT) !== 0,
        transfer: (o.flags[slot]! & F_TRANSFER) !== 0,
        persistFirst: o.persistFirst[slot] === 1,
      });
    }
    o.clear();
    this.nodes.synced();
    return out;
  }

  state(i: number): StateName {
    return stateName.get(this.nodes.state[i]!)!;
  }
  term(i: number): number {
    return this.nodes.term[i]!;
  }
}
