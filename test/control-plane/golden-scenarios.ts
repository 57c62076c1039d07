/**
 * Fixed cross-layer scenarios for the golden timelines: each with a hand-built etcd report (what the etcd layer
 * says about the same faults), a seed, and the lease holders at the start. Rendered to readable text under
 * test/golden/control-plane/.
 */
import {
  buildModel,
  renderTimeline,
  runControlPlaneTrial,
  type ControlPlaneOptions,
} from '../../src/domain/simulation/control-plane/index.js';
import type { EtcdServiceTimeline } from '../../src/domain/simulation/availability.js';
import type { Scenario } from '../../src/domain/simulation/scenario.js';
import { etcdReport, proposal, s } from './fixtures.js';

export interface GoldenScenario {
  name: string;
  description: string;
  topology: 'stacked' | 'external';
  scenario: Scenario;
  etcd: EtcdServiceTimeline;
  seed: number;
  options: ControlPlaneOptions;
}

const stacked = ['etcd-cp-1', 'etcd-cp-2', 'etcd-cp-3'];
const external = ['etcd-1', 'etcd-2', 'etcd-3'];

export const goldenScenarios: GoldenScenario[] = [
  {
    name: 'stacked-node-crash',
    description:
      'Stacked, 3 nodes in zones a/b/c. cp-1 holds both leases and its member leads etcd; cp-1 crashes at 1 s. etcd: 1.3 s election.',
    topology: 'stacked',
    scenario: {
      faults: [{ type: 'crash', target: { kind: 'node', name: 'cp-1' }, at: { atMs: 1000 } }],
      horizonMs: 29_000,
    },
    etcd: etcdReport(stacked, s(30), { 'etcd-cp-1': [{ startUs: s(1), endUs: s(30) }] }, [
      { startUs: s(1), endUs: s(2.3) },
    ]),
    seed: 7,
    options: { initialHolders: { 'kube-controller-manager': 'cp-1', 'kube-scheduler': 'cp-1' } },
  },
  {
    name: 'stacked-graceful-stop',
    description:
      'Stacked. cp-1 holds both leases and leads etcd; cp-1 is stopped gracefully at 1 s (etcd transfers leadership: 40 ms without writes).',
    topology: 'stacked',
    scenario: {
      faults: [{ type: 'stop', target: { kind: 'node', name: 'cp-1' }, at: { atMs: 1000 } }],
      horizonMs: 29_000,
    },
    etcd: etcdReport(stacked, s(30), { 'etcd-cp-1': [{ startUs: s(1), endUs: s(30) }] }, [
      { startUs: s(1), endUs: s(1.04) },
    ]),
    seed: 7,
    options: { initialHolders: { 'kube-controller-manager': 'cp-1', 'kube-scheduler': 'cp-1' } },
  },
  {
    name: 'stacked-zone-partition',
    description:
      'Stacked. Zone a is cut off from b and c at 1 s for 30 s; cp-1 (zone a) holds both leases. etcd: the b+c majority elects in 1.5 s; etcd-cp-1 cannot commit until the heal plus 0.2 s.',
    topology: 'stacked',
    scenario: {
      faults: [{ type: 'partition', groups: [['a'], ['b', 'c']], at: { atMs: 1000 }, healAfterMs: 30_000 }],
      horizonMs: 39_000,
    },
    etcd: etcdReport(stacked, s(40), { 'etcd-cp-1': [{ startUs: s(1), endUs: s(31.2) }] }, [
      { startUs: s(1), endUs: s(2.5) },
    ]),
    seed: 11,
    options: { initialHolders: { 'kube-controller-manager': 'cp-1', 'kube-scheduler': 'cp-1' } },
  },
  {
    name: 'external-zone-outage',
    description:
      'External etcd, cp-1..3 and etcd-1..3 in zones a/b/c. Zone a (cp-1, etcd-1, the etcd leader) goes dark at 1 s. cp-1 holds the controller-manager lease, cp-2 the scheduler lease. etcd: 1.3 s election.',
    topology: 'external',
    scenario: {
      faults: [{ type: 'crash', target: { kind: 'zone', name: 'a' }, at: { atMs: 1000 } }],
      horizonMs: 29_000,
    },
    etcd: etcdReport(external, s(30), { 'etcd-1': [{ startUs: s(1), endUs: s(30) }] }, [
      { startUs: s(1), endUs: s(2.3) },
    ]),
    seed: 3,
    options: { initialHolders: { 'kube-controller-manager': 'cp-1', 'kube-scheduler': 'cp-2' } },
  },
  {
    name: 'stacked-apiserver-crash-restart',
    description:
      'Stacked. Only the apiserver on cp-1 (holder of both leases) crashes at 1 s and restarts 20 s later. etcd unaffected.',
    topology: 'stacked',
    scenario: {
      faults: [
        {
          type: 'crash',
          target: { kind: 'node', name: 'cp-1' },
          components: ['kube-apiserver'],
          at: { atMs: 1000 },
          restartAfterMs: 20_000,
        },
      ],
      horizonMs: 39_000,
    },
    etcd: etcdReport(stacked, s(40)),
    seed: 5,
    options: { initialHolders: { 'kube-controller-manager': 'cp-1', 'kube-scheduler': 'cp-1' } },
  },
];

export function renderGolden(g: GoldenScenario): string {
  const model = buildModel(proposal(g.topology), g.options);
  const r = runControlPlaneTrial({ model, scenario: g.scenario, etcd: g.etcd, seed: g.seed });
  return [
    `# ${g.name} (seed ${g.seed})`,
    `# ${g.description}`,
    `# Defaults: lease 15 s, renew deadline 10 s, retry 2 s; LB checks every 2 s, timeout 1 s, fall 3, rise 2.`,
    '',
    renderTimeline(r.timeline),
    '',
    `summary: ${r.summary}`,
    '',
  ].join('\n');
}
