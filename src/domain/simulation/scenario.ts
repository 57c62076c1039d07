/**
 * @module simulation/scenario
 * The fault vocabulary shared by every simulation layer (etcd's Raft, and the control-plane layers above it).
 * One scenario drives all layers, so a node crash takes down that node's etcd member (Raft layer) and its
 * apiserver, controller-manager and scheduler (control-plane layer) at the same instant.
 *
 * Times are in milliseconds from the start of the fault schedule, as users write them; layers convert to
 * their integer-microsecond clocks.
 */

/** When a fault happens: at `atMs`, or uniformly at random in [atMs, atMs + withinMs) (drawn per trial). */
interface FaultTime {
  atMs: number;
  /** Spread the moment uniformly over this window, e.g. one heartbeat interval for a paper-style crash. */
  withinMs?: number;
}

/**
 * What a fault hits.
 * - member: an etcd member by name.
 * - node: a host by name: a control-plane node (stacked: with its etcd member) or an external etcd host.
 * - zone: every host in the zone.
 * - etcd-leader: whichever etcd member leads at that moment (no effect if none does).
 * - lease-holder: the node whose controller-manager or scheduler holds the lease at that moment.
 */
export type FaultTarget =
  | { kind: 'member'; name: string }
  | { kind: 'node'; name: string }
  | { kind: 'zone'; name: string }
  | { kind: 'etcd-leader' }
  | { kind: 'lease-holder'; component: 'kube-controller-manager' | 'kube-scheduler' };

/** Processes a fault can be limited to; absent means everything on the target host. */
export type Component = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler';

export type Fault =
  /** SIGKILL or power loss: no goodbye, no leadership transfer, no lease release. */
  | { type: 'crash'; target: FaultTarget; at: FaultTime; components?: Component[]; restartAfterMs?: number }
  /**
   * SIGTERM: an etcd leader first transfers leadership (TryTransferLeadershipOnShutdown); kube-scheduler
   * releases its lease (ReleaseOnCancel), kube-controller-manager does not.
   */
  | { type: 'stop'; target: FaultTarget; at: FaultTime; components?: Component[]; restartAfterMs?: number }
  /**
   * Cut the network between groups (each a list of member, node or zone names; hosts not named form one
   * more group). Symmetric unless oneWay, which drops only messages from the first group to the others.
   */
  | { type: 'partition'; groups: string[][]; at: FaultTime; healAfterMs?: number; oneWay?: boolean };

export interface Scenario {
  faults: Fault[];
  /** Simulated time after the last fault at which a trial stops, in ms. */
  horizonMs: number;
}
