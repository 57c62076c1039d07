/**
 * @module cacheable-json
 * For GET answers that depend only on the URL: shared caches may keep them, and revalidation gets a 304.
 * The ETag is the SHA-1 of the JSON text, as hono's etag() middleware computes it, but taken from the text the
 * route has just written rather than by cloning the finished answer's body stream and hashing it
 * asynchronously, which cost several times the quorum arithmetic itself.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';

/** One day in shared caches, one hour in browsers; the answer changes only when the service is redeployed. */
const cacheControlValue = 'public, max-age=3600, s-maxage=86400';

/** If-None-Match matches when it is "*" or lists the tag (weak or strong: the comparison is weak, RFC 9110). */
function matches(etag: string, ifNoneMatch: string | undefined): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch === '*' || (ifNoneMatch.match(/"[^"]*"/g)?.some((tag) => tag === etag) ?? false);
}

/** The answer as JSON with a strong ETag and Cache-Control, or a bare 304 when the client's copy matches. */
export function cacheableJson(c: Context, value: unknown): Response {
  const text = JSON.stringify(value);
  const etag = `"${createHash('sha1').update(text).digest('hex')}"`;
  if (matches(etag, c.req.header('If-None-Match'))) return new Response(null, { status: 304, headers: { ETag: etag } });
  return c.body(text, 200, { 'Content-Type': 'application/json', 'Cache-Control': cacheControlValue, ETag: etag });
}
