/**
 * @module simulation/control-plane
 * The control-plane failover layer: client-go lease elections for kube-controller-manager and kube-scheduler,
 * kube-apiserver readiness over etcd, and the load balancer, run over the etcd layer's report with the same
 * faults. Entry points: `buildModel` (from a Proposal), `runControlPlaneTrial` (one trial, with its timeline and
 * summary), `runControlPlaneMonteCarlo` (gap distributions), `compareTopologies`.
 *
 * @example
 * const model = buildModel(proposal, { initialHolders: { 'kube-controller-manager': 'cp-1' } });
 * const trial = runControlPlaneTrial({ model, scenario, etcd: etcdReport, seed: 7 });
 * trial.summary; // "etcd writes paused for 1.400 s; …; kube-controller-manager was leaderless for 18.763 s; …"
 */
export * from './model.js';
export * from './faults.js';
export * from './intervals.js';
export * from './timeline.js';
export * from './apiserver.js';
export * from './load-balancer.js';
export * from './lease-election.js';
export * from './trial.js';
export * from './monte-carlo.js';
export * from './failover-plan.js';
export * from './failover-canonical.js';
export * from './compose.js';
export * from './counterpart.js';
export * from './cost.js';
