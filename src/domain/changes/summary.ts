/**
 * @module changes/summary
 * A paragraph to quote, built only from the plan's structured fields, at most 400 characters.
 */
import { plural } from '../text.js';
import type { ChangePlan } from './types.js';

export const maxSummaryChars = 400;

export function changeSummary(plan: Omit<ChangePlan, 'summary'>): string {
  if (plan.steps.length === 0) {
    return `Nothing to change: current and target have the same ${plural(plan.to.etcdVoters.length, 'voter', 'voters')}, version and topology.`;
  }
  // The kinds are codes (`kinds` lists them); the sentence says what changes in words.
  const moves = plan.from.topology !== plan.to.topology;
  const head =
    `${plural(plan.steps.length, 'step')} take the cluster from ` +
    `${plural(plan.from.etcdVoters.length, moves ? `${plan.from.topology} voter` : 'voter')} ` +
    `to ${plan.to.etcdVoters.length}${moves ? ` ${plan.to.topology}` : ''}` +
    (plan.versionPath.length > 1 ? `, etcd ${plan.versionPath.join(' → ')}` : '') +
    '.';
  const tolerance = plan.plannedDowntime
    ? ` It needs an outage of about ${Math.round(plan.expectedWriteUnavailability.plannedOutageS / 60)} min.`
    : plan.lowestTolerableFailures === 0
      ? ` During ${plural(plan.lowestToleranceSteps.length, 'step')} it tolerates no failure.`
      : ` It never tolerates fewer than ${plural(plan.lowestTolerableFailures, 'failure')}.`;
  const w = plan.expectedWriteUnavailability;
  const pauses =
    w.stepsWithElections > 0
      ? ` Leader moves typically pause writes for ${Math.round(w.electionsP50Ms)} ms in all (${w.trialsPerCase} simulated trials each).`
      : plan.plannedDowntime
        ? ''
        : ' No step needs a leader election.';
  // Codes stay in `findings`; a sentence to quote only says how many warnings to read there.
  const warnings = plan.findings.filter((f) => f.severity === 'warning').length;
  let text = head + tolerance + pauses;
  if (warnings > 0) text += ` Read its ${plural(warnings, 'warning', 'warnings')} before starting.`;
  return text.length <= maxSummaryChars ? text : `${text.slice(0, maxSummaryChars - 1)}…`;
}
