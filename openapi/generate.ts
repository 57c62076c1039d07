/**
 * Writes or checks the committed OpenAPI document.
 *   tsx openapi/generate.ts --write   regenerate openapi/openapi.json
 *   tsx openapi/generate.ts --check   exit 1 if the committed file differs from what the app serves
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createApp, openApiDocument } from '../src/http/app.js';
import { stableJson } from './stable-json.js';

const path = fileURLToPath(new URL('./openapi.json', import.meta.url));
const generated = stableJson(openApiDocument(createApp()));

if (process.argv.includes('--write')) {
  writeFileSync(path, generated);
  console.log(`wrote ${path}`);
} else {
  let committed = '';
  try {
    committed = readFileSync(path, 'utf8');
  } catch {
    // A missing file is drift too.
  }
  if (committed !== generated) {
    console.error(
      'openapi/openapi.json differs from the document the app serves; run `npm run openapi:write` and commit it.',
    );
    process.exit(1);
  }
  console.log('openapi/openapi.json matches the app.');
}
