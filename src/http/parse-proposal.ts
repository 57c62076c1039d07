/**
 * @module parse-proposal
 * One way into the engine for every operation that takes a proposed cluster (/v1/plans, /v1/recommendations'
 * answers, /v1/config, /v1/simulations, the MCP tools): schema check, then normalization, with both kinds of
 * error reported the same way, as validation problems whose pointers lead to the offending field.
 *
 * The proposal may sit under a key of a larger body (e.g. `{ "cluster": {...}, "scenario": {...} }`): pass
 * its pointer ("/cluster") and every pointer, in errors and in the proposal's entities, includes it.
 */
import type { Context } from 'hono';
import { normalizeProposal, type NormalizationError } from '../domain/normalize-proposal.js';
import type { Proposal } from '../domain/proposal.js';
import type { ProposalInput } from '../domain/proposal-input.js';
import { problemResponse, type ProblemError } from './problem.js';
import { ProposalInputSchema } from './schemas/proposal.js';
import { issuesToProblemErrors, validationDetail } from './validation.js';

export type CheckedProposal =
  | { ok: true; proposal: Proposal; input: ProposalInput }
  | { ok: false; errors: ProblemError[] };

/** Normalization errors as problem-details entries (they already carry the base pointer). */
export function normalizationProblemErrors(errors: readonly NormalizationError[]): ProblemError[] {
  return errors.map(({ pointer, detail }) => ({ pointer, location: 'body', detail }));
}

/**
 * Validates `body` against ProposalInputSchema and normalizes it. Without an HTTP context, for the MCP tools
 * and tests: errors come back as data.
 */
export function checkProposal(body: unknown, basePointer = ''): CheckedProposal {
  const parsed = ProposalInputSchema.safeParse(body);
  if (!parsed.success) {
    const prefixed = issuesToProblemErrors(parsed.error.issues, 'body').map((error) => ({
      ...error,
      pointer: basePointer + error.pointer,
    }));
    return { ok: false, errors: prefixed };
  }
  const input = parsed.data as ProposalInput;
  const result = normalizeProposal(input, { basePointer });
  if (!result.ok) return { ok: false, errors: normalizationProblemErrors(result.errors) };
  return { ok: true, proposal: result.proposal, input };
}

/**
 * For routes, whose validator has already checked the body against a schema built from ProposalInputSchema
 * (so a second zod pass would only cost time): the normalized proposal, or a ready 400 problem+json response
 * in the same shape as schema errors. Usage:
 *
 *   const parsed = parseProposal(c, c.req.valid('json').cluster, '/cluster');
 *   if (!parsed.ok) return parsed.response;
 */
export function parseProposal(
  c: Context,
  input: ProposalInput,
  basePointer = '',
): { ok: true; proposal: Proposal; input: ProposalInput } | { ok: false; response: Response } {
  const result = normalizeProposal(input, { basePointer });
  if (result.ok) return { ok: true, proposal: result.proposal, input };
  const errors = normalizationProblemErrors(result.errors);
  return {
    ok: false,
    response: problemResponse(c, 'validation', 400, validationDetail(errors), { errors }),
  };
}
