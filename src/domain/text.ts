/**
 * @module text
 * The few wording helpers every summary and finding shares, so a count is always phrased the same way:
 * "1 voter", "2 voters", never "1 voters" or "failure(s)".
 */

/** "1 voter", "3 voters"; `many` for irregular plurals ("1 address was", "2 addresses were"). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "a", "a and b", "a, b and c" (or with "or"). */
export function joinWith(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** Milliseconds as people write them: "100 ms", "0.5 ms", at most three decimals. */
export function formatMs(ms: number): string {
  return `${Number.isInteger(ms) ? ms : Number(ms.toFixed(3))} ms`;
}
