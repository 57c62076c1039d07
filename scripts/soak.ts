/**
 * `npm run soak` — a sustained concurrent run against the Node server on 127.0.0.1 that stops by itself.
 *   npm run soak                                        120 s or 300000 requests, 32 concurrent
 *   npm run soak -- --duration 30 --requests 50000      shorter
 *   npm run soak -- --json soak.json                    also write the samples
 * Passes (exit 0) when no request errs and the server's heap after GC grows less than 4 MiB (RSS < 64 MiB).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultSoakOptions, runSoak } from '../bench/lib/soak.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string' },
    requests: { type: 'string' },
    connections: { type: 'string' },
    'sample-every': { type: 'string' },
    json: { type: 'string' },
  },
});
const options = {
  ...defaultSoakOptions,
  ...(values.duration ? { durationS: Number(values.duration) } : {}),
  ...(values.requests ? { maxRequests: Number(values.requests) } : {}),
  ...(values.connections ? { connections: Number(values.connections) } : {}),
  ...(values['sample-every'] ? { sampleEveryS: Number(values['sample-every']) } : {}),
  log: (line: string) => console.log(line),
};
console.log(`soak: up to ${options.durationS} s or ${options.maxRequests} requests, ${options.connections} concurrent`);
const result = await runSoak(options);
const mib = (n: number) => `${(n / 2 ** 20).toFixed(2)} MiB`;
console.log(
  `\n${result.requests} requests in ${result.seconds.toFixed(1)} s (${result.requestsPerS.toFixed(0)} req/s); statuses ${JSON.stringify(result.statuses)}`,
);
console.log(
  `errors: ${result.errors.count}${result.errors.examples.length ? ` (${result.errors.examples.join('; ')})` : ''}`,
);
console.log(
  `heap after GC: ${mib(result.start.heapUsedBytes)} → ${mib(result.end.heapUsedBytes)} (${result.heapGrowthBytes >= 0 ? '+' : ''}${mib(result.heapGrowthBytes)}; slope ${result.heapBytesPerRequest.toFixed(3)} bytes/request)`,
);
console.log(
  `RSS: ${mib(result.start.rssBytes)} → ${mib(result.end.rssBytes)} (${result.rssGrowthBytes >= 0 ? '+' : ''}${mib(result.rssGrowthBytes)})`,
);
console.log(result.passed ? 'PASS' : `FAIL: ${result.verdicts.join('; ')}`);
if (values.json) writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
process.exit(result.passed ? 0 : 1);
