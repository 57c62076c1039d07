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
import { plural } from '../text.js';
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

/**
 * The scenario in words, when short enough to quote (the answer's `scenario` field has it in full); a long
 * schedule of faults is named by its first.
 */
function shortScenarioWords(scenario: Scenario): string {
  const words = scenarioWords(scenario);
  if (words.length <= 90) return words;
  return `${scenario.faults.length} faults`;
}

/** "(5 voters)" or "(3 voters, 1 learner)": the cluster in the answer's own counts. */
function clusterCounts(input: ElectionSimulationInput): string {
  const learners = input.config.members.filter((m) => m.learner).length;
  const voters = input.config.members.length - learners;
  return `(${plural(voters, 'voter')}${learners > 0 ? `, ${plural(learners, 'learner')}` : ''})`;
}

/**
 * One trial, answer first: how long writes were unavailable, then who led and when. Built from the trial's
 * metrics only; the cluster's timing, the seed and the scenario in full are fields of the answer.
 */
function trialSummary(input: ElectionSimulationInput, trial: TrialResult): string {
  const m = trial.metrics;
  const lead = `In one simulated trial of ${shortScenarioWords(input.scenario)} ${clusterCounts(input)}, `;
  if (m.newLeaderAfterUs === null) {
    return m.unavailableUs === 0
      ? `${lead}writes never stopped: the leader kept its quorum, so no election was needed.`
      : `${lead}no new leader was elected within the simulated horizon; writes were unavailable for ${formatDuration(m.unavailableUs)}.`;
  }
  const know =
    m.allKnowAfterUs !== null
      ? ` and every live member followed it after ${formatDuration(m.allKnowAfterUs)}`
      : '; some live member never learned of it';
  const splits = m.splitVotes === 0 ? 'no split vote' : plural(m.splitVotes, 'split vote');
  const preVotes = m.preVoteRounds ? ` (${plural(m.preVoteRounds, 'pre-vote round')})` : '';
  return (
    `${lead}writes were unavailable for ${formatDuration(m.unavailableUs)} in all: ` +
    `${m.newLeader} became leader ${formatDuration(m.newLeaderAfterUs)} after the first fault${know}. ` +
    `It took ${plural(m.electionRounds, 'election round')}${preVotes} and ${splits}.`
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

/** " (p90 1.3 s, p99 1.6 s)": the tail percentiles the trials support, or nothing. */
function tail(d: Distribution): string {
  const shown = percentiles(d, ['p90', 'p99']);
  return shown ? ` (${shown})` : '';
}

/** The median as a phrase: "1.067 s", or why there is none. */
function typical(d: Distribution): string {
  return d.p50Us !== null ? formatDuration(d.p50Us) : 'longer than the horizon';
}

/**
 * Many trials, answer first: how long writes were typically unavailable, and when a new leader came, each
 * with the percentiles its trial count supports (the `withheld` fields say why one is missing).
 */
function monteCarloSummary(input: ElectionSimulationInput, mc: MonteCarloResult): string {
  const d = mc.newLeader;
  const what = `${shortScenarioWords(input.scenario)} ${clusterCounts(input)}`;
  if (d.count === 0) {
    return `In none of ${mc.trials} simulated trials of ${what} was a new leader elected within the horizon; writes were typically unavailable for ${typical(mc.unavailable)}.`;
  }
  const censored = d.censored > 0 ? ` In ${plural(d.censored, 'trial')} no new leader came within the horizon.` : '';
  const rates = ` Split votes occurred in ${(100 * mc.splitVoteRate).toFixed(1)}% of trials; ${(100 * mc.multiTermShare).toFixed(1)}% needed more than one term.`;
  const full =
    `Over ${mc.trials} simulated trials of ${what}, writes were typically unavailable for ${typical(mc.unavailable)}${tail(mc.unavailable)}, ` +
    `and a new leader was typically elected after ${typical(d)}${tail(d)}.`;
  const text = full + rates + censored;
  // The tail of the second figure is the first detail to go when the sentence would run long.
  return text.length <= 400
    ? text
    : `Over ${mc.trials} simulated trials of ${what}, writes were typically unavailable for ${typical(mc.unavailable)}${tail(mc.unavailable)}, and a new leader was typically elected after ${typical(d)}.${rates}${censored}`;
}
