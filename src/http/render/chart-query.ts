/**
 * @module render/chart-query
 * The request of a GET chart URL: the same JSON body as the POST operation, deflate-raw compressed and
 * base64url encoded into one query parameter `q`, so a whole proposal fits in an <img> src or a chat message.
 * Decoding is bounded twice: the parameter's length (maxChartQueryChars) and the inflated JSON's size
 * (maxBodyBytes, as for a POST body), so a small URL cannot expand into unbounded work.
 */
import { limits } from '../limits.js';

export type DecodedQuery = { ok: true; body: unknown } | { ok: false; detail: string };

function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  try {
    return Uint8Array.from(atob(padded), (ch) => ch.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Inflates at most `maxBytes`; undefined when the data is not deflate-raw or inflates beyond the cap. */
async function inflate(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array | 'too-large' | undefined> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return 'too-large';
      }
      chunks.push(value);
    }
  } catch {
    return undefined;
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** The JSON body a `q` parameter carries, or why it cannot be read (for a 400 naming `q`). */
export async function decodeChartQuery(q: string): Promise<DecodedQuery> {
  if (q.length > limits.maxChartQueryChars)
    return {
      ok: false,
      detail: `Must be at most ${limits.maxChartQueryChars} characters (the limit maxChartQueryChars); POST the body with Accept: image/svg+xml instead.`,
    };
  const bytes = fromBase64Url(q);
  const invalid =
    'Must be the JSON request body, deflate-raw compressed, then base64url encoded (see the description).';
  if (!bytes) return { ok: false, detail: invalid };
  const inflated = await inflate(bytes, limits.maxBodyBytes);
  if (inflated === 'too-large')
    return {
      ok: false,
      detail: `Inflates beyond maxBodyBytes = ${limits.maxBodyBytes} bytes, the limit of a POST body.`,
    };
  if (!inflated) return { ok: false, detail: invalid };
  try {
    return { ok: true, body: JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(inflated)) };
  } catch {
    return { ok: false, detail: `${invalid} It inflated, but not to UTF-8 JSON.` };
  }
}

/** The `q` of a request body: what the planner page and the MCP tools put in a chart URL. */
export async function encodeChartQuery(body: unknown): Promise<string> {
  const stream = new Blob([JSON.stringify(body)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()));
}
