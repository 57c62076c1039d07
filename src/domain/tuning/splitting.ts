/**
 * @module tuning/splitting
 * The rate of a rare event in a steady process by multilevel splitting (fixed effort; the steady-state
 * decomposition of Garvels 2000 and Glasserman, Heidelberger, Shahabuddin & Zajic 1999):
 *
 *   rate = λ₁ · P(ℓ₂ | ℓ₁) · P(ℓ₃ | ℓ₂) · … · P(event | ℓ_K)
 *
 * λ₁ is how often the importance function φ (steady-cluster.ts: ticks of silence) climbs from its normal
 * level ℓ₀ to ℓ₁, counted directly over a steady horizon; each P(ℓ_{k+1} | ℓ_k) is estimated by restarting
 * `effort` copies of states that entered ℓ_k (with new randomness) and counting those that reach ℓ_{k+1}
 * before falling back to ℓ₀. Each factor is frequent enough to count, so a rate of once per century costs
 * about as much as one of once a day. Elections seen during the direct phase are returned too, so the same
 * run gives the direct count to compare with where the rate is large enough.
 */
import { Random } from '../random.js';
import { SteadyCluster, type SteadyClusterConfig } from './steady-cluster.js';

export interface SplittingOptions {
  seed: number;
  /** Label of this replication (a step of the job), so replications are independent streams. */
  label: string;
  /** Steady time simulated directly, µs. */
  horizonUs: number;
  /** Restarts per level. */
  effort: number;
  /** Hard cap on simulation events; the run stops where it is and says so. */
  maxEvents: number;
}

export interface SplittingResult {
  /** The levels ℓ₁..ℓ_K in ticks of silence (the event is the last, implicit level). */
  levels: number[];
  /** Direct phase: steady time, spurious elections counted, entrances into ℓ₁. */
  exposureUs: number;
  directElections: number;
  entrances: number;
  /** Per stage k (ℓ_k → ℓ_{k+1}, the last one → event): restarts and how many reached the next level. */
  stages: { tries: number; successes: number }[];
  processed: number;
  truncated: boolean;
}

/** Levels ℓ₁..ℓ_K in ticks: at most `maxStages`, spread evenly from 2 ticks of silence to et − 1. */
export function splittingLevels(electionTicks: number, maxStages = 6): number[] {
  const top = electionTicks - 1;
  if (top < 2) return [];
  const count = Math.min(maxStages, top - 1);
  const levels: number[] = [];
  for (let k = 0; k < count; k++) {
    const level = Math.round(2 + (k * (top - 2)) / Math.max(1, count - 1));
    if (levels.at(-1) !== level) levels.push(level);
  }
  return levels;
}

/** The normal level ℓ₀: a follower has heard the leader within the last tick. */
const returnLevel = 1;

export function estimateBySplitting(config: SteadyClusterConfig, options: SplittingOptions): SplittingResult {
  const first = new SteadyCluster(config, Random.derive(options.seed, options.label));
  const levels = splittingLevels(first.electionTicks);
  const result: SplittingResult = {
    levels,
    exposureUs: 0,
    directElections: 0,
    entrances: 0,
    stages: [],
    processed: 0,
    truncated: false,
  };
  let budget = options.maxEvents;
  // Direct phase: count elections and keep the states that enter ℓ₁ (all of them, up to `effort` kept by
  // reservoir sampling so memory stays bounded).
  const entry = levels[0] ?? Number.POSITIVE_INFINITY;
  let armed = true;
  let kept: SteadyCluster[] = [];
  const reservoir = Random.derive(options.seed, `${options.label}:reservoir`);
  // The direct phase gets at most half the budget, so the stages always have some.
  while (first.nowUs < options.horizonUs && first.processed < budget / 2) {
    first.step();
    if (first.fired) {
      result.directElections++;
      first.startSteadyPeriod();
      armed = true;
      continue;
    }
    const phi = first.phi();
    if (armed && phi >= entry) {
      armed = false;
      result.entrances++;
      const slot = result.entrances <= options.effort ? kept.length : reservoir.nextInt(result.entrances);
      if (slot < options.effort) kept[slot] = first.clone(Random.derive(options.seed, `${options.label}:e${slot}`));
    } else if (!armed && phi <= returnLevel) armed = true;
  }
  result.exposureUs = Math.min(first.nowUs, options.horizonUs);
  result.truncated = first.nowUs < options.horizonUs;
  budget -= first.processed;
  result.processed = first.processed;
  if (levels.length === 0) return result;

  for (let k = 0; k < levels.length; k++) {
    const target = levels[k + 1] ?? Number.POSITIVE_INFINITY;
    const stage = { tries: 0, successes: 0 };
    result.stages.push(stage);
    if (kept.length === 0) break;
    const next: SteadyCluster[] = [];
    const pick = Random.derive(options.seed, `${options.label}:pick${k}`);
    for (let r = 0; r < options.effort; r++) {
      if (budget <= 0) {
        result.truncated = true;
        break;
      }
      const start = kept[pick.nextInt(kept.length)]!;
      const copy = start.clone(Random.derive(options.seed, `${options.label}:s${k}:${r}`));
      const before = copy.processed;
      const outcome = climb(copy, target, budget);
      budget -= copy.processed - before;
      result.processed += copy.processed - before;
      stage.tries++;
      if (outcome) {
        stage.successes++;
        next.push(copy);
      }
    }
    kept = next;
  }
  return result;
}

/** Runs a copy until φ reaches `target` (true) or falls back to ℓ₀ (false). */
function climb(cluster: SteadyCluster, target: number, budget: number): boolean {
  const start = cluster.processed;
  while (cluster.processed - start < budget) {
    cluster.step();
    const phi = cluster.phi();
    if (phi >= target) return true;
    if (phi <= returnLevel) return false;
  }
  return false;
}
