/**
 * The same app under plain Node: `npm run start:node` (PORT, default 8788; HOST, default 127.0.0.1).
 * public/ (Scalar's bundle for /docs, see src/http/docs-assets.ts) is served here as Workers static assets
 * are on the edge: a file that exists wins, everything else goes to the app.
 */
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { createApp } from './http/app.js';
import { nodeTuningEnv } from './node-tunings.js';

const port = Number(process.env.PORT ?? 8788);
const hostname = process.env.HOST ?? '127.0.0.1';
// serveStatic takes a root relative to the working directory; resolve public/ next to this file's project.
const publicDir = relative(process.cwd(), fileURLToPath(new URL('../public', import.meta.url))) || '.';

const app = createApp();
const server = new Hono();
server.use('/static/*', serveStatic({ root: publicDir }));
const tunings = nodeTuningEnv();
server.all('*', (c) => app.fetch(c.req.raw, { ...(c.env as object), ...tunings }));

const listener = serve({ fetch: server.fetch, port, hostname }, (info) => {
  console.log(`Quorum Planner API on http://${hostname}:${info.port} (docs at /docs, MCP at /mcp)`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => listener.close(() => process.exit(0)));
}
