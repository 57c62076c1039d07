/**
 * @module simulation/timeline
 * What one trial's timeline says, and its plain-text form (used by the golden files and the API's `text`).
 * The timeline renderer: the only place where the engine's structured events (raft-events.ts) become words.
 */
import { describeTarget } from './fault-targets.js';
import type { RaftEvent } from './raft-events.js';
import { LEADER, stateNames } from './raft-messages.js';

export const timelineKinds = [
  'election-timeout',
  'became-pre-candidate',
  'became-candidate',
  'became-leader',
  'became-follower',
  'learned-leader',
  'stepped-down',
  'pre-vote-sent',
  'vote-sent',
  'pre-vote-granted',
  'pre-vote-rejected',
  'vote-granted',
  'vote-rejected',
  'vote-ignored',
  'pre-vote-won',
  'pre-vote-lost',
  'election-lost',
  'tick-advance',
  'heartbeats-stop',
  'transfer-started',
  'timeout-now-sent',
  'transfer-aborted',
  'crashed',
  'stopped',
  'restarted',
  'partitioned',
  'healed',
  'fault-missed',
] as const;

export type TimelineKind = (typeof timelineKinds)[number];

export interface TimelineEntry {
  /** Simulated time in µs; 0 is the start of the fault schedule (negative during a steady start's warm-up). */
  timeUs: number;
  /** The member the event happened on (for a partition: the first member of the first group). */
  member: string;
  kind: TimelineKind;
  /** The member's term after the event. */
  term: number;
  /** The other member involved (vote requester, voter, transfer target…), when there is one. */
  peer?: string;
  /** Why, in words: a rejection's reason, a step-down's cause, a fault's scope. */
  detail?: string;
}

/** Milliseconds with exactly three decimals (µs resolution), so text is stable and diffable. */
function fixedMsColumn(timeUs: number): string {
  const sign = timeUs < 0 ? '-' : '';
  const abs = Math.abs(timeUs);
  return `${sign}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
}

/** One line per entry: `   1234.567 ms  m2  became-candidate  term=3  peer=m1  (detail)`. */
export function timelineToText(entries: readonly TimelineEntry[]): string {
  const nameWidth = Math.max(6, ...entries.map((e) => e.member.length));
  return entries
    .map((e) => {
      const parts = [
        `${fixedMsColumn(e.timeUs).padStart(11)} ms`,
        e.member.padEnd(nameWidth),
        e.kind.padEnd(20),
        `term=${e.term}`,
      ];
      if (e.peer !== undefined) parts.push(`peer=${e.peer}`);
      if (e.detail !== undefined) parts.push(`(${e.detail})`);
      return parts.join('  ');
    })
    .join('\n');
}

/** Words for one structured event: the other member's name and the reason, exactly as the timeline shows them. */
function eventWords(e: RaftEvent, names: readonly string[]): { peer?: string; detail?: string } {
  const peer = e.peer !== undefined ? names[e.peer] : undefined;
  const name = (i: number | undefined) => names[i ?? -1];
  switch (e.kind) {
    case 'election-timeout':
      if (e.cause === 'timeout-now') return { peer, detail: 'MsgTimeoutNow: leadership transfer' };
      if (e.timeoutUs !== undefined)
        return { detail: `${(e.timeoutUs / 1000).toFixed(3)} ms without hearing from a leader` };
      return { detail: `${e.ticks} ticks without hearing from a leader` };
    case 'stepped-down':
      if (e.cause === 'check-quorum')
        return { detail: `check-quorum: heard from ${e.active} of ${e.voters} voters, quorum is ${e.quorum}` };
      return { peer, detail: `message of higher term ${e.forTerm} from ${peer}` };
    case 'became-follower':
      return { peer, ...(e.wasState !== undefined ? { detail: `was ${stateNames[e.wasState]}` } : {}) };
    case 'became-pre-candidate':
      return { detail: `asks for term ${e.term + 1}` };
    case 'pre-vote-sent':
    case 'vote-sent':
      return {
        detail: `for term ${e.forTerm}, log (term ${e.logTerm}, index ${e.logIndex})${e.transfer ? ', leadership transfer' : ''}`,
      };
    case 'vote-ignored':
      if (e.cause === 'lease')
        return {
          peer,
          detail: `${e.preVote ? 'pre-vote' : 'vote'} for term ${e.forTerm}: lease, heard from leader ${name(e.other)} within the election timeout`,
        };
      return { peer, detail: `stale term ${e.forTerm} < ${e.term}` };
    case 'pre-vote-granted':
    case 'vote-granted':
      return { peer, detail: `for term ${e.forTerm}` };
    case 'pre-vote-rejected':
    case 'vote-rejected':
      return { peer, detail: rejectionWords(e, names) };
    case 'pre-vote-lost':
    case 'election-lost':
      return { detail: 'a majority rejected' };
    case 'became-leader':
      return { detail: `${e.votes} of ${e.voters} votes received` };
    case 'tick-advance':
      return { detail: `initial election tick advance: ${e.ticks} ticks` };
    case 'transfer-started':
      return { peer, detail: 'graceful stop: move leadership to the longest-connected voter' };
    case 'timeout-now-sent':
      return { peer, detail: 'target is caught up' };
    case 'transfer-aborted':
      return {
        peer,
        detail:
          e.cause === 'transfer-timer'
            ? 'not done within the minimum election timeout'
            : 'not done within one election timeout',
      };
    case 'crashed':
    case 'stopped':
      return { detail: e.wasState === LEADER ? 'was the leader' : `was ${stateNames[e.wasState ?? 0]}` };
    case 'fault-missed':
      return {
        detail:
          e.fault && e.fault.type !== 'partition'
            ? `${e.fault.type} of ${describeTarget(e.fault.target)}: no live member matches`
            : '',
      };
    case 'partitioned':
      return { detail: partitionWords(e) };
    case 'healed':
      return { detail: 'partition healed' };
    default:
      return { peer };
  }
}

function rejectionWords(e: RaftEvent, names: readonly string[]): string {
  if (e.cause === 'stale-term') return `stale term ${e.forTerm} < ${e.term}`;
  if (e.cause === 'already-voted') return `already voted for ${names[e.other ?? -1]} in term ${e.term}`;
  if (e.cause === 'has-leader') return `follows leader ${names[e.other ?? -1]} in term ${e.term}`;
  return `candidate's log (term ${e.logTerm}, index ${e.logIndex}) is behind ours (term ${e.ourLogTerm}, index ${e.ourLogIndex})`;
}

function partitionWords(e: RaftEvent): string {
  if (e.fault?.type !== 'partition') return '';
  const groups = e.fault.groups;
  const rest = e.groupOf?.includes(groups.length) ? ' | [the rest]' : '';
  return `${e.fault.oneWay === true ? 'one-way (first group cannot send) ' : ''}${groups.map((g) => `[${g.join(', ')}]`).join(' | ')}${rest}`;
}

/** Renders structured events into timeline entries as a trial runs (the only place events become text). */
export class TimelineRecorder {
  entries: TimelineEntry[] = [];
  truncated = false;
  private maxEntries = Number.MAX_SAFE_INTEGER;

  constructor(private readonly names: readonly string[]) {}

  reset(maxEntries: number, recording = true): void {
    // A trial that records nothing keeps the (empty) list of the last one: no allocation per trial.
    if (recording || this.entries.length > 0) this.entries = [];
    this.truncated = false;
    this.maxEntries = maxEntries;
  }

  record(timeUs: number, e: RaftEvent): void {
    if (this.entries.length >= this.maxEntries) {
      this.truncated = true;
      return;
    }
    const { peer, detail } = eventWords(e, this.names);
    const entry: TimelineEntry = {
      timeUs,
      member: e.member >= 0 ? this.names[e.member]! : '-',
      kind: e.kind,
      term: e.term,
    };
    if (peer !== undefined) entry.peer = peer;
    if (detail !== undefined) entry.detail = detail;
    this.entries.push(entry);
  }
}
