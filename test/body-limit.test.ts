/**
 * Oversized bodies inside the Worker (issue 14, item 5): a body sent in chunks, without Content-Length, is
 * read only up to maxBodyBytes + 1 and answered with the 413 problem, as one with Content-Length is.
 */
import { describe, expect, it } from 'vitest';
import { limits } from '../src/http/limits.js';
import { app, problemOf } from './helpers.js';

/** A stream of `total` bytes in 16 KiB chunks, counting how many bytes were pulled from it. */
function chunkedBody(total: number) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) {
        controller.close();
        return;
      }
      const size = Math.min(16_384, total - pulled);
      pulled += size;
      controller.enqueue(new TextEncoder().encode('x'.repeat(size)));
    },
  });
  return { stream, pulled: () => pulled };
}

describe('chunked bodies over maxBodyBytes', () => {
  for (const total of [limits.maxBodyBytes + 1, 300_000, 5_000_000]) {
    it(`${total} bytes without Content-Length: a 413 problem naming the limit, the rest left unread`, async () => {
      const body = chunkedBody(total);
      const response = await app.request('/v1/plans', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body.stream,
        // @ts-expect-error: a streamed request body must say so (fetch's duplex option; not in every lib.dom)
        duplex: 'half',
      });
      expect(response.status).toBe(413);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = await problemOf(response);
      expect(problem).toMatchObject({ status: 413, type: '/problems/payload-too-large' });
      expect(problem.detail).toContain(`maxBodyBytes = ${limits.maxBodyBytes}`);
      // Reading stops one chunk past the limit: a 5 MB body costs no more than a 70 KB one.
      expect(body.pulled()).toBeLessThanOrEqual(limits.maxBodyBytes + 2 * 16_384);
    });
  }
});
