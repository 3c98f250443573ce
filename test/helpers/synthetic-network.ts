/** Shared by the synthetic network generator's tests: the options they look at, and ways to read its streams whole. */

import type {
  InteractionChunk,
  PostChunk,
  SyntheticNetwork,
  SyntheticOptions,
} from '../../src/modules/activity/synthetic/network-generator';

export const DAY_MS = 86_400_000;
export const families = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3];
export const base: SyntheticOptions = {
  influencers: 5000,
  interactions: 200_003,
  seed: 42,
  topics: families.length,
  topicFamilies: families,
  endMs: Date.UTC(2026, 0, 1),
};

type TypedArray = Int32Array | Uint8Array | Float64Array;

function concat<T extends TypedArray>(parts: T[], make: (length: number) => T): T {
  const out = make(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p as never, at);
    at += p.length;
  }
  return out;
}

export function collectInteractions(net: SyntheticNetwork): InteractionChunk & { chunkLengths: number[] } {
  const chunks = [...net.interactions()];
  return {
    chunkLengths: chunks.map((c) => c.actor.length),
    actor: concat(
      chunks.map((c) => c.actor),
      (l) => new Int32Array(l),
    ),
    target: concat(
      chunks.map((c) => c.target),
      (l) => new Int32Array(l),
    ),
    kind: concat(
      chunks.map((c) => c.kind),
      (l) => new Uint8Array(l),
    ),
    post: concat(
      chunks.map((c) => c.post),
      (l) => new Int32Array(l),
    ),
    occurredAtMs: concat(
      chunks.map((c) => c.occurredAtMs),
      (l) => new Float64Array(l),
    ),
  };
}

export function collectPosts(net: SyntheticNetwork): Omit<PostChunk, 'firstPostId'> & { firstIds: number[] } {
  const chunks = [...net.posts()];
  return {
    firstIds: chunks.map((c) => c.firstPostId),
    author: concat(
      chunks.map((c) => c.author),
      (l) => new Int32Array(l),
    ),
    postedAtMs: concat(
      chunks.map((c) => c.postedAtMs),
      (l) => new Float64Array(l),
    ),
    topic: concat(
      chunks.map((c) => c.topic),
      (l) => new Uint8Array(l),
    ),
  };
}

export function bytes(a: TypedArray): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** The names of the typed-array fields whose bytes differ. */
export function differingArrays(a: object, b: object): string[] {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  return Object.keys(x).filter((k) => ArrayBuffer.isView(x[k]) && !bytes(x[k] as TypedArray).equals(bytes(y[k] as TypedArray)));
}

export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[sorted.length >> 1];
}

/** Distinct real engagers per influencer over the organic interactions (actor-major). */
export function realEngagers(network: SyntheticNetwork, x: InteractionChunk): Int32Array {
  const count = new Int32Array(network.options.influencers);
  const last = new Int32Array(network.options.influencers).fill(-1);
  for (let k = 0; k < network.options.interactions; k++) {
    if (network.accounts.real[x.actor[k]] && last[x.target[k]] !== x.actor[k]) {
      last[x.target[k]] = x.actor[k];
      count[x.target[k]]++;
    }
  }
  return count;
}

/** Every typed array of `columns` cut to its first `length` entries. */
export function sliceAll<T extends object>(columns: T, length: number): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(columns)) out[k] = ArrayBuffer.isView(v) ? (v as Int32Array).subarray(0, length) : v;
  return out as T;
}
