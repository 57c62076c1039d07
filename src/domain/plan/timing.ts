/**
 * @module plan/timing
 * The one place the plan takes timing findings: etcd's and client-go's start-up validation (their exact
 * texts) and etcd's tuning guide for the proposal's RTTs. The rules live in src/domain/timing-rules.ts.
 */
import type { Finding } from '../findings.js';
import type { Proposal } from '../proposal.js';
import { timingFindings } from '../timing-rules.js';

export function planTimingFindings(proposal: Proposal, basePointer: string): Finding[] {
  return timingFindings(proposal, basePointer);
}
