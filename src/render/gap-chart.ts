/**
 * @module render/gap-chart
 * Control-plane distributions (kind control-plane with trials > 1): the answer gives per capability the
 * p50/p90/p99/max gap and how many trials never recovered, so each capability is a row with a bar from 0 to
 * p50, a whisker on to p99, marks at p90 and max, and the numbers in words; stacked and external stack as
 * two rows per capability when the topologies are compared.
 */
import { linearScale } from './scale.js';
import { el, formatDurationUs, px, svgDocument, text } from './svg.js';
import { capabilityLaneLabels } from './simulation-timeline.js';

interface GapView {
  p50Us: number | null;
  p90Us: number | null;
  p99Us: number | null;
  maxUs: number | null;
  unrecovered: number;
}

export interface GapSeries {
  label: string;
  gaps: Record<string, GapView>;
  fullRecovery: GapView;
}

const width = 800;
const labelWidth = 280;
const right = width - 30;
const rowHeight = 36;

function gapRow(y: number, label: string, g: GapView, x: (us: number) => number, trials: number): string[] {
  const out = [text(labelWidth - 8, y + 15, label, { class: 'qp-fg', 'text-anchor': 'end' })];
  const never = g.unrecovered > 0 ? `, ${g.unrecovered} of ${trials} never recovered` : '';
  if (g.p99Us === 0 && g.maxUs === 0 && never === '') {
    return [...out, text(labelWidth + 4, y + 15, 'no gap in any trial', { class: 'qp-small qp-muted' })];
  }
  const p50 = g.p50Us ?? null;
  if (p50 !== null)
    out.push(el('rect', { class: 'qp-s-leader', x: x(0), y: y + 4, width: Math.max(2, x(p50) - x(0)), height: 14 }));
  const whiskerEnd = g.p99Us ?? g.maxUs;
  if (p50 !== null && whiskerEnd !== null)
    out.push(el('line', { class: 'qp-ink', x1: x(p50), x2: x(whiskerEnd), y1: y + 11, y2: y + 11, 'stroke-width': 2 }));
  for (const v of [g.p90Us, g.p99Us]) {
    if (v !== null)
      out.push(el('line', { class: 'qp-ink', x1: x(v), x2: x(v), y1: y + 5, y2: y + 17, 'stroke-width': 2 }));
  }
  if (g.maxUs !== null) out.push(el('circle', { class: 'qp-fg', cx: x(g.maxUs), cy: y + 11, r: 3 }));
  const words = (v: number | null) => (v === null ? '∞' : formatDurationUs(v));
  const caption = `p50 ${words(g.p50Us)} · p90 ${words(g.p90Us)} · p99 ${words(g.p99Us)}${never}`;
  out.push(text(labelWidth, y + 31, caption, { class: 'qp-small qp-fg' }));
  return out;
}

/** One or two series (stacked, external) over the same capabilities and a shared time scale. */
export function gapChartSvg(input: { title: string; summary: string; trials: number; series: GapSeries[] }): string {
  const rows: [string, GapView][] = [];
  for (const [key, label] of Object.entries(capabilityLaneLabels)) {
    for (const s of input.series) {
      const g = s.gaps[key];
      if (g) rows.push([input.series.length > 1 ? `${label} (${s.label})` : label, g]);
    }
  }
  for (const s of input.series)
    rows.push([`full recovery${input.series.length > 1 ? ` (${s.label})` : ''}`, s.fullRecovery]);
  const values = rows.flatMap(([, g]) => [g.p50Us, g.p90Us, g.p99Us, g.maxUs]).filter((v): v is number => v !== null);
  const x = linearScale([0, Math.max(1_000_000, ...values)], [labelWidth, right - 10], { nice: 8 });
  const top = 60;
  const bottom = top + rows.length * rowHeight;
  const body = [
    text(20, 24, input.title, { class: 'qp-title qp-fg' }),
    text(
      20,
      44,
      `Gap after the first fault over ${input.trials} seeded trials: bar to p50, whisker to p99, ticks at p90 and p99, dot at max.`,
      {
        class: 'qp-small qp-muted',
      },
    ),
  ];
  for (const tick of x.ticks(8)) {
    body.push(el('line', { class: 'qp-grid', x1: x(tick), x2: x(tick), y1: top, y2: bottom }));
    body.push(
      text(x(tick), bottom + 16, `${px(tick / 1e5) / 10}`, { class: 'qp-small qp-muted', 'text-anchor': 'middle' }),
    );
  }
  body.push(
    text((labelWidth + right) / 2, bottom + 34, 'seconds after the first fault', {
      class: 'qp-small qp-muted',
      'text-anchor': 'middle',
    }),
  );
  body.push(...rows.flatMap(([label, g], i) => gapRow(top + i * rowHeight, label, g, x, input.trials)));
  return svgDocument(width, bottom + 50, input.title, input.summary, body);
}
