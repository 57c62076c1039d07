/**
 * @module render/failover-timeline
 * One trial drawn as lanes over time: a lane per etcd member (follower, pre-candidate, candidate, leader, down)
 * and a lane per control-plane capability (up, degraded, down), the faults as marked vertical lines, every
 * outage labelled with its duration, and a time axis in seconds after the first fault.
 *
 * States are told apart by shape and words as well as colour: leaders are solid, candidates outlined,
 * pre-candidates dashed, down segments say "down", degraded ones are dashed red outlines, and a legend names them.
 */
import { linearScale } from './scale.js';
import { el, formatDurationUs, px, svgDocument, text } from './svg.js';

export type MemberState = 'follower' | 'pre-candidate' | 'candidate' | 'leader' | 'down';
export type CapabilityState = 'up' | 'degraded' | 'down';

export interface Segment<S extends string> {
  startUs: number;
  endUs: number;
  state: S;
}

export interface FailoverTimeline {
  title: string;
  /** One paragraph for screen readers: the answer's summary. */
  description: string;
  /** Time 0 of the axis: the first fault. */
  faultUs: number;
  startUs: number;
  endUs: number;
  faults: { timeUs: number; label: string }[];
  members: { label: string; segments: Segment<MemberState>[] }[];
  capabilities: { label: string; segments: Segment<CapabilityState>[] }[];
}

const width = 800;
const labelWidth = 190;
const plotLeft = labelWidth + 10;
const plotRight = width - 20;
const laneHeight = 24;
const laneGap = 6;
const headingHeight = 24;
/** Fault labels drawn above the lanes; later faults keep their marker line but not their words. */
const maxFaultLabels = 4;

const stateWords: Record<MemberState | CapabilityState, string> = {
  follower: 'follower',
  'pre-candidate': 'pre-candidate',
  candidate: 'candidate',
  leader: 'leader',
  down: 'down',
  up: 'up',
  degraded: 'degraded',
};

/** Roughly how wide a label is at 11–13 px: used only to decide whether it fits inside its segment. */
const textWidth = (s: string, size = 7) => s.length * size;

function laneRow<S extends MemberState | CapabilityState>(
  y: number,
  label: string,
  segments: Segment<S>[],
  x: (us: number) => number,
  withDurations: boolean,
): string[] {
  const out = [text(plotLeft - 8, y + laneHeight / 2 + 4, label, { class: 'qp-fg', 'text-anchor': 'end' })];
  for (const seg of segments) {
    const x0 = x(seg.startUs);
    const w = Math.max(2, x(seg.endUs) - x0);
    out.push(el('rect', { class: `qp-s-${seg.state}`, x: x0, y, width: w, height: laneHeight }));
    const words = stateWords[seg.state];
    const duration = withDurations && seg.state !== 'up' ? ` ${formatDurationUs(seg.endUs - seg.startUs)}` : '';
    const label = `${words}${duration}`;
    const solid = seg.state === 'leader' || seg.state === 'down';
    if (w >= textWidth(label) + 8) {
      out.push(text(x0 + 4, y + laneHeight / 2 + 4, label, { class: `qp-small ${solid ? 'qp-on-fill' : 'qp-fg'}` }));
    } else if (duration && x0 + w + textWidth(label) + 4 <= plotRight) {
      // A short outage still gets its duration in words, just after the band.
      out.push(text(x0 + w + 3, y + laneHeight / 2 + 4, label, { class: 'qp-small qp-fg' }));
    }
  }
  return out;
}

function legend(y: number): string[] {
  const items: [string, string][] = [
    ['leader', 'leader'],
    ['follower', 'follower / up'],
    ['pre-candidate', 'pre-candidate'],
    ['candidate', 'candidate'],
    ['down', 'down'],
    ['degraded', 'degraded (some requests fail)'],
  ];
  const out: string[] = [];
  let x = 20;
  for (const [state, words] of items) {
    out.push(el('rect', { class: `qp-s-${state}`, x, y: y - 10, width: 14, height: 12 }));
    out.push(text(x + 18, y, words, { class: 'qp-small qp-fg' }));
    x += 18 + textWidth(words, 6.5) + 16;
  }
  return out;
}

/** The failover timeline as an SVG document, 800 px wide. */
export function failoverTimelineSvg(t: FailoverTimeline): string {
  const rows = t.members.length + t.capabilities.length;
  const groups = (t.members.length > 0 ? 1 : 0) + (t.capabilities.length > 0 ? 1 : 0);
  const shownFaults = t.faults.slice(0, maxFaultLabels);
  const top = 62 + shownFaults.length * 14;
  const plotBottom = top + groups * headingHeight + rows * (laneHeight + laneGap);
  const height = plotBottom + 80;
  const x = linearScale([t.startUs - t.faultUs, t.endUs - t.faultUs], [plotLeft, plotRight], { clamp: true });
  const at = (us: number) => x(us - t.faultUs);
  const body: string[] = [text(20, 24, t.title, { class: 'qp-title qp-fg' })];
  body.push(
    text(20, 42, 'Red lines mark the faults; bands in the capability lanes are outages with their durations.', {
      class: 'qp-small qp-muted',
    }),
  );

  const ticks = x.ticks(8);
  for (const tick of ticks) {
    const tx = x(tick);
    body.push(el('line', { class: 'qp-grid', x1: tx, x2: tx, y1: top, y2: plotBottom }));
    body.push(text(tx, plotBottom + 16, `${px(tick / 1e6)}`, { class: 'qp-small qp-muted', 'text-anchor': 'middle' }));
  }
  body.push(el('line', { class: 'qp-axis', x1: plotLeft, x2: plotRight, y1: plotBottom, y2: plotBottom }));
  body.push(
    text((plotLeft + plotRight) / 2, plotBottom + 34, 'seconds after the first fault', {
      class: 'qp-small qp-muted',
      'text-anchor': 'middle',
    }),
  );

  let y = top;
  const section = (
    heading: string,
    lanes: FailoverTimeline['members'] | FailoverTimeline['capabilities'],
    d: boolean,
  ) => {
    if (lanes.length === 0) return;
    body.push(text(20, y + 16, heading, { class: 'qp-fg', 'font-weight': '600' }));
    y += headingHeight;
    for (const lane of lanes) {
      body.push(...laneRow(y, lane.label, lane.segments as Segment<MemberState | CapabilityState>[], at, d));
      y += laneHeight + laneGap;
    }
  };
  section('etcd members', t.members, false);
  section('Capabilities', t.capabilities, true);

  t.faults.forEach((fault, i) => {
    const fx = at(fault.timeUs);
    const labelY = 62 + i * 14;
    body.push(el('line', { class: 'qp-badline', x1: fx, x2: fx, y1: top - 6, y2: plotBottom, 'stroke-width': 2 }));
    if (i >= maxFaultLabels) return;
    body.push(el('path', { class: 'qp-bad', d: `M${px(fx - 5)},${labelY - 9}h10l-5,8z` }));
    const anchor = fx > (plotLeft + plotRight) / 2 ? 'end' : 'start';
    const words = i === 0 ? fault.label : `+${formatDurationUs(fault.timeUs - t.faultUs)}: ${fault.label}`;
    body.push(
      text(anchor === 'end' ? fx - 8 : fx + 8, labelY, words, { class: 'qp-small qp-fg', 'text-anchor': anchor }),
    );
  });
  body.push(...legend(plotBottom + 64));
  return svgDocument(width, height, t.title, t.description, body);
}
