/**
 * @module simulation/control-plane/counterpart
 * The same cluster in the other topology, for comparing stacked with external etcd under the same faults.
 */
import type { Proposal } from '../../proposal.js';

/**
 * The other topology over the same zones: stacked ↔ external, as many etcd members as before. Stacked →
 * external gives each member its own host, named etcd-1, etcd-2, … (skipping names the control-plane nodes
 * use); external → stacked puts one voter on every control-plane node, as kubeadm does.
 */
export function counterpartProposal(p: Proposal): Proposal {
  if (p.topology === 'stacked') {
    const taken = new Set(p.controlPlaneNodes.map((n) => n.name.toLowerCase()));
    let k = 0;
    const fresh = (): string => {
      for (;;) {
        const name = `etcd-${++k}`;
        if (!taken.has(name)) return name;
      }
    };
    return {
      ...p,
      topology: 'external',
      etcdMembers: p.etcdMembers.map((m) => {
        const name = fresh();
        return { name, zone: m.zone, host: name, learner: m.learner, pointer: m.pointer };
      }),
    };
  }
  return {
    ...p,
    topology: 'stacked',
    etcdMembers: p.controlPlaneNodes.map((n) => ({
      name: n.name,
      zone: n.zone,
      host: n.name,
      learner: false,
      pointer: n.pointer,
    })),
  };
}
