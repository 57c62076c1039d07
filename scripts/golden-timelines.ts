/** Rewrites test/golden/*.txt from test/golden/cases.ts. Run deliberately, then read the diff before committing. */
import { writeFileSync } from 'node:fs';
import { goldenCases, goldenText } from '../test/golden/cases.js';

for (const c of goldenCases) {
  writeFileSync(new URL(`../test/golden/${c.name}.txt`, import.meta.url), goldenText(c));
  console.log(`wrote test/golden/${c.name}.txt`);
}
