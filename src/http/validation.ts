/**
 * @module validation
 * Turns zod's issues into problem-details entries that point at the offending field.
 */
import type { z } from '@hono/zod-openapi';
import type { ProblemError } from './problem.js';

type Location = ProblemError['location'];

/** RFC 6901: "~" and "/" inside a key are escaped as "~0" and "~1". */
export function jsonPointer(path: readonly PropertyKey[]): string {
  return path.map((key) => `/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

function pointerFor(path: readonly PropertyKey[], location: Location): string {
  // A query parameter is named by itself; anything deeper (none today) falls back to a pointer.
  if (location === 'query' || location === 'path' || location === 'header') {
    return path.length === 1 ? String(path[0]) : jsonPointer(path);
  }
  return jsonPointer(path);
}

/** Flattens zod issues (including each key of an "unrecognized keys" issue) into problem errors. */
export function issuesToProblemErrors(issues: readonly z.core.$ZodIssue[], location: Location): ProblemError[] {
  const errors: ProblemError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        errors.push({
          pointer: pointerFor([...issue.path, key], location),
          location,
          detail: `Unknown field "${key}": remove it or check its spelling (field names are case-sensitive).`,
        });
      }
      continue;
    }
    errors.push({ pointer: pointerFor(issue.path, location), location, detail: detailOf(issue) });
  }
  return errors;
}

/**
 * zod's message, except for a missing required field, where it says "expected object, received undefined":
 * that is answered in plain words naming the field ("voters is required.").
 */
function detailOf(issue: z.core.$ZodIssue): string {
  const missing = issue.code === 'invalid_type' && /received undefined$/.test(issue.message);
  if (!missing) return issue.message;
  const field = issue.path.at(-1);
  return field === undefined ? 'A request body is required.' : `${String(field)} is required.`;
}

/** "2 problems in the request: /a: …; /b: …" — the detail line of a validation problem. */
export function validationDetail(errors: readonly ProblemError[]): string {
  // Details end with a full stop already; joining them must not double it ("…maxQuorumVoters)..").
  const shown = errors.slice(0, 5).map((e) => `${e.pointer || '(the whole body)'}: ${e.detail.replace(/\.$/, '')}`);
  const more = errors.length > 5 ? `; and ${errors.length - 5} more` : '';
  const noun = errors.length === 1 ? 'problem' : 'problems';
  // Details are sentences that end in a full stop already; do not add a second one.
  const body = `${shown.join('; ')}${more}`;
  return `${errors.length} ${noun} in the request: ${body}${body.endsWith('.') ? '' : '.'}`;
}

export function targetToLocation(target: string): Location {
  if (target === 'query') return 'query';
  if (target === 'param') return 'path';
  if (target === 'header') return 'header';
  return 'body';
}
