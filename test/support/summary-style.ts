/**
 * The style every summary keeps (issue 11, point 8), shared by the summary tests.
 */
import { expect } from 'vitest';

export function checkStyle(summary: string, limit = 400): void {
  expect(summary.length, summary).toBeLessThanOrEqual(limit);
  expect(summary, 'no "(s)" plurals').not.toMatch(/\w\(s\)/);
  expect(summary, 'no "1 voters"').not.toMatch(
    /(^|[^\d.])1 (voters|failures|hosts|zones|learners|members|nodes|addresses|points|steps|trials|rounds|votes|warnings|crashes)\b/,
  );
  expect(summary, 'no internal codes').not.toMatch(/\b[A-Z]{2,}_[A-Z_]{2,}\b/);
  expect(summary, 'no issue references').not.toMatch(/issue \d+/i);
  expect(summary).not.toContain('Main caveat');
}
