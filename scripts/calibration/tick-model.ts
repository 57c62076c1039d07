/**
 * @module calibration/tick-model
 * An independent, deliberately small model of etcd 3.4's election after the leader goes away, written from
 * the claims ledger (raft-election-timing) and etcd-io/raft's raft.go (tickElection, Step's lease check, campaign, poll) — not from the
 * simulator in src/domain/simulation. It is the "by hand" prediction the calibration script prints beside the
 * measurements, and a second opinion on the engine.
 *
 * What it models: each survivor's tick phase (uniform, independent), its randomized timeout in [ET, 2·ET−1]
 * ticks (redrawn on every reset, not on heartbeats), elapsed ticks zeroed by the leader's last heartbeat, the
 * crash uniformly within the leader's heartbeat interval, pre-vote, the leader lease (a follower that heard a
 * leader within ET ticks ignores (pre-)votes of higher terms), one vote per term, equal logs (an idle cluster),
 * and two delays: one-way network delay and a persistence delay (WAL fsync) that a non-leader pays before
 * sending anything that follows a HardState change (MsgVote, MsgVoteResp).
 * What it does not: message loss, different log positions, learners, CheckQuorum on the leader.
 */
import { Random } from '../../src/domain/random.js';

export interface TickModelOptions {
  members: number;
  heartbeatMs: number;
  electionMs: number;
  preVote: boolean;
  /** One-way message delay, ms (loopback ≈ 0). */
  oneWayMs: number;
  /** Delay before a non-leader sends a message that follows a HardState change (term or vote), ms. */
  persistMs: number;
  /** 'crash': the leader vanishes; 'transfer': it sends MsgTimeoutNow to a caught-up follower first. */
  fault: 'crash' | 'transfer';
}

export interface TickModelTrial {
  /** From the fault to the first survivor's election timer firing (crash) or MsgTimeoutNow campaign. */
  firstCampaignMs: number;
  /** From the fault to a survivor becoming leader. */
  electedMs: number;
  /** From the fault to every survivor knowing the new leader. */
  allKnowMs: number;
  /** Terms used: new leader's term − old term. */
  terms: number;
  /** Event order, e.g. ["pre-candidate","candidate","leader"], for the winner. */
  winnerSequence: string[];
}

type State = 'follower' | 'pre-candidate' | 'candidate' | 'leader';
interface Node {
  state: State;
  term: number;
  vote: number; // -1 = none
  lead: number; // -1 = none
  elapsed: number;
  timeout: number;
  grants: Set<number>;
  rejections: Set<number>;
  sequence: string[];
}
type Msg = {
  type: 'Vote' | 'PreVote' | 'VoteResp' | 'PreVoteResp' | 'App';
  from: number;
  to: number;
  term: number;
  reject?: boolean;
  transfer?: boolean;
};
type EvBody = { kind: 'tick'; node: number } | { kind: 'msg'; msg: Msg };
type Ev = { at: number; seq: number } & EvBody;

/** One trial; time 0 is the fault. */
function runTickModelTrial(o: TickModelOptions, rng: Random): TickModelTrial {
  const T = o.heartbeatMs;
  const ET = Math.floor(o.electionMs / o.heartbeatMs);
  const quorum = Math.floor(o.members / 2) + 1;
  const ids = Array.from({ length: o.members - 1 }, (_, i) => i); // survivors; the old leader is gone
  const drawTimeout = () => ET + Math.floor(rng.nextFloat() * ET);
  const queue: Ev[] = [];
  let seq = 0;
  const push = (e: { at: number } & EvBody) => {
    queue.push({ ...e, seq: seq++ });
  };
  const oldTerm = 1;
  const nodes: Node[] = ids.map(() => ({
    state: 'follower',
    term: oldTerm,
    vote: -1,
    lead: 99,
    elapsed: 0,
    timeout: drawTimeout(),
    grants: new Set(),
    rejections: new Set(),
    sequence: [],
  }));
  // The leader's last heartbeat left `sinceBeat` before the fault; it zeroed every survivor's elapsed ticks.
  const sinceBeat = rng.nextFloat() * T;
  const beatArrives = -sinceBeat + o.oneWayMs;
  for (const i of ids) {
    const phase = rng.nextFloat() * T; // time from the heartbeat's arrival to this member's next tick
    push({ at: beatArrives + phase, kind: 'tick', node: i });
  }
  let firstCampaign = Number.NaN;
  let elected = Number.NaN;
  let winner = -1;
  const knows = new Map<number, number>();

  const send = (at: number, msg: Msg) => push({ at: at + o.oneWayMs, kind: 'msg', msg });
  const reset = (n: Node, term: number) => {
    if (n.term !== term) {
      n.term = term;
      n.vote = -1;
    }
    n.elapsed = 0;
    n.timeout = drawTimeout();
    n.grants.clear();
    n.rejections.clear();
  };
  const becomeFollower = (n: Node, term: number, lead: number) => {
    reset(n, term);
    n.state = 'follower';
    n.lead = lead;
  };
  const campaign = (i: number, now: number, pre: boolean, transfer = false) => {
    const n = nodes[i]!;
    if (Number.isNaN(firstCampaign)) firstCampaign = now;
    if (pre) {
      // becomePreCandidate: no reset — term, vote and the drawn timeout stay.
      n.state = 'pre-candidate';
      n.lead = -1;
      n.grants = new Set([i]);
      n.rejections = new Set();
      n.sequence.push('pre-candidate');
      for (const j of ids) if (j !== i) send(now, { type: 'PreVote', from: i, to: j, term: n.term + 1 });
    } else {
      reset(n, n.term + 1);
      n.state = 'candidate';
      n.lead = -1;
      n.vote = i;
      n.grants.add(i);
      n.sequence.push('candidate');
      for (const j of ids)
        if (j !== i) send(now + o.persistMs, { type: 'Vote', from: i, to: j, term: n.term, transfer });
    }
    poll(i, now);
  };
  const poll = (i: number, now: number) => {
    const n = nodes[i]!;
    if (n.grants.size >= quorum) {
      if (n.state === 'pre-candidate') campaign(i, now, false);
      else if (n.state === 'candidate') {
        n.state = 'leader';
        n.lead = i;
        n.sequence.push('leader');
        elected = now;
        winner = i;
        knows.set(i, now);
        for (const j of ids) if (j !== i) send(now, { type: 'App', from: i, to: j, term: n.term });
      }
    } else if (n.rejections.size >= o.members - quorum + 1) {
      becomeFollower(n, n.term, -1);
    }
  };

  if (o.fault === 'transfer') {
    // The stopping leader picks a caught-up follower and sends MsgTimeoutNow at once.
    push({ at: o.oneWayMs, kind: 'msg', msg: { type: 'Vote', from: -1, to: 0, term: -1, transfer: true } });
  }

  for (let guard = 0; guard < 100_000 && queue.length; guard++) {
    queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const ev = queue.shift()!;
    const now = ev.at;
    if (winner >= 0 && knows.size === ids.length) break;
    if (ev.kind === 'tick') {
      const n = nodes[ev.node]!;
      push({ at: now + T, kind: 'tick', node: ev.node });
      if (n.state === 'leader') continue;
      n.elapsed++;
      if (n.elapsed >= n.timeout) {
        n.elapsed = 0;
        campaign(ev.node, now, o.preVote);
      }
      continue;
    }
    const m = ev.msg;
    if (m.from === -1) {
      campaign(m.to, now, false, true);
      continue;
    } // MsgTimeoutNow
    const n = nodes[m.to]!;
    if ((m.type === 'Vote' || m.type === 'PreVote') && m.term > n.term) {
      const inLease = n.lead !== -1 && n.elapsed < ET;
      if (inLease && !m.transfer) continue; // ignored: lease not expired
      if (m.type === 'Vote') becomeFollower(n, m.term, -1);
    }
    switch (m.type) {
      case 'Vote':
      case 'PreVote': {
        if (m.term < n.term) continue;
        const canVote =
          n.vote === m.from || (n.vote === -1 && n.lead === -1) || (m.type === 'PreVote' && m.term > n.term);
        const resp = m.type === 'Vote' ? 'VoteResp' : 'PreVoteResp';
        if (canVote && m.type === 'Vote') {
          n.vote = m.from;
          n.elapsed = 0;
        }
        send(now + (m.type === 'Vote' ? o.persistMs : 0), {
          type: resp,
          from: m.to,
          to: m.from,
          term: m.term,
          reject: !canVote,
        });
        break;
      }
      case 'VoteResp':
      case 'PreVoteResp': {
        const want = m.type === 'VoteResp' ? 'candidate' : 'pre-candidate';
        const expectTerm = m.type === 'VoteResp' ? n.term : n.term + 1;
        if (n.state !== want || m.term !== expectTerm) continue;
        (m.reject ? n.rejections : n.grants).add(m.from);
        poll(m.to, now);
        break;
      }
      case 'App': {
        if (m.term < n.term) continue;
        if (n.state !== 'follower' || n.term !== m.term || n.lead !== m.from) becomeFollower(n, m.term, m.from);
        n.elapsed = 0;
        if (!knows.has(m.to)) knows.set(m.to, now);
        break;
      }
    }
  }
  return {
    firstCampaignMs: firstCampaign,
    electedMs: elected,
    allKnowMs: Math.max(...knows.values()),
    terms: winner >= 0 ? nodes[winner]!.term - oldTerm : Number.NaN,
    winnerSequence: winner >= 0 ? nodes[winner]!.sequence : [],
  };
}

export function runTickModel(o: TickModelOptions, trials: number, seed: number): TickModelTrial[] {
  return Array.from({ length: trials }, (_, i) => runTickModelTrial(o, Random.derive(seed, `tick-model-${i}`)));
}
