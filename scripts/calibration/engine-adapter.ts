/**
 * @module calibration/engine-adapter
 * Runs the calibration settings through the election simulator in src/domain/simulation when it is present on
 * this branch, and reduces its trials to the figures the calibration compares.
 */
export interface EngineTrial {
  firstCampaignMs: number;
  electedMs: number;
  allKnowMs: number;
  terms: number;
  winnerSequence: string[];
}

export type EngineResult =
  | { ok: true; name: string; trials: EngineTrial[]; sampleTimeline?: string }
  | { ok: false; reason: string };

export interface EngineSettings {
  members: number;
  heartbeatMs: number;
  electionMs: number;
  preVote: boolean;
  fault: 'kill' | 'stop';
  trials: number;
  seed: number;
}

export async function simulateWithEngine(_s: EngineSettings): Promise<EngineResult> {
  return { ok: false, reason: 'the election simulator (src/domain/simulation) is not on this branch yet; run `git merge main` once it lands.' };
}
