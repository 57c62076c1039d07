/**
 * @module bench/bundle
 * The Worker bundle's size as Cloudflare would upload it: `wrangler deploy --dry-run` (scripts/build-worker.mjs
 * bundles, wrangler minifies, as wrangler.toml says), then gzip -9 of the output, measured here; and what each
 * package costs, from an esbuild metafile of the same build minified (bytes each input leaves in the output),
 * and its share of the gzip size: the output's bytes are assigned to inputs through the build's source map, each
 * group's text gzipped on its own, and the results scaled to sum to the whole file's gzip size (gzip is not
 * additive; this says what a part costs compressed, to within a few per cent).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWorker } from '../scripts/build-worker.mjs';
import { repoRoot } from './lib/server.js';

export interface BundleResults {
  files: { file: string; minifiedBytes: number; gzipBytes: number }[];
  totalMinifiedBytes: number;
  totalGzipBytes: number;
  /** Minified bytes in the output by package (node_modules) or source folder, and their gzip share; largest first. */
  byInput: { input: string; minifiedBytes: number; gzipBytes: number }[];
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
  const outfile = join(dir, 'metafile-build.js');
  const result = await buildWorker({ metafile: true, minify: true, sourcemap: true, outfile });
  const output = Object.values(
    result.metafile!.outputs as Record<string, { inputs: Record<string, { bytesInOutput: number }> }>,
  ).find((o) => o.inputs && Object.keys(o.inputs).length > 0)!;
  const groups = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs))
    groups.set(inputGroup(path), (groups.get(inputGroup(path)) ?? 0) + bytesInOutput);
  const gzipShare = gzipByGroup(outfile);
  return [...groups.entries()]
    .map(([input, minifiedBytes]) => ({ input, minifiedBytes, gzipBytes: gzipShare.get(input) ?? 0 }))
    .sort((a, b) => b.minifiedBytes - a.minifiedBytes);
}

const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * A source map's `mappings`, per output line: [output column, source index] of each segment (the two fields
 * used here; source indices are deltas across the whole map, columns deltas within a line).
 */
function decodeMappings(mappings: string): [number, number | undefined][][] {
  let source = 0;
  return mappings.split(';').map((line) => {
    let column = 0;
    return line
      .split(',')
      .filter(Boolean)
      .map((segment) => {
        const fields: number[] = [];
        let value = 0;
        let shift = 0;
        for (const char of segment) {
          const digit = base64.indexOf(char);
          value += (digit & 31) << shift;
          if (digit & 32) shift += 5;
          else {
            fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
            value = 0;
            shift = 0;
          }
        }
        column += fields[0]!;
        if (fields.length > 1) source += fields[1]!;
        return [column, fields.length > 1 ? source : undefined];
      });
  });
}

/** Each group's share of the bundle's gzip size, through the source map (see the module comment). */
function gzipByGroup(outfile: string): Map<string, number> {
  const code = readFileSync(outfile, 'utf8');
  const map = JSON.parse(readFileSync(`${outfile}.map`, 'utf8')) as { sources: string[]; mappings: string };
  const texts = new Map<string, string[]>();
  const lines = code.split('\n');
  decodeMappings(map.mappings).forEach((segments, l) => {
    const line = lines[l] ?? '';
    segments.forEach((segment, k) => {
      const end = k + 1 < segments.length ? segments[k + 1]![0] : line.length;
      // Sources are relative to the output's folder; the metafile's inputs to the repository.
      const group =
        segment[1] === undefined
          ? '(esbuild runtime)'
          : inputGroup(relative(repoRoot, resolve(dirname(outfile), map.sources[segment[1]]!)));
      if (!texts.has(group)) texts.set(group, []);
      texts.get(group)!.push(line.slice(segment[0], end));
    });
  });
  const alone = new Map([...texts].map(([group, parts]) => [group, gzipSync(parts.join(''), { level: 9 }).length]));
  const scale = gzipSync(code, { level: 9 }).length / [...alone.values()].reduce((a, b) => a + b, 0);
  return new Map([...alone].map(([group, bytes]) => [group, bytes * scale]));
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
    '  by package or source folder: minified bytes (esbuild metafile), share of minified, gzip share (source map):',
    ...results.byInput
      .filter((r) => r.minifiedBytes >= 1024)
      .map(
        (r) =>
          `    ${kib(r.minifiedBytes).padStart(10)}  ${((100 * r.minifiedBytes) / total).toFixed(1).padStart(5)} %  ${kib(r.gzipBytes).padStart(9)} gzip  ${r.input}`,
      ),
  ].join('\n');
}
