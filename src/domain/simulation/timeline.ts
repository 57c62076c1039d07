/**
 * @module simulation/timeline
 * What one trial's timeline says, and its plain-text form (used by the golden files and the API's `text`).
 */

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
export function formatMs(timeUs: number): string {
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
        `${formatMs(e.timeUs).padStart(11)} ms`,
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
