/**
 * @module middleware/cacheable-get
 * For GET answers that depend only on the URL: let shared caches keep them and answer revalidation with 304.
 */
import { createMiddleware } from 'hono/factory';
import { etag } from 'hono/etag';

/** One day in shared caches, one hour in browsers; the answer changes only when the service is redeployed. */
export const cacheControlValue = 'public, max-age=3600, s-maxage=86400';

const strongEtag = etag({ weak: false });

export const cacheableGet = createMiddleware(async (c, next) => {
  await strongEtag(c, async () => {
    await next();
    if (c.res.status === 200) c.header('Cache-Control', cacheControlValue);
  });
});
