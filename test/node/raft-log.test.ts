/**
 * The raft log reader on lines copied from a real etcd 3.4.23 run (zap JSON), including the two forms a
 * member uses to say it knows a new leader.
 */
import { describe, expect, it } from 'vitest';
import { parseRaftLine } from '../../scripts/calibration/raft-log.js';

const line = (msg: string, ts = '2026-11-25T18:14:02.345Z', caller = 'raft/raft.go:929') =>
  JSON.stringify({ level: 'info', ts, caller, msg });

describe('parseRaftLine', () => {
  it('reads the election timer, the state changes and the term', () => {
    const e = parseRaftLine(line('f5503d8a8a5cc587 is starting a new election at term 2'), 'm2');
    expect(e).toMatchObject({
      member: 'm2',
      kind: 'election-timeout',
      term: 2,
      tsMs: Date.UTC(2026, 10, 25, 18, 14, 2, 345),
    });
    expect(parseRaftLine(line('429899c0bb41dfd6 became pre-candidate at term 30'), 'm1')).toMatchObject({
      kind: 'pre-candidate',
      term: 30,
    });
    expect(parseRaftLine(line('f5503d8a8a5cc587 became candidate at term 3'), 'm2')).toMatchObject({
      kind: 'candidate',
      term: 3,
    });
    expect(parseRaftLine(line('f5503d8a8a5cc587 became leader at term 3'), 'm2')).toMatchObject({
      kind: 'leader',
      term: 3,
    });
  });

  it('tells votes from pre-votes, grants from rejections and lease ignores', () => {
    expect(
      parseRaftLine(
        line(
          '9cda4ea7eb40401f [logterm: 2, index: 8, vote: 0] cast MsgVote for f5503d8a8a5cc587 [logterm: 2, index: 8] at term 3',
        ),
        'm1',
      ),
    ).toMatchObject({ kind: 'vote-cast', pre: false, peer: 'f5503d8a8a5cc587', term: 3 });
    expect(
      parseRaftLine(
        line(
          '9df5c3fe75ed167f [logterm: 30, index: 66, vote: 0] cast MsgPreVote for 6cc1a6c5219f39b0 [logterm: 30, index: 66] at term 30',
        ),
        'm4',
      ),
    ).toMatchObject({ kind: 'vote-cast', pre: true, peer: '6cc1a6c5219f39b0' });
    expect(
      parseRaftLine(
        line(
          '2d97594f9e2eb034 [logterm: 4, index: 16, vote: 6cc1a6c5219f39b0] ignored MsgVote from 9df5c3fe75ed167f [logterm: 4, index: 16] at term 4: lease is not expired (remaining ticks: 1)',
        ),
        'm0',
      ),
    ).toMatchObject({ kind: 'vote-ignored', pre: false, peer: '9df5c3fe75ed167f', term: 4 });
    expect(
      parseRaftLine(
        line(
          '9cda4ea7eb40401f [logterm: 1, index: 3, vote: 8377ce6521d8d204] rejected MsgVote from f5503d8a8a5cc587 [logterm: 1, index: 3] at term 2',
        ),
        'm1',
      ),
    ).toMatchObject({ kind: 'vote-rejected', peer: 'f5503d8a8a5cc587', term: 2 });
    expect(
      parseRaftLine(line('f5503d8a8a5cc587 received MsgVoteResp rejection from 8377ce6521d8d204 at term 2'), 'm2'),
    ).toMatchObject({ kind: 'vote-resp-rejection', peer: '8377ce6521d8d204' });
    expect(
      parseRaftLine(line('f5503d8a8a5cc587 received MsgPreVoteResp from 9cda4ea7eb40401f at term 3'), 'm2'),
    ).toMatchObject({ kind: 'vote-resp', pre: true });
  });

  it('knows the leader from "elected leader" and from "changed leader" (a member that never lost it)', () => {
    expect(
      parseRaftLine(
        line('raft.node: 9cda4ea7eb40401f elected leader f5503d8a8a5cc587 at term 3', undefined, 'raft/node.go:327'),
        'm1',
      ),
    ).toMatchObject({ kind: 'elected-leader', peer: 'f5503d8a8a5cc587', term: 3 });
    expect(
      parseRaftLine(
        line(
          'raft.node: 2d97594f9e2eb034 changed leader from 6cc1a6c5219f39b0 to 9df5c3fe75ed167f at term 5',
          undefined,
          'raft/node.go:329',
        ),
        'm0',
      ),
    ).toMatchObject({ kind: 'elected-leader', peer: '9df5c3fe75ed167f', term: 5 });
  });

  it('reads a leadership transfer', () => {
    expect(
      parseRaftLine(line('66ebf0479543415a [term 2] starts to transfer leadership to 2d97594f9e2eb034'), 'm2'),
    ).toMatchObject({ kind: 'transfer-start', term: 2, peer: '2d97594f9e2eb034' });
    expect(
      parseRaftLine(
        line(
          '2d97594f9e2eb034 [term 2] received MsgTimeoutNow from 66ebf0479543415a and starts an election to get leadership.',
        ),
        'm0',
      ),
    ).toMatchObject({ kind: 'timeout-now', term: 2, peer: '66ebf0479543415a' });
  });

  it('ignores non-raft lines and text that is not JSON', () => {
    expect(
      parseRaftLine(
        JSON.stringify({
          level: 'info',
          ts: '2026-11-25T18:14:02.345Z',
          caller: 'rafthttp/peer.go:128',
          msg: 'starting remote peer',
        }),
        'm0',
      ),
    ).toBeUndefined();
    expect(parseRaftLine('not json', 'm0')).toBeUndefined();
  });
});
