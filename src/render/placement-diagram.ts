/**
 * @module render/placement-diagram
 * A plan's placement: zones as columns, each host a box naming what runs on it (etcd voter or learner,
 * apiserver, controller-manager, scheduler), and under every host and zone what losing it stops. Words carry
 * the meaning (✓/✗ and the capability's name); colour only repeats it.
 */
import { el, svgDocument, text, wrap } from './svg.js';

type Survives = { etcdQuorum: boolean; apiServer: boolean; controllerLeaders: boolean };

interface HostView {
  host: string;
  zone: string;
  runs: string[];
  survives: Survives;
}

export interface PlanView {
  topology: string;
  summary: string;
  placement: { zones: { zone: string }[] };
  /** null where sizing does not apply (a hosted control plane): the diagram says so. */
  failureDomains: {
    hosts: HostView[];
    zones: { zone: string; survives: Survives }[];
    arbitraryHostFailures?: { cluster?: { tolerated: number | null; smallestFailingSet: string[] | null } } | null;
  } | null;
}

const capabilityWords: Record<keyof Survives, string> = {
  etcdQuorum: 'etcd quorum',
  apiServer: 'API server',
  controllerLeaders: 'controller/scheduler leaders',
};

/** What a host runs, in short words: "etcd voter", "apiserver", … */
function shortRuns(runs: readonly string[]): string[] {
  return runs.map((r) => {
    const member = /^etcd member \S+ \((voter|learner)\)/.exec(r);
    if (member) return `etcd ${member[1]}`;
    return r.replace(/^kube-/, '');
  });
}

/** "nothing" or the capabilities a loss stops, in words. */
function stops(survives: Partial<Survives>): string[] {
  return (Object.keys(capabilityWords) as (keyof Survives)[])
    .filter((key) => survives[key] === false)
    .map((key) => capabilityWords[key]);
}

const lineHeight = 15;

function hostBox(x: number, y: number, w: number, host: HostView): { svg: string; height: number } {
  const runs = shortRuns(host.runs);
  const lost = stops(host.survives);
  const verdict = wrap(lost.length === 0 ? '✓ everything keeps working' : `✗ stops ${lost.join(', ')}`, w / 6.4);
  const lines = runs.length + 2 + verdict.length;
  const height = lines * lineHeight + 16;
  const parts = [
    el('rect', { class: 'qp-box', x, y, width: w, height, rx: 6 }),
    text(x + 8, y + 18, host.host, { class: 'qp-fg', 'font-weight': '600' }),
  ];
  runs.forEach((r, i) => {
    const ry = y + 18 + (i + 1) * lineHeight;
    const voter = r === 'etcd voter';
    if (r.startsWith('etcd '))
      parts.push(
        el('rect', { class: voter ? 'qp-s-leader' : 'qp-s-candidate', x: x + 8, y: ry - 9, width: 9, height: 9 }),
      );
    parts.push(text(x + (r.startsWith('etcd ') ? 22 : 8), ry, r, { class: 'qp-small qp-fg' }));
  });
  const ly = y + 18 + (runs.length + 1.3) * lineHeight;
  parts.push(text(x + 8, ly, 'If lost:', { class: 'qp-small qp-muted' }));
  const tone = `qp-small ${lost.length === 0 ? 'qp-fg' : 'qp-bad'}`;
  parts.push(...verdict.map((line, i) => text(x + 8, ly + (i + 1) * lineHeight, line, { class: tone })));
  return { svg: el('g', {}, ...parts), height };
}

/** The placement diagram of a plan answer (POST /v1/plans). */
/** Zones per row: more would shrink the text below readable once the picture is shown 800 px wide. */
const zonesPerRow = 4;

/** One zone's column: its name, what losing it stops, and its hosts; returns where the column ends. */
function zoneColumn(plan: PlanView, zone: string, x: number, top: number, w: number, body: string[]): number {
  const lost = stops(plan.failureDomains?.zones.find((z) => z.zone === zone)?.survives ?? {});
  body.push(text(x, top, zone, { class: 'qp-fg', 'font-weight': '600' }));
  const verdict = wrap(
    lost.length === 0 ? '✓ survives losing this zone' : `✗ losing it stops ${lost.join(', ')}`,
    w / 6.4,
  );
  const tone = `qp-small ${lost.length === 0 ? 'qp-fg' : 'qp-bad'}`;
  body.push(...verdict.map((line, k) => text(x, top + 16 + k * 14, line, { class: tone })));
  let y = top + 16 + verdict.length * 14;
  for (const host of (plan.failureDomains?.hosts ?? []).filter((h) => h.zone === zone)) {
    const box = hostBox(x, y, w, host);
    body.push(box.svg);
    y += box.height + 10;
  }
  return y;
}

/** The placement diagram of a plan answer (POST /v1/plans): zones as columns, in rows of at most four. */
export function placementDiagramSvg(plan: PlanView): string {
  const zones = plan.placement.zones.map((z) => z.zone);
  const perRow = Math.max(1, Math.min(zones.length, zonesPerRow));
  const columnWidth = Math.floor(760 / perRow);
  const width = 800;
  const body: string[] = [];
  let top = 70;
  for (let start = 0; start < zones.length; start += perRow) {
    let bottom = top;
    zones.slice(start, start + perRow).forEach((zone, i) => {
      bottom = Math.max(bottom, zoneColumn(plan, zone, 20 + i * columnWidth, top, columnWidth - 12, body));
    });
    top = bottom + 24;
  }
  const footer = footerLines(plan).flatMap((line) => wrap(line, (width - 40) / 6.4));
  body.push(...footer.map((line, i) => text(20, top - 8 + i * 16, line, { class: 'qp-small qp-fg' })));
  const title = `Placement: ${plan.topology} control plane over ${zones.length} zone${zones.length === 1 ? '' : 's'}`;
  body.unshift(
    text(20, 24, title, { class: 'qp-title qp-fg' }),
    text(20, 44, 'Filled square: etcd voter; outlined: learner. Under each host and zone: what losing it stops.', {
      class: 'qp-small qp-muted',
    }),
  );
  return svgDocument(width, top + footer.length * 16, title, plan.summary, body);
}

function footerLines(plan: PlanView): string[] {
  const lines: string[] = [];
  if (!plan.failureDomains) return ['Failure domains do not apply: the platform runs the control plane and its etcd.'];
  const zoneLosses = plan.failureDomains.zones
    .map((z) => ({ zone: z.zone, lost: stops(z.survives) }))
    .filter((z) => z.lost.length > 0);
  lines.push(
    zoneLosses.length === 0
      ? 'Any one zone can be lost.'
      : zoneLosses.map((z) => `Losing ${z.zone} stops ${z.lost.join(', ')}.`).join(' '),
  );
  const cluster = plan.failureDomains.arbitraryHostFailures?.cluster;
  if (cluster && cluster.tolerated !== null) {
    const set = cluster.smallestFailingSet;
    lines.push(
      `Any ${cluster.tolerated} host failure${cluster.tolerated === 1 ? '' : 's'} tolerated${set ? `; the smallest set that stops something: ${set.join(', ')}` : ''}.`,
    );
  }
  return lines;
}
