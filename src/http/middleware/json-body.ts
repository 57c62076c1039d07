/**
 * @module middleware/json-body
 * Guards every POST before its schema runs: the body must be JSON (415), within maxBodyBytes (413) and
 * parse (400). Parsing here leaves the result in Hono's body cache, so the route validator reuses it.
 */
import type { Context, Next } from 'hono';
import { createMiddleware } from 'hono/factory';
import { bodyLimit } from 'hono/body-limit';
import { limits } from '../limits.js';
import { problemResponse } from '../problem.js';

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

export const jsonBody = createMiddleware(async (c, next) => {
  if (c.req.method !== 'POST' && c.req.method !== 'PUT' && c.req.method !== 'PATCH') return next();
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
    return parseThenNext(c, next);
  }
  return limitStreamedBody(c, () => parseThenNext(c, next));
});

async function parseThenNext(c: Context, next: Next): Promise<void> {
  try {
    await c.req.json();
  } catch (error) {
    const reason = error instanceof Error && error.message ? error.message : 'it is not valid JSON';
    c.res = problemResponse(c, 'malformedJson', 400, `The body is not valid JSON: ${reason}.`, {
      errors: [{ pointer: '', location: 'body', detail: `Not valid JSON: ${reason}.` }],
    });
    return;
  }
  await next();
}
