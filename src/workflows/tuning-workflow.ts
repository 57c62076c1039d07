/**
 * @module workflows/tuning-workflow
 * The tuning job as a Cloudflare Workflow: the job's steps (domain/tuning/tuning-job.ts) run `parallelSteps`
 * at a time as `step.do` calls, each one pure and seeded, so a retried step returns the same result and the
 * Workflow's stored step results are the job's durable partial state; after each batch the progress goes to
 * KV, and the last step writes the answer there. Every step stays far inside a step's CPU budget
 * (limits tuningFailoverTrialsPerStep and maxTuningEventsPerStep).
 */
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from 'cloudflare:workers';
import { planSteps, runStep, type StepResult, stepName, summarize } from '../domain/tuning/index.js';
import { TuningStore, type TuningBindings, type TuningWorkflowParams } from './tuning-jobs.js';

export class TuningWorkflow extends WorkflowEntrypoint<TuningBindings, TuningWorkflowParams> {
  override async run(event: WorkflowEvent<TuningWorkflowParams>, step: WorkflowStep): Promise<{ points: number }> {
    const { id, input, stepLimits, parallelSteps, retentionS } = event.payload;
    const store = new TuningStore(this.env.TUNINGS_KV, retentionS);
    const steps = planSteps(input, stepLimits);
    const results: StepResult[] = [];
    for (let k = 0; k < steps.length; k += parallelSteps) {
      const batch = steps.slice(k, k + parallelSteps);
      const done = await Promise.all(
        batch.map((s) =>
          step.do(stepName(s), async () => runStep(input, s, stepLimits) as StepResult & Rpc.Serializable<StepResult>),
        ),
      );
      results.push(...(done as StepResult[]));
      const stepsDone = Math.min(steps.length, k + parallelSteps);
      await step.do(`progress-${stepsDone}`, async () => {
        await store.putProgress(id, stepsDone);
        return stepsDone;
      });
    }
    return step.do('answer', async () => {
      const answer = summarize(input, results);
      await store.putAnswer(id, answer);
      return { points: answer.points.length };
    });
  }
}
