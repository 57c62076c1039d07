import type { WorkBudget } from '../domain/simulation/work-budget.js';

/**
 * The Hono environment shared by every route: the request id set by the request-id middleware, and the work
 * budgets the request used (set only when createApp was given `onWork`; see request-work.ts).
 */
export type AppEnv = { Variables: { requestId: string; workBudgets?: WorkBudget[] } };
