/**
 * One thread of the Node tuning pool (src/node-tunings.ts): runs the steps it is sent, one at a time, with
 * the same pure step function the Workflow runs, and posts each result back.
 */
import { parentPort } from 'node:worker_threads';
import { runStep, type StepLimits, type TuningInput, type TuningStep } from './domain/tuning/index.js';

export interface StepMessage {
  ticket: number;
  input: TuningInput;
  step: TuningStep;
  stepLimits: StepLimits;
}

parentPort?.on('message', (message: StepMessage) => {
  try {
    const result = runStep(message.input, message.step, message.stepLimits);
    parentPort?.postMessage({ ticket: message.ticket, result });
  } catch (error) {
    parentPort?.postMessage({ ticket: message.ticket, error: error instanceof Error ? error.message : String(error) });
  }
});
