/**
 * The invariant checker must catch planted violations: the Raft rules are wired to RaftInvariants as the
 * harness wires them, and a test plants a bug a real implementation could have (a vote that was not
 * persisted, a forged vote count, a learner that campaigns) — the checker must throw, naming seed and trial.
 */
import { describe, expect, it } from 'vitest';
import { RaftInvariants } from '../src/domain/simulation/raft-invariants.js';
import { InvariantViolation } from '../src/domain/simulation/trial-types.js';
import { RaftFixture } from './support/raft-fixture.js';

function checked(f: RaftFixture): RaftInvariants {
  const nodes = f.nodes;
  const invariants = new RaftInvariants(f.names, nodes.learner, nodes.voterIds, nodes.quorum);
  invariants.reset(42, 7);
  nodes.observer = {
    ...nodes.observer,
    voted: (term, voter, candidate) => invariants.noteVote(term, voter, candidate),
    becameLeader: (i, term) => invariants.noteLeader(term, i),
  };
  return invariants;
}

describe('invariant checker catches planted violations', () => {
  it('a vote lost before it was persisted lets a member vote twice in one term', () => {
    const f = new RaftFixture();
    checked(f);
    f.become(0, 'follower', { term: 2, elapsed: 10 });
    f.step(0, { type: 'MsgVote', from: 1, term: 3, logTerm: 1, index: 1 });
    // Planted bug: the vote was never written to disk and the member forgot it.
    f.nodes.vote[0] = -1;
    expect(() => f.step(0, { type: 'MsgVote', from: 2, term: 3, logTerm: 1, index: 1 })).toThrow(
      new InvariantViolation('m1 voted twice in term 3: for m2 and m3', 42, 7),
    );
  });

  it('a candidate that counts a vote nobody cast becomes a leader without a majority', () => {
    const f = new RaftFixture({ members: 5 });
    checked(f);
    f.become(0, 'candidate', { term: 3 });
    f.nodes.observer.voted(3, 0, 0);
    f.nodes.observer.voted(3, 2, 0); // m3 really granted its vote (noted at the voter)
    // Planted bug: a grant from m2 counted although m2 never voted (a response matched to the wrong request).
    f.nodes.voteResp[0 * 5 + 1] = 1;
    expect(() => f.step(0, { type: 'MsgVoteResp', from: 2, term: 3 })).toThrow(
      'm1 became leader of term 3 with 2 votes, quorum is 3',
    );
  });

  it('the same election with honest votes passes the checker', () => {
    const f = new RaftFixture({ members: 5 });
    checked(f);
    f.become(0, 'candidate', { term: 3 });
    f.nodes.observer.voted(3, 0, 0);
    for (const voter of [1, 2]) {
      f.become(voter, 'follower', { term: 2, elapsed: 10 });
      f.step(voter, { type: 'MsgVote', from: 0, term: 3, logTerm: 1, index: 1 });
    }
    f.step(0, { type: 'MsgVoteResp', from: 1, term: 3 });
    f.step(0, { type: 'MsgVoteResp', from: 2, term: 3 });
    expect(f.state(0)).toBe('leader');
  });

  it('two leaders in one term', () => {
    const f = new RaftFixture();
    const invariants = checked(f);
    invariants.assumeElected(3, 0);
    expect(() => invariants.noteLeader(3, 1)).toThrow('two leaders in term 3: m1 and m2');
  });

  it('a learner that votes or leads', () => {
    const f = new RaftFixture({ members: 3, learners: 1 });
    const invariants = checked(f);
    expect(() => invariants.noteVote(2, 3, 0)).toThrow('learner m4 voted in term 2');
    expect(() => invariants.noteLeader(2, 3)).toThrow('learner m4 became leader in term 2');
  });
});
