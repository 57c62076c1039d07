/**
 * The same app under plain Node: `npm run start:node` (PORT, default 8788; HOST, default 127.0.0.1).
 */
import { serve } from '@hono/node-server';
import { createApp } from './http/app.js';

const port = Number(process.env.PORT ?? 8788);
const hostname = process.env.HOST ?? '127.0.0.1';

const server = serve({ fetch: createApp().fetch, port, hostname }, (info) => {
  console.log(`Quorum Planner API on http://${hostname}:${info.port} (docs at /docs)`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
