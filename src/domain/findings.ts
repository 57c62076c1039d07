/**
 * @module findings
 * A finding is one observation about a proposal: a rule it breaks, a risk it carries, or a fact worth
 * knowing. Codes are stable identifiers that clients may switch on; messages are for people.
 */

type Severity = 'error' | 'warning' | 'info';

import type { Citation } from './ledger/citation.js';

/** Where a rule comes from, so a reader can check it: a claims-ledger citation. */
export type Source = Citation;

export interface Finding {
  /** Stable, SCREAMING_SNAKE_CASE identifier; never reworded once published. */
  code: string;
  severity: Severity;
  message: string;
  /** JSON pointers (RFC 6901) into the request that the finding is about; empty when it is about the whole. */
  pointers: string[];
  source?: Source;
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then info; stable within a severity so answers stay byte-identical. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => severityRank[a.finding.severity] - severityRank[b.finding.severity] || a.index - b.index)
    .map(({ finding }) => finding);
}
