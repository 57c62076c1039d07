#!/usr/bin/env node
// Copies Scalar's standalone browser bundle into public/ so /docs works without internet access, and the
// planner page's script and style sheet from web/ (served at /static/planner/, the page itself at /)
// (served as a Workers static asset, and by src/node.ts under Node). Run by `npm run dev`, `bundle`, `deploy`,
// `start:node`, scripts/test-all.sh and vitest.config.ts; public/ is generated, not committed.
// Keep the target path in step with src/http/docs-assets.ts.
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function copyDocsAssets() {
  const packageDir = join(root, 'node_modules/@scalar/api-reference');
  const source = join(packageDir, 'dist/browser/standalone.js');
  const target = join(root, 'public/static/scalar/api-reference.standalone.js');
  mkdirSync(dirname(target), { recursive: true });
  let fresh = false;
  try {
    const [s, t] = [statSync(source), statSync(target)];
    fresh = s.size === t.size && s.mtimeMs <= t.mtimeMs;
  } catch {
    // Missing target: copy.
  }
  if (!fresh) copyFileSync(source, target);
  copyPlannerAssets();
  return target;
}

/** The planner page's script and style sheet (src/http/planner-page.ts links them), from web/ into public/. */
export function copyPlannerAssets() {
  const targetDir = join(root, 'public/static/planner');
  mkdirSync(targetDir, { recursive: true });
  for (const file of ['planner.js', 'planner.css']) copyFileSync(join(root, 'web', file), join(targetDir, file));
  return targetDir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`docs assets: ${copyDocsAssets()}`);
  console.log(`planner assets: ${copyPlannerAssets()}`);
}
