/**
 * @module render/negotiate
 * Content negotiation for the operations that can answer with a picture (POST /v1/plans, POST
 * /v1/simulations): `Accept: image/svg+xml` preferred over JSON gets the chart, anything else the JSON answer.
 * The GET chart routes (paths ending in .svg) always answer SVG.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';

export const svgMediaType = 'image/svg+xml';

/** The quality a media range list gives a type: exact match, then `type/*`, then `*∕*`; 0 when absent. */
export function acceptQuality(accept: string, mediaType: string): number {
  const [type] = mediaType.split('/');
  let best = -1;
  let quality = 0;
  for (const range of accept.split(',')) {
    const [name = '', ...params] = range.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    const specificity = name === mediaType ? 3 : name === `${type}/*` ? 2 : name === '*/*' ? 1 : 0;
    if (specificity > best && specificity > 0) {
      best = specificity;
      quality = q === undefined ? 1 : Number(q);
    }
  }
  return Number.isFinite(quality) ? quality : 0;
}

/** True when the client prefers SVG to JSON (a tie stays JSON, the API's default). */
export function wantsSvg(c: Context): boolean {
  if (c.req.method === 'GET' && c.req.path.endsWith('.svg')) return true;
  const accept = c.req.header('accept');
  if (!accept) return false;
  return acceptQuality(accept, svgMediaType) > acceptQuality(accept, 'application/json');
}

/**
 * The SVG answer. Names from the request are escaped in the chart, and the policy forbids scripts anyway:
 * opened directly, the document may use its own inline style and nothing else.
 */
export function svgResponse(c: Context, svg: string, headers: Record<string, string> = {}): Response {
  return c.body(svg, 200, {
    'Content-Type': `${svgMediaType}; charset=utf-8`,
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'X-Content-Type-Options': 'nosniff',
    Vary: 'Accept',
    ...headers,
  });
}

const SvgSchema = z.string().openapi('SvgChart', {
  description:
    'An SVG document (800 px wide, with `<title>` and `<desc>`, light and dark palettes): deterministic, the same request gives the same bytes.',
});

/** The `image/svg+xml` entry of a 200 response, for the OpenAPI document. */
export function svgContent(what: string) {
  return {
    [svgMediaType]: {
      schema: SvgSchema,
      example: `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="400" viewBox="0 0 800 400" role="img"><title>${what}</title>…</svg>`,
    },
  };
}

export const svgNegotiationNote = ' Send `Accept: image/svg+xml` for a picture of the answer instead of JSON';
