/**
 * @module middleware/json-body
 * Guards every POST before its schema runs: the body must be JSON (415), within maxBodyBytes (413) and
 * parse (400). Parsing here leaves the result in Hono's body cache, so the route validator reuses it.
 */
import { createMiddleware } from 'hono/factory';
import { bodyLimit } from 'hono/body-limit';
import { limits } from '../limits.js';
import { problemResponse } from '../problem.js';

const jsonMediaType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

const limitBody = bodyLimit({
  maxSize: limits.maxBodyBytes,
  onError: (c) =>
    problemResponse(
      c,
      'payloadTooLarge',
      413,
      `The body exceeds the limit maxBodyBytes = ${limits.maxBodyBytes} bytes; send a smaller proposal.`,
    ),
});

export const jsonBody = createMiddleware(async (c, next) => {
  if (c.req.method !== 'POST' && c.req.method !== 'PUT' && c.req.method !== 'PATCH') return next();
  const contentType = c.req.header('content-type') ?? '';
  if (!jsonMediaType.test(contentType)) {
    const got = contentType ? contentType : 'no Content-Type header';
    return problemResponse(c, 'unsupportedMediaType', 415, `Send the body as application/json; got ${got}.`, {
      headers: { 'Accept-Post': 'application/json' },
    });
  }
  return limitBody(c, async () => {
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
  });
});
