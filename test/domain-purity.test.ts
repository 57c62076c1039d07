import { describe, expect, it } from 'vitest';

// The planning engine must stay pure: no clock, no global randomness, nothing from the HTTP layer. Checked on
// the source text, so a new module is covered the moment it exists.
const sources = import.meta.glob('../src/domain/**/*.ts', { query: '?raw', import: 'default', eager: true }) as Record<
  string,
  string
>;

const forbidden: [RegExp, string][] = [
  [/\bDate\.now\s*\(/, 'reads the clock (Date.now)'],
  [/\bnew Date\s*\(/, 'reads the clock (new Date)'],
  [/\bperformance\.now\s*\(/, 'reads the clock (performance.now)'],
  [/\bMath\.random\s*\(/, 'uses global randomness (Math.random): pass a seeded Random in'],
  [/from\s+['"](?:hono|@hono\/[^'"]+|zod)['"]/, 'imports hono or zod'],
  [/from\s+['"][^'"]*\/http\/[^'"]*['"]/, 'imports from the HTTP layer'],
];

describe('src/domain is a pure core', () => {
  const files = Object.entries(sources).filter(([path]) => !path.endsWith('.test.ts'));

  it('finds the domain modules', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(forbidden)('no module %s', (pattern, what) => {
    const offenders = files
      .filter(([, text]) => pattern.test(text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')))
      .map(([path]) => path);
    expect(offenders, `these modules ${what}`).toEqual([]);
  });
});
