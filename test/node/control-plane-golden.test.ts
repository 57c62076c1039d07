/**
 * Golden cross-layer timelines: fixed scenarios and seeds, rendered as text and compared with the files under
 * test/golden/control-plane/ (runs under Node to read them). Regenerate after a deliberate model change with
 * `UPDATE_GOLDEN=1 npx vitest run --project node test/node/control-plane-golden.test.ts`, then read the diff:
 * every line is a claim about what happens when. A missing golden file fails the test (it is never written
 * silently).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldenScenarios, renderGolden } from '../control-plane/golden-scenarios.js';

const dir = join(import.meta.dirname, '..', 'golden', 'control-plane');

describe('golden control-plane timelines', () => {
  for (const g of goldenScenarios) {
    it(g.name, () => {
      const text = renderGolden(g);
      const file = join(dir, `${g.name}.txt`);
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
      // A missing file is a failure, not a fresh baseline: a test that writes its own expectation cannot fail.
      expect(existsSync(file), `missing ${file}: generate it with UPDATE_GOLDEN=1 and review it`).toBe(true);
      expect(text).toBe(readFileSync(file, 'utf8'));
      // Same seed, same bytes.
      expect(renderGolden(g)).toBe(text);
    });
  }
});
