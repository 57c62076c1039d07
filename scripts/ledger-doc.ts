/**
 * Writes docs/reference/ledger.md from the claims ledger (src/domain/ledger), so the page people read and the
 * module the code reads cannot drift: `npx tsx scripts/ledger-doc.ts --write`; without --write it checks
 * and exits 1 when the page is stale. test/ledger.test.ts checks the same.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderLedgerMarkdown } from '../src/domain/ledger/render.js';

const path = new URL('../docs/reference/ledger.md', import.meta.url);
const text = renderLedgerMarkdown();
if (process.argv.includes('--write')) {
  writeFileSync(path, text);
} else if (readFileSync(path, 'utf8') !== text) {
  console.error('docs/reference/ledger.md is stale: run npx tsx scripts/ledger-doc.ts --write');
  process.exit(1);
}
