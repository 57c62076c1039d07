/**
 * @module bench/bundle
 * The Worker bundle's size as Cloudflare would upload it: `wrangler deploy --dry-run` (scripts/build-worker.mjs
 * bundles, wrangler minifies, as wrangler.toml says), then gzip -9 of the output, measured here; and what each
 * package costs, from an esbuild metafile of the same build minified (bytes each input leaves in the output).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWorker } from '../scripts/build-worker.mjs';
import { repoRoot } from './lib/server.js';

export interface BundleResults {
  files: { file: string; minifiedBytes: number; gzipBytes: number }[];
  totalMinifiedBytes: number;
  totalGzipBytes: number;
  /** Minified bytes in the output by package (node_modules) or source folder, largest first. */
  byInput: { input: string; minifiedBytes: number }[];
}

/** node_modules/zod/v4/core/x.js → "zod (v4/core)"; src/domain/plan/x.ts → "src/domain/plan". */
function inputGroup(path: string): string {
  const inPackage = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/);
  if (inPackage) {
    const [, name, rest] = inPackage;
    return name === 'zod' ? `zod (${rest!.split('/').slice(0, 2).join('/')})` : name!;
  }
  const parts = path.split('/');
  return parts.length > 3 ? parts.slice(0, 3).join('/') : path;
}

async function costByInput(dir: string): Promise<BundleResults['byInput']> {
  const result = await buildWorker({ metafile: true, minify: true, outfile: join(dir, 'metafile-build.js') });
  const output = Object.values(
    result.metafile!.outputs as Record<string, { inputs: Record<string, { bytesInOutput: number }> }>,
  )[0]!;
  const groups = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs))
    groups.set(inputGroup(path), (groups.get(inputGroup(path)) ?? 0) + bytesInOutput);
  return [...groups.entries()]
    .map(([input, minifiedBytes]) => ({ input, minifiedBytes }))
    .sort((a, b) => b.minifiedBytes - a.minifiedBytes);
}

export async function benchBundle(): Promise<BundleResults | { skipped: string }> {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-bundle-'));
  try {
    const wrangler = join(repoRoot, 'node_modules', '.bin', 'wrangler');
    const result = spawnSync(wrangler, ['deploy', '--dry-run', '--outdir', outdir], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    });
    if (result.status !== 0)
      return { skipped: `wrangler deploy --dry-run failed: ${(result.stderr || result.stdout).slice(0, 300)}` };
    const files = readdirSync(outdir)
      .filter((f) => /\.(m?js|wasm)$/.test(f))
      .map((file) => {
        const bytes = readFileSync(join(outdir, file));
        return {
          file,
          minifiedBytes: statSync(join(outdir, file)).size,
          gzipBytes: gzipSync(bytes, { level: 9 }).length,
        };
      });
    return {
      files,
      totalMinifiedBytes: files.reduce((a, f) => a + f.minifiedBytes, 0),
      totalGzipBytes: files.reduce((a, f) => a + f.gzipBytes, 0),
      byInput: await costByInput(outdir),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export function printBundle(results: BundleResults | { skipped: string }): string {
  if ('skipped' in results) return `Bundle: skipped — ${results.skipped}`;
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  const total = results.byInput.reduce((a, r) => a + r.minifiedBytes, 0);
  return [
    'Worker bundle (wrangler deploy --dry-run, minified per wrangler.toml; gzip -9 measured here)',
    ...results.files.map((f) => `  ${f.file}: ${kib(f.minifiedBytes)} minified, ${kib(f.gzipBytes)} gzip`),
    `  total: ${kib(results.totalMinifiedBytes)} minified, ${kib(results.totalGzipBytes)} gzip`,
    '  minified bytes by package or source folder (esbuild metafile):',
    ...results.byInput
      .filter((r) => r.minifiedBytes >= 1024)
      .map(
        (r) =>
          `    ${kib(r.minifiedBytes).padStart(10)}  ${((100 * r.minifiedBytes) / total).toFixed(1).padStart(5)} %  ${r.input}`,
      ),
  ].join('\n');
}
