/**
 * @module app
 * The HTTP application: one factory used by the Worker entry, the Node server, the tests and the OpenAPI
 * generator. Routes live in ./routes; this file wires middleware, errors and the documents.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { TrieRouter } from 'hono/router/trie-router';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './app-env.js';
import { apiDocuments } from './api-document.js';
import { problemResponse } from './problem.js';
import { issuesToProblemErrors, targetToLocation, validationDetail } from './validation.js';
import { commonHeaders } from './middleware/common-headers.js';
import { jsonBody, jsonBodyGuard } from './middleware/json-body.js';
import { registerPlanRoutes } from './routes/plans.js';
import { registerConfigRoutes } from './routes/config.js';
import { registerChangeRoutes } from './routes/changes.js';
import { registerQuorumRoutes } from './routes/quorum.js';
import { registerServiceRoutes } from './routes/service.js';
import { registerSimulationRoutes } from './routes/simulations.js';
import { registerTuningRoutes } from './routes/tunings.js';
import { registerChartRoutes } from './routes/charts.js';
import { mcpHandler, mcpTooDeep } from './mcp/server.js';

export function createApp(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    // One router rather than hono's default pair (RegExpRouter, falling back to TrieRouter): the same matches
    // for routes like ours, and the Worker need not carry both (scripts/build-worker.mjs).
    router: new TrieRouter(),
    defaultHook: (result, c) => {
      if (result.success) return;
      const errors = issuesToProblemErrors(result.error.issues, targetToLocation(result.target));
      return problemResponse(c, 'validation', 400, validationDetail(errors), { errors });
    },
  });

  app.use('*', commonHeaders);
  app.use(
    '*',
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        problemResponse(
          c,
          'methodNotAllowed',
          405,
          `${c.req.method} is not allowed on ${c.req.path}; use ${methods.join(', ')}.`,
          {
            headers: { Allow: methods.join(', ') },
          },
        ),
    }),
  );
  app.use('/v1/*', jsonBody);
  app.use('/mcp', jsonBodyGuard(mcpTooDeep));

  const documents = apiDocuments(app);
  registerServiceRoutes(app, documents);
  registerQuorumRoutes(app);
  registerPlanRoutes(app);
  registerConfigRoutes(app);
  registerChangeRoutes(app);
  registerSimulationRoutes(app);
  registerTuningRoutes(app);
  registerChartRoutes(app);

  app.get('/openapi.json', async (c) => c.json(await documents.document(c.env)));
  // The interactive reference (Scalar), offline-ready: see ./api-document.ts.
  app.get('/docs', documents.docsPage);
  // Agents: every /v1 operation as an MCP tool, and a plain-text map of the API. Both derive from the routes.
  app.post('/mcp', mcpHandler(app, documents.mcpTools));
  // With a status, c.text() sets hono's "text/plain; charset=UTF-8" rather than the runtime's default spelling.
  app.get('/llms.txt', async (c) => c.text(await documents.llmsText(c.env), 200));

  app.notFound((c) =>
    problemResponse(c, 'notFound', 404, `No route ${c.req.method} ${c.req.path}. See /docs for the operations.`),
  );
  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status < 500) {
      return problemResponse(
        c,
        error.status === 413 ? 'payloadTooLarge' : 'validation',
        error.status,
        error.message || 'The request was rejected.',
      );
    }
    // Log for operators; the client gets no stack or message, only the request id to quote.
    console.error(`request ${c.get('requestId')} failed:`, error);
    return problemResponse(
      c,
      'internal',
      500,
      'Something went wrong on our side. Quote the requestId when reporting it.',
    );
  });
  return app;
}

export { openApiDocument } from './api-document.js';
