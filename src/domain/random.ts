/**
 * @module random
 * The only source of randomness in the engine: a seeded generator passed in explicitly, never a global.
 *
 * Algorithm: xoshiro128** 1.1 (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c), whose
 * 128-bit state is filled from the seed by SplitMix32 so that nearby seeds give unrelated streams. It uses
 * only 32-bit integer operations, so it is fast in JavaScript without BigInt, and its period (2^128 − 1) is far
 * beyond any simulation here.
 */

/** SplitMix32 (a 32-bit variant of Steele, Lea & Flood's SplitMix): the output for state `next`. */
function splitMix32(next: number): number {
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return z >>> 0;
}

/** SplitMix32's state step. */
const golden = 0x9e3779b9;

/** FNV-1a over a string's UTF-16 code units: turns a textual seed or label into 32 bits. */
export function hashString(text: string, basis = 0x811c9dc5): number {
  let hash = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** derive() hashes the seed once per run of trials, not once per trial (a pure cache of the last seed). */
let lastDeriveSeed = Number.NaN;
let lastDeriveBasis = 0;

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** @param seed any integer (taken modulo 2^32) */
  constructor(seed: number) {
    // Four SplitMix32 outputs from consecutive states (no arrays: a Monte Carlo run makes one per trial).
    const state = seed | 0;
    this.s0 = splitMix32((state + golden) | 0);
    this.s1 = splitMix32((state + 2 * golden) | 0);
    this.s2 = splitMix32((state + 3 * golden) | 0);
    this.s3 = splitMix32((state + 4 * golden) | 0);
    // An all-zero state would repeat zeros forever; SplitMix32 never yields four zeros, but be certain.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A generator for an independent stream, e.g. trial i of a Monte Carlo run: same (seed, label) → same stream. */
  static derive(seed: number, label: string | number): Random {
    if (seed !== lastDeriveSeed) {
      lastDeriveSeed = seed;
      lastDeriveBasis = hashString(String(seed >>> 0));
    }
    return new Random(hashString(String(label), lastDeriveBasis));
  }

  /** Next 32 uniformly distributed bits, as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n), without modulo bias (Lemire's rejection). n must be in 1..2^32. */
  nextInt(n: number): number {
    if (!(n >= 1 && n <= 4294967296 && Number.isInteger(n)))
      throw new RangeError(`nextInt bound must be an integer in 1..2^32, got ${n}`);
    // x % n written as x − floor(x / n) · n: exact for these magnitudes (x < 2^33, so the quotient's rounding
    // can never reach the next integer), and a division instead of the fmod call a double `%` costs.
    const threshold = 4294967296 - n - Math.floor((4294967296 - n) / n) * n;
    for (;;) {
      const r = this.nextUint32();
      if (r >= threshold) return r - Math.floor(r / n) * n;
    }
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  intBetween(lo: number, hi: number): number {
    return lo + this.nextInt(hi - lo + 1);
  }

  /** Uniform real in [lo, hi). */
  floatBetween(lo: number, hi: number): number {
    return lo + (hi - lo) * this.nextFloat();
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
