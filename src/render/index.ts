/**
 * @module render
 * Pictures of the answers, as SVG strings: pure functions of the structured answer (same answer, same bytes),
 * 800 px wide, with a <title> and a <desc> (the answer's summary), text labels and a dark palette.
 * - a plan (POST /v1/plans): the placement diagram;
 * - a simulation with one trial: the failover timeline; with more: the distribution chart.
 */
import { electionDistributionSvg, type DistributionView } from './distribution-chart.js';
import { failoverTimelineSvg } from './failover-timeline.js';
import { gapChartSvg, type GapSeries } from './gap-chart.js';
import { placementDiagramSvg, type PlanView } from './placement-diagram.js';
import {
  controlPlaneTimeline,
  electionTimeline,
  type ControlPlaneTrialView,
  type EtcdTrialView,
  type MemberView,
} from './simulation-timeline.js';
import type { MemberEvent } from './timeline-lanes.js';

export type { PlanView };

export function planChartSvg(plan: PlanView): string {
  return placementDiagramSvg(plan);
}

export interface ElectionAnswerView {
  kind: 'etcd-election';
  trials: number;
  cluster: { members: MemberView[] };
  scenario: { start: string };
  trial?: EtcdTrialView;
  distribution?: { newLeader: DistributionView; unavailable: DistributionView };
  summary: string;
}

export interface ControlPlaneAnswerView {
  kind: 'control-plane';
  trials: number;
  topology: string;
  scenario: { horizonMs: number };
  trial?: ControlPlaneTrialView;
  distribution?: Omit<GapSeries, 'label'>;
  comparison?: { stacked: Omit<GapSeries, 'label'>; external: Omit<GapSeries, 'label'>; summary: string };
  summary: string;
}

/** The etcd engine's own trial behind a control-plane answer, for the member lanes (not in the JSON). */
export interface EtcdMemberTimeline {
  members: MemberView[];
  events: (MemberEvent & { detail?: string })[];
}

/** The chart of a simulation answer: a timeline for one trial, the distributions for more. */
export function simulationChartSvg(
  answer: ElectionAnswerView | ControlPlaneAnswerView,
  etcd?: EtcdMemberTimeline,
): string {
  if (answer.kind === 'etcd-election') {
    if (answer.distribution) return electionDistributionSvg({ ...answer, distribution: answer.distribution });
    if (answer.trial) return failoverTimelineSvg(electionTimeline({ ...answer, trial: answer.trial }));
    throw new RangeError('an etcd-election answer has a trial or a distribution');
  }
  if (answer.trials === 1 && answer.trial)
    return failoverTimelineSvg(controlPlaneTimeline({ ...answer, trial: answer.trial }, etcd));
  const series: GapSeries[] = answer.comparison
    ? [
        { label: 'stacked', ...answer.comparison.stacked },
        { label: 'external', ...answer.comparison.external },
      ]
    : answer.distribution
      ? [{ label: answer.topology, ...answer.distribution }]
      : [];
  return gapChartSvg({
    title: `Control-plane failover gaps (${answer.comparison ? 'stacked vs external' : answer.topology})`,
    summary: answer.summary,
    trials: answer.trials,
    series,
  });
}
