/**
 * @module tuning
 * The timing tuner (POST /v1/tunings): a grid of etcd heartbeat / election timeout / pre-vote settings, for
 * each the failover time after a leader crash (the election engine) and the spurious-election rate of a
 * healthy cluster under a disturbance model (steady-cluster.ts with splitting.ts), then the frontier and a
 * recommendation (summarize.ts). Work is cut into pure, seeded steps (tuning-job.ts) that any runner can
 * execute: a Cloudflare Workflow, a worker-threads pool, or a plain loop.
 */
export type { Disturbance, EpisodeModel } from './disturbance.js';
export { quietDisturbance } from './disturbance.js';
export {
  etcdVerdict,
  gridPoints,
  planSteps,
  proposalAt,
  runStep,
  stepName,
} from './tuning-job.js';
export type {
  GridPoint,
  StepLimits,
  StepResult,
  TuningGrid,
  TuningInput,
  TuningObjective,
  TuningStep,
} from './tuning-job.js';
export { summarize } from './summarize.js';
export type { FailoverSummary, PointSummary, TuningAnswer } from './summarize.js';
export type { SpuriousRate } from './spurious-rate.js';
