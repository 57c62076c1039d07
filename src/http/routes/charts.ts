/**
 * @module routes/charts
 * GET forms of the pictures, for an <img> tag or a chat message: the POST body of /v1/plans or
 * /v1/simulations, deflate-raw compressed and base64url encoded in `q` (see render/chart-query.ts). The body is
 * checked by the POST operation's own schema and answered by its own handler, so the limits and the answer are
 * the same; only the format differs. Answers depend on the URL alone, so they are cacheable for long.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { etag } from 'hono/etag';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';
import { limits } from '../limits.js';
import { problemResponse, type ProblemError } from '../problem.js';
import { decodeChartQuery } from '../render/chart-query.js';
import { svgContent } from '../render/negotiate.js';
import { errorResponses, getErrorStatuses } from '../schemas/common.js';
import { SimulationRequestSchema } from '../schemas/simulation.js';
import { issuesToProblemErrors, validationDetail } from '../validation.js';
import { PlanRequestSchema, planResponse } from './plans.js';
import { simulationResponse } from './simulations.js';

/**
 * A week in browsers, a month in shared caches: the same URL gives the same bytes until the service is
 * redeployed, and the strong ETag lets a cache revalidate cheaply after that.
 */
export const chartCacheControl = 'public, max-age=604800, s-maxage=2592000';

const strongEtag = etag({ weak: false });
const cacheableChart = createMiddleware(async (c, next) => {
  await strongEtag(c, async () => {
    await next();
    if (c.res.status === 200) c.header('Cache-Control', chartCacheControl);
  });
});

const ChartQuerySchema = z.object({
  q: z
    .string()
    .min(1, 'Must not be empty: give the request body, deflate-raw compressed and base64url encoded.')
    .max(
      limits.maxChartQueryChars,
      `Must be at most ${limits.maxChartQueryChars} characters (the limit maxChartQueryChars); POST the body with Accept: image/svg+xml instead.`,
    ),
});

const encoding =
  'The request travels in `q`: the JSON body of the POST operation, compressed with raw DEFLATE (RFC 1951; ' +
  "`CompressionStream('deflate-raw')` in a browser, `zlib.deflateRawSync` in Node) and base64url encoded without padding " +
  `(RFC 4648 §5). \`q\` is at most maxChartQueryChars (${limits.maxChartQueryChars}) characters and inflates to at most ` +
  `maxBodyBytes (${limits.maxBodyBytes}) bytes; the body is checked exactly as the POST checks it. The answer depends only on ` +
  'the URL: strong ETag (If-None-Match gives 304) and `Cache-Control: ' +
  `${chartCacheControl}\`.`;

function chartRoute(path: string, operationId: string, summary: string, post: string, example: string, what: string) {
  return createRoute({
    method: 'get',
    path,
    operationId,
    tags: ['Charts'],
    summary,
    description: `The picture ${post} answers with \`Accept: image/svg+xml\`, as a URL for an \`<img>\` tag or a chat message. ${encoding}`,
    middleware: [cacheableChart] as const,
    request: {
      query: ChartQuerySchema.extend({
        q: ChartQuerySchema.shape.q.openapi({
          description: `The ${post} body: raw DEFLATE, then base64url.`,
          example,
        }),
      }),
    },
    responses: {
      200: {
        description: `The SVG ${what}.`,
        headers: z.object({ ETag: z.string(), 'Cache-Control': z.string() }),
        content: svgContent(what),
      },
      304: { description: 'Not modified: the If-None-Match ETag still matches.' },
      ...errorResponses(...getErrorStatuses),
    },
  });
}

const getPlanChartRoute = chartRoute(
  '/charts/plan.svg',
  'getPlanChart',
  'The placement diagram of a proposal, as an SVG URL',
  'POST /v1/plans',
  'q1YqyS_Iz8lPr1SyUiouSUzOTk1R0lFKzs8rKcrPCchJzEtVsqpWystPSS1WsjLWUarKzwOxosEM3UQliIhuEoyRrBRbWwsA',
  'placement diagram',
);

const getSimulationChartRoute = chartRoute(
  '/charts/simulation.svg',
  'getSimulationChart',
  'The failover timeline or distribution chart of a simulation, as an SVG URL',
  'POST /v1/simulations',
  'NcoxDoAgEETRu0wtld2ewt5YIBBj3OwSwUIJdzdg7F5mfsGxiwfBqeRT2US2EjDA8ZVyOEEFWaOybjcIKVt3BN_-r596TgWiPiTQOOBRaZo7jMW3mPWHw1JrfQE',
  'failover timeline or distribution chart',
);

/** The body in `q`, checked by `schema`; or the 400 naming what is wrong (pointers into the decoded body). */
async function decodedBody<T>(
  c: Context,
  q: string,
  schema: z.ZodType<T>,
): Promise<{ ok: true; body: T } | { ok: false; response: Response }> {
  const decoded = await decodeChartQuery(q);
  if (!decoded.ok) {
    const errors = [{ pointer: 'q', location: 'query' as const, detail: decoded.detail }];
    return { ok: false, response: problemResponse(c, 'validation', 400, validationDetail(errors), { errors }) };
  }
  const parsed = schema.safeParse(decoded.body);
  if (parsed.success) return { ok: true, body: parsed.data };
  const errors = inQ(issuesToProblemErrors(parsed.error.issues, 'body'));
  return { ok: false, response: problemResponse(c, 'validation', 400, validationDetail(errors), { errors }) };
}

/**
 * Errors about the body decoded from q: they point at the parameter `q`, and say where inside the decoded
 * body (the JSON pointer the POST would have given) in their detail.
 */
function inQ(errors: readonly ProblemError[]): ProblemError[] {
  return errors.map((e) => ({
    pointer: 'q',
    location: 'query',
    detail: e.location === 'body' ? `${e.pointer || '(the whole body)'}: ${e.detail}` : e.detail,
  }));
}

/** A 400 from the POST's handler (normalization, simulation checks) with its errors moved into q. */
async function pointingIntoQ(c: Context, response: Response): Promise<Response> {
  if (response.status !== 400) return response;
  const problem = (await response.json()) as { errors?: ProblemError[] };
  const errors = inQ(problem.errors ?? []);
  return problemResponse(c, 'validation', 400, validationDetail(errors), { errors });
}

export function registerChartRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(getPlanChartRoute, async (c) => {
    const decoded = await decodedBody(c, c.req.valid('query').q, PlanRequestSchema);
    return (decoded.ok ? await pointingIntoQ(c, planResponse(c, decoded.body)) : decoded.response) as never;
  });
  app.openapi(getSimulationChartRoute, async (c) => {
    const decoded = await decodedBody(c, c.req.valid('query').q, SimulationRequestSchema);
    return (decoded.ok ? await pointingIntoQ(c, simulationResponse(c, decoded.body)) : decoded.response) as never;
  });
}
