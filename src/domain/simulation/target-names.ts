/**
 * @module simulation/target-names
 * The one check that a scenario's faults name things the simulated cluster has: member targets name an etcd
 * member, node targets a host, zone targets a zone, partition groups any of the three. Both simulation kinds
 * use it (the etcd kind with its members' hosts and zones, the control-plane kind with every host); the
 * routes turn each error into a problem entry at `path`.
 */
import type { Fault } from './scenario.js';

export interface ClusterNames {
  members: readonly string[];
  hosts: readonly string[];
  zones: readonly string[];
}

export interface TargetNameError {
  /** Path from the fault list: [fault index, 'target', 'name'] or [fault index, 'groups', group, entry]. */
  path: (string | number)[];
  message: string;
}

const list = (names: readonly string[]): string => [...new Set(names)].join(', ');

export function targetNameErrors(names: ClusterNames, faults: readonly Fault[]): TargetNameError[] {
  const members = new Set(names.members);
  const hosts = new Set(names.hosts);
  const zones = new Set(names.zones);
  const errors: TargetNameError[] = [];
  faults.forEach((fault, f) => {
    if (fault.type === 'partition') {
      fault.groups.forEach((group, g) => {
        group.forEach((name, k) => {
          if (!members.has(name) && !hosts.has(name) && !zones.has(name))
            errors.push({
              path: [f, 'groups', g, k],
              message: `"${name}" is not an etcd member, host or zone of the cluster (members: ${list(names.members)}; hosts: ${list(names.hosts)}; zones: ${list(names.zones)}).`,
            });
        });
      });
      return;
    }
    const t = fault.target;
    const at = [f, 'target', 'name'];
    if (t.kind === 'member' && !members.has(t.name))
      errors.push({ path: at, message: `No etcd member "${t.name}" (members: ${list(names.members)}).` });
    if (t.kind === 'node' && !hosts.has(t.name))
      errors.push({ path: at, message: `No host "${t.name}" in the cluster (hosts: ${list(names.hosts)}).` });
    if (t.kind === 'zone' && !zones.has(t.name))
      errors.push({ path: at, message: `No zone "${t.name}" in the cluster (zones: ${list(names.zones)}).` });
  });
  return errors;
}
