/**
 * A tuning-job runner that runs nothing: it accepts every job and reports one fixed queued job. The fuzzers
 * use it so that thousands of generated POST /v1/tunings requests exercise validation and limits without
 * starting real Workflows, and so that a repeated request gets the same bytes back (a real job has a new id).
 */
import type { TuningJobs } from '../../src/workflows/tuning-jobs.js';
import { queuedJobExample } from '../../src/http/schemas/tunings.js';

function inertTuningJobs(): TuningJobs {
  const { summary: _summary, ...queued } = queuedJobExample;
  return {
    runner: 'cloudflare-workflows',
    start: async () => queued,
    // Whatever was POSTed, the same job; an unknown id (any GET or DELETE) is 404.
    get: async (id) => (id === queued.id ? queued : null),
    cancel: async () => null,
  };
}

/** The app's env with the inert runner in place of the Workflow bindings. */
export const inertTuningEnv = { TUNING_JOBS: inertTuningJobs() };
