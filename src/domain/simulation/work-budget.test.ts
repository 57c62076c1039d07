import { describe, expect, it } from 'vitest';
import { WorkBudget, WorkBudgetExceeded } from './work-budget.js';

describe('WorkBudget', () => {
  it('lets charges up to the limit through and stops the one that passes it', () => {
    const budget = new WorkBudget(10);
    budget.charge(4);
    budget.charge(6);
    expect(budget.used).toBe(10);
    expect(budget.remaining).toBe(0);
    const error = (() => {
      try {
        budget.charge(1, { what: 'lease retries', field: 'leaderElection.retryPeriodS' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(WorkBudgetExceeded);
    expect(error).toMatchObject({ limit: 10, events: 11, phase: 'run', limitName: 'maxSimulationEvents' });
    expect((error as Error).message).toBe(
      'the simulation needs more than 10 events (the limit maxSimulationEvents): lease retries',
    );
  });

  it('refuses an estimate beyond what is left without charging it', () => {
    const budget = new WorkBudget(100);
    budget.charge(60);
    budget.expect(40, { what: 'etcd trials' });
    expect(budget.used).toBe(60);
    expect(() =>
      budget.expect(41, { what: 'load-balancer health checks', field: 'loadBalancer.healthCheckIntervalS' }),
    ).toThrow(
      'the simulation needs more than 100 events (the limit maxSimulationEvents): load-balancer health checks alone would need about 41',
    );
    // An estimate that is not a number (0/0 from a degenerate input) is refused, not let through.
    expect(() => budget.expect(Number.NaN, { what: 'x' })).toThrow(WorkBudgetExceeded);
  });

  it('carries the driver so a route can point at the field', () => {
    const budget = new WorkBudget(1, 'maxSimulationEvents');
    try {
      budget.expect(5, { what: 'load-balancer health checks', field: 'loadBalancer.healthCheckIntervalS' });
      expect.unreachable();
    } catch (e) {
      expect((e as WorkBudgetExceeded).driver?.field).toBe('loadBalancer.healthCheckIntervalS');
      expect((e as WorkBudgetExceeded).phase).toBe('estimate');
    }
  });

  it('never refuses when unlimited', () => {
    const budget = WorkBudget.unlimited();
    budget.charge(1e15);
    budget.expect(1e15, { what: 'anything' });
    expect(budget.used).toBe(1e15);
  });
});
