/**
 * @module render/distribution-chart
 * Distributions over seeded trials. For kind etcd-election: per measure a histogram (bars, trial counts on the
 * left axis) with its CDF over all trials (a step line, right axis), p50/p90/p99 marked and named, and the
 * trial count. For kind control-plane, whose answer carries percentiles only: per capability a range from p50
 * to p99 with p90 and max marked, stacked and external side by side when compared.
 */
import { linearScale } from './scale.js';
import { curveStepAfter, line } from 'd3-shape';
import { el, formatDurationUs, px, svgDocument, text } from './svg.js';

export interface DistributionView {
  count: number;
  censored: number;
  p50Us: number | null;
  p90Us: number | null;
  p99Us: number | null;
  histogram: { binWidthUs: number; counts: number[] };
  cdf: { atUs: number; fraction: number }[];
}

const width = 800;
const left = 70;
const right = width - 70;
const panelHeight = 200;

const usAsSeconds = (us: number) => `${px(us / 1e5) / 10}`;

function markers(d: DistributionView, x: (us: number) => number, top: number, bottom: number): string[] {
  const out: string[] = [];
  const marks: [string, number | null][] = [
    ['p50', d.p50Us],
    ['p90', d.p90Us],
    ['p99', d.p99Us],
  ];
  marks.forEach(([name, value], i) => {
    if (value === null) return;
    const mx = x(value);
    out.push(el('line', { class: 'qp-badline', x1: mx, x2: mx, y1: top, y2: bottom, 'stroke-dasharray': '4 3' }));
    out.push(text(mx + 4, top + 12 + i * 14, `${name} ${formatDurationUs(value)}`, { class: 'qp-small qp-fg' }));
  });
  return out;
}

/** One histogram + CDF panel, its top at `top`. */
function distributionPanel(title: string, d: DistributionView, top: number): string[] {
  const total = d.count + d.censored;
  const bottom = top + panelHeight - 40;
  const plotTop = top + 28;
  const maxUs = d.histogram.binWidthUs * Math.max(1, d.histogram.counts.length);
  // From the first bin with trials in it (bins are anchored at 0): the axis says where it starts.
  const firstBin = Math.max(
    0,
    d.histogram.counts.findIndex((n) => n > 0),
  );
  const x = linearScale([firstBin * d.histogram.binWidthUs, maxUs], [left, right]);
  const yCount = linearScale([0, Math.max(1, ...d.histogram.counts)], [bottom, plotTop], { nice: 4 });
  const yFraction = linearScale([0, 1], [bottom, plotTop]);
  const out: string[] = [
    text(left, top + 14, `${title} — ${total} trials${d.censored > 0 ? `, ${d.censored} without a value (∞)` : ''}`, {
      class: 'qp-fg',
      'font-weight': '600',
    }),
  ];
  for (const tick of yCount.ticks(4)) {
    const ty = yCount(tick);
    out.push(el('line', { class: 'qp-grid', x1: left, x2: right, y1: ty, y2: ty }));
    out.push(text(left - 6, ty + 4, String(tick), { class: 'qp-small qp-muted', 'text-anchor': 'end' }));
  }
  for (const tick of yFraction.ticks(4)) {
    out.push(text(right + 6, yFraction(tick) + 4, `${Math.round(tick * 100)}%`, { class: 'qp-small qp-accent' }));
  }
  d.histogram.counts.forEach((count, i) => {
    if (count === 0) return;
    const x0 = x(i * d.histogram.binWidthUs);
    const x1 = x((i + 1) * d.histogram.binWidthUs);
    out.push(
      el('rect', {
        class: 'qp-s-follower',
        x: x0 + 1,
        y: yCount(count),
        width: Math.max(1, x1 - x0 - 2),
        height: bottom - yCount(count),
      }),
    );
  });
  const points: [number, number][] = [
    [firstBin * d.histogram.binWidthUs, 0],
    ...d.cdf.slice(firstBin).map((p): [number, number] => [p.atUs, p.fraction]),
  ];
  const path = line<[number, number]>()
    .x((p) => px(x(p[0])))
    .y((p) => px(yFraction(p[1])))
    .curve(curveStepAfter)(points);
  if (path) out.push(el('path', { class: 'qp-line', d: path, fill: 'none', 'stroke-width': 2 }));
  for (const tick of x.ticks(8)) {
    out.push(text(x(tick), bottom + 16, usAsSeconds(tick), { class: 'qp-small qp-muted', 'text-anchor': 'middle' }));
  }
  out.push(el('line', { class: 'qp-axis', x1: left, x2: right, y1: bottom, y2: bottom }));
  out.push(...markers(d, x, plotTop, bottom));
  out.push(
    text(
      left,
      bottom + 32,
      'seconds; bars: trials per bin (left axis); line: share of all trials done by then (right axis)',
      {
        class: 'qp-small qp-muted',
      },
    ),
  );
  return out;
}

/** kind etcd-election with trials > 1: time to a new leader and write unavailability. */
export function electionDistributionSvg(answer: {
  trials: number;
  distribution: { newLeader: DistributionView; unavailable: DistributionView };
  summary: string;
}): string {
  const title = `etcd failover over ${answer.trials} seeded trials`;
  const body = [
    text(20, 24, title, { class: 'qp-title qp-fg' }),
    ...distributionPanel('Time to a new leader', answer.distribution.newLeader, 40),
    ...distributionPanel('Writes unavailable', answer.distribution.unavailable, 40 + panelHeight + 10),
  ];
  return svgDocument(width, 40 + 2 * panelHeight + 20, title, answer.summary, body);
}
