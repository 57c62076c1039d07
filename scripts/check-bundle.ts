/**
 * The Worker bundle's budget and honesty, after `wrangler deploy --dry-run --outdir dist` (scripts/test-all.sh):
 * - its gzip size (level 9, as uploads are compressed) must stay within the budget below;
 * - it must answer exactly as the source does: every documented example of every operation, the OpenAPI
 *   document and the MCP tool list, sent to the bundle and to the app built from src/, byte for byte. This is
 *   what shows that the stand-ins of scripts/build-worker.mjs are never reached.
 * The bundle imports `cloudflare:workers` (the Workflow's base class), which only workerd provides: under Node
 * scripts/cloudflare-stub.mjs resolves it to a small stand-in (registered before the bundle is imported).
 * Usage: npx tsx scripts/check-bundle.ts [dist/worker.js]
 */
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createApp } from '../src/http/app.js';
import { apiDescription, exampleQuery, urlOf } from '../test/support/operations.js';

/**
 * The upload's gzip size may not exceed this. The goal is 150 KiB (issue 15) and is NOT met yet: the
 * bundle is about 190 KiB since the charts, change plans and the tuner landed (BENCHMARKS.md › Bundle lists
 * what each part costs and what is left to cut). Until then the check holds the line at 195 KiB, so the bundle
 * cannot grow unnoticed; lower it with every cut.
 */
const bundleGoalBytes = 150 * 1024;
export const bundleBudgetBytes = 195 * 1024;

const file = resolve(process.argv[2] ?? 'dist/worker.js');
const gzipBytes = gzipSync(readFileSync(file), { level: 9 }).length;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const withinBudget = gzipBytes <= bundleBudgetBytes;
console.log(
  `Worker bundle ${file}: ${kib(gzipBytes)} gzip, budget ${kib(bundleBudgetBytes)} (${kib(bundleBudgetBytes - gzipBytes)} left; goal ${kib(bundleGoalBytes)}, ${kib(gzipBytes - bundleGoalBytes)} to go)`,
);

register('./cloudflare-stub.mjs', import.meta.url);

type Fetcher = { fetch(request: Request, env?: unknown): Response | Promise<Response> };
const bundled = (await import(pathToFileURL(file).href)).default as Fetcher;
const source = createApp();

const requests: { method: string; url: string; body?: unknown; headers?: Record<string, string> }[] = [
  { method: 'GET', url: '/openapi.json' },
  { method: 'GET', url: '/healthz' },
  {
    method: 'POST',
    url: '/mcp',
    body: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    headers: { accept: 'application/json, text/event-stream' },
  },
  { method: 'POST', url: '/v1/plans', body: { topology: 'stacked', controlPlane: { nodes: 'three' } } },
];
for (const operation of apiDescription().operations) {
  const url = urlOf(operation, exampleQuery(operation));
  if (operation.bodyExamples.length === 0) requests.push({ method: operation.method, url });
  for (const example of operation.bodyExamples) requests.push({ method: operation.method, url, body: example.value });
}

let differences = 0;
for (const request of requests) {
  const answer = async (app: Fetcher) => {
    const response = await app.fetch(
      new Request(`http://localhost${request.url}`, {
        method: request.method,
        headers: { 'content-type': 'application/json', 'x-request-id': 'bundle-check', ...request.headers },
        ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      }),
      {},
    );
    return `${response.status} ${response.headers.get('content-type')}\n${await response.text()}`;
  };
  const [fromBundle, fromSource] = [await answer(bundled), await answer(source)];
  if (fromBundle !== fromSource) {
    differences++;
    console.log(`the bundle answers ${request.method} ${request.url} differently: ${fromBundle.slice(0, 300)}`);
  }
}
console.log(`${requests.length} requests: ${differences} answered differently by the bundle`);
if (!withinBudget) console.log(`over budget by ${kib(gzipBytes - bundleBudgetBytes)}: see BENCHMARKS.md › Bundle`);
process.exit(withinBudget && differences === 0 ? 0 : 1);
