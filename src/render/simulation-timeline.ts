/**
 * @module render/simulation-timeline
 * The failover timeline of a simulation answer with one trial: for kind etcd-election the member lanes and
 * etcd writes; for kind control-plane the five capabilities, plus the member lanes when the etcd engine's
 * timeline of the same trial is passed in (the JSON answer does not carry it).
 */
import type { FailoverTimeline } from './failover-timeline.js';
import {
  capabilitySegments,
  drawnWindow,
  gaps,
  memberSegments,
  type Interval,
  type MemberEvent,
} from './timeline-lanes.js';

export interface EtcdTrialView {
  faults: { type: string; timeUs: number; members: string[]; detail: string }[];
  timeline?: (MemberEvent & { detail?: string })[];
  service?: { horizonUs: number; clusterWritable: Interval[] };
  metrics: { endUs: number };
}

export interface MemberView {
  name: string;
  learner: boolean;
}

/** Entries only a leader produces: the member they come from first led at the start of a steady trial. */
const leaderOnly = new Set(['heartbeats-stop', 'stepped-down', 'transfer-started', 'timeout-now-sent']);

/**
 * A steady trial starts with a leader the timeline does not announce. It is the member whose first entry is
 * something only a leader does (or a fault on "the leader"); if the leader is never disturbed, the engine's
 * choice for a steady start: the first voter.
 */
export function initialLeader(members: readonly MemberView[], events: readonly (MemberEvent & { detail?: string })[]) {
  const seen = new Set<string>();
  for (const e of events) {
    if (seen.has(e.member)) continue;
    seen.add(e.member);
    const faultOnLeader = (e.kind === 'crashed' || e.kind === 'stopped') && /leader/.test(e.detail ?? '');
    if (leaderOnly.has(e.kind) || faultOnLeader) return e.member;
  }
  const quiet = members.find(
    (m) => !m.learner && !events.some((e) => e.member === m.name && e.kind === 'became-leader'),
  );
  return quiet?.name ?? members.find((m) => !m.learner)?.name;
}

/** Member lanes over a window, for a trial that started steady (or bootstrapping: everyone a follower). */
function memberLanes(
  members: readonly MemberView[],
  events: readonly (MemberEvent & { detail?: string })[],
  window: Interval,
  steady: boolean,
): FailoverTimeline['members'] {
  const leader = steady ? initialLeader(members, events) : undefined;
  const seeded = leader ? [{ timeUs: -Infinity, member: leader, kind: 'became-leader' }, ...events] : events;
  return members.map((m) => ({
    label: `${m.name}${m.learner ? ' (learner)' : ''}`,
    segments: memberSegments(m.name, seeded, window.startUs, window.endUs),
  }));
}

const stateKinds = new Set([
  'became-pre-candidate',
  'became-candidate',
  'became-leader',
  'became-follower',
  'stepped-down',
  'crashed',
  'stopped',
  'restarted',
]);

/** kind etcd-election, one trial: member lanes and "etcd writes". */
export function electionTimeline(answer: {
  cluster: { members: MemberView[] };
  scenario: { start: string };
  trial: EtcdTrialView;
  summary: string;
}): FailoverTimeline {
  const { trial } = answer;
  const events = trial.timeline ?? [];
  const horizonUs = trial.service?.horizonUs ?? trial.metrics.endUs;
  const firstFaultUs = trial.faults.length > 0 ? Math.min(...trial.faults.map((f) => f.timeUs)) : 0;
  const writable = trial.service?.clusterWritable ?? [];
  const changes = [
    ...events.filter((e) => stateKinds.has(e.kind)).map((e) => e.timeUs),
    ...writable.flatMap((i) => [i.startUs, i.endUs]),
  ];
  const window = drawnWindow(firstFaultUs, changes, horizonUs);
  const down = gaps(writable, window.startUs, window.endUs);
  return {
    title: `etcd failover: ${answer.cluster.members.length} members, one trial`,
    description: answer.summary,
    faultUs: firstFaultUs,
    ...window,
    faults: trial.faults.map((f) => ({
      timeUs: f.timeUs,
      label: `${f.type} of ${f.detail}${f.members.length > 0 && f.members.length < 4 ? ` (${f.members.join(', ')})` : ''}`,
    })),
    members: memberLanes(answer.cluster.members, events, window, answer.scenario.start !== 'bootstrap'),
    capabilities: trial.service
      ? [{ label: 'etcd writes', segments: capabilitySegments(down, [], window.startUs, window.endUs) }]
      : [],
  };
}

export interface ControlPlaneTrialView {
  faultTimesUs: number[];
  timeline: { timeUs: number; layer: string; text: string }[];
  capabilities: Record<string, { down: Interval[]; degraded: Interval[] }>;
  fullRecoveryUs: number | null;
  summary: string;
}

export const capabilityLaneLabels: Record<string, string> = {
  etcdWrites: 'etcd writes',
  apiReads: 'API reads via the LB',
  apiWrites: 'API writes via the LB',
  controllerManagerLeader: 'controller-manager leader',
  schedulerLeader: 'scheduler leader',
};

/** kind control-plane, one trial; `etcd` is the engine's trial behind it, for the member lanes. */
export function controlPlaneTimeline(
  answer: { topology: string; scenario: { horizonMs: number }; trial: ControlPlaneTrialView },
  etcd?: { members: MemberView[]; events: (MemberEvent & { detail?: string })[] },
): FailoverTimeline {
  const { trial } = answer;
  const firstFaultUs = trial.faultTimesUs.length > 0 ? Math.min(...trial.faultTimesUs) : 0;
  // The layers run to the horizon after the last fault event (restarts and heals included).
  const faultEvents = trial.timeline.filter((e) => e.layer === 'fault').map((e) => e.timeUs);
  const horizonUs = Math.max(firstFaultUs, ...faultEvents) + answer.scenario.horizonMs * 1000;
  const windows = Object.values(trial.capabilities).flatMap((w) => [...w.down, ...w.degraded]);
  const changes = [
    ...trial.timeline.map((e) => e.timeUs),
    ...windows.flatMap((i) => [i.startUs, i.endUs]),
    ...(trial.fullRecoveryUs !== null ? [firstFaultUs + trial.fullRecoveryUs] : []),
  ];
  const window = drawnWindow(firstFaultUs, changes, horizonUs);
  return {
    title: `Control-plane failover (${answer.topology}), one trial`,
    description: trial.summary,
    faultUs: firstFaultUs,
    ...window,
    faults: trial.timeline
      .filter((e) => e.layer === 'fault')
      .map((e) => ({ timeUs: e.timeUs, label: e.text.replace(/^fault \d+: /, '') })),
    members: etcd ? memberLanes(etcd.members, etcd.events, window, true) : [],
    capabilities: Object.entries(capabilityLaneLabels).flatMap(([key, label]) => {
      const w = trial.capabilities[key];
      return w ? [{ label, segments: capabilitySegments(w.down, w.degraded, window.startUs, window.endUs) }] : [];
    }),
  };
}
