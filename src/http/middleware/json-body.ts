/**
 * @module middleware/json-body
 * Guards every POST before its schema runs: the body must be JSON (415), within maxBodyBytes (413), parse
 * (400) and nest no deeper than maxJsonDepth (400). Parsing here leaves the result in Hono's body cache, so
 * the route validator reuses it.
 */
import type { Context, Next } from 'hono';
import { createMiddleware } from 'hono/factory';
import { bodyLimit } from 'hono/body-limit';
import { matchedRoutes } from 'hono/route';
import { limits } from '../limits.js';
import { problemResponse } from '../problem.js';
import { jsonPointer } from '../validation.js';

const jsonMediaType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

const tooLarge = (c: Context) =>
  problemResponse(
    c,
    'payloadTooLarge',
    413,
    `The body exceeds the limit maxBodyBytes = ${limits.maxBodyBytes} bytes; send a smaller proposal.`,
  );

/** For bodies without a Content-Length (chunked): counts the stream as it arrives. */
const limitStreamedBody = bodyLimit({ maxSize: limits.maxBodyBytes, onError: tooLarge });

/**
 * The path of the first array or object nested deeper than maxDepth (the root counts as depth 1), or
 * undefined. Iterative on purpose: the point is to stop bodies that would overflow a recursive walk.
 */
function pathTooDeep(value: unknown, maxDepth: number): (string | number)[] | undefined {
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (path.length >= maxDepth) return path;
    const keys: (string | number)[] = Array.isArray(current) ? current.map((_, i) => i) : Object.keys(current);
    for (const key of keys)
      pending.push({ value: (current as Record<string | number, unknown>)[key], path: [...path, key] });
  }
  return undefined;
}

export const depthMessage = `Nested deeper than the limit maxJsonDepth = ${limits.maxJsonDepth} (arrays and objects inside one another); no request needs that many levels.`;

/** How a route answers a body that nests too deep: a problem for REST, a JSON-RPC error for MCP. */
export type TooDeepResponder = (c: Context, body: unknown, path: (string | number)[]) => Response;

const tooDeepProblem: TooDeepResponder = (c, _body, path) => {
  const pointer = jsonPointer(path);
  return problemResponse(c, 'validation', 400, `1 problem in the request: ${pointer}: ${depthMessage}`, {
    errors: [{ pointer, location: 'body', detail: depthMessage }],
  });
};

export function jsonBodyGuard(tooDeep: TooDeepResponder = tooDeepProblem) {
  return createMiddleware(async (c, next) => {
    if (c.req.method !== 'POST' && c.req.method !== 'PUT' && c.req.method !== 'PATCH') return next();
    // No route for this method and path (only middleware matched, as `ALL`): the answer is a 404 (or 405),
    // whatever the body; judging the body first would answer 415 or 400 for a path that does not exist.
    if (!matchedRoutes(c).some((route) => route.method !== 'ALL')) return next();
    const contentType = c.req.header('content-type') ?? '';
    if (!jsonMediaType.test(contentType)) {
      const got = contentType ? contentType : 'no Content-Type header';
      return problemResponse(c, 'unsupportedMediaType', 415, `Send the body as application/json; got ${got}.`, {
        headers: { 'Accept-Post': 'application/json' },
      });
    }
    // A declared length is judged before reading (Node's HTTP parser and the Workers runtime end a body at its
    // Content-Length). Not touching `c.req.raw.body` here keeps the Node adapter's fast body read: asking for
    // the stream makes it build a full web Request per POST, which cost more than the plan itself.
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number.parseInt(declared, 10) > limits.maxBodyBytes) return tooLarge(c);
      return parseThenNext(c, next, tooDeep);
    }
    return limitStreamedBody(c, () => parseThenNext(c, next, tooDeep));
  });
}

async function parseThenNext(c: Context, next: Next, tooDeep: TooDeepResponder): Promise<void> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch (error) {
    const reason = error instanceof Error && error.message ? error.message : 'it is not valid JSON';
    c.res = problemResponse(c, 'malformedJson', 400, `The body is not valid JSON: ${reason}.`, {
      errors: [{ pointer: '', location: 'body', detail: `Not valid JSON: ${reason}.` }],
    });
    return;
  }
  const deep = pathTooDeep(body, limits.maxJsonDepth);
  if (deep) {
    c.res = tooDeep(c, body, deep);
    return;
  }
  await next();
}

export const jsonBody = jsonBodyGuard();
