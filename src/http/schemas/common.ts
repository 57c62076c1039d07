/**
 * @module schemas/common
 * Schemas shared by several operations: findings, and the error responses every operation documents.
 */
import { z } from '@hono/zod-openapi';
import { ProblemSchema, problemContentType } from '../problem.js';

/**
 * A named (registered) schema or null. Not `.nullable()`: on a registered schema the generator marks the shared
 * component itself as `type: [object, null]` (or emits `allOf[$ref, {type: [object, null]}]`, which null can never
 * satisfy), so the document would contradict the answers. A union gives `anyOf: [{$ref}, {type: null}]`.
 */
export function orNull<T extends z.ZodType>(schema: T) {
  return z.union([schema, z.null()]);
}

export const SourceSchema = z
  .object({
    title: z.string().openapi({ example: 'etcd FAQ: fault tolerance table' }),
    url: z.string().openapi({ example: 'https://etcd.io/docs/v3.5/faq/' }),
  })
  .openapi('Source', { description: 'The public document a rule comes from.' });

export const FindingSchema = z
  .object({
    code: z
      .string()
      .openapi({ description: 'Stable identifier to switch on; never reworded.', example: 'EVEN_VOTER_COUNT' }),
    severity: z.enum(['error', 'warning', 'info']).openapi({
      description:
        '`error`: the proposal will not work or etcd/Kubernetes rejects it; `warning`: it works with a risk; `info`: worth knowing.',
    }),
    message: z.string().openapi({ description: 'What was found and what to do about it, for people.' }),
    pointers: z.array(z.string()).openapi({
      description: 'JSON pointers (or query parameter names) of the request fields the finding is about.',
      example: ['voters'],
    }),
    source: SourceSchema.optional(),
  })
  .openapi('Finding');

const problemExample = (status: number, type: string, title: string, detail: string) => ({
  type,
  title,
  status,
  detail,
  instance: '/v1/…',
  requestId: '5f0c6f4e-6a59-4d0e-9f6b-5b0cf0b1d2a4',
});

const problemResponses = {
  400: {
    description:
      'The request is invalid: a field breaks the schema or a documented limit, or the JSON is malformed. `errors` lists each offending field.',
    example: {
      ...problemExample(
        400,
        '/problems/validation',
        'Request validation failed',
        '1 problem in the request: voters: Too big: expected number to be <=1001.',
      ),
      errors: [{ pointer: 'voters', location: 'query', detail: 'Too big: expected number to be <=1001.' }],
    },
  },
  404: {
    description: 'No such path.',
    example: problemExample(404, '/problems/not-found', 'Not found', 'No route GET /v1/nope.'),
  },
  405: {
    description: 'The path exists but not for this method; the Allow header lists the methods it takes.',
    example: problemExample(
      405,
      '/problems/method-not-allowed',
      'Method not allowed',
      'DELETE is not allowed on /v1/quorum; use GET.',
    ),
  },
  413: {
    description: 'The body is larger than the limit maxBodyBytes (65536 bytes).',
    example: problemExample(
      413,
      '/problems/payload-too-large',
      'Request body too large',
      'The body exceeds the limit maxBodyBytes = 65536 bytes.',
    ),
  },
  415: {
    description: 'The body is not sent as application/json.',
    example: problemExample(
      415,
      '/problems/unsupported-media-type',
      'Unsupported media type',
      'Send the body as application/json; got text/plain.',
    ),
  },
  500: {
    description:
      'An unexpected failure on our side; the body carries no internals. Quote the requestId when reporting it.',
    example: problemExample(500, '/problems/internal', 'Internal server error', 'Something went wrong on our side.'),
  },
} as const;

export type DocumentedErrorStatus = keyof typeof problemResponses;

/** The OpenAPI `responses` entries for the given error statuses, all as problem+json. */
export function errorResponses<S extends DocumentedErrorStatus>(...statuses: S[]) {
  const entries = statuses.map((status) => {
    const { description, example } = problemResponses[status];
    return [status, { description, content: { [problemContentType]: { schema: ProblemSchema, example } } }] as const;
  });
  return Object.fromEntries(entries) as unknown as Record<
    S,
    { description: string; content: Record<string, { schema: typeof ProblemSchema; example: unknown }> }
  >;
}

/** Errors that any GET operation can answer with. */
export const getErrorStatuses = [400, 404, 405, 500] as const;
/** Errors that any POST operation with a JSON body can answer with. */
export const postErrorStatuses = [400, 404, 405, 413, 415, 500] as const;

/**
 * A whole-number query parameter. Query values arrive as strings; this accepts only plain digits (no "",
 * "1e3" or "0x10", which Number() would quietly accept) and documents the parameter as an integer.
 */
export function integerQuery(options: {
  min: number;
  max: number;
  maxName?: string;
  description: string;
  example: number;
}) {
  const limitNote = options.maxName ? ` (the limit ${options.maxName})` : '';
  // The value travels as text, but the parameter is an integer: say so when it is missing, not "expected string".
  const expected = `a whole number from ${options.min} to ${options.max}`;
  return z
    .string({
      error: (issue) =>
        issue.input === undefined ? `Required: ${expected}.` : `Must be ${expected}, written in digits.`,
    })
    .regex(/^\d{1,9}$/, `Must be a whole number from ${options.min} to ${options.max}, written in digits.`)
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(options.min, `Must be at least ${options.min}.`)
        .max(options.max, `Must be at most ${options.max}${limitNote}.`),
    )
    .openapi({
      type: 'integer',
      minimum: options.min,
      maximum: options.max,
      description: options.description,
      example: options.example,
    });
}

/**
 * A JSON media type whose example answer is computed when the OpenAPI document is first generated (the
 * generator copies the media type object, reading `example` then), not when the module loads: examples that
 * run the planner or the simulator would otherwise cost every Worker isolate at start.
 */
export function jsonWithLazyExample<S>(schema: S, compute: () => unknown): { schema: S; example: unknown } {
  let example: unknown;
  let computed = false;
  return {
    schema,
    get example() {
      if (!computed) {
        example = compute();
        computed = true;
      }
      return example;
    },
  };
}
