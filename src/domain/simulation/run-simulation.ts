/**
 * @module simulation/run-simulation
 * One election simulation as the API runs it: a single trial with its timeline, or a Monte Carlo run with
 * distributions (and optionally trial 0 in full), plus a summary a person or a chat bot can quote.
 */
import { Random } from '../random.js';
import type { ElectionConfig } from './election-config.js';
import { runTrial, type TrialResult } from './election-engine.js';
import { runMonteCarlo, type Distribution, type MonteCarloResult } from './monte-carlo.js';
import type { Scenario } from './scenario.js';
import type { WorkBudget } from './work-budget.js';
import { describeTarget } from './election-engine.js';

export interface ElectionSimulationInput {
  config: ElectionConfig;
  scenario: Scenario;
  trials: number;
  seed: number;
  /** For trials > 1: also run trial 0 in full (timeline and service timeline). */
  includeTimeline: boolean;
  /** For trials > 1: every trial's outcome. */
  includeSamples?: boolean;
  maxEventsPerTrial: number;
  /** The request's one work budget (every event of every trial is charged to it). */
  budget: WorkBudget;
  maxTimelineEntries: number;
  /** Words for the summary, e.g. "a 5-member etcd 3.5 cluster". */
  clusterWords: string;
}

export interface ElectionSimulationOutput {
  trial?: TrialResult;
  distribution?: Omit<MonteCarloResult, 'firstTrial' | 'seed' | 'trials'>;
  summary: string;
}

export function runElectionSimulation(input: ElectionSimulationInput): ElectionSimulationOutput {
  const { config, scenario, trials, seed } = input;
  if (trials === 1) {
    const trial = runTrial(config, scenario, Random.derive(seed, 0), {
      recordTimeline: true,
      recordService: true,
      seed,
      trialIndex: 0,
      maxEvents: input.maxEventsPerTrial,
      maxTimelineEntries: input.maxTimelineEntries,
      budget: input.budget,
    });
    return { trial, summary: trialSummary(input, trial) };
  }
  const mc = runMonteCarlo(config, scenario, {
    trials,
    seed,
    includeFirstTrial: input.includeTimeline,
    includeSamples: input.includeSamples === true,
    maxEventsPerTrial: input.maxEventsPerTrial,
    budget: input.budget,
    maxTimelineEntries: input.maxTimelineEntries,
  });
  const { firstTrial, seed: _seed, trials: _trials, ...distribution } = mc;
  return { ...(firstTrial ? { trial: firstTrial } : {}), distribution, summary: monteCarloSummary(input, mc) };
}

/** Seconds with up to three decimals, e.g. "1.066 s", or "12.4 ms" below one second. */
function formatDuration(us: number): string {
  if (us < 1_000_000) return `${(us / 1000).toFixed(1)} ms`;
  return `${(us / 1_000_000).toFixed(3)} s`;
}

function scenarioWords(scenario: Scenario): string {
  if (scenario.faults.length === 0) return 'starting the cluster';
  const parts = scenario.faults.map((f) => {
    const when = f.at.withinMs
      ? `at a random moment in [${f.at.atMs}, ${f.at.atMs + f.at.withinMs}) ms`
      : `at ${f.at.atMs} ms`;
    if (f.type === 'partition')
      return `${f.oneWay ? 'a one-way partition' : 'a partition'} of ${f.groups.map((g) => g.join('+')).join(' | ')} ${when}${f.healAfterMs !== undefined ? `, healed ${f.healAfterMs} ms later` : ''}`;
    const verb = f.type === 'crash' ? 'crashing' : 'gracefully stopping';
    return `${verb} ${describeTarget(f.target)} ${when}${f.restartAfterMs !== undefined ? `, restarted ${f.restartAfterMs} ms later` : ''}`;
  });
  return parts.join('; then ');
}

function trialSummary(input: ElectionSimulationInput, trial: TrialResult): string {
  const m = trial.metrics;
  const lead = `One trial (seed ${input.seed}) of ${scenarioWords(input.scenario)} in ${input.clusterWords}: `;
  if (m.newLeaderAfterUs === null) {
    const stillLed =
      m.unavailableUs === 0
        ? 'The leader kept its quorum, so no election was needed and writes never stopped.'
        : `No new leader within the simulated horizon; writes were unavailable for ${formatDuration(m.unavailableUs)}.`;
    return lead + stillLed;
  }
  const know =
    m.allKnowAfterUs !== null
      ? `; every live member followed it ${formatDuration(m.allKnowAfterUs)} after the fault`
      : '; some live member never learned of it (cut off?)';
  return (
    lead +
    `${m.newLeader} became leader in term ${m.newLeaderTerm} ${formatDuration(m.newLeaderAfterUs)} after the fault${know}. ` +
    `It took ${m.electionRounds} election round${m.electionRounds === 1 ? '' : 's'}${m.preVoteRounds ? ` (${m.preVoteRounds} pre-vote)` : ''} and ${m.splitVotes} split vote${m.splitVotes === 1 ? '' : 's'}; ` +
    `writes were unavailable for ${formatDuration(m.unavailableUs)} in all.`
  );
}

/**
 * "p50 1.2 s, p90 1.8 s, p99 2.4 s": the percentiles the trials support (statistics.ts withholds a p90 below 20
 * trials and a p99 below 200), a censored one as "not reached within the horizon".
 */
function percentiles(d: Distribution, names: readonly ('p50' | 'p90' | 'p99')[]): string {
  const parts: string[] = [];
  for (const name of names) {
    const v = d[`${name}Us`];
    if (v !== null) parts.push(`${name} ${formatDuration(v)}`);
    else if (d.withheld[name] === 'censored') parts.push(`${name} not reached within the horizon`);
  }
  return parts.join(', ');
}

function monteCarloSummary(input: ElectionSimulationInput, mc: MonteCarloResult): string {
  const d = mc.newLeader;
  const lead = `${mc.trials} seeded trials (seed ${mc.seed}) of ${scenarioWords(input.scenario)} in ${input.clusterWords}: `;
  if (d.count === 0) {
    return `${lead}no trial elected a new leader within the horizon; median unavailability ${percentiles(mc.unavailable, ['p50']).slice(4)}.`;
  }
  const censored =
    d.censored > 0 ? ` ${d.censored} trial${d.censored === 1 ? '' : 's'} had no new leader within the horizon.` : '';
  const max = d.maxUs !== null ? formatDuration(d.maxUs) : 'not reached within the horizon';
  const fewer =
    mc.trials < 200 ? ` (a p99 needs at least 200 trials${mc.trials < 20 ? ', a p90 at least 20' : ''})` : '';
  return (
    lead +
    `a new leader was elected after ${percentiles(d, ['p50', 'p90', 'p99'])} (min ${formatDuration(d.minUs!)}, max ${max})${fewer}; ` +
    `every live member followed it by ${percentiles(mc.allKnow, ['p50', 'p99'])}. ` +
    `Writes were unavailable for ${percentiles(mc.unavailable, ['p50', 'p99'])}. ` +
    `Split votes occurred in ${(100 * mc.splitVoteRate).toFixed(1)}% of trials, and ${(100 * mc.multiTermShare).toFixed(1)}% needed more than one term; ${mc.meanElectionRounds.toFixed(2)} election rounds on average.${censored}`
  );
}
