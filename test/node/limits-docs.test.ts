/**
 * README's limits table lists every limit in src/http/limits.ts with its current value (the OpenAPI table is
 * checked inside workerd by test/limits.test.ts; the README needs the file system, hence Node).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { limits } from '../../src/http/limits.js';

describe('README limits table', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  for (const [name, value] of Object.entries(limits)) {
    it(`lists ${name} = ${value}`, () => {
      expect(readme).toMatch(new RegExp(`^\\|\\s*${name}\\s*\\|\\s*${value}\\s*\\|`, 'm'));
    });
  }
});
