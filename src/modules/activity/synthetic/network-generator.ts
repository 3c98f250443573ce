/**
 * Synthetic social network for the seed script, the benchmark and tests: influencers with account
 * snapshots and topics, their posts, and actor -> influencer interactions.
 *
 * Pure and deterministic: no I/O, no clock, no Math.random. The same options (seed included) give
 * byte-identical output on the same Node version (pow/log/exp are V8's own portable ports).
 *
 * Built for 1M influencers / 20M interactions: per-entity data lives in typed arrays, posts are never
 * materialised (author ranges are prefix sums, postedAt and topic are hashes of (seed, post index)),
 * and interactions stream in chunks of typed arrays produced by one sequential PRNG stream, so the
 * chunk size never changes the concatenated output.
 *
 * Shape (what the influence score must cope with):
 * - heavy-tailed popularity (Zipf in a random popularity rank, within each network and topic family) and
 *   heavy-tailed actor activity (Pareto);
 * - topic communities: most engagement stays inside a topic family;
 * - planted hubs with very high in-degree, much of it from other popular influencers;
 * - spam accounts (young, follow-spam ratios) spreading single reactions over many targets;
 * - repeat interactions per (actor, target) pair with a heavy tail.
 * Every interaction stays on one network: the actor, the target and the post share the target's network,
 * so an actor is one graph node per (network, handle), as in the actors table.
 */

import { NETWORKS, type Network } from '../../influencers/network';
import { KIND_CODES as KIND } from '../ingest-validation';

// One source of truth for networks and kind codes: the enum and the stored smallint codes.
export { KIND, NETWORKS };
export type SyntheticNetworkName = Network;
export type KindCode = (typeof KIND)[keyof typeof KIND];

export const COUNTRIES = [
  'US',
  'IN',
  'BR',
  'GB',
  'ID',
  'MX',
  'DE',
  'FR',
  'JP',
  'TR',
  'ES',
  'IT',
  'KR',
  'CA',
  'NG',
  'AU',
  'NL',
  'PL',
  'ZA',
  'SE',
] as const;
export const LANGUAGES = ['en', 'es', 'pt', 'fr', 'de', 'it', 'ja', 'ko', 'hi', 'id', 'tr', 'nl', 'pl', 'sv'] as const;

export interface SyntheticOptions {
  /** Opted-in influencers, each with exactly one social account (one actor). */
  influencers: number;
  /** Total interactions to generate (exact count). */
  interactions: number;
  /** Same options + seed => byte-identical output. An integer. */
  seed: number;
  /** Number of topic ids available: topic ids are 1..topics (at most 255). */
  topics: number;
  /** topicFamilies[t-1] = family of topic t (non-negative integer); topics in one family form a community. */
  topicFamilies: number[];
  /** Default 90; all timestamps fall in [endMs - windowDays*86400000, endMs). */
  windowDays?: number;
  /** End of the window (epoch ms), exclusive. */
  endMs: number;
  /** Non-signed-up actors per influencer, default 1.5. */
  extraActorsRatio?: number;
  /** Interactions (and posts) per yielded chunk, default 262144. */
  chunkSize?: number;
  /** Prepended to handles and external ids (default ''), so several generated networks can share a database. */
  idPrefix?: string;
}

/** Arrays of length options.influencers (topics: 3 per influencer); index i = influencer i = actor i. */
export interface SyntheticInfluencer {
  followers: Int32Array;
  following: Int32Array;
  accountAgeDays: Int32Array;
  verified: Uint8Array;
  /** Index into NETWORKS. */
  network: Uint8Array;
  /** Index into COUNTRIES. */
  country: Uint8Array;
  /** Index into LANGUAGES. */
  language: Uint8Array;
  /** 3 slots per influencer, topic ids 1..topics, 0 = empty; filled from slot 0, slot 0 always set. */
  topics: Uint8Array;
  isHub: Uint8Array;
  isSpam: Uint8Array;
  /** 0 = most popular. Expected in-degree falls with the rank (Zipf); hubs hold the first ranks, spam the last. */
  popularityRank: Int32Array;
}

/** Non-signed-up actors; index j = actor influencers + j. */
export interface SyntheticExtraActors {
  network: Uint8Array;
  /** Home topic family (a value of topicFamilies). */
  family: Int32Array;
  isSpam: Uint8Array;
}

export interface PostChunk {
  author: Int32Array;
  postedAtMs: Float64Array;
  /** 0 = untagged, 1 topic per post. */
  topic: Uint8Array;
  /** Posts are numbered 0.. in generation order (grouped by author, see postStart). */
  firstPostId: number;
}

export interface InteractionChunk {
  /** 0..influencers-1 are influencers, influencers..actors-1 are non-signed-up actors. */
  actor: Int32Array;
  /** Always an influencer index (< influencers), never equal to actor. */
  target: Int32Array;
  /** KIND codes. */
  kind: Uint8Array;
  /** Post index or -1: RESHARE/REPLY/LIKE -> a post of the target; MENTION -> a post of the actor (-1 if not an influencer). */
  post: Int32Array;
  /** Integer ms inside the window, and not before the referenced post's postedAtMs. */
  occurredAtMs: Float64Array;
}

export interface SyntheticNetwork {
  options: Required<SyntheticOptions>;
  /** Total actor count (influencers + extra actors). */
  actors: number;
  influencers: SyntheticInfluencer;
  extraActors: SyntheticExtraActors;
  /** Total number of posts. */
  postCount: number;
  /** Length influencers + 1: the posts of influencer i are postStart[i] .. postStart[i+1]-1 (at least one). */
  postStart: Int32Array;
  /** Deterministic; may be called several times (same output each time). Chunks of options.chunkSize posts. */
  posts(): Iterable<PostChunk>;
  /**
   * Deterministic; may be called several times (same output each time); exactly options.interactions in
   * total. Ordered by actor (all of actor 0's, then actor 1's, ...), not by time.
   */
  interactions(): Iterable<InteractionChunk>;
  /** Unique per actor, valid for /^[A-Za-z0-9_.-]{1,64}$/. */
  handle(actor: number): string;
  postExternalId(post: number): string;
  /** n = global interaction index in generation order. */
  interactionExternalId(n: number): string;
  postAuthor(post: number): number;
  postedAtMs(post: number): number;
  postTopic(post: number): number;
  /** Index into NETWORKS; an interaction's actor, target and post are all on the target's network. */
  actorNetwork(actor: number): number;
  isSpamActor(actor: number): boolean;
}

// Local aliases: in a vm context (jest) every lookup of the global `Math` goes through an interceptor,
// which made the hot loops about five times slower.
const { PI, ceil, cos, exp, floor, imul, log, max, min, pow, round, sqrt } = Math;

const DAY_MS = 86_400_000;
const TWO_32 = 4294967296;
const MAX_TOPICS = 255;

// Shape parameters. Changing any of them changes the output for a given seed.
const NETWORK_WEIGHTS = [0.28, 0.27, 0.2, 0.12, 0.08, 0.05];
const COUNTRY_WEIGHTS = [20, 10, 9, 6, 6, 5, 4, 4, 4, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 1];
const COUNTRY_LANGUAGE: Record<(typeof COUNTRIES)[number], (typeof LANGUAGES)[number]> = {
  US: 'en',
  IN: 'hi',
  BR: 'pt',
  GB: 'en',
  ID: 'id',
  MX: 'es',
  DE: 'de',
  FR: 'fr',
  JP: 'ja',
  TR: 'tr',
  ES: 'es',
  IT: 'it',
  KR: 'ko',
  CA: 'en',
  NG: 'en',
  AU: 'en',
  NL: 'nl',
  PL: 'pl',
  ZA: 'en',
  SE: 'sv',
};
/** Popularity is Zipf in the rank with exponent 1 + 1/ZIPF_INVERSE = 1.1; sampleZipf hard-codes x^-ZIPF_INVERSE. */
const ZIPF_INVERSE = 10;
const ZIPF_EXPONENT = 1 + 1 / ZIPF_INVERSE;
const SPAM_INFLUENCER_SHARE = 0.01;
const SPAM_EXTRA_SHARE = 0.005;
/** Share of all interactions made by spam actors. */
const SPAM_INTERACTION_SHARE = 0.08;
/** Influencers with popularity rank below this share are "popular": more active, more posts, link to hubs. */
const POPULAR_SHARE = 0.02;
const ACTIVITY_PARETO_ALPHA = 1.5;
const ACTIVITY_CAP = 2000;
/** Repeats per (actor, target) pair are Pareto with alpha 1.6 (see repeats()). */
const REPEAT_CAP = 500;
const COMMUNITY_SHARE = 0.8;
/** Share of target picks that ignore popularity (everyone gets some engagement). */
const UNIFORM_TARGET_SHARE = 0.15;
const HUB_PICK = { extra: 0.005, influencer: 0.02, popular: 0.25 };
/** Cumulative kind mix: LIKE 55%, RESHARE 20%, REPLY 15%, MENTION 10%, as uint32 thresholds. */
const KIND_LIKE_BELOW = 0.55 * TWO_32;
const KIND_RESHARE_BELOW = 0.75 * TWO_32;
const KIND_REPLY_BELOW = 0.9 * TWO_32;
const UNTAGGED_POST_SHARE = 0.08;
const OFF_TOPIC_POST_SHARE = 0.05;

const CLASS_EXTRA = 0;
const CLASS_INFLUENCER = 1;
const CLASS_POPULAR = 2;
const CLASS_SPAM = 3;

const STREAM_INFLUENCERS = 1;
const STREAM_INTERACTIONS = 2;

/** lowbias32 (Chris Wellons): a strong 32-bit integer mix. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128-bit state, passes PractRand. */
class Sfc32 {
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

function cumulative(weights: number[]): Float64Array {
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

function pickCumulative(cum: Float64Array, u: number): number {
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
interface RankedGroups {
  start: Int32Array;
  member: Int32Array;
  /** Per group: (size + 1)^(1 - ZIPF_EXPONENT) - 1, negative. */
  zipfSpan: Float64Array;
}

function buildRankedGroups(items: ArrayLike<number>, keyOf: (item: number) => number, groupCount: number): RankedGroups {
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

function sampleZipf(groups: RankedGroups, group: number, rng: Sfc32): number {
  const from = groups.start[group];
  const size = groups.start[group + 1] - from;
  // x in ((size+1)^(1-s), 1]; rank = x^(1/(1-s)) = x^-10 in [1, size+1).
  const x = 1 + groups.zipfSpan[group] * rng.float();
  const x2 = x * x;
  const x8 = x2 * x2 * x2 * x2;
  const position = floor(1 / (x8 * x2)) - 1;
  return groups.member[from + (position < size ? position : size - 1)];
}

/** floor(u^(-1/1.6)) for u in (0, 1): Pareto with alpha 1.6 (P(>= k) = k^-1.6), by square roots instead of pow. */
function repeats(rng: Sfc32): number {
  const eighth = sqrt(sqrt(sqrt(rng.open())));
  const fifth = eighth * eighth * eighth * eighth * eighth;
  return min(REPEAT_CAP, floor(1 / fifth));
}

function sampleUniform(groups: RankedGroups, group: number, rng: Sfc32): number {
  const from = groups.start[group];
  return groups.member[from + rng.below(groups.start[group + 1] - from)];
}

function groupSize(groups: RankedGroups, group: number): number {
  return groups.start[group + 1] - groups.start[group];
}

function clampInt32(x: number): number {
  return max(0, min(2_000_000_000, round(x)));
}

function isInteger(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x);
}

function normalise(input: SyntheticOptions): Required<SyntheticOptions> {
  const options: Required<SyntheticOptions> = {
    influencers: input.influencers,
    interactions: input.interactions,
    seed: input.seed,
    topics: input.topics,
    topicFamilies: [...input.topicFamilies],
    windowDays: input.windowDays ?? 90,
    endMs: input.endMs,
    extraActorsRatio: input.extraActorsRatio ?? 1.5,
    chunkSize: input.chunkSize ?? 262_144,
    idPrefix: input.idPrefix ?? '',
  };
  const fail = (message: string): never => {
    throw new RangeError(`generateNetwork: ${message}`);
  };
  if (!isInteger(options.influencers) || options.influencers < 1) fail('influencers must be a positive integer');
  if (!isInteger(options.interactions) || options.interactions < 0) fail('interactions must be a non-negative integer');
  if (options.interactions > 0 && options.influencers < 2) fail('interactions need at least 2 influencers');
  if (!isInteger(options.seed)) fail('seed must be an integer');
  if (!isInteger(options.topics) || options.topics < 1 || options.topics > MAX_TOPICS) fail(`topics must be 1..${MAX_TOPICS}`);
  if (options.topicFamilies.length !== options.topics) fail('topicFamilies must have one entry per topic');
  if (!options.topicFamilies.every((f) => isInteger(f) && f >= 0)) fail('topic families must be non-negative integers');
  if (!(options.windowDays > 0) || !isInteger(options.windowDays * DAY_MS)) fail('windowDays must be positive');
  if (!isInteger(options.endMs)) fail('endMs must be an integer (epoch ms)');
  if (!(options.extraActorsRatio >= 0) || !Number.isFinite(options.extraActorsRatio)) fail('extraActorsRatio must be >= 0');
  if (!isInteger(options.chunkSize) || options.chunkSize < 1) fail('chunkSize must be a positive integer');
  if (!/^[A-Za-z0-9_.-]{0,32}$/.test(options.idPrefix)) fail('idPrefix must match /^[A-Za-z0-9_.-]{0,32}$/');
  if (options.influencers + round(options.influencers * options.extraActorsRatio) > 0x7fffffff) fail('too many actors');
  return options;
}

export function generateNetwork(input: SyntheticOptions): SyntheticNetwork {
  const options = normalise(input);
  const n = options.influencers;
  const topicCount = options.topics;
  const seedLo = options.seed >>> 0;
  const seedHi = floor(options.seed / TWO_32) >>> 0;
  const windowMs = options.windowDays * DAY_MS;
  const endMs = options.endMs;
  const windowStart = endMs - windowMs;
  const rng = new Sfc32(seedLo, seedHi, STREAM_INFLUENCERS);

  // Topic families, densely renumbered 0..familyCount-1 in order of first appearance.
  const familyValues: number[] = [];
  const familyIndex = new Map<number, number>();
  const topicFamily = new Int32Array(topicCount + 1);
  for (let t = 1; t <= topicCount; t++) {
    const value = options.topicFamilies[t - 1];
    let f = familyIndex.get(value);
    if (f === undefined) {
      f = familyValues.length;
      familyIndex.set(value, f);
      familyValues.push(value);
    }
    topicFamily[t] = f;
  }
  const familyCount = familyValues.length;
  const topicsOfFamily = buildRankedGroups(
    Int32Array.from({ length: topicCount }, (_, k) => k + 1),
    (t) => topicFamily[t],
    familyCount,
  );

  // Popularity: a random permutation; hubs take the first ranks and spam the last.
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const tmp = perm[i];
    perm[i] = perm[j];
    perm[j] = tmp;
  }
  const popularityRank = new Int32Array(n);
  for (let k = 0; k < n; k++) popularityRank[perm[k]] = k;
  const hubCount = min(n, max(3, floor(n / 20_000)));
  const spamCount = min(n - hubCount, round(n * SPAM_INFLUENCER_SHARE));
  const popularBelow = max(hubCount, ceil(n * POPULAR_SHARE));

  const inf: SyntheticInfluencer = {
    followers: new Int32Array(n),
    following: new Int32Array(n),
    accountAgeDays: new Int32Array(n),
    verified: new Uint8Array(n),
    network: new Uint8Array(n),
    country: new Uint8Array(n),
    language: new Uint8Array(n),
    topics: new Uint8Array(3 * n),
    isHub: new Uint8Array(n),
    isSpam: new Uint8Array(n),
    popularityRank,
  };
  for (let k = 0; k < hubCount; k++) inf.isHub[perm[k]] = 1;
  for (let k = 0; k < spamCount; k++) inf.isSpam[perm[n - 1 - k]] = 1;

  const networkCum = cumulative(NETWORK_WEIGHTS);
  const countryCum = cumulative(COUNTRY_WEIGHTS);
  const languageOfCountry = COUNTRIES.map((c) => LANGUAGES.indexOf(COUNTRY_LANGUAGE[c]));
  const english = LANGUAGES.indexOf('en');
  const spanish = LANGUAGES.indexOf('es');
  const homeFamily = new Int32Array(n);
  const postCounts = new Int32Array(n);
  const halfN = max(1, n / 2);

  for (let i = 0; i < n; i++) {
    inf.network[i] = pickCumulative(networkCum, rng.float());

    // 1-3 topics, mostly from the family of the first one.
    const primary = 1 + rng.below(topicCount);
    const family = topicFamily[primary];
    homeFamily[i] = family;
    inf.topics[3 * i] = primary;
    const r = rng.float();
    const wanted = r < 0.45 ? 1 : r < 0.8 ? 2 : 3;
    let filled = 1;
    for (let s = 1; s < wanted; s++) {
      for (let attempt = 0; attempt < 4; attempt++) {
        const candidate = rng.float() < 0.85 ? sampleUniform(topicsOfFamily, family, rng) : 1 + rng.below(topicCount);
        let duplicate = false;
        for (let k = 0; k < filled; k++) if (inf.topics[3 * i + k] === candidate) duplicate = true;
        if (!duplicate) {
          inf.topics[3 * i + filled++] = candidate;
          break;
        }
      }
    }

    const country = pickCumulative(countryCum, rng.float());
    inf.country[i] = country;
    const mainLanguage = languageOfCountry[country];
    inf.language[i] = rng.float() < 0.85 ? mainLanguage : mainLanguage === english ? spanish : english;

    const rank = popularityRank[i];
    if (inf.isSpam[i]) {
      const followers = round(5 * exp(rng.float() * log(60)));
      inf.followers[i] = followers;
      inf.following[i] = round(followers * (20 + 80 * rng.float()));
      inf.accountAgeDays[i] = 1 + rng.below(29);
      postCounts[i] = 1 + rng.below(3);
    } else {
      // Followers log-normal around the expected popularity (Zipf in the rank), ~150 at the median.
      inf.followers[i] = clampInt32(150 * pow((rank + 1) / halfN, -0.9 * ZIPF_EXPONENT) * exp(0.8 * rng.gauss()));
      inf.following[i] = min(7500, clampInt32(400 * exp(rng.gauss())));
      inf.accountAgeDays[i] = 30 + floor(5000 * pow(rng.float(), 1.5));
      const v = rng.float();
      inf.verified[i] = inf.isHub[i] || (rank < n * 0.005 ? v < 0.6 : rank < n * 0.05 ? v < 0.05 : v < 0.003) ? 1 : 0;
      const posts = 1 + floor(3 * exp(0.8 * rng.gauss()));
      postCounts[i] = min(500, rank < popularBelow ? 3 * posts : posts);
    }
  }
  // Hubs spread over the networks, most common networks first.
  for (let k = 0; k < hubCount; k++) inf.network[perm[k]] = k % NETWORKS.length;
  // Interactions stay within a network, so no network may hold a single influencer.
  const networkSize = new Int32Array(NETWORKS.length);
  for (let i = 0; i < n; i++) networkSize[inf.network[i]]++;
  for (let net = 1; net < NETWORKS.length; net++) {
    if (networkSize[net] !== 1) continue;
    const lone = inf.network.indexOf(net);
    inf.network[lone] = 0;
    networkSize[net]--;
    networkSize[0]++;
  }
  if (networkSize[0] === 1 && n > 1) {
    let biggest = 1;
    for (let net = 2; net < NETWORKS.length; net++) if (networkSize[net] > networkSize[biggest]) biggest = net;
    inf.network[inf.network.indexOf(0)] = biggest;
    networkSize[0]--;
    networkSize[biggest]++;
  }

  const postStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    if (postStart[i] + postCounts[i] > 0x7fffffff) throw new RangeError('generateNetwork: too many posts');
    postStart[i + 1] = postStart[i] + postCounts[i];
  }
  const postCount = postStart[n];

  // Non-signed-up actors copy the network and home family of a random influencer, so every
  // (network, family) they engage with has members.
  const extraCount = round(n * options.extraActorsRatio);
  const actors = n + extraCount;
  const extra: SyntheticExtraActors = {
    network: new Uint8Array(extraCount),
    family: new Int32Array(extraCount),
    isSpam: new Uint8Array(extraCount),
  };
  const extraFamily = new Int32Array(extraCount);
  for (let j = 0; j < extraCount; j++) {
    const ref = rng.below(n);
    extra.network[j] = inf.network[ref];
    extraFamily[j] = homeFamily[ref];
    extra.family[j] = familyValues[homeFamily[ref]];
    extra.isSpam[j] = rng.float() < SPAM_EXTRA_SHARE ? 1 : 0;
  }

  // Actor activity: Pareto out-degree weights; spam share a fixed slice of all interactions.
  const actorClass = new Uint8Array(actors);
  const activity = new Float64Array(actors);
  let nonSpamActivity = 0;
  let spamActors = 0;
  for (let a = 0; a < actors; a++) {
    const cls =
      a < n
        ? inf.isSpam[a]
          ? CLASS_SPAM
          : popularityRank[a] < popularBelow
            ? CLASS_POPULAR
            : CLASS_INFLUENCER
        : extra.isSpam[a - n]
          ? CLASS_SPAM
          : CLASS_EXTRA;
    actorClass[a] = cls;
    const base = min(ACTIVITY_CAP, pow(rng.open(), -1 / ACTIVITY_PARETO_ALPHA));
    if (cls === CLASS_SPAM) {
      spamActors++;
      continue;
    }
    activity[a] = base * (cls === CLASS_POPULAR ? 6 : cls === CLASS_INFLUENCER ? 1.5 : 1);
    nonSpamActivity += activity[a];
  }
  if (spamActors > 0) {
    const spamWeight = (nonSpamActivity * SPAM_INTERACTION_SHARE) / (1 - SPAM_INTERACTION_SHARE) / spamActors;
    for (let a = 0; a < actors; a++) if (actorClass[a] === CLASS_SPAM) activity[a] = spamWeight;
  }
  let totalActivity = 0;
  for (let a = 0; a < actors; a++) totalActivity += activity[a];

  // Targets: by popularity within (network, home family), within the network, and the hubs per network.
  const byBucket = buildRankedGroups(perm, (i) => inf.network[i] * familyCount + homeFamily[i], NETWORKS.length * familyCount);
  const byNetwork = buildRankedGroups(perm, (i) => inf.network[i], NETWORKS.length);
  const hubsByNetwork = buildRankedGroups(perm.subarray(0, hubCount), (i) => inf.network[i], NETWORKS.length);

  const actorNetwork = (a: number): number => (a < n ? inf.network[a] : extra.network[a - n]);

  // Posts: postedAt and topic are hashes of (seed, post index), so nothing per post is stored.
  const postKeyA = mix32(seedLo ^ 0x85ebca6b);
  const postKeyB = mix32(seedHi ^ 0xc2b2ae35);
  const postHash = (post: number, salt: number): number => mix32((mix32(post ^ postKeyA) + salt) ^ postKeyB);
  const postedAt = (post: number): number => {
    const u = postHash(post, 1) / TWO_32;
    // Density rising from 0.83 to 1.25 across the window: slightly more recent activity.
    return windowStart + min(windowMs - 1, floor(windowMs * u * (1.2 - 0.2 * u)));
  };
  const topicOfPost = (post: number, author: number): number => {
    const u = postHash(post, 2) / TWO_32;
    if (u < UNTAGGED_POST_SHARE) return 0;
    if (u < UNTAGGED_POST_SHARE + OFF_TOPIC_POST_SHARE) return 1 + (postHash(post, 3) % topicCount);
    let slots = 1;
    while (slots < 3 && inf.topics[3 * author + slots] !== 0) slots++;
    return inf.topics[3 * author + (postHash(post, 3) % slots)];
  };
  const postAuthor = (post: number): number => {
    if (!(post >= 0 && post < postCount)) throw new RangeError(`no post ${post}`);
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (postStart[mid] <= post) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  function* posts(): Generator<PostChunk> {
    let author = 0;
    for (let first = 0; first < postCount; first += options.chunkSize) {
      const len = min(options.chunkSize, postCount - first);
      const chunk: PostChunk = {
        author: new Int32Array(len),
        postedAtMs: new Float64Array(len),
        topic: new Uint8Array(len),
        firstPostId: first,
      };
      for (let k = 0; k < len; k++) {
        const post = first + k;
        while (postStart[author + 1] <= post) author++;
        chunk.author[k] = author;
        chunk.postedAtMs[k] = postedAt(post);
        chunk.topic[k] = topicOfPost(post, author);
      }
      yield chunk;
    }
  }

  /** A target on the actor's network, never the actor. */
  const pickTarget = (actor: number, r: Sfc32): number => {
    const net = actorNetwork(actor);
    const cls = actorClass[actor];
    if (cls === CLASS_SPAM) {
      // Spam reacts to everything: no popularity, no community, one reaction per target.
      for (;;) {
        const t = sampleUniform(byNetwork, net, r);
        if (t !== actor) return t;
      }
    }
    const hubP = cls === CLASS_POPULAR ? HUB_PICK.popular : cls === CLASS_INFLUENCER ? HUB_PICK.influencer : HUB_PICK.extra;
    if (r.float() < hubP && groupSize(hubsByNetwork, net) > 0) {
      const t = sampleUniform(hubsByNetwork, net, r);
      if (t !== actor) return t;
    }
    if (r.float() < COMMUNITY_SHARE) {
      let family: number;
      if (actor < n) {
        let slots = 1;
        while (slots < 3 && inf.topics[3 * actor + slots] !== 0) slots++;
        family = topicFamily[inf.topics[3 * actor + r.below(slots)]];
      } else {
        family = extraFamily[actor - n];
      }
      const bucket = net * familyCount + family;
      if (groupSize(byBucket, bucket) > 0) {
        for (let attempt = 0; attempt < 4; attempt++) {
          const t = r.float() < UNIFORM_TARGET_SHARE ? sampleUniform(byBucket, bucket, r) : sampleZipf(byBucket, bucket, r);
          if (t !== actor) return t;
        }
      }
    }
    for (let attempt = 0; attempt < 4; attempt++) {
      const t = r.float() < UNIFORM_TARGET_SHARE ? sampleUniform(byNetwork, net, r) : sampleZipf(byNetwork, net, r);
      if (t !== actor) return t;
    }
    for (;;) {
      const t = sampleUniform(byNetwork, net, r);
      if (t !== actor) return t;
    }
  };

  /**
   * Interactions are generated actor by actor (actor-major): actor a makes its share total * w_a / W,
   * rounded by systematic sampling so the counts add up to the exact total. Walking the actors in
   * order keeps their data in cache; only the target side is random access.
   */
  interface Cursor {
    rng: Sfc32;
    actor: number;
    /** Global index at which the current actor's interactions end. */
    actorEnd: number;
    cumulativeActivity: number;
    offset: number;
    target: number;
    pairLeft: number;
  }
  const total = options.interactions;
  const perActivity = totalActivity > 0 ? total / totalActivity : 0;

  function fill(cur: Cursor, c: InteractionChunk, first: number, len: number): void {
    const r = cur.rng;
    for (let k = 0; k < len; k++) {
      const g = first + k;
      while (g >= cur.actorEnd) {
        cur.actor++;
        cur.cumulativeActivity += activity[cur.actor];
        cur.actorEnd = cur.actor === actors - 1 ? total : min(total, floor(cur.cumulativeActivity * perActivity + cur.offset));
        cur.pairLeft = 0;
      }
      const actor = cur.actor;
      if (cur.pairLeft === 0) {
        // One (actor, target) pair gives a heavy-tailed run of repeats (spam: always one).
        cur.target = pickTarget(actor, r);
        cur.pairLeft = actorClass[actor] === CLASS_SPAM ? 1 : repeats(r);
      }
      cur.pairLeft--;
      const target = cur.target;
      c.actor[k] = actor;
      c.target[k] = target;
      const roll = r.next();
      if (roll >= KIND_REPLY_BELOW) {
        c.kind[k] = KIND.MENTION;
        if (actor < n) {
          // The mention is made in one of the actor's own posts, at the time of that post.
          const post = postStart[actor] + r.below(postStart[actor + 1] - postStart[actor]);
          c.post[k] = post;
          c.occurredAtMs[k] = postedAt(post);
        } else {
          const u = r.float();
          c.post[k] = -1;
          c.occurredAtMs[k] = windowStart + min(windowMs - 1, floor(windowMs * u * (1.2 - 0.2 * u)));
        }
      } else {
        c.kind[k] = roll < KIND_LIKE_BELOW ? KIND.LIKE : roll < KIND_RESHARE_BELOW ? KIND.RESHARE : KIND.REPLY;
        // Reactions favour an author's first posts (a few posts draw most engagement) and come soon after the post.
        const u = r.float();
        const post = postStart[target] + floor((postStart[target + 1] - postStart[target]) * u * u);
        const at = postedAt(post);
        const v = r.float();
        c.post[k] = post;
        c.occurredAtMs[k] = at + min(endMs - 1 - at, floor((endMs - at) * v * v * v));
      }
    }
  }

  function* interactions(): Generator<InteractionChunk> {
    const rng = new Sfc32(seedLo, seedHi, STREAM_INTERACTIONS);
    const cur: Cursor = { rng, actor: -1, actorEnd: 0, cumulativeActivity: 0, offset: rng.float(), target: 0, pairLeft: 0 };
    for (let first = 0; first < total; first += options.chunkSize) {
      const len = min(options.chunkSize, total - first);
      const chunk: InteractionChunk = {
        actor: new Int32Array(len),
        target: new Int32Array(len),
        kind: new Uint8Array(len),
        post: new Int32Array(len),
        occurredAtMs: new Float64Array(len),
      };
      fill(cur, chunk, first, len);
      yield chunk;
    }
  }

  const prefix = options.idPrefix;
  const checkIndex = (what: string, value: number, limit: number): void => {
    if (!(Number.isInteger(value) && value >= 0 && value < limit)) throw new RangeError(`no ${what} ${value}`);
  };

  return {
    options,
    actors,
    influencers: inf,
    extraActors: extra,
    postCount,
    postStart,
    posts,
    interactions,
    handle: (a) => {
      checkIndex('actor', a, actors);
      return `${prefix}u${String(a).padStart(7, '0')}`;
    },
    postExternalId: (post) => {
      checkIndex('post', post, postCount);
      return `${prefix}p${post}`;
    },
    interactionExternalId: (i) => {
      checkIndex('interaction', i, options.interactions);
      return `${prefix}i${i}`;
    },
    postAuthor,
    postedAtMs: (post) => {
      checkIndex('post', post, postCount);
      return postedAt(post);
    },
    postTopic: (post) => topicOfPost(post, postAuthor(post)),
    actorNetwork: (a) => {
      checkIndex('actor', a, actors);
      return actorNetwork(a);
    },
    isSpamActor: (a) => {
      checkIndex('actor', a, actors);
      return actorClass[a] === CLASS_SPAM;
    },
  };
}
