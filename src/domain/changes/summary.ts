/**
 * @module changes/summary
 * A paragraph to quote, built only from the plan's structured fields, at most 400 characters.
 */
import type { ChangePlan } from './types.js';

export const maxSummaryChars = 400;

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function changeSummary(plan: Omit<ChangePlan, 'summary'>): string {
  if (plan.steps.length === 0) {
    return `Nothing to change: current and target have the same ${plural(plan.to.voters.length, 'voter', 'voters')}, version and topology.`;
  }
  const head =
    `${plural(plan.steps.length, 'step', 'steps')} (${plan.kinds.join(', ')}) take the cluster from ` +
    `${plural(plan.from.voters.length, 'voter', 'voters')} to ${plan.to.voters.length}` +
    (plan.versionPath.length > 1 ? `, etcd ${plan.versionPath.join(' → ')}` : '') +
    '.';
  const tolerance = plan.plannedDowntime
    ? ` It needs an outage of about ${Math.round(plan.expectedWriteUnavailability.plannedOutageS / 60)} min.`
    : plan.lowestTolerableFailures === 0
      ? ` At its weakest (${plural(plan.lowestToleranceSteps.length, 'step', 'steps')}) it tolerates no failure.`
      : ` It never tolerates fewer than ${plural(plan.lowestTolerableFailures, 'failure', 'failures')}.`;
  const w = plan.expectedWriteUnavailability;
  const pauses =
    w.stepsWithElections > 0
      ? ` Leader moves cost at most ${Math.round(w.electionsP50Ms)} ms of write pauses (sum of p50s, ${w.trialsPerCase} trials each).`
      : plan.plannedDowntime
        ? ''
        : ' No step needs a leader election.';
  const warnings = plan.findings.filter((f) => f.severity === 'warning').map((f) => f.code);
  let text = head + tolerance + pauses;
  if (warnings.length > 0) {
    const tail = ` Warnings: ${warnings.join(', ')}.`;
    text += text.length + tail.length <= maxSummaryChars ? tail : ` ${plural(warnings.length, 'warning', 'warnings')}.`;
  }
  return text.length <= maxSummaryChars ? text : `${text.slice(0, maxSummaryChars - 1)}…`;
}
