/**
 * @module simulation/control-plane/trial
 * One control-plane trial over one etcd trial's report: resolves the faults, runs the apiserver, load-balancer
 * and lease layers, and reads off per-capability availability windows, the cross-layer timeline and a summary.
 *
 * Capabilities (all judged from the fault schedule's origin to the horizon):
 * - etcdWrites: some etcd leader can commit (the etcd layer's clusterWritable).
 * - apiWrites: a write sent to controlPlaneEndpoint lands on an in-rotation backend whose apiserver can commit.
 *   Down when no in-rotation backend can; degraded when some in-rotation backends cannot (that share of
 *   requests fails, e.g. while the load balancer still sends traffic to a dead node).
 * - apiReads: the same for reads the apiserver serves from its watch cache (resourceVersion="0", what
 *   informers' lists use): the apiserver process must be up, etcd need not be.
 * - controllerManagerLeader, schedulerLeader: some live process believes it holds the lease.
 */
import type { EtcdServiceTimeline, IntervalUs } from '../availability.js';
import { covers } from '../availability.js';
import type { Scenario } from '../scenario.js';
import { Random } from '../../random.js';
import { clusterWritable, computeApiservers, memberWritable, type ApiserverState } from './apiserver.js';
import {
  drawFaultTimesUs,
  resolvePartition,
  resolveProcessFault,
  type PartitionFault,
  type ProcessFault,
  type TargetResolver,
} from './faults.js';
import { boundaries, clip, complement, measure, sweep, union } from './intervals.js';
import {
  simulateLeaseElection,
  type LeadershipSpan,
  type LeaseElectionResult,
  type ProcessTransition,
} from './lease-election.js';
import { simulateLoadBalancer } from './load-balancer.js';
import { leaseComponents, type ControlPlaneModel, type LeaseComponent } from './model.js';
import { formatSeconds, sortTimeline, type TimelineEntry } from './timeline.js';
import { expectTrialsFit } from './cost.js';
import { WorkBudget } from '../work-budget.js';

export type Capability = 'etcdWrites' | 'apiReads' | 'apiWrites' | 'controllerManagerLeader' | 'schedulerLeader';
export const capabilities: readonly Capability[] = [
  'etcdWrites',
  'apiReads',
  'apiWrites',
  'controllerManagerLeader',
  'schedulerLeader',
];

interface CapabilityWindows {
  /** No request can succeed / nobody leads. */
  down: IntervalUs[];
  /** Some requests fail (only for the API capabilities). */
  degraded: IntervalUs[];
  /** Time from the first fault to the horizon during which the capability is down or degraded. */
  gapUs: number;
}

export interface ControlPlaneTrialInput {
  model: ControlPlaneModel;
  scenario: Scenario;
  /** The etcd layer's report for this trial (same faults, same fault moments). */
  etcd: EtcdServiceTimeline;
  /** Seed of this trial; every random stream of the layer derives from it. */
  seed: number;
  /** Fault moments as the etcd layer drew them; drawn from the seed when absent. */
  faultTimesUs?: readonly number[];
  /** The etcd leader at a moment, to resolve `etcd-leader` targets that name control-plane components. */
  etcdLeaderAt?: (timeUs: number) => string | undefined;
  /** Every event of the trial is charged here. Default: unlimited. */
  budget?: WorkBudget;
  /** The caller (a Monte Carlo) already checked the estimate for all its trials. */
  estimateChecked?: boolean;
  /** False: no timeline (empty in the result), for Monte Carlo trials whose timeline nobody reads. Default true. */
  recordTimeline?: boolean;
}

export interface ControlPlaneTrialResult {
  horizonUs: number;
  faultTimesUs: number[];
  /** The first fault's moment: gaps and recovery are measured from here. */
  firstFaultUs: number;
  initialHolders: Record<LeaseComponent, string>;
  timeline: TimelineEntry[];
  capabilities: Record<Capability, CapabilityWindows>;
  /** Backend → intervals in rotation. */
  rotation: Record<string, IntervalUs[]>;
  /** For each backend the load balancer took out after the first fault: how long after that fault. */
  lbRemovalsUs: Record<string, number>;
  leadership: Record<LeaseComponent, LeadershipSpan[]>;
  /** Moments at which two processes of one component believed they led. */
  dualLeadership: Record<LeaseComponent, IntervalUs[]>;
  /** Committed lease-record writes (renewals, acquisitions, releases) from the warm-up on. */
  leaseWrites: Record<LeaseComponent, { timeUs: number; holder: string }[]>;
  /** From the first fault until every capability is fully available again; null if not by the horizon. */
  fullRecoveryUs: number | null;
  summary: string;
}

interface Core {
  apiservers: Map<string, ApiserverState>;
  rotation: Map<string, IntervalUs[]>;
  leases: Record<LeaseComponent, LeaseElectionResult>;
}

function runCore(
  model: ControlPlaneModel,
  etcd: EtcdServiceTimeline,
  processFaults: readonly ProcessFault[],
  partitions: readonly PartitionFault[],
  initialHolders: Record<LeaseComponent, string>,
  seed: number,
  horizonUs: number,
  timeline: TimelineEntry[],
  budget: WorkBudget,
): Core {
  const apiservers = computeApiservers(model, etcd, processFaults, partitions, horizonUs, timeline, budget);
  const random = Random.derive(seed, 'load-balancer');
  const rotation = simulateLoadBalancer(model, apiservers, horizonUs, random, timeline, budget);
  const leases = {} as Record<LeaseComponent, LeaseElectionResult>;
  for (const component of leaseComponents) {
    const transitions: ProcessTransition[] = [];
    for (const f of processFaults) {
      if (!f.components.includes(component)) continue;
      for (const node of f.hosts) {
        if (!model.nodes.some((n) => n.name === node)) continue;
        transitions.push({ timeUs: f.timeUs, node, down: true, graceful: f.type === 'stop' });
        if (f.restartUs !== undefined) transitions.push({ timeUs: f.restartUs, node, down: false, graceful: false });
      }
    }
    transitions.sort((a, b) => a.timeUs - b.timeUs);
    leases[component] = simulateLeaseElection({
      model,
      component,
      apiservers,
      transitions,
      initialHolder: initialHolders[component],
      randomFor: (node) => Random.derive(seed, `${component}/${node}`),
      horizonUs,
      timeline,
      budget,
    });
  }
  return { apiservers, rotation, leases };
}

/** A timeline that keeps nothing: entries pushed to it are dropped. */
function discardingTimeline(): TimelineEntry[] {
  const sink: TimelineEntry[] = [];
  sink.push = () => 0;
  return sink;
}

export function resolveInitialHolders(model: ControlPlaneModel, seed: number): Record<LeaseComponent, string> {
  const random = Random.derive(seed, 'initial-holders');
  const out = {} as Record<LeaseComponent, string>;
  for (const component of leaseComponents) {
    const wanted = model.initialHolders[component];
    const drawn = model.nodes[random.nextInt(model.nodes.length)]!.name;
    if (wanted !== undefined && wanted !== 'random' && !model.nodes.some((n) => n.name === wanted))
      throw new RangeError(`initial ${component} holder ${wanted} is not a control-plane node`);
    out[component] = wanted === undefined || wanted === 'random' ? drawn : wanted;
  }
  return out;
}

export function runControlPlaneTrial(input: ControlPlaneTrialInput): ControlPlaneTrialResult {
  const { model, scenario, etcd, seed } = input;
  const faultTimesUs = [...(input.faultTimesUs ?? drawFaultTimesUs(scenario, Random.derive(seed, 'fault-times')))];
  if (faultTimesUs.length !== scenario.faults.length)
    throw new RangeError('faultTimesUs must give one moment per fault');
  const horizonUs = etcd.horizonUs;
  const budget = input.budget ?? WorkBudget.unlimited();
  if (!input.estimateChecked) expectTrialsFit(model, horizonUs, 1, budget);
  const initialHolders = resolveInitialHolders(model, seed);

  // Resolve faults in time order; a lease-holder target needs the lease state just before its moment, which a
  // run truncated there gives exactly (later faults cannot change earlier events).
  const order = scenario.faults.map((_, i) => i).sort((a, b) => faultTimesUs[a]! - faultTimesUs[b]! || a - b);
  const processFaults: ProcessFault[] = [];
  const partitions: PartitionFault[] = [];
  for (const i of order) {
    const fault = scenario.faults[i]!;
    const timeUs = faultTimesUs[i]!;
    if (fault.type === 'partition') {
      partitions.push(resolvePartition(model, fault, i, timeUs));
      continue;
    }
    const resolver: TargetResolver = {
      ...(input.etcdLeaderAt ? { etcdLeaderAt: input.etcdLeaderAt } : {}),
      leaseHolderAt: (component, atUs) => {
        const core = runCore(model, etcd, processFaults, partitions, initialHolders, seed, atUs + 1, [], budget);
        return core.leases[component].spans.find((s) => s.startUs <= atUs && s.endUs > atUs)?.node;
      },
    };
    processFaults.push(resolveProcessFault(model, fault, i, timeUs, resolver));
  }

  const timeline = input.recordTimeline === false ? discardingTimeline() : [];
  for (const f of processFaults) {
    timeline.push({ timeUs: f.timeUs, layer: 'fault', text: f.description });
    if (f.restartUs !== undefined && f.restartUs < horizonUs)
      timeline.push({ timeUs: f.restartUs, layer: 'fault', text: `fault ${f.index}: processes restart` });
  }
  for (const p of partitions) {
    timeline.push({ timeUs: p.timeUs, layer: 'fault', text: p.description });
    if (p.healUs !== undefined && p.healUs < horizonUs)
      timeline.push({ timeUs: p.healUs, layer: 'fault', text: `fault ${p.index}: partition heals` });
  }
  etcdTimeline(model, etcd, horizonUs, timeline);

  const core = runCore(model, etcd, processFaults, partitions, initialHolders, seed, horizonUs, timeline, budget);
  const firstFaultUs = faultTimesUs.length > 0 ? Math.min(...faultTimesUs) : 0;

  const windows = {} as Record<Capability, CapabilityWindows>;
  const window = (down: IntervalUs[], degraded: IntervalUs[]): CapabilityWindows => {
    const d = clip(down, 0, horizonUs);
    const g = clip(degraded, 0, horizonUs);
    return { down: d, degraded: g, gapUs: measure(clip(union(d, g), firstFaultUs, horizonUs)) };
  };
  windows.etcdWrites = window(complement(clusterWritable(etcd, model.warmupUs), 0, horizonUs), []);
  const api = (works: (node: string) => IntervalUs[]): CapabilityWindows => {
    const lists = model.nodes.flatMap((n) => [core.rotation.get(n.name)!, works(n.name)]);
    const changes = boundaries(...lists);
    const state = (t: number): 'up' | 'degraded' | 'down' => {
      const inRotation = model.nodes.filter((n) => covers(core.rotation.get(n.name)!, t));
      const working = inRotation.filter((n) => covers(works(n.name), t));
      if (working.length === 0) return 'down';
      return working.length < inRotation.length ? 'degraded' : 'up';
    };
    return window(
      sweep(changes, 0, horizonUs, (t) => state(t) === 'down'),
      sweep(changes, 0, horizonUs, (t) => state(t) === 'degraded'),
    );
  };
  windows.apiWrites = api((node) => core.apiservers.get(node)!.serving);
  windows.apiReads = api((node) => core.apiservers.get(node)!.processUp);
  const leaderless = (component: LeaseComponent): IntervalUs[] =>
    complement(
      core.leases[component].spans.map((s) => ({ startUs: s.startUs, endUs: s.endUs })),
      0,
      horizonUs,
    );
  windows.controllerManagerLeader = window(leaderless('kube-controller-manager'), []);
  windows.schedulerLeader = window(leaderless('kube-scheduler'), []);

  for (const component of leaseComponents) {
    for (const o of core.leases[component].overlaps) {
      if (o.endUs > 0)
        timeline.push({
          timeUs: Math.max(0, o.startUs),
          layer: component,
          text: `two processes believe they lead, for ${formatSeconds(o.endUs - Math.max(0, o.startUs))} s`,
        });
    }
  }

  const lbRemovalsUs: Record<string, number> = {};
  for (const n of model.nodes) {
    const out = complement(core.rotation.get(n.name)!, firstFaultUs, horizonUs)[0];
    if (out) lbRemovalsUs[n.name] = out.startUs - firstFaultUs;
  }

  let fullRecoveryUs: number | null = 0;
  for (const c of capabilities) {
    const bad = clip(union(windows[c].down, windows[c].degraded), firstFaultUs, horizonUs);
    const last = bad[bad.length - 1];
    if (!last) continue;
    if (last.endUs >= horizonUs) {
      fullRecoveryUs = null;
      break;
    }
    fullRecoveryUs = Math.max(fullRecoveryUs, last.endUs - firstFaultUs);
  }

  const rotation: Record<string, IntervalUs[]> = {};
  for (const [node, list] of core.rotation) rotation[node] = clip(list, 0, horizonUs);
  const result: ControlPlaneTrialResult = {
    horizonUs,
    faultTimesUs,
    firstFaultUs,
    initialHolders,
    timeline: sortTimeline(timeline),
    capabilities: windows,
    rotation,
    lbRemovalsUs,
    leadership: {
      'kube-controller-manager': core.leases['kube-controller-manager'].spans.filter((s) => s.endUs > 0),
      'kube-scheduler': core.leases['kube-scheduler'].spans.filter((s) => s.endUs > 0),
    },
    dualLeadership: {
      'kube-controller-manager': core.leases['kube-controller-manager'].overlaps,
      'kube-scheduler': core.leases['kube-scheduler'].overlaps,
    },
    leaseWrites: {
      'kube-controller-manager': core.leases['kube-controller-manager'].writes,
      'kube-scheduler': core.leases['kube-scheduler'].writes,
    },
    fullRecoveryUs,
    summary: '',
  };
  result.summary = summarizeTrial(result);
  return result;
}

function etcdTimeline(
  model: ControlPlaneModel,
  etcd: EtcdServiceTimeline,
  horizonUs: number,
  timeline: TimelineEntry[],
): void {
  for (const piece of complement(clusterWritable(etcd, model.warmupUs), 0, horizonUs)) {
    timeline.push({ timeUs: piece.startUs, layer: 'etcd', text: 'writes stop: no leader backed by a quorum' });
    if (piece.endUs < horizonUs)
      timeline.push({
        timeUs: piece.endUs,
        layer: 'etcd',
        text: `writes resume after ${formatSeconds(piece.endUs - piece.startUs)} s`,
      });
  }
  for (const m of model.members) {
    for (const piece of complement(memberWritable(etcd, m.name, model.warmupUs), 0, horizonUs)) {
      timeline.push({ timeUs: piece.startUs, layer: 'etcd', subject: m.name, text: 'writes through this member stop' });
      if (piece.endUs < horizonUs)
        timeline.push({
          timeUs: piece.endUs,
          layer: 'etcd',
          subject: m.name,
          text: 'writes through this member resume',
        });
    }
  }
}

const s = (us: number): string => `${formatSeconds(us)} s`;

/**
 * One sampled trial, answer first (when everything was back), then each capability's gap: numbers only from
 * the trial's windows; which backend the load balancer dropped, and when, is in `lbRemovalsUs`.
 */
function summarizeTrial(r: ControlPlaneTrialResult): string {
  const c = r.capabilities;
  const lead =
    r.fullRecoveryUs === null
      ? 'In this simulated trial, not everything had recovered by the horizon'
      : r.fullRecoveryUs === 0
        ? 'In this simulated trial, nothing was interrupted'
        : `In this simulated trial, everything was back ${s(r.fullRecoveryUs)} after the first fault`;
  if (r.fullRecoveryUs === 0) return `${lead}.`;
  const api = (cap: 'apiWrites' | 'apiReads', name: string): string => {
    const w = c[cap];
    if (w.gapUs === 0) return `API ${name} never failed`;
    const downUs = measure(clip(w.down, r.firstFaultUs, r.horizonUs));
    const all = downUs >= w.gapUs ? 'all failed' : 'partly failed';
    return `API ${name} ${all} for ${s(w.gapUs)}${downUs > 0 && downUs < w.gapUs ? ` (all for ${s(downUs)})` : ''}`;
  };
  const leader = (gapUs: number, name: string): string =>
    gapUs === 0 ? `${name} always had a leader` : `${name} was leaderless for ${s(gapUs)}`;
  const parts = [
    c.etcdWrites.gapUs === 0 ? 'etcd writes never paused' : `etcd writes paused for ${s(c.etcdWrites.gapUs)}`,
    api('apiWrites', 'writes'),
    api('apiReads', 'reads'),
    leader(c.controllerManagerLeader.gapUs, 'kube-controller-manager'),
    leader(c.schedulerLeader.gapUs, 'kube-scheduler'),
  ];
  return `${lead}: ${parts.join('; ')}.`;
}
