/// <reference types="vite/client" />
/**
 * Golden timelines: the engine's full timeline for fixed seeds, compared verbatim with the readable text files
 * under test/golden/. A diff here means election behaviour changed: read it, and only if the change is intended
 * regenerate with `npx tsx scripts/golden-timelines.ts`.
 */
import { describe, expect, it } from 'vitest';
import { goldenCases, goldenText } from './golden/cases.js';

const files = import.meta.glob('./golden/*.txt', { query: '?raw', import: 'default', eager: true }) as Record<
  string,
  string
>;

describe('golden election timelines', () => {
  for (const c of goldenCases) {
    it(c.name, () => {
      const expected = files[`./golden/${c.name}.txt`];
      expect(expected, `missing test/golden/${c.name}.txt`).toBeTypeOf('string');
      expect(goldenText(c)).toBe(expected);
    });
  }
});
