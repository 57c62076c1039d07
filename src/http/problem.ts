/**
 * @module problem
 * RFC 9457 problem details. Every 4xx and 5xx this API sends is one of these, as application/problem+json.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const problemContentType = 'application/problem+json';

/** Problem types are relative URIs under /problems/, each documented at that address. */
const problemTypes = {
  validation: { uri: '/problems/validation', title: 'Request validation failed' },
  malformedJson: { uri: '/problems/malformed-json', title: 'Malformed JSON body' },
  unsupportedMediaType: { uri: '/problems/unsupported-media-type', title: 'Unsupported media type' },
  payloadTooLarge: { uri: '/problems/payload-too-large', title: 'Request body too large' },
  notFound: { uri: '/problems/not-found', title: 'Not found' },
  methodNotAllowed: { uri: '/problems/method-not-allowed', title: 'Method not allowed' },
  internal: { uri: '/problems/internal', title: 'Internal server error' },
  unavailable: { uri: '/problems/unavailable', title: 'Service unavailable' },
  unsafeChange: { uri: '/problems/unsafe-change', title: 'Unsafe or impossible change' },
} as const;

export type ProblemKind = keyof typeof problemTypes;

const ProblemErrorSchema = z
  .object({
    pointer: z.string().openapi({
      description:
        'Where the problem is: a JSON pointer (RFC 6901) into the request body such as `/controlPlane/nodes/1/zone`, or, for a query parameter, its name.',
      example: '/controlPlane/nodes',
    }),
    location: z
      .enum(['body', 'query', 'path', 'header'])
      .openapi({ description: 'Which part of the request the pointer refers to.' }),
    detail: z
      .string()
      .openapi({ description: 'What is wrong there and how to fix it.', example: 'Must be at least 1.' }),
  })
  .openapi('ProblemError');

export const ProblemSchema = z
  .object({
    type: z
      .string()
      .openapi({ description: 'A URI reference naming the kind of problem.', example: problemTypes.validation.uri }),
    title: z.string().openapi({ example: problemTypes.validation.title }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().openapi({ example: '1 problem in the request: /voters: Must be at least 0.' }),
    instance: z.string().optional().openapi({ description: 'The request path.', example: '/v1/quorum' }),
    requestId: z.string().optional().openapi({ description: 'The X-Request-Id of the request, for support.' }),
    errors: z
      .array(ProblemErrorSchema)
      .optional()
      .openapi({ description: 'One entry per invalid field (validation problems only).' }),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details.' });

type Problem = z.infer<typeof ProblemSchema>;
export type ProblemError = z.infer<typeof ProblemErrorSchema>;

function problemBody(c: Context, kind: ProblemKind, status: number, detail: string, errors?: ProblemError[]): Problem {
  const { uri, title } = problemTypes[kind];
  const requestId = c.get('requestId' as never) as string | undefined;
  return {
    type: uri,
    title,
    status,
    detail,
    instance: c.req.path,
    ...(requestId ? { requestId } : {}),
    ...(errors ? { errors } : {}),
  };
}

export function problemResponse(
  c: Context,
  kind: ProblemKind,
  status: ContentfulStatusCode,
  detail: string,
  options: { errors?: ProblemError[]; headers?: Record<string, string> } = {},
): Response {
  const body = problemBody(c, kind, status, detail, options.errors);
  return c.body(JSON.stringify(body), status, { 'Content-Type': problemContentType, ...options.headers });
}
