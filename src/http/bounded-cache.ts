/**
 * @module bounded-cache
 * A memo for pure, deterministic computations: at most `capacity` entries, the least recently used dropped
 * first. It may only hold values that are a function of their key alone, so a hit returns exactly what
 * computing would have: it never changes an answer, only how long it takes.
 */
export class BoundedCache<V> {
  readonly #entries = new Map<string, V>();
  hits = 0;
  misses = 0;

  constructor(readonly capacity: number) {}

  /** The value for `key`, computed by `compute` on a miss (a thrown error is not cached). */
  getOrCompute(key: string, compute: () => V): V {
    const known = this.#entries.get(key);
    if (known !== undefined) {
      this.hits++;
      // Most recently used last: re-insert.
      this.#entries.delete(key);
      this.#entries.set(key, known);
      return known;
    }
    this.misses++;
    const value = compute();
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value as string);
    return value;
  }

  /** The value for `key`, if kept (counted as a hit or a miss). */
  get(key: string): V | undefined {
    const known = this.#entries.get(key);
    if (known === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.#entries.delete(key);
    this.#entries.set(key, known);
    return known;
  }

  /** Keeps `value` for `key` as the most recently used, dropping the least recently used beyond capacity. */
  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
    this.hits = 0;
    this.misses = 0;
  }
}
