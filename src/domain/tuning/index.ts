/**
 * @module tuning
 * The timing tuner (POST /v1/tunings): a grid of etcd heartbeat / election timeout / pre-vote settings, for
 * each the failover time after a leader crash (the election engine) and the spurious-election rate of a
 * healthy cluster under a disturbance model (steady-cluster.ts with splitting.ts), then the frontier and a
 * recommendation (summarize.ts). Work is cut into pure, seeded steps (tuning-job.ts) that any runner can
 * execute: a Cloudflare Workflow, a worker-threads pool, or a plain loop.
 */
export { quietDisturbance } from './disturbance.js';
export {
  planSteps,
  runStep,
  stepName,
} from './tuning-job.js';
export type {
  StepLimits,
  StepResult,
  TuningInput,
  TuningStep,
} from './tuning-job.js';
export { summarize } from './summarize.js';
export type { TuningAnswer } from './summarize.js';
