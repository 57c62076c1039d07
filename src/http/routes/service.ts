/**
 * @module routes/service
 * Liveness and the landing page: the planner page for browsers, a JSON map of the API for everything else.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { apiVersion } from '../openapi-config.js';
import { errorResponses } from '../schemas/common.js';
import type { ApiDocuments } from '../api-document.js';
import { acceptQuality } from '../render/negotiate.js';

const HealthSchema = z.object({ status: z.literal('ok'), version: z.string() }).openapi('Health');

const healthRoute = createRoute({
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

/** Scripts and styles only from this origin; the inlined SVG charts carry their own <style>. */
const plannerCsp =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'";

export function registerServiceRoutes(app: OpenAPIHono<AppEnv>, documents: ApiDocuments): void {
  app.openapi(healthRoute, (c) => c.json({ status: 'ok' as const, version: apiVersion }, 200));
  app.get('/', async (c) => {
    c.header('Vary', 'Accept');
    // Browsers get the planner page; API clients (curl's */*, no Accept, JSON) the landing document.
    const accept = c.req.header('accept') ?? '';
    if (acceptQuality(accept, 'text/html') > acceptQuality(accept, 'application/json')) {
      c.header('Content-Security-Policy', plannerCsp);
      return c.html(await documents.plannerPage(c.env));
    }
    return c.json({
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
      planner: 'GET / with Accept: text/html (a browser) gives the planner page',
    });
  });
}
