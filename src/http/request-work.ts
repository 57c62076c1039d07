/**
 * @module request-work
 * The simulated work of one request. Every route that simulates takes its WorkBudget from `requestBudget(c)`,
 * so the events a request processed can be read back afterwards (createApp's `onWork`): the work sweep
 * (test/work-sweep.test.ts) asserts on the events each request counted, not on time.
 */
import type { Context } from 'hono';
import { WorkBudget } from '../domain/simulation/work-budget.js';
import { limits } from './limits.js';

/** What one request simulated: every budget it used (normally one) and the events charged to each. */
export interface RequestWork {
  method: string;
  /** Path and query, as requested. */
  url: string;
  status: number;
  budgets: { limitName: string; limit: number; used: number }[];
  /** Events charged to all its budgets together. */
  events: number;
}

/** A budget of `limit` events for work this request does, recorded on the request when someone listens. */
export function requestBudget(
  c: Context,
  limit: number = limits.maxSimulationEvents,
  limitName = 'maxSimulationEvents',
): WorkBudget {
  const budget = new WorkBudget(limit, limitName);
  (c.get('workBudgets' as never) as WorkBudget[] | undefined)?.push(budget);
  return budget;
}

/** The report for a finished request, from the budgets its routes recorded. */
export function requestWork(c: Context, budgets: readonly WorkBudget[]): RequestWork {
  const url = new URL(c.req.url);
  return {
    method: c.req.method,
    url: url.pathname + url.search,
    status: c.res.status,
    budgets: budgets.map((b) => ({ limitName: b.limitName, limit: b.limit, used: b.used })),
    events: budgets.reduce((total, b) => total + b.used, 0),
  };
}
