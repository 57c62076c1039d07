/**
 * @module bench/bundle
 * The Worker bundle's size as Cloudflare would upload it: `wrangler deploy --dry-run --minify`, then gzip
 * (level 9, as the upload is compressed) of the entry module, measured by us.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from './lib/server.js';

export interface BundleResults {
  files: { file: string; minifiedBytes: number; gzipBytes: number }[];
  totalMinifiedBytes: number;
  totalGzipBytes: number;
}

export function benchBundle(): BundleResults | { skipped: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-bundle-'));
  try {
    const wrangler = join(repoRoot, 'node_modules', '.bin', 'wrangler');
    const result = spawnSync(wrangler, ['deploy', '--dry-run', '--outdir', outdir, '--minify'], {
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
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export function printBundle(results: BundleResults | { skipped: string }): string {
  if ('skipped' in results) return `Bundle: skipped — ${results.skipped}`;
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  return [
    'Worker bundle (wrangler deploy --dry-run --minify; gzip -9 measured here)',
    ...results.files.map((f) => `  ${f.file}: ${kib(f.minifiedBytes)} minified, ${kib(f.gzipBytes)} gzip`),
    `  total: ${kib(results.totalMinifiedBytes)} minified, ${kib(results.totalGzipBytes)} gzip`,
  ].join('\n');
}
