/**
 * @module simulation/fault-targets
 * Where and when a scenario's faults land: the scenario's simulated end, a target's description, and the
 * resolution of fault targets and partition groups to member numbers.
 */
import type { SimMember } from './election-config.js';
import { msToUs } from './election-config.js';
import type { FaultTarget, Scenario } from './scenario.js';

/** The simulated end of a scenario: its last possible fault moment (restarts and heals included) plus horizonMs. */
export function scenarioEndUs(scenario: Scenario): number {
  let last = 0;
  for (const fault of scenario.faults) {
    const after = fault.type === 'partition' ? (fault.healAfterMs ?? 0) : (fault.restartAfterMs ?? 0);
    last = Math.max(last, msToUs(fault.at.atMs + (fault.at.withinMs ?? 0) + after));
  }
  return last + msToUs(scenario.horizonMs);
}

export function describeTarget(target: FaultTarget): string {
  switch (target.kind) {
    case 'member':
      return `member ${target.name}`;
    case 'node':
      return `node ${target.name}`;
    case 'zone':
      return `zone ${target.name}`;
    case 'etcd-leader':
      return 'the etcd leader';
    case 'lease-holder':
      return `the ${target.component} lease holder`;
  }
}

/** The members a target names (null for the etcd leader, resolved when the fault happens). */
export function resolveStaticTarget(
  members: readonly SimMember[],
  names: readonly string[],
  target: FaultTarget,
): number[] | null {
  switch (target.kind) {
    case 'member': {
      const i = names.indexOf(target.name);
      if (i < 0) throw new RangeError(`fault target member ${target.name} is not a member`);
      return [i];
    }
    case 'node': {
      const hit = members.flatMap((m, i) => (m.host === target.name ? [i] : []));
      return hit;
    }
    case 'zone':
      return members.flatMap((m, i) => (m.zone === target.name ? [i] : []));
    case 'etcd-leader':
      return null;
    case 'lease-holder':
      // The etcd layer never knows lease holders; the control-plane layer resolves these.
      return [];
  }
}

/** Group number per member for a partition: names are members, hosts or zones; the unnamed form one group. */
export function partitionGroupsOf(members: readonly SimMember[], groups: string[][]): Int32Array {
  const group = new Int32Array(members.length).fill(groups.length);
  groups.forEach((names, g) => {
    for (const name of names) {
      let found = false;
      members.forEach((m, i) => {
        if (m.name === name || m.host === name || m.zone === name) {
          group[i] = g;
          found = true;
        }
      });
      if (!found) throw new RangeError(`partition group name ${name} is not a member, node or zone`);
    }
  });
  return group;
}
