/**
 * @module simulation/work-budget
 * One budget of simulated events for a whole request, shared by every layer that simulates: the etcd engine,
 * the load balancer's health checks, apiserver readiness, the client-go lease elections. Every event any layer
 * processes is charged to the same counter, so the bound holds whatever mix of layers and trials a request
 * asks for.
 *
 * Two checks, both deterministic (the same request always passes or fails the same way):
 * - before a run, `expect(events, …)`: an estimate of the work a layer is about to do; refusing here costs
 *   nothing (a health-check interval of 1 µs over a 40 s trial is refused before a single check runs);
 * - during a run, `charge(events)`: the hard stop, for work no estimate foresaw.
 * Both throw `WorkBudgetExceeded`, which names the limit; the HTTP layer turns it into a 400.
 *
 * Hot loops may count locally and charge in batches; nothing may run unbounded between charges.
 *
 * @example
 * const budget = new WorkBudget(3_000_000);
 * budget.expect(estimatedChecks, { what: 'load-balancer health checks', field: 'loadBalancer.healthCheckIntervalS' });
 * for (…) { budget.charge(1); … }
 */

/** The request field that drives a cost most, in the proposal's dotted form (e.g. `leaderElection.retryPeriodS`). */
export interface CostDriver {
  /** What the events are, in plain words: "load-balancer health checks". */
  what: string;
  /** The field whose value makes them many, if one does. */
  field?: string;
}

export class WorkBudgetExceeded extends Error {
  /** The limit's name, as the limits table and the error messages spell it. */
  readonly limitName: string;
  constructor(
    readonly limit: number,
    /** `run`: the events charged when it stopped; `estimate`: the estimate that was refused. */
    readonly events: number,
    /** `estimate`: refused before running; `run`: stopped while running. */
    readonly phase: 'estimate' | 'run',
    readonly driver: CostDriver | undefined,
    limitName: string,
  ) {
    super(
      `the simulation needs more than ${limit} events (the limit ${limitName})` +
        (driver ? `: ${driver.what}${phase === 'estimate' ? ` alone would need about ${events}` : ''}` : ''),
    );
    this.name = 'WorkBudgetExceeded';
    this.limitName = limitName;
  }
}

export class WorkBudget {
  private usedEvents = 0;

  constructor(
    readonly limit: number,
    readonly limitName = 'maxSimulationEvents',
  ) {
    if (!(limit >= 0)) throw new RangeError(`a work budget needs a limit of at least 0, got ${limit}`);
  }

  /** A budget that never refuses: for scripts, benchmarks and tests that bound their own work. */
  static unlimited(): WorkBudget {
    return new WorkBudget(Number.POSITIVE_INFINITY);
  }

  /** Events charged so far. */
  get used(): number {
    return this.usedEvents;
  }

  get remaining(): number {
    return this.limit - this.usedEvents;
  }

  /** Charges events already processed (or about to be); throws once the total passes the limit. */
  charge(events: number, driver?: CostDriver): void {
    this.usedEvents += events;
    if (this.usedEvents > this.limit)
      throw new WorkBudgetExceeded(this.limit, this.usedEvents, 'run', driver, this.limitName);
  }

  /** Refuses, before any work, a run whose estimated events do not fit in what is left. Charges nothing. */
  expect(events: number, driver: CostDriver): void {
    if (!(events <= this.remaining))
      throw new WorkBudgetExceeded(this.limit, Math.ceil(events), 'estimate', driver, this.limitName);
  }
}
