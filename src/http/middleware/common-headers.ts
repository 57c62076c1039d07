/**
 * @module middleware/common-headers
 * The request id and the CORS headers every answer carries, added once the answer exists.
 *
 * hono's `requestId()` and `cors()` set them before the route runs, through `c.res`: that creates an empty
 * response early, and every real answer then has to be copied into a new one with its body as a stream
 * (hono's `c.res` setter), which on Node turns each JSON answer into a ReadableStream the server reads back.
 * Setting the headers on the finished answer gives the same headers for a fraction of the cost. Preflight
 * (OPTIONS) requests still go through hono's `cors()`, which answers them.
 */
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';

const corsOptions = {
  origin: '*',
  allowMethods: ['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'],
  allowHeaders: ['Content-Type', 'If-None-Match', 'X-Request-Id', 'Accept', 'Mcp-Session-Id', 'Mcp-Protocol-Version'],
  exposeHeaders: ['X-Request-Id', 'ETag', 'Allow', 'Mcp-Session-Id', 'Location'],
  maxAge: 86400,
};
const preflight = cors(corsOptions);
const exposedHeaders = corsOptions.exposeHeaders.join(',');

/** hono's requestId() rule: a client's X-Request-Id of word characters, "-" and "=" up to 255 is kept. */
function requestIdOf(header: string | undefined): string {
  if (!header || header.length > 255 || /[^\w\-=]/.test(header)) return crypto.randomUUID();
  return header;
}

export const commonHeaders = createMiddleware<AppEnv>(async (c, next) => {
  const requestId = requestIdOf(c.req.header('X-Request-Id'));
  c.set('requestId', requestId);
  if (c.req.method === 'OPTIONS') {
    c.header('X-Request-Id', requestId);
    return preflight(c, next);
  }
  await next();
  const set = (headers: Headers) => {
    headers.set('X-Request-Id', requestId);
    headers.set('Access-Control-Allow-Origin', '*');
    headers.set('Access-Control-Expose-Headers', exposedHeaders);
  };
  try {
    set(c.res.headers);
  } catch {
    // An answer with immutable headers (one passed through from fetch): copy it first, as hono would.
    c.res = new Response(c.res.body, c.res);
    set(c.res.headers);
  }
});
