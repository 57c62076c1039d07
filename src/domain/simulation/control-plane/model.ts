/**
 * @module simulation/control-plane/model
 * What the control-plane layers need to know about a proposed cluster, in microseconds, plus the knobs the
 * proposal does not carry (request latency, restart and reconnect delays, clock-rate skew).
 *
 * kubeadm wiring (claims ledger: kubeadm-stacked-etcd-servers): every control-plane node runs kube-apiserver, kube-controller-manager and
 * kube-scheduler; the two components talk to the LOCAL apiserver; the apiserver talks to its local etcd member
 * (stacked) or to every external endpoint (external). The load balancer fronts every apiserver.
 */
import { clientGoLeaderElectionTexts } from '../../ledger/kubernetes.js';
import type { Proposal, Topology } from '../../proposal.js';
import type { Random } from '../../random.js';

export type LeaseComponent = 'kube-controller-manager' | 'kube-scheduler';
export const leaseComponents: readonly LeaseComponent[] = ['kube-controller-manager', 'kube-scheduler'];

/** client-go's JitterFactor: acquire retries wait RetryPeriod·(1 + U[0,1)·1.2). */
export const jitterFactor = 1.2;

export interface ControlPlaneOptions {
  /**
   * One request's service time through the apiserver to etcd and back, when its path works (ms). Default 2:
   * a few intra-region round trips plus an fsync. It only shifts events by milliseconds.
   */
  requestLatencyMs?: number;
  /**
   * How long after a kube-controller-manager or kube-scheduler exits (lost leadership) it is running again as
   * a candidate (ms): kubelet restarts the static pod's container (no back-off on a first exit) and the binary
   * starts. Default 2000.
   */
  componentRestartDelayMs?: number;
  /** External topology: how long the apiserver's etcd client takes to give up on a failing endpoint and connect to the next (ms). Default 1000. */
  etcdReconnectDelayMs?: number;
  /** `--etcd-readycheck-timeout` (ms): how long /readyz waits on etcd before failing. Default 2000. */
  etcdReadycheckTimeoutMs?: number;
  /**
   * Clock rate per control-plane node: 1 is exact, 1.01 runs 1% fast. client-go measures every duration on
   * the local clock, so a fast candidate expires a lease early (claims ledger: client-go-lease-timing). Default 1 everywhere.
   */
  clockRates?: Record<string, number>;
  /** Which node's component holds each lease when the trial starts; absent or 'random': drawn per trial. */
  initialHolders?: Partial<Record<LeaseComponent, string | 'random'>>;
  /**
   * Simulated time before the fault schedule's origin, so renewals, tries and health checks reach a steady
   * phase (ms): every candidate must have tried once (within 2.2·RetryPeriod) and every backend been checked.
   * Default 10000.
   */
  warmupMs?: number;
}

interface NodeModel {
  name: string;
  zone: string;
  /** Clock rate (local seconds per real second). */
  clockRate: number;
}

interface MemberModel {
  name: string;
  host: string;
  zone: string;
}

export interface ControlPlaneModel {
  topology: Topology;
  /** Control-plane nodes in proposal order. */
  nodes: NodeModel[];
  members: MemberModel[];
  /** Every host (control-plane nodes, then external etcd hosts) → zone. */
  hostZones: Map<string, string>;
  /** Per node, the etcd members its apiserver lists in --etcd-servers, in the order it tries them. */
  etcdEndpoints: Map<string, string[]>;
  leaseDurationS: number;
  renewDeadlineUs: number;
  retryPeriodUs: number;
  /** Per-request client timeout: RenewDeadline/2, at least 1 s (client-go resourcelock.NewFromKubeconfig). */
  requestTimeoutUs: number;
  requestLatencyUs: number;
  componentRestartDelayUs: number;
  etcdReconnectDelayUs: number;
  etcdReadycheckTimeoutUs: number;
  loadBalancer: {
    intervalUs: number;
    timeoutUs: number;
    unhealthyThreshold: number;
    healthyThreshold: number;
  };
  initialHolders: Partial<Record<LeaseComponent, string | 'random'>>;
  warmupUs: number;
}

/**
 * client-go's own checks (NewLeaderElector), with its exact texts; returns the failures (empty: valid).
 * Durations are compared as client-go compares time.Duration values.
 */
export function leaderElectionErrors(s: {
  leaseDurationS: number;
  renewDeadlineS: number;
  retryPeriodS: number;
}): string[] {
  // The texts come from the claims ledger (client-go-leader-election).
  const texts = clientGoLeaderElectionTexts;
  const errors: string[] = [];
  if (s.leaseDurationS <= s.renewDeadlineS) errors.push(texts.leaseNotAboveRenew);
  if (s.renewDeadlineS <= jitterFactor * s.retryPeriodS) errors.push(texts.renewNotAboveJitteredRetry);
  if (s.leaseDurationS <= 0) errors.push(texts.leaseNotPositive);
  if (s.renewDeadlineS <= 0) errors.push(texts.renewNotPositive);
  if (s.retryPeriodS <= 0) errors.push(texts.retryNotPositive);
  return errors;
}

const us = (ms: number): number => Math.round(ms * 1000);

/**
 * A uniform whole number in [0, n), n ≥ 1: Random.nextInt where it reaches (n ≤ 2^32, every default and
 * realistic setting, so those answers keep their draws), a scaled uniform float beyond it (phases of periods
 * over 71 minutes, such as a 2,999 s retry period × 2.2).
 */
export function drawBelow(random: Random, n: number): number {
  return n <= 2 ** 32 ? random.nextInt(n) : Math.floor(random.nextFloat() * n);
}

/** The simulation's clock counts whole microseconds: the shortest duration it can represent, in seconds. */
const clockResolutionS = 1e-6;

/** A duration the clock cannot represent: positive, but shorter than one microsecond. */
export interface UnrepresentableDuration {
  /**
   * The field, dotted: a proposal field (`loadBalancer.healthCheckIntervalS`) or, prefixed `options.`, a knob of
   * the control-plane simulation (`options.etcdReconnectDelayMs`).
   */
  field: string;
  value: number;
  /** The smallest value accepted, in the field's own unit. */
  smallest: number;
}

export class UnrepresentableDurationError extends RangeError {
  constructor(readonly durations: UnrepresentableDuration[]) {
    super(
      durations
        .map(
          (d) =>
            `${d.field} ${d.value} is shorter than the simulation clock's 1 µs; the smallest accepted is ${d.smallest}`,
        )
        .join('; '),
    );
    this.name = 'UnrepresentableDurationError';
  }
}

/**
 * The durations the control-plane layers would round to zero microseconds (a 1e-9 s health-check interval would
 * schedule every check at the same instant, forever). Zero itself is not listed: where a field allows it, it
 * means "no delay" and is exact. Callers answer these with a 400 naming the field and `smallest`.
 */
function unrepresentableDurations(proposal: Proposal, options: ControlPlaneOptions = {}): UnrepresentableDuration[] {
  const out: UnrepresentableDuration[] = [];
  const check = (field: string, value: number | undefined, unitS: number): void => {
    if (value !== undefined && value > 0 && value * unitS < clockResolutionS)
      out.push({ field, value, smallest: clockResolutionS / unitS });
  };
  check('loadBalancer.healthCheckIntervalS', proposal.loadBalancer.healthCheckIntervalS, 1);
  check('loadBalancer.healthCheckTimeoutS', proposal.loadBalancer.healthCheckTimeoutS, 1);
  check('leaderElection.leaseDurationS', proposal.leaderElection.leaseDurationS, 1);
  check('leaderElection.renewDeadlineS', proposal.leaderElection.renewDeadlineS, 1);
  check('leaderElection.retryPeriodS', proposal.leaderElection.retryPeriodS, 1);
  check('options.requestLatencyMs', options.requestLatencyMs, 1e-3);
  check('options.componentRestartDelayMs', options.componentRestartDelayMs, 1e-3);
  check('options.etcdReconnectDelayMs', options.etcdReconnectDelayMs, 1e-3);
  check('options.etcdReadycheckTimeoutMs', options.etcdReadycheckTimeoutMs, 1e-3);
  return out;
}

export function buildModel(proposal: Proposal, options: ControlPlaneOptions = {}): ControlPlaneModel {
  const tooFine = unrepresentableDurations(proposal, options);
  if (tooFine.length > 0) throw new UnrepresentableDurationError(tooFine);
  const errors = leaderElectionErrors(proposal.leaderElection);
  if (errors.length > 0) throw new RangeError(`invalid leader election settings: ${errors.join('; ')}`);
  if (proposal.controlPlaneNodes.length === 0)
    throw new RangeError('the control-plane simulation needs at least one control-plane node');
  const lb = proposal.loadBalancer;
  if (lb.healthCheckTimeoutS > lb.healthCheckIntervalS) {
    // Overlapping checks of one backend would make the order of results ambiguous; haproxy users keep timeout ≤ inter.
    throw new RangeError('the load balancer health-check timeout must not exceed its interval');
  }
  const rates = options.clockRates ?? {};
  const nodes = proposal.controlPlaneNodes.map((n) => {
    // Own keys only: a node named "constructor" or "hasOwnProperty" must not read the prototype's function.
    const clockRate = Object.hasOwn(rates, n.name) ? rates[n.name]! : 1;
    if (!(clockRate > 0.5 && clockRate < 2))
      throw new RangeError(`clock rate of ${n.name} must be in (0.5, 2), got ${clockRate}`);
    return { name: n.name, zone: n.zone, clockRate };
  });
  const members = proposal.etcdMembers
    .filter((m) => !m.learner)
    .map((m) => ({ name: m.name, host: m.host, zone: m.zone }));
  const hostZones = new Map<string, string>();
  for (const n of nodes) hostZones.set(n.name, n.zone);
  for (const m of proposal.etcdMembers) if (!hostZones.has(m.host)) hostZones.set(m.host, m.zone);

  const etcdEndpoints = new Map<string, string[]>();
  nodes.forEach((node, index) => {
    if (proposal.topology === 'stacked') {
      // kubeadm: --etcd-servers=https://127.0.0.1:2379, the local member only.
      etcdEndpoints.set(
        node.name,
        proposal.etcdMembers.filter((m) => m.host === node.name).map((m) => m.name),
      );
    } else {
      // Every external voter (a learner serves no client requests, and /v1/config lists only voters in
      // --etcd-servers); apiservers start on different ones, as round-robin connections spread them.
      const all = members.map((m) => m.name);
      etcdEndpoints.set(
        node.name,
        all.map((_, k) => all[(index + k) % all.length]!),
      );
    }
  });

  const renewDeadlineUs = us(proposal.leaderElection.renewDeadlineS * 1000);
  return {
    topology: proposal.topology,
    nodes,
    members,
    hostZones,
    etcdEndpoints,
    // The record carries whole seconds: int(LeaseDuration / time.Second).
    leaseDurationS: Math.floor(proposal.leaderElection.leaseDurationS),
    renewDeadlineUs,
    retryPeriodUs: us(proposal.leaderElection.retryPeriodS * 1000),
    requestTimeoutUs: Math.max(Math.round(renewDeadlineUs / 2), 1_000_000),
    requestLatencyUs: us(options.requestLatencyMs ?? 2),
    componentRestartDelayUs: us(options.componentRestartDelayMs ?? 2000),
    etcdReconnectDelayUs: us(options.etcdReconnectDelayMs ?? 1000),
    etcdReadycheckTimeoutUs: us(options.etcdReadycheckTimeoutMs ?? 2000),
    loadBalancer: {
      intervalUs: us(lb.healthCheckIntervalS * 1000),
      timeoutUs: us(lb.healthCheckTimeoutS * 1000),
      unhealthyThreshold: lb.unhealthyThreshold,
      healthyThreshold: lb.healthyThreshold,
    },
    initialHolders: options.initialHolders ?? {},
    warmupUs: us(options.warmupMs ?? 10_000),
  };
}
