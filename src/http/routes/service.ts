/**
 * @module routes/service
 * Liveness and the landing page.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { apiVersion } from '../openapi-config.js';
import { errorResponses } from '../schemas/common.js';

const HealthSchema = z.object({ status: z.literal('ok'), version: z.string() }).openapi('Health');

export const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  tags: ['Service'],
  summary: 'Liveness: answers 200 while the service runs',
  description: 'No dependencies are checked: the service keeps no state.',
  responses: {
    200: {
      description: 'The service is up.',
      content: { 'application/json': { schema: HealthSchema, example: { status: 'ok', version: apiVersion } } },
    },
    ...errorResponses(405, 500),
  },
});

export function registerServiceRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(healthRoute, (c) => c.json({ status: 'ok' as const, version: apiVersion }, 200));
  app.get('/', (c) =>
    c.json({
      name: 'Quorum Planner API',
      version: apiVersion,
      docs: '/docs',
      openapi: '/openapi.json',
      llms: '/llms.txt',
      mcp: '/mcp',
      // From the route registry, so a route registered later is listed without editing this file.
      operations: app.openAPIRegistry.definitions.flatMap((d) =>
        d.type === 'route' && d.route.path.startsWith('/v1/')
          ? [`${d.route.method.toUpperCase()} ${d.route.path}`]
          : [],
      ),
    }),
  );
}
