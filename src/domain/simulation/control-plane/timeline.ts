/**
 * @module simulation/control-plane/timeline
 * One timeline across layers: faults, etcd, apiservers, the load balancer and both lease elections, in time
 * order, and its plain-text rendering (what the golden files hold and what users read).
 */
type Layer = 'fault' | 'etcd' | 'kube-apiserver' | 'load-balancer' | 'kube-controller-manager' | 'kube-scheduler';

export interface TimelineEntry {
  /** Microseconds from the fault schedule's origin. */
  timeUs: number;
  layer: Layer;
  /** The node, member or backend concerned, if one. */
  subject?: string;
  text: string;
}

const layerOrder: Record<Layer, number> = {
  fault: 0,
  etcd: 1,
  'kube-apiserver': 2,
  'load-balancer': 3,
  'kube-controller-manager': 4,
  'kube-scheduler': 5,
};

/** Stable order: time, then layer (causes before effects at the same instant), then subject, then text. */
export function sortTimeline(entries: TimelineEntry[]): TimelineEntry[] {
  return entries.sort(
    (a, b) =>
      a.timeUs - b.timeUs ||
      layerOrder[a.layer] - layerOrder[b.layer] ||
      (a.subject ?? '').localeCompare(b.subject ?? '') ||
      a.text.localeCompare(b.text),
  );
}

/** Seconds with millisecond precision, sign kept: "12.345", "-0.100". */
export function formatSeconds(timeUs: number): string {
  const sign = timeUs < 0 ? '-' : '';
  const ms = Math.round(Math.abs(timeUs) / 1000);
  return `${sign}${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}`;
}

export function renderTimeline(entries: readonly TimelineEntry[]): string {
  return entries
    .map(
      (e) =>
        `${formatSeconds(e.timeUs).padStart(9)} s  ${e.layer.padEnd(23)} ${e.subject ? `${e.subject}: ` : ''}${e.text}`,
    )
    .join('\n');
}
