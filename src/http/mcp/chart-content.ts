/**
 * @module mcp/chart-content
 * The picture beside a tool's text, for the tools whose REST operation draws one (plan, simulate): the SVG as
 * MCP image content, and its GET URL as text for chat clients that show links rather than images.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { encodeChartQuery } from '../render/chart-query.js';
import { svgMediaType } from '../render/negotiate.js';

/** REST operation → the path of its GET chart form. */
const chartPaths: Record<string, string> = {
  'POST /v1/plans': '/charts/plan.svg',
  'POST /v1/simulations': '/charts/simulation.svg',
};

function utf8Base64(text: string): string {
  let binary = '';
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Image and link content for a successful call, or nothing when the operation has no chart. */
export async function chartContent(
  app: OpenAPIHono<AppEnv>,
  c: Context<AppEnv>,
  key: string,
  url: string,
  args: Record<string, unknown>,
): Promise<CallToolResult['content']> {
  const chartPath = chartPaths[key];
  if (!chartPath) return [];
  const response = await app.request(
    url,
    {
      method: 'POST',
      headers: { accept: svgMediaType, 'content-type': 'application/json', 'x-request-id': c.get('requestId') },
      body: JSON.stringify(args),
    },
    c.env,
  );
  if (!response.ok) return [];
  const link = `${new URL(c.req.url).origin}${chartPath}?q=${await encodeChartQuery(args)}`;
  return [
    { type: 'image', data: utf8Base64(await response.text()), mimeType: svgMediaType },
    { type: 'text', text: `The same picture as a URL (SVG): ${link}` },
  ];
}
