/**
 * The election rules one step at a time, in the style of etcd-io/raft raft_paper_test.go: a member in a known
 * state, one message (or tick) in, then its term, state and outbox checked. Expected values come from the
 * Raft paper (§5.1–5.4, §9.6 pre-vote) and raft.go's Step, not from the engine's output.
 */
import { describe, expect, it } from 'vitest';
import { RaftFixture, type SentMessage, type StateName } from './support/raft-fixture.js';

const m1 = 0;
const m2 = 1;
const m3 = 2;

const brief = (out: SentMessage[]) =>
  out.map((m) => `${m.from}->${m.to} ${m.type} t${m.term}${m.reject ? ' reject' : ''}`);

describe('term rules (§5.1; raft.go Step)', () => {
  const states: StateName[] = ['follower', 'pre-candidate', 'candidate', 'leader'];
  for (const state of states) {
    it(`a ${state} that sees a higher-term MsgApp becomes a follower of that term with the sender as leader`, () => {
      const f = new RaftFixture();
      f.become(m1, state, { term: 2 });
      f.step(m1, { type: 'MsgApp', from: m2, term: 5, logTerm: 1, index: 1 });
      expect(f.term(m1)).toBe(5);
      expect(f.state(m1)).toBe('follower');
      expect(f.nodes.lead[m1]).toBe(m2);
      expect(f.nodes.vote[m1]).toBe(-1);
    });

    it(`a ${state} that sees a higher-term vote rejection becomes a follower of that term with no leader`, () => {
      const f = new RaftFixture();
      f.become(m1, state, { term: 2 });
      const out = f.step(m1, { type: 'MsgVoteResp', from: m2, term: 4, reject: true });
      expect([f.term(m1), f.state(m1), f.nodes.lead[m1]]).toEqual([4, 'follower', -1]);
      expect(out).toEqual([]);
    });
  }

  it('a stale MsgVote is dropped without an answer and changes nothing', () => {
    const f = new RaftFixture();
    f.become(m1, 'follower', { term: 3, lead: m2, vote: m2 });
    const out = f.step(m1, { type: 'MsgVote', from: m3, term: 2, logTerm: 9, index: 9 });
    expect(out).toEqual([]);
    expect([f.term(m1), f.state(m1), f.nodes.vote[m1]]).toEqual([3, 'follower', m2]);
  });

  it('a stale heartbeat is answered with our term, so the stale leader learns it is deposed', () => {
    const f = new RaftFixture();
    f.become(m1, 'follower', { term: 3, lead: m2 });
    const out = f.step(m1, { type: 'MsgHeartbeat', from: m3, term: 2 });
    expect(brief(out)).toEqual(['0->2 MsgAppResp t3']);
    expect(f.nodes.lead[m1]).toBe(m2);
  });

  it('a stale MsgPreVote is rejected with our term', () => {
    const f = new RaftFixture({ preVote: true });
    f.become(m1, 'follower', { term: 3 });
    expect(brief(f.step(m1, { type: 'MsgPreVote', from: m3, term: 3, logTerm: 1, index: 1 }))).toEqual([
      '0->2 MsgPreVoteResp t3',
    ]);
    // term 3 = ours is not stale; term 2 is:
    expect(brief(f.step(m1, { type: 'MsgPreVote', from: m3, term: 2, logTerm: 1, index: 1 }))).toEqual([
      '0->2 MsgPreVoteResp t3 reject',
    ]);
  });

  it('a leader that sees a higher term steps down (and a persisted new term goes out only after the sync)', () => {
    const f = new RaftFixture();
    f.become(m1, 'leader', { term: 2 });
    const out = f.step(m1, { type: 'MsgHeartbeat', from: m2, term: 3 });
    expect([f.state(m1), f.term(m1), f.nodes.lead[m1]]).toEqual(['follower', 3, m2]);
    expect(out).toEqual([expect.objectContaining({ type: 'MsgHeartbeatResp', to: m2, term: 3, persistFirst: true })]);
  });
});

describe('vote rule (§5.2, §5.4.1; raft.go Step MsgVote)', () => {
  // TestVoter: the candidate's log is at least as up to date as ours (last term, then last index). Ours: (2, 5).
  const cases: { logTerm: number; index: number; grant: boolean }[] = [
    { logTerm: 2, index: 5, grant: true },
    { logTerm: 2, index: 6, grant: true },
    { logTerm: 2, index: 4, grant: false },
    { logTerm: 3, index: 1, grant: true },
    { logTerm: 1, index: 9, grant: false },
  ];
  for (const c of cases) {
    it(`log (${c.logTerm}, ${c.index}) against ours (2, 5): ${c.grant ? 'granted' : 'rejected'}`, () => {
      const f = new RaftFixture();
      f.become(m1, 'follower', { term: 2, logTerm: 2, logIndex: 5 });
      const out = f.step(m1, { type: 'MsgVote', from: m2, term: 3, logTerm: c.logTerm, index: c.index });
      // The higher term is adopted either way; a grant carries the asked term, a rejection ours (also 3).
      expect(f.term(m1)).toBe(3);
      expect(out).toEqual([expect.objectContaining({ to: m2, type: 'MsgVoteResp', term: 3, reject: !c.grant })]);
      expect(f.nodes.vote[m1]).toBe(c.grant ? m2 : -1);
    });
  }

  it('a member votes once per term: a second candidate of the same term is rejected, a repeat is granted', () => {
    const f = new RaftFixture();
    f.become(m1, 'follower', { term: 2 });
    expect(f.step(m1, { type: 'MsgVote', from: m2, term: 3, logTerm: 1, index: 1 })[0]!.reject).toBe(false);
    expect(f.step(m1, { type: 'MsgVote', from: m3, term: 3, logTerm: 1, index: 1 })[0]!.reject).toBe(true);
    expect(f.step(m1, { type: 'MsgVote', from: m2, term: 3, logTerm: 1, index: 1 })[0]!.reject).toBe(false);
    expect(f.votes).toEqual([
      { term: 3, voter: m1, candidate: m2 },
      { term: 3, voter: m1, candidate: m2 },
    ]);
  });

  it('a vote grant is persisted first (needs sync) and restarts the election timer', () => {
    const f = new RaftFixture();
    f.become(m1, 'follower', { term: 3, elapsed: 7 });
    const out = f.step(m1, { type: 'MsgVote', from: m2, term: 3, logTerm: 1, index: 1 });
    expect(out[0]!.persistFirst).toBe(true);
    expect(f.nodes.electionElapsed[m1]).toBe(0);
  });

  it('a follower that knows a leader in this term rejects a vote of the same term', () => {
    const f = new RaftFixture();
    f.become(m1, 'follower', { term: 3, lead: m2, vote: -1 });
    expect(f.step(m1, { type: 'MsgVote', from: m3, term: 3, logTerm: 1, index: 1 })[0]!.reject).toBe(true);
  });

  it('learners never vote', () => {
    const f = new RaftFixture({ members: 3, learners: 1 });
    const learner = 3;
    f.become(learner, 'follower', { term: 1, elapsed: 10 });
    f.tick(learner, 30);
    expect(f.state(learner)).toBe('follower');
    expect(f.nodes.term[learner]).toBe(1);
  });
});

describe('pre-vote (§9.6; raft.go campaignPreElection)', () => {
  it('an election timeout makes a pre-candidate that asks for term + 1 without moving to it', () => {
    const f = new RaftFixture({ preVote: true });
    f.become(m1, 'follower', { term: 2, logTerm: 2, logIndex: 7 });
    const out = f.tick(m1, f.nodes.randomizedTicks[m1]!);
    expect([f.state(m1), f.term(m1)]).toEqual(['pre-candidate', 2]);
    expect(out.map((m) => [m.to, m.type, m.term, m.logTerm, m.index, m.persistFirst])).toEqual([
      [m2, 'MsgPreVote', 3, 2, 7, false],
      [m3, 'MsgPreVote', 3, 2, 7, false],
    ]);
  });

  it('a pre-vote is granted with the future term, even by a member that voted this term, and changes no term', () => {
    const f = new RaftFixture({ preVote: true });
    f.become(m2, 'follower', { term: 2, vote: m3, elapsed: 10 });
    const out = f.step(m2, { type: 'MsgPreVote', from: m1, term: 3, logTerm: 1, index: 1 });
    expect(brief(out)).toEqual(['1->0 MsgPreVoteResp t3']);
    expect([f.term(m2), f.nodes.vote[m2]]).toEqual([2, m3]);
  });

  it('a pre-vote quorum makes a real candidate of term + 1 that asks for votes after persisting', () => {
    const f = new RaftFixture({ preVote: true });
    f.become(m1, 'pre-candidate', { term: 2, vote: -1 });
    const out = f.step(m1, { type: 'MsgPreVoteResp', from: m2, term: 3 });
    expect([f.state(m1), f.term(m1), f.nodes.vote[m1]]).toEqual(['candidate', 3, m1]);
    expect(out.map((m) => [m.to, m.type, m.term, m.persistFirst])).toEqual([
      [m2, 'MsgVote', 3, true],
      [m3, 'MsgVote', 3, true],
    ]);
  });

  it('a pre-vote rejection carrying a higher term makes the pre-candidate a follower of that term', () => {
    const f = new RaftFixture({ preVote: true });
    f.become(m1, 'pre-candidate', { term: 2, vote: -1 });
    f.step(m1, { type: 'MsgPreVoteResp', from: m2, term: 5, reject: true });
    expect([f.state(m1), f.term(m1)]).toEqual(['follower', 5]);
  });
});

describe('leader lease (§6 / thesis 4.2.3; raft.go inLease)', () => {
  it('a follower that heard from its leader within the election timeout ignores a higher-term vote request', () => {
    const f = new RaftFixture();
    f.become(m1, 'follower', { term: 2, lead: m2, elapsed: 9 });
    const out = f.step(m1, { type: 'MsgVote', from: m3, term: 3, logTerm: 9, index: 9 });
    expect(out).toEqual([]);
    expect([f.term(m1), f.nodes.lead[m1]]).toEqual([2, m2]);
  });

  it('once electionElapsed reaches ET the lease is over and the vote is granted', () => {
    const f = new RaftFixture();
    f.become(m1, 'follower', { term: 2, lead: m2, elapsed: 10 });
    const out = f.step(m1, { type: 'MsgVote', from: m3, term: 3, logTerm: 9, index: 9 });
    expect(brief(out)).toEqual(['0->2 MsgVoteResp t3']);
  });

  it('a leadership-transfer vote request ignores the lease', () => {
    const f = new RaftFixture();
    f.become(m1, 'follower', { term: 2, lead: m2, elapsed: 0 });
    const out = f.step(m1, { type: 'MsgVote', from: m3, term: 3, logTerm: 9, index: 9, transfer: true });
    expect(brief(out)).toEqual(['0->2 MsgVoteResp t3']);
  });
});

describe('check-quorum (raft.go MsgCheckQuorum)', () => {
  it('a leader that heard from no follower for ET ticks steps down', () => {
    const f = new RaftFixture();
    f.become(m1, 'leader', { term: 2 });
    f.tick(m1, 9);
    expect(f.state(m1)).toBe('leader');
    f.tick(m1, 1);
    expect([f.state(m1), f.term(m1), f.nodes.lead[m1]]).toEqual(['follower', 2, -1]);
  });

  it('one active follower of two keeps a 3-member leader (2 of 3 is a quorum)', () => {
    const f = new RaftFixture();
    f.become(m1, 'leader', { term: 2 });
    f.tick(m1, 5);
    f.step(m1, { type: 'MsgHeartbeatResp', from: m2, term: 2 });
    f.tick(m1, 5);
    expect(f.state(m1)).toBe('leader');
    // …but activity is reset at each check: another silent ET ticks and it steps down.
    f.tick(m1, 10);
    expect(f.state(m1)).toBe('follower');
  });
});

describe('election (§5.2)', () => {
  it('a follower campaigns after exactly its randomized timeout in ticks: candidate, term + 1, votes for itself', () => {
    const f = new RaftFixture();
    f.become(m1, 'follower', { term: 2, logTerm: 2, logIndex: 4 });
    const r = f.nodes.randomizedTicks[m1]!;
    expect(r).toBeGreaterThanOrEqual(10);
    expect(r).toBeLessThanOrEqual(19);
    expect(f.tick(m1, r - 1)).toEqual([]);
    const out = f.tick(m1, 1);
    expect([f.state(m1), f.term(m1), f.nodes.vote[m1]]).toEqual(['candidate', 3, m1]);
    expect(out.map((m) => [m.to, m.type, m.term, m.logTerm, m.index])).toEqual([
      [m2, 'MsgVote', 3, 2, 4],
      [m3, 'MsgVote', 3, 2, 4],
    ]);
  });

  it('a candidate with a majority becomes leader, appends an empty entry of its term and sends it to all', () => {
    const f = new RaftFixture({ members: 5 });
    f.become(m1, 'candidate', { term: 3, logTerm: 2, logIndex: 4 });
    expect(f.step(m1, { type: 'MsgVoteResp', from: m2, term: 3 })).toEqual([]);
    const out = f.step(m1, { type: 'MsgVoteResp', from: m3, term: 3 });
    expect(f.state(m1)).toBe('leader');
    expect(out.map((m) => [m.to, m.type, m.term, m.logTerm, m.index, m.persistFirst])).toEqual([
      [1, 'MsgApp', 3, 3, 5, false],
      [2, 'MsgApp', 3, 3, 5, false],
      [3, 'MsgApp', 3, 3, 5, false],
      [4, 'MsgApp', 3, 3, 5, false],
    ]);
  });

  it('a candidate rejected by a majority falls back to follower in the same term', () => {
    const f = new RaftFixture();
    f.become(m1, 'candidate', { term: 3 });
    f.step(m1, { type: 'MsgVoteResp', from: m2, term: 3, reject: true });
    expect(f.state(m1)).toBe('candidate');
    f.step(m1, { type: 'MsgVoteResp', from: m3, term: 3, reject: true });
    expect([f.state(m1), f.term(m1)]).toEqual(['follower', 3]);
  });

  it('a candidate that hears a leader of its own term becomes its follower (§5.2)', () => {
    const f = new RaftFixture();
    f.become(m1, 'candidate', { term: 3 });
    f.step(m1, { type: 'MsgHeartbeat', from: m2, term: 3 });
    expect([f.state(m1), f.term(m1), f.nodes.lead[m1]]).toEqual(['follower', 3, m2]);
  });
});

describe('heartbeats and tick advance (raft.go tickHeartbeat, tickElection)', () => {
  it('a leader sends MsgHeartbeat to every other member on every tick', () => {
    const f = new RaftFixture({ members: 3, learners: 1 });
    f.become(m1, 'leader', { term: 2 });
    expect(brief(f.tick(m1))).toEqual(['0->1 MsgHeartbeat t2', '0->2 MsgHeartbeat t2', '0->3 MsgHeartbeat t2']);
  });

  it('a heartbeat resets the follower election elapsed ticks, so a follower that hears one never campaigns', () => {
    const f = new RaftFixture();
    f.become(m2, 'follower', { term: 2, lead: m1 });
    for (let k = 0; k < 100; k++) {
      f.tick(m2);
      f.step(m2, { type: 'MsgHeartbeat', from: m1, term: 2 });
    }
    expect(f.state(m2)).toBe('follower');
  });
});

describe('leadership transfer (raft.go MsgTransferLeader, MsgTimeoutNow)', () => {
  it('a caught-up target gets MsgTimeoutNow at once', () => {
    const f = new RaftFixture();
    f.become(m1, 'leader', { term: 2, logIndex: 5 });
    f.nodes.match[m1 * 3 + m2] = 5;
    f.nodes.transferLeadership(m1, m2);
    expect(brief(f.drain())).toEqual(['0->1 MsgTimeoutNow t2']);
  });

  it('a target behind is caught up first; its MsgAppResp at the leader’s last index triggers MsgTimeoutNow', () => {
    const f = new RaftFixture();
    f.become(m1, 'leader', { term: 2, logTerm: 2, logIndex: 5 });
    f.nodes.match[m1 * 3 + m2] = 3;
    f.nodes.transferLeadership(m1, m2);
    expect(brief(f.drain())).toEqual(['0->1 MsgApp t2']);
    expect(brief(f.step(m1, { type: 'MsgAppResp', from: m2, term: 2, index: 5 }))).toEqual(['0->1 MsgTimeoutNow t2']);
  });

  it('MsgTimeoutNow makes the target campaign at once, skipping pre-vote, with the transfer context', () => {
    const f = new RaftFixture({ preVote: true });
    f.become(m2, 'follower', { term: 2, lead: m1 });
    const out = f.step(m2, { type: 'MsgTimeoutNow', from: m1, term: 2 });
    expect([f.state(m2), f.term(m2)]).toEqual(['candidate', 3]);
    expect(out.map((m) => [m.to, m.type, m.term, m.transfer])).toEqual([
      [m1, 'MsgVote', 3, true],
      [m3, 'MsgVote', 3, true],
    ]);
  });

  it('a transfer not done within ET ticks is aborted (the leader keeps leading)', () => {
    const f = new RaftFixture();
    f.become(m1, 'leader', { term: 2, logIndex: 5 });
    f.nodes.transferLeadership(m1, m2);
    f.drain();
    expect(f.nodes.transferee[m1]).toBe(m2);
    for (let k = 0; k < 10; k++) {
      f.tick(m1);
      // followers keep answering, so check-quorum does not depose the leader meanwhile
      f.step(m1, { type: 'MsgHeartbeatResp', from: m3, term: 2 });
    }
    expect(f.nodes.transferee[m1]).toBe(-1);
    expect(f.state(m1)).toBe('leader');
    expect(f.events.some((e) => e.kind === 'transfer-aborted')).toBe(true);
  });
});
