/**
 * @module calibration/raft-log
 * Reads etcd 3.4's raft log lines (zap JSON, `--logger=zap`) into events. etcd stamps each line with "ts" at
 * millisecond resolution when raft logs it, which is when the step happened — far finer than polling.
 *
 * Message texts are those of etcd 3.4's vendored raft (raft/raft.go, raft/node.go); raft ids are hex.
 */

type RaftEventKind =
  | 'election-timeout' // "is starting a new election at term T": the election timer fired (or MsgHup)
  | 'pre-candidate'
  | 'candidate'
  | 'leader'
  | 'follower'
  | 'vote-cast' // granted a MsgVote / MsgPreVote (peer = candidate)
  | 'vote-rejected' // rejected a MsgVote / MsgPreVote (log not up to date or already voted)
  | 'vote-ignored' // ignored a (pre-)vote because a leader lease is still running
  | 'vote-resp' // candidate received a grant (peer = voter; self-votes included)
  | 'vote-resp-rejection'
  | 'elected-leader' // raft.node: X elected leader L at term T (peer = L): X now knows the leader
  | 'lost-leader'
  | 'transfer-start' // leader starts a leadership transfer (peer = transferee)
  | 'timeout-now'; // transferee received MsgTimeoutNow and campaigns at once

export interface RaftEvent {
  tsMs: number;
  member: string;
  kind: RaftEventKind;
  term: number;
  /** Hex raft id of the other party, when the line names one. */
  peer?: string;
  /** Pre-vote rather than vote, for the vote-* kinds. */
  pre?: boolean;
  msg: string;
}

const patterns: Array<[RegExp, (m: RegExpExecArray) => Omit<RaftEvent, 'tsMs' | 'member' | 'msg'>]> = [
  [/is starting a new election at term (\d+)/, (m) => ({ kind: 'election-timeout', term: +m[1]! })],
  [/became pre-candidate at term (\d+)/, (m) => ({ kind: 'pre-candidate', term: +m[1]! })],
  [/became candidate at term (\d+)/, (m) => ({ kind: 'candidate', term: +m[1]! })],
  [/became leader at term (\d+)/, (m) => ({ kind: 'leader', term: +m[1]! })],
  [/became follower at term (\d+)/, (m) => ({ kind: 'follower', term: +m[1]! })],
  [
    /cast (MsgPreVote|MsgVote) for ([0-9a-f]+) .* at term (\d+)/,
    (m) => ({ kind: 'vote-cast', pre: m[1] === 'MsgPreVote', peer: m[2], term: +m[3]! }),
  ],
  [
    /rejected (MsgPreVote|MsgVote) from ([0-9a-f]+) .* at term (\d+)/,
    (m) => ({ kind: 'vote-rejected', pre: m[1] === 'MsgPreVote', peer: m[2], term: +m[3]! }),
  ],
  [
    /ignored (MsgPreVote|MsgVote) from ([0-9a-f]+) .* at term (\d+): lease is not expired/,
    (m) => ({ kind: 'vote-ignored', pre: m[1] === 'MsgPreVote', peer: m[2], term: +m[3]! }),
  ],
  [
    /received (MsgPreVoteResp|MsgVoteResp) rejection from ([0-9a-f]+) at term (\d+)/,
    (m) => ({ kind: 'vote-resp-rejection', pre: m[1] === 'MsgPreVoteResp', peer: m[2], term: +m[3]! }),
  ],
  [
    /received (MsgPreVoteResp|MsgVoteResp) from ([0-9a-f]+) at term (\d+)/,
    (m) => ({ kind: 'vote-resp', pre: m[1] === 'MsgPreVoteResp', peer: m[2], term: +m[3]! }),
  ],
  [
    /raft\.node: [0-9a-f]+ elected leader ([0-9a-f]+) at term (\d+)/,
    (m) => ({ kind: 'elected-leader', peer: m[1], term: +m[2]! }),
  ],
  // A member that never lost the old leader (it ignored the votes under the lease) logs a change instead.
  [
    /raft\.node: [0-9a-f]+ changed leader from [0-9a-f]+ to ([0-9a-f]+) at term (\d+)/,
    (m) => ({ kind: 'elected-leader', peer: m[1], term: +m[2]! }),
  ],
  [
    /raft\.node: [0-9a-f]+ lost leader ([0-9a-f]+) at term (\d+)/,
    (m) => ({ kind: 'lost-leader', peer: m[1], term: +m[2]! }),
  ],
  [
    /\[term (\d+)\] starts to transfer leadership to ([0-9a-f]+)/,
    (m) => ({ kind: 'transfer-start', term: +m[1]!, peer: m[2] }),
  ],
  [
    /\[term (\d+)\] received MsgTimeoutNow from ([0-9a-f]+) and starts an election/,
    (m) => ({ kind: 'timeout-now', term: +m[1]!, peer: m[2] }),
  ],
];

/** One zap JSON line → a raft event, or undefined for anything else. */
export function parseRaftLine(line: string, member: string): RaftEvent | undefined {
  if (!line.startsWith('{') || !line.includes('"caller":"raft/')) return undefined;
  let parsed: { ts?: string; msg?: string };
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  const msg = parsed.msg ?? '';
  const tsMs = Date.parse(parsed.ts ?? '');
  if (!Number.isFinite(tsMs)) return undefined;
  for (const [re, build] of patterns) {
    const m = re.exec(msg);
    if (m) return { tsMs, member, msg, ...build(m) };
  }
  return undefined;
}
