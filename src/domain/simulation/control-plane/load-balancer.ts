/**
 * @module simulation/control-plane/load-balancer
 * The TCP load balancer on controlPlaneEndpoint (kubeadm HA: haproxy checking the apiservers' health). Each
 * backend is checked every `interval`, at a phase of its own; a check fails when the host does not answer
 * within `timeout`, when the connection is refused (apiserver process down, answered at once), or when the
 * apiserver answers unhealthy because etcd cannot commit (its etcd check outlasts the timeout or the
 * readycheck timeout, whichever is shorter). `fall` consecutive failures take a backend out of rotation,
 * `rise` consecutive passes put it back (haproxy's inter/timeout check/fall/rise).
 *
 * Derived bound: a backend that dies at t is out by t + interval·fall + timeout at the latest (its first failing
 * check starts within one interval, the fall-th one (fall − 1) intervals later, and answers after the timeout).
 */
import { covers, type IntervalUs } from '../availability.js';
import { EventQueue } from '../event-queue.js';
import type { Random } from '../../random.js';
import type { ApiserverState } from './apiserver.js';
import { drawBelow, type ControlPlaneModel } from './model.js';
import { normalize } from './intervals.js';
import { type CostDriver, WorkBudget } from '../work-budget.js';
import type { TimelineEntry } from './timeline.js';

/** What the load balancer's events cost, for the work budget. */
export const loadBalancerDriver: CostDriver = {
  what: 'load-balancer health checks',
  field: 'loadBalancer.healthCheckIntervalS',
};

type LbEvent = { kind: 'check'; backend: number } | { kind: 'result'; backend: number; passed: boolean; why: string };

export function simulateLoadBalancer(
  model: ControlPlaneModel,
  apiservers: Map<string, ApiserverState>,
  horizonUs: number,
  random: Random,
  timeline: TimelineEntry[],
  budget: WorkBudget = WorkBudget.unlimited(),
): Map<string, IntervalUs[]> {
  const lb = model.loadBalancer;
  const queue = new EventQueue<LbEvent>();
  const backends = model.nodes.map((n) => ({
    node: n.name,
    api: apiservers.get(n.name)!,
    inRotation: true,
    sinceUs: -model.warmupUs,
    fails: 0,
    passes: 0,
    rotation: [] as IntervalUs[],
  }));
  for (let b = 0; b < backends.length; b++)
    queue.push(-model.warmupUs + drawBelow(random, lb.intervalUs), { kind: 'check', backend: b });

  for (let next = queue.pop(); next && next.timeUs < horizonUs; next = queue.pop()) {
    budget.charge(1, loadBalancerDriver);
    const { timeUs, event } = next;
    const backend = backends[event.backend]!;
    if (event.kind === 'check') {
      queue.push(timeUs + lb.intervalUs, event);
      if (covers(backend.api.hostDown, timeUs))
        queue.push(timeUs + lb.timeoutUs, { kind: 'result', backend: event.backend, passed: false, why: 'no answer' });
      else if (!covers(backend.api.processUp, timeUs))
        queue.push(timeUs + model.requestLatencyUs, {
          kind: 'result',
          backend: event.backend,
          passed: false,
          why: 'connection refused',
        });
      else if (!covers(backend.api.serving, timeUs))
        queue.push(timeUs + Math.min(lb.timeoutUs, model.etcdReadycheckTimeoutUs), {
          kind: 'result',
          backend: event.backend,
          passed: false,
          why: 'etcd check failing',
        });
      else
        queue.push(timeUs + model.requestLatencyUs, {
          kind: 'result',
          backend: event.backend,
          passed: true,
          why: 'ok',
        });
      continue;
    }
    const visible = timeUs >= 0;
    if (event.passed) {
      backend.fails = 0;
      if (backend.inRotation) continue;
      backend.passes++;
      if (visible)
        timeline.push({
          timeUs,
          layer: 'load-balancer',
          subject: backend.node,
          text: `health check passed (${backend.passes}/${lb.healthyThreshold})`,
        });
      if (backend.passes >= lb.healthyThreshold) {
        backend.inRotation = true;
        backend.sinceUs = timeUs;
        if (visible) timeline.push({ timeUs, layer: 'load-balancer', subject: backend.node, text: 'back in rotation' });
      }
    } else {
      backend.passes = 0;
      if (!backend.inRotation) continue;
      backend.fails++;
      if (visible)
        timeline.push({
          timeUs,
          layer: 'load-balancer',
          subject: backend.node,
          text: `health check failed: ${event.why} (${backend.fails}/${lb.unhealthyThreshold})`,
        });
      if (backend.fails >= lb.unhealthyThreshold) {
        backend.inRotation = false;
        backend.rotation.push({ startUs: backend.sinceUs, endUs: timeUs });
        if (visible)
          timeline.push({ timeUs, layer: 'load-balancer', subject: backend.node, text: 'taken out of rotation' });
      }
    }
  }
  const out = new Map<string, IntervalUs[]>();
  for (const backend of backends) {
    if (backend.inRotation) backend.rotation.push({ startUs: backend.sinceUs, endUs: horizonUs });
    out.set(backend.node, normalize(backend.rotation));
  }
  return out;
}
