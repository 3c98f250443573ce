/**
 * The synthetic network's randomness: a seeded PRNG with one stream per step, and the draws the steps
 * share (weighted picks, Zipf and uniform picks inside groups, Pareto repeats). Pure and portable.
 */

// Local aliases: in a vm context (jest) every lookup of the global `Math` goes through an interceptor,
// which made the hot loops about five times slower.
const { PI, cos, floor, imul, log, max, min, pow, round, sqrt } = Math;

export const DAY_MS = 86_400_000;
export const TWO_32 = 4294967296;

// Shape parameters. Changing any of them changes the output for a given seed.
/** Popularity is Zipf in the rank with exponent 1 + 1/ZIPF_INVERSE = 1.1; sampleZipf hard-codes x^-ZIPF_INVERSE. */
const ZIPF_INVERSE = 10;
export const ZIPF_EXPONENT = 1 + 1 / ZIPF_INVERSE;
/** Repeats per (actor, target) pair are Pareto with alpha 1.6 (see repeats()). */
const REPEAT_CAP = 500;

/**
 * One PRNG stream per step, so that a step's draws never shift another's: what is planted leaves the
 * organic population and interactions as they were.
 */
export const STREAM_INFLUENCERS = 1;
export const STREAM_INTERACTIONS = 2;
export const STREAM_ACCOUNTS = 3;
export const STREAM_PLANTED = 4;
export const STREAM_FUTURE = 5;

/** lowbias32 (Chris Wellons): a strong 32-bit integer mix. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128-bit state, passes PractRand. */
export class Sfc32 {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seedLo: number, seedHi: number, stream: number) {
    this.a = mix32(seedLo ^ imul(stream, 0x9e3779b9)) | 0;
    this.b = mix32(seedHi ^ mix32(stream + 0x6a09e667)) | 0;
    this.c = mix32(this.a ^ this.b ^ 0x243f6a88) | 0;
    this.d = 1;
    for (let i = 0; i < 16; i++) this.next();
  }

  /** Uniform uint32. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) + t;
    this.c |= 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / TWO_32;
  }

  /** Uniform in (0, 1): safe for logs and negative powers. */
  open(): number {
    return (this.next() + 0.5) / TWO_32;
  }

  /** Uniform integer in [0, n), n < 2^31. */
  below(n: number): number {
    return floor((this.next() / TWO_32) * n);
  }

  gauss(): number {
    return sqrt(-2 * log(this.open())) * cos(2 * PI * this.float());
  }
}

/** Fisher-Yates, in place: the same draws for an Int32Array and an array. */
export function shuffle<T extends Int32Array | number[]>(items: T, rng: Sfc32): T {
  for (let k = items.length - 1; k > 0; k--) {
    const j = rng.below(k + 1);
    const tmp = items[k];
    items[k] = items[j];
    items[j] = tmp;
  }
  return items;
}

export function cumulative(weights: number[]): Float64Array {
  const out = new Float64Array(weights.length);
  const total = weights.reduce((s, w) => s + w, 0);
  let acc = 0;
  weights.forEach((w, i) => {
    acc += w / total;
    out[i] = acc;
  });
  out[out.length - 1] = 1;
  return out;
}

export function pickCumulative(cum: Float64Array, u: number): number {
  let i = 0;
  while (i < cum.length - 1 && u >= cum[i]) i++;
  return i;
}

/**
 * Items grouped by a key, each group in the order given (for influencers: most popular first).
 * A Zipf draw takes a position from the inverse CDF of a continuous power law over 1..size+1, which is
 * O(1) and lands most draws on the first positions, so the hot part of the tables stays in cache even at
 * a million influencers (an alias table draws a random slot, a cache miss, every time).
 */
export interface RankedGroups {
  start: Int32Array;
  member: Int32Array;
  /** Per group: (size + 1)^(1 - ZIPF_EXPONENT) - 1, negative. */
  zipfSpan: Float64Array;
}

export function buildRankedGroups(items: ArrayLike<number>, keyOf: (item: number) => number, groupCount: number): RankedGroups {
  const count = items.length;
  const start = new Int32Array(groupCount + 1);
  for (let k = 0; k < count; k++) start[keyOf(items[k]) + 1]++;
  for (let g = 0; g < groupCount; g++) start[g + 1] += start[g];
  const member = new Int32Array(count);
  const cursor = start.slice(0, groupCount);
  for (let k = 0; k < count; k++) member[cursor[keyOf(items[k])]++] = items[k];
  const zipfSpan = new Float64Array(groupCount);
  for (let g = 0; g < groupCount; g++) zipfSpan[g] = pow(start[g + 1] - start[g] + 1, -1 / ZIPF_INVERSE) - 1;
  return { start, member, zipfSpan };
}

export function sampleZipf(groups: RankedGroups, group: number, rng: Sfc32): number {
  const from = groups.start[group];
  const size = groups.start[group + 1] - from;
  // x in ((size+1)^(1-s), 1]; rank = x^(1/(1-s)) = x^-10 in [1, size+1).
  const x = 1 + groups.zipfSpan[group] * rng.float();
  const x2 = x * x;
  const x8 = x2 * x2 * x2 * x2;
  const position = floor(1 / (x8 * x2)) - 1;
  return groups.member[from + (position < size ? position : size - 1)];
}

/** floor(u^(-1/1.6)) for u in (0, 1), at most REPEAT_CAP: Pareto with alpha 1.6 (P(>= k) = k^-1.6), by square roots instead of pow. */
export function repeats(rng: Sfc32): number {
  const eighth = sqrt(sqrt(sqrt(rng.open())));
  const fifth = eighth * eighth * eighth * eighth * eighth;
  return min(REPEAT_CAP, floor(1 / fifth));
}

export function sampleUniform(groups: RankedGroups, group: number, rng: Sfc32): number {
  const from = groups.start[group];
  return groups.member[from + rng.below(groups.start[group + 1] - from)];
}

export function groupSize(groups: RankedGroups, group: number): number {
  return groups.start[group + 1] - groups.start[group];
}

export function clampInt32(x: number): number {
  return max(0, min(2_000_000_000, round(x)));
}
