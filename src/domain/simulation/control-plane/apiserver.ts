/**
 * @module simulation/control-plane/apiserver
 * When each kube-apiserver is up, and when it can serve requests that need etcd (writes, consistent reads,
 * /readyz/etcd): its process is up and the etcd endpoint its client is using commits writes (claims ledger: apiserver-etcd-client).
 *
 * Stacked: the local member only (`--etcd-servers=https://127.0.0.1:2379`), so the apiserver works exactly
 * when its own member does. External: the client stays on one endpoint while it works; once it has failed for
 * `etcdReconnectDelayUs` while other members commit (its member is down or cut off), the client moves to the
 * next listed endpoint that works (a simplification of gRPC's round-robin balancer with reconnect back-off).
 */
import { covers, type EtcdServiceTimeline, type IntervalUs } from '../availability.js';
import type { ControlPlaneModel } from './model.js';
import { boundaries, complement, firstCovered, intersect, normalize, union } from './intervals.js';
import {
  hostDownIntervals,
  processDownIntervals,
  reachable,
  type PartitionFault,
  type ProcessFault,
} from './faults.js';
import type { TimelineEntry } from './timeline.js';
import { type CostDriver, WorkBudget } from '../work-budget.js';

const readinessDriver: CostDriver = { what: 'apiserver readiness changes' };

export interface ApiserverState {
  node: string;
  processUp: IntervalUs[];
  hostDown: IntervalUs[];
  /** Process up and its etcd path commits: writes succeed, /readyz passes. */
  serving: IntervalUs[];
}

/** Writes through a member commit: the etcd layer's report, with the warm-up before time 0 assumed healthy. */
export function memberWritable(etcd: EtcdServiceTimeline, member: string, warmupUs: number): IntervalUs[] {
  return union([{ startUs: -warmupUs, endUs: 0 }], etcd.writableThrough[member] ?? []);
}

export function clusterWritable(etcd: EtcdServiceTimeline, warmupUs: number): IntervalUs[] {
  return union([{ startUs: -warmupUs, endUs: 0 }], etcd.clusterWritable);
}

export function computeApiservers(
  model: ControlPlaneModel,
  etcd: EtcdServiceTimeline,
  processFaults: readonly ProcessFault[],
  partitions: readonly PartitionFault[],
  horizonUs: number,
  timeline: TimelineEntry[],
  budget: WorkBudget = WorkBudget.unlimited(),
): Map<string, ApiserverState> {
  const fromUs = -model.warmupUs;
  const partitionTimes = partitions.flatMap((p) => (p.healUs === undefined ? [p.timeUs] : [p.timeUs, p.healUs]));
  const memberHost = new Map(model.members.map((m) => [m.name, m.host]));
  const writable = new Map(model.members.map((m) => [m.name, memberWritable(etcd, m.name, model.warmupUs)]));
  const out = new Map<string, ApiserverState>();
  const anyCommits = clusterWritable(etcd, model.warmupUs);
  const changes = new Map(
    model.members.map((m) => [
      m.name,
      [...new Set([...boundaries(writable.get(m.name)!), ...partitionTimes])].sort((a, b) => a - b),
    ]),
  );

  for (const node of model.nodes) {
    const processUp = complement(
      processDownIntervals(processFaults, node.name, 'kube-apiserver', horizonUs),
      fromUs,
      horizonUs,
    );
    const hostDown = hostDownIntervals(processFaults, node.name, horizonUs);
    const endpoints = model.etcdEndpoints.get(node.name) ?? [];
    const ok = (member: string, t: number): boolean =>
      covers(writable.get(member) ?? [], t) && reachable(partitions, node.name, memberHost.get(member) ?? member, t);
    const nextFlip = (member: string, t: number, wanted: boolean): number => {
      for (const c of changes.get(member)!) if (c > t && c < horizonUs && ok(member, c) === wanted) return c;
      return horizonUs;
    };

    const etcdOk: IntervalUs[] = [];
    if (endpoints.length > 0) {
      let k = 0;
      let t = fromUs;
      let failingSinceUs = fromUs;
      // Bounded: every pass advances t by at least one change or one reconnect delay.
      while (t < horizonUs) {
        budget.charge(1, readinessDriver);
        const member = endpoints[k]!;
        if (ok(member, t)) {
          const endUs = nextFlip(member, t, false);
          etcdOk.push({ startUs: t, endUs });
          t = endUs;
          failingSinceUs = endUs;
          continue;
        }
        const recoverUs = nextFlip(member, t, true);
        // While etcd as a whole cannot commit (an election, a lost quorum) the client's connection to a live
        // member stays up and moving would not help: only an endpoint failing while others commit (its member
        // down or cut off) is abandoned, once it has failed for the reconnect delay.
        let giveUpUs = Math.max(t, failingSinceUs + model.etcdReconnectDelayUs);
        if (!covers(anyCommits, giveUpUs)) giveUpUs = firstCovered(anyCommits, giveUpUs, horizonUs) ?? horizonUs;
        if (endpoints.length === 1 || recoverUs <= giveUpUs) {
          t = recoverUs;
          continue;
        }
        if (giveUpUs >= horizonUs) break;
        // gRPC's balancer prefers a connection that is up: the next endpoint in order that works, if any.
        let hop = 1;
        while (hop < endpoints.length && !ok(endpoints[(k + hop) % endpoints.length]!, giveUpUs)) hop++;
        k = (k + (hop < endpoints.length ? hop : 1)) % endpoints.length;
        t = giveUpUs;
        failingSinceUs = giveUpUs;
        if (t >= 0 && covers(processUp, t))
          timeline.push({
            timeUs: t,
            layer: 'kube-apiserver',
            subject: node.name,
            text: `etcd client moves from ${member} to ${endpoints[k]!}`,
          });
      }
    }
    const serving = intersect(processUp, normalize(etcdOk));
    out.set(node.name, { node: node.name, processUp, hostDown, serving });

    // Readiness transitions for the timeline (after the warm-up only).
    for (const piece of complement(serving, fromUs, horizonUs)) {
      if (piece.startUs < 0 && piece.endUs <= 0) continue;
      const reason = covers(processUp, piece.startUs) ? 'its etcd endpoint cannot commit' : 'process down';
      timeline.push({
        timeUs: Math.max(piece.startUs, 0),
        layer: 'kube-apiserver',
        subject: node.name,
        text: `not ready (${reason})`,
      });
      if (piece.endUs < horizonUs)
        timeline.push({ timeUs: piece.endUs, layer: 'kube-apiserver', subject: node.name, text: 'ready' });
    }
  }
  return out;
}
