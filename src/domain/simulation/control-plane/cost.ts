/**
 * @module simulation/control-plane/cost
 * Estimates of the events a control-plane trial processes, checked against the work budget before any trial
 * runs: the load balancer checks every backend once per interval (a check and its result), and every lease
 * candidate tries or renews about once per RetryPeriod (a try is at most five events: the try, a Get or an
 * Update, its completion, and on the slow path one more request and completion). Both grow without bound as
 * the interval or the retry period shrinks, which is why they are checked before running, not only while.
 */
import { loadBalancerDriver } from './load-balancer.js';
import { leaseElectionDriver } from './lease-election.js';
import { leaseComponents, type ControlPlaneModel } from './model.js';
import type { WorkBudget } from '../work-budget.js';

interface ControlPlaneCostEstimate {
  loadBalancerEvents: number;
  leaseEvents: number;
}

/** Estimated events of one trial simulated from the warm-up's start to `horizonUs`. */
function estimateTrialEvents(model: ControlPlaneModel, horizonUs: number): ControlPlaneCostEstimate {
  const spanUs = model.warmupUs + horizonUs;
  const backends = model.nodes.length;
  return {
    loadBalancerEvents: 2 * backends * Math.ceil(spanUs / model.loadBalancer.intervalUs),
    leaseEvents: 5 * leaseComponents.length * model.nodes.length * Math.ceil(spanUs / model.retryPeriodUs),
  };
}

/** Refuses, before running, `trials` trials whose estimated events do not fit in the budget. */
export function expectTrialsFit(model: ControlPlaneModel, horizonUs: number, trials: number, budget: WorkBudget): void {
  const estimate = estimateTrialEvents(model, horizonUs);
  budget.expect(trials * estimate.loadBalancerEvents, loadBalancerDriver);
  budget.expect(trials * estimate.leaseEvents, leaseElectionDriver);
  budget.expect(trials * (estimate.loadBalancerEvents + estimate.leaseEvents), {
    what: 'load-balancer health checks and lease renewals together',
  });
}
