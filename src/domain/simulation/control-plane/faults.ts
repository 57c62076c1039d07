/**
 * @module simulation/control-plane/faults
 * Turns the shared fault vocabulary (simulation/scenario.ts) into what the control-plane layers act on:
 * concrete moments, hosts and processes. Fault moments are drawn once per trial (`withinMs`) and must be the
 * same draws the etcd layer used: callers that run both layers pass the same `faultTimesUs` to each.
 *
 * Which processes a fault hits:
 * - node, zone, lease-holder: every process on the host(s), unless `components` narrows it; a whole-host fault
 *   also means the host stops answering (a load-balancer check then times out instead of being refused).
 * - member, etcd-leader: the etcd process only (the etcd layer's business), unless `components` names others
 *   on that member's host.
 */
import type { Component, Fault, FaultTarget, Scenario } from '../scenario.js';
import type { IntervalUs } from '../availability.js';
import type { Random } from '../../random.js';
import type { ControlPlaneModel } from './model.js';
import { normalize } from './intervals.js';
import { describeTarget } from '../fault-targets.js';

const allComponents: readonly Component[] = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];

/** Draws each fault's moment: atMs, or uniformly within [atMs, atMs + withinMs). */
export function drawFaultTimesUs(scenario: Scenario, random: Random): number[] {
  return scenario.faults.map((fault) => {
    const baseUs = Math.round(fault.at.atMs * 1000);
    const spreadUs = Math.round((fault.at.withinMs ?? 0) * 1000);
    return spreadUs > 0 ? baseUs + random.nextInt(spreadUs) : baseUs;
  });
}

export interface ProcessFault {
  index: number;
  type: 'crash' | 'stop';
  timeUs: number;
  /** When the processes come back (restartAfterMs), if they do. */
  restartUs?: number;
  hosts: string[];
  components: Component[];
  /** The whole host goes silent (no components filter on a node, zone or lease-holder target). */
  wholeHost: boolean;
  /** How the target was written, for the timeline. */
  description: string;
}

export interface PartitionFault {
  index: number;
  timeUs: number;
  healUs?: number;
  /** Host → group number; hosts not named share the last group. */
  groupOf: Map<string, number>;
  description: string;
}

/** Resolves dynamic targets at the fault's moment. */
export interface TargetResolver {
  /** The etcd member leading at that moment, if any (from the etcd layer). */
  etcdLeaderAt?: (timeUs: number) => string | undefined;
  /** The node whose component holds the lease at that moment, if any (from the lease simulation). */
  leaseHolderAt?: (component: 'kube-controller-manager' | 'kube-scheduler', timeUs: number) => string | undefined;
}

function hostsOf(model: ControlPlaneModel, target: FaultTarget, timeUs: number, resolver: TargetResolver): string[] {
  switch (target.kind) {
    case 'member':
      return model.members.filter((m) => m.name === target.name).map((m) => m.host);
    case 'node':
      return model.hostZones.has(target.name) ? [target.name] : [];
    case 'zone':
      return [...model.hostZones].filter(([, zone]) => zone === target.name).map(([host]) => host);
    case 'etcd-leader': {
      const leader = resolver.etcdLeaderAt?.(timeUs);
      return model.members.filter((m) => m.name === leader).map((m) => m.host);
    }
    case 'lease-holder': {
      const holder = resolver.leaseHolderAt?.(target.component, timeUs);
      return holder === undefined ? [] : [holder];
    }
  }
}

export function resolveProcessFault(
  model: ControlPlaneModel,
  fault: Extract<Fault, { type: 'crash' | 'stop' }>,
  index: number,
  timeUs: number,
  resolver: TargetResolver,
): ProcessFault {
  const etcdOnly = fault.target.kind === 'member' || fault.target.kind === 'etcd-leader';
  const components = fault.components ?? (etcdOnly ? ['etcd' as const] : [...allComponents]);
  const hosts = hostsOf(model, fault.target, timeUs, resolver);
  const restartUs = fault.restartAfterMs === undefined ? undefined : timeUs + Math.round(fault.restartAfterMs * 1000);
  const verb = fault.type === 'crash' ? 'crash' : 'graceful stop';
  const what = fault.components ? ` (${fault.components.join(', ')})` : etcdOnly ? ' (etcd)' : '';
  const resolved =
    hosts.length > 0 && (fault.target.kind === 'etcd-leader' || fault.target.kind === 'lease-holder')
      ? ` = ${hosts.join(', ')}`
      : '';
  const restart = fault.restartAfterMs === undefined ? '' : `, restart after ${fault.restartAfterMs} ms`;
  return {
    index,
    type: fault.type,
    timeUs,
    ...(restartUs === undefined ? {} : { restartUs }),
    hosts,
    components,
    wholeHost: !etcdOnly && fault.components === undefined,
    description: `fault ${index}: ${verb} of ${describeTarget(fault.target)}${resolved}${what}${restart}`,
  };
}

export function resolvePartition(
  model: ControlPlaneModel,
  fault: Extract<Fault, { type: 'partition' }>,
  index: number,
  timeUs: number,
): PartitionFault {
  const groupOf = new Map<string, number>();
  fault.groups.forEach((group, g) => {
    for (const name of group) {
      for (const [host, zone] of model.hostZones) {
        const isMember = model.members.some((m) => m.name === name && m.host === host);
        if (host === name || zone === name || isMember) groupOf.set(host, g);
      }
    }
  });
  for (const host of model.hostZones.keys()) if (!groupOf.has(host)) groupOf.set(host, fault.groups.length);
  const healUs = fault.healAfterMs === undefined ? undefined : timeUs + Math.round(fault.healAfterMs * 1000);
  const groups = fault.groups.map((g) => `[${g.join(', ')}]`).join(' | ');
  return {
    index,
    timeUs,
    ...(healUs === undefined ? {} : { healUs }),
    groupOf,
    description: `fault ${index}: partition ${groups}${fault.oneWay ? ' (one way)' : ''}${healUs === undefined ? '' : `, heals after ${fault.healAfterMs} ms`}`,
  };
}

/** Intervals during which a process is stopped by faults (overlapping faults stack). */
export function processDownIntervals(
  faults: readonly ProcessFault[],
  host: string,
  component: Component,
  horizonUs: number,
): IntervalUs[] {
  return normalize(
    faults
      .filter((f) => f.hosts.includes(host) && f.components.includes(component))
      .map((f) => ({ startUs: f.timeUs, endUs: Math.min(f.restartUs ?? horizonUs, horizonUs) })),
  );
}

/** Intervals during which the whole host is silent. */
export function hostDownIntervals(faults: readonly ProcessFault[], host: string, horizonUs: number): IntervalUs[] {
  return normalize(
    faults
      .filter((f) => f.wholeHost && f.hosts.includes(host))
      .map((f) => ({ startUs: f.timeUs, endUs: Math.min(f.restartUs ?? horizonUs, horizonUs) })),
  );
}

/**
 * Whether two hosts can exchange request and reply at a moment. A one-way partition breaks request/reply
 * just as a symmetric one does, so it counts as a cut here. The load balancer and API clients sit outside
 * every zone and are never cut off (an assumption: a regional cloud load balancer).
 */
export function reachable(
  partitions: readonly PartitionFault[],
  hostA: string,
  hostB: string,
  timeUs: number,
): boolean {
  if (hostA === hostB) return true;
  for (const p of partitions) {
    if (timeUs < p.timeUs || (p.healUs !== undefined && timeUs >= p.healUs)) continue;
    if (p.groupOf.get(hostA) !== p.groupOf.get(hostB)) return false;
  }
  return true;
}
