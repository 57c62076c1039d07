/**
 * @module plan/timing
 * The one place the plan takes timing findings (etcd's and client-go's validation texts, etcd's tuning guide).
 * Those rules are owned by src/domain/timing-rules.ts (`timingFindings(proposal)`), written in parallel with
 * this planner.
 *
 * TIMING-RULES CALL SITE: until timing-rules.ts lands on main this returns no findings; once it does, replace
 * the body with `return timingFindings(proposal);` (import { timingFindings } from '../timing-rules.js').
 */
import type { Finding } from '../findings.js';
import type { Proposal } from '../proposal.js';

export function planTimingFindings(_proposal: Proposal): Finding[] {
  return [];
}
