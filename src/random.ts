/**
 * Tiny deterministic randomness (mock replies and faults, open-loop arrivals): a string hash to derive seeds and a 32-bit PRNG.
 * Reproducibility matters more than quality here — the same seed must give the same replies and
 * delays on every machine and Node version, which `Math.random` cannot promise.
 */

/** A source of uniform floats in [0, 1). */
export type Random = () => number;

/** FNV-1a over UTF-16 code units, folded to an unsigned 32-bit integer. */
export function hashString(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finalizer: after it every output bit depends on every input bit (one-to-one). */
export function avalanche32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Mixes several numbers into one 32-bit seed so related streams (reply, reasoning, delays) differ. */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Fold doubles (seeds may be any finite number) into 32 bits before mixing.
    const folded = (Math.trunc(part) ^ Math.trunc(part / 0x1_0000_0000)) >>> 0;
    h = Math.imul(h ^ folded, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** mulberry32: small, fast, and good enough to pick words and jitter timers. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}
