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
 *
 * Every account also has a hidden truth (a real person, or a fake / spam account) and the public
 * profile a connector would see (`accounts`), consistent with it; some real people who never signed up
 * are lurkers no connector has described. Planted attack shapes (`options.attacks`, none by default)
 * add accounts and interactions after the organic ones, which they leave unchanged but for keeping the
 * attacked influencers out of organic targeting; see AttackOptions. `futureEngagers` plants the
 * following days' engagement, for measuring how well a score predicts it.
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
  /** Planted attack shapes and engagement buyers; none by default. */
  attacks?: AttackOptions;
}

/**
 * Planted shapes, each a count (0 = none, the default). Attacked influencers (farm and organic
 * targets, pod members and their comparisons, squatters) are drawn from the less popular half of
 * the largest network, never spam or hubs, and receive no organic engagement, so what they receive
 * is exactly what was planted. Planted interactions are RESHAREs unless said otherwise.
 */
export interface AttackOptions {
  /** (a) Influencers each reshared once, in the last 3 days, by farmSize fresh fake accounts made for the purpose. */
  farmTargets?: number;
  /** Default 50. */
  farmSize?: number;
  /** (b) The control for (a): influencers each reshared once, in the last 3 days, by organicSize established real accounts. */
  organicTargets?: number;
  /** Default 50. */
  organicSize?: number;
  /**
   * (c) Pods of podSize influencers resharing each other every day of the window, and podSize comparison
   * influencers each reshared every day by podSize - 1 established real accounts (as many engagers as a pod member has).
   */
  pods?: number;
  /** Default 20. */
  podSize?: number;
  /** (d) Popular accounts that never signed up (engaged by ~400 real accounts), each claimed, unverified, by a squatter influencer. */
  squats?: number;
  /** (e) Single hub events: one reshare, in the last 12 hours, by one of the 10 most popular accounts of the network to a less popular influencer. */
  hubEvents?: number;
  /** Single random interactions: one reshare by an actor drawn by activity, in the last 12 hours, to a random influencer (each a different one). */
  singles?: number;
  /**
   * (f) Share of all influencers (drawn from the less popular half) who buy engagement: 10-100 accounts of a
   * shared fake-account farm each like or reshare them 1-2 times over the window, and 1,000-50,000 followers.
   */
  buyerShare?: number;
}

/** Planted interaction shapes, in the order their interactions follow the organic ones: population first, then probes. */
export const PLANTED_SHAPES = ['buyers', 'popular', 'farms', 'organic', 'pods', 'podComparisons', 'hubEvents', 'singles'] as const;
export type PlantedShape = (typeof PLANTED_SHAPES)[number];
/** The shapes that are part of the population (present before any probe is played): buyers and popular non-members. */
export const POPULATION_SHAPES: readonly PlantedShape[] = ['buyers', 'popular'];

export type NormalisedOptions = Required<Omit<SyntheticOptions, 'attacks'>> & { attacks: Required<AttackOptions> };

/**
 * Every actor's account, index = actor: the hidden truth, and the public profile a connector sees
 * (meaningful only where hasEvidence is 1). Influencers' fields are the same arrays as `influencers`'.
 */
export interface SyntheticAccounts {
  /** Hidden truth, never shown to the model: 1 = a real person, 0 = a fake or spam account. */
  real: Uint8Array;
  /** 1 when a connector has a snapshot of the profile; 0 for real lurkers nobody has described. */
  hasEvidence: Uint8Array;
  followers: Int32Array;
  following: Int32Array;
  /** Posts on the profile in all (not the generated posts of the window). */
  posts: Int32Array;
  accountAgeDays: Int32Array;
  verified: Uint8Array;
}

/** What was planted (all empty without options.attacks). Influencer and actor indexes. */
export interface SyntheticPlanted {
  /**
   * Interaction index range [start, end) of each shape. Organic interactions are [0, options.interactions);
   * the population shapes come first, so organic + population is the prefix [0, populationEnd).
   */
  range: Record<PlantedShape, { start: number; end: number }>;
  populationEnd: number;
  /** 1 for influencers kept out of organic targeting: attack targets, pod members, comparisons, squatters. */
  reserved: Uint8Array;
  farmTargets: Int32Array;
  organicTargets: Int32Array;
  /** Pod p's members are podMembers[p * podSize .. (p + 1) * podSize). */
  podMembers: Int32Array;
  podComparisons: Int32Array;
  /** Squat k: influencer squatters[k] claims (unverified) the actor squatted[k], a popular account that never signed up. */
  squatters: Int32Array;
  squatted: Int32Array;
  /** Event k: actor hubEvents.actor[k] reshares influencer hubEvents.target[k] once. */
  hubEvents: { actor: Int32Array; target: Int32Array };
  singles: { actor: Int32Array; target: Int32Array };
  buyers: Int32Array;
  /** Per buyer: followers bought (already in its followers) and farm accounts that engaged it. */
  boughtFollowers: Int32Array;
  boughtEngagers: Int32Array;
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

/** Non-signed-up actors; index j = actor influencers + j. Planted accounts (see plantedActors) follow them. */
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
  /** An influencer index (< influencers), never equal to actor; planted engagement of a popular non-member (planted.squatted) excepted. */
  target: Int32Array;
  /** KIND codes. */
  kind: Uint8Array;
  /**
   * Post index or -1: RESHARE/REPLY/LIKE -> a post of the target (-1 for a target that is not an influencer);
   * MENTION -> a post of the actor (-1 if not an influencer).
   */
  post: Int32Array;
  /** Integer ms inside the window, and not before the referenced post's postedAtMs. */
  occurredAtMs: Float64Array;
}

export interface SyntheticNetwork {
  options: NormalisedOptions;
  /** Total actor count (influencers + extra actors + planted accounts). */
  actors: number;
  influencers: SyntheticInfluencer;
  extraActors: SyntheticExtraActors;
  /** Accounts made by the planted shapes: actors influencers + extraActors .. actors - 1. */
  plantedActors: { first: number; network: Uint8Array };
  /** Every actor's hidden truth and public profile. */
  accounts: SyntheticAccounts;
  planted: SyntheticPlanted;
  /** options.interactions organic interactions, then the planted ones. */
  interactionCount: number;
  /** Total number of posts. */
  postCount: number;
  /** Length influencers + 1: the posts of influencer i are postStart[i] .. postStart[i+1]-1 (at least one). */
  postStart: Int32Array;
  /** Deterministic; may be called several times (same output each time). Chunks of options.chunkSize posts. */
  posts(): Iterable<PostChunk>;
  /**
   * Deterministic; may be called several times (same output each time); exactly interactionCount in
   * total. The organic ones (the first options.interactions) are ordered by actor (all of actor 0's, then
   * actor 1's, ...), not by time; the planted ones follow, by shape (planted.range).
   */
  interactions(): Iterable<InteractionChunk>;
  /**
   * Hidden truth planted for measuring prediction: per influencer, the distinct real accounts that engage it
   * in the `days` (default 30) after endMs. Audiences persist: a real account that engaged it organically n
   * times in the window comes back with probability 1 - 0.6^n (per 30 days); new engagers come from the
   * window's own process (the same accounts, activity and popularity) at half its rate, with fresh randomness.
   * Fakes and spam never count, and planted engagement (bought, pods, farms) does not continue. Deterministic;
   * computed on each call (it replays the organic interactions).
   */
  futureEngagers(days?: number): Int32Array;
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
  /** An organic spam account (planted fakes are not: see accounts.real). */
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
const STREAM_ACCOUNTS = 3;
const STREAM_PLANTED = 4;
const STREAM_FUTURE = 5;

/** Real people who never signed up and whom no connector has described (no snapshot at all). */
const LURKER_SHARE = 0.3;
/** A shared farm holds this many accounts per buyer (on its network), plus FARM_POOL_MIN: each engages ~8 buyers. */
const FARM_POOL_PER_BUYER = 5;
const FARM_POOL_MIN = 150;
const BOUGHT_ENGAGERS = { min: 10, max: 100 };
const BOUGHT_FOLLOWERS = { min: 1000, max: 50_000 };
/** Real accounts that engage each popular non-member planted for squatting. */
const POPULAR_ENGAGERS = 400;
/** Hub events come from the network's most popular accounts, this many of them in turn. */
const TOP_ACCOUNTS = 10;
/** A real account that engaged a target n times in the window engages it again in the next 30 days unless it misses each time (p = this^n). */
const FUTURE_RETURN_MISS = 0.6;
/** New engagers of the next days come from this share of the window's volume (scaled to the days). */
const FUTURE_NEW_SHARE = 0.5;
/** An established account: real, described, at least a year old, with followers and a posting history. */
const ESTABLISHED = { ageDays: 365, followers: 50, posts: 20 };

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

function normalise(input: SyntheticOptions): NormalisedOptions {
  const attacks = input.attacks ?? {};
  const options: NormalisedOptions = {
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
    attacks: {
      farmTargets: attacks.farmTargets ?? 0,
      farmSize: attacks.farmSize ?? 50,
      organicTargets: attacks.organicTargets ?? 0,
      organicSize: attacks.organicSize ?? 50,
      pods: attacks.pods ?? 0,
      podSize: attacks.podSize ?? 20,
      squats: attacks.squats ?? 0,
      hubEvents: attacks.hubEvents ?? 0,
      singles: attacks.singles ?? 0,
      buyerShare: attacks.buyerShare ?? 0,
    },
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
  const a = options.attacks;
  for (const key of [
    'farmTargets',
    'farmSize',
    'organicTargets',
    'organicSize',
    'pods',
    'podSize',
    'squats',
    'hubEvents',
    'singles',
  ] as const) {
    if (!isInteger(a[key]) || a[key] < 0) fail(`attacks.${key} must be a non-negative integer`);
  }
  if (a.pods > 0 && a.podSize < 2) fail('attacks.podSize must be at least 2');
  if (!(a.buyerShare >= 0 && a.buyerShare <= 0.5)) fail('attacks.buyerShare must be in [0, 0.5]');
  if (plantsAnything(options) && options.interactions === 0) fail('planted attacks need organic interactions');
  return options;
}

function plantsAnything(options: NormalisedOptions): boolean {
  const a = options.attacks;
  return a.farmTargets + a.organicTargets + a.pods + a.squats + a.hubEvents + a.singles > 0 || a.buyerShare > 0;
}

/** Typed columns of planted interactions, grown as they are added. */
class PlantedColumns {
  length = 0;
  actor = new Int32Array(1024);
  target = new Int32Array(1024);
  kind = new Uint8Array(1024);
  post = new Int32Array(1024);
  occurredAtMs = new Float64Array(1024);

  add(actor: number, target: number, kind: number, post: number, occurredAtMs: number): void {
    if (this.length === this.actor.length) {
      const grow = <T extends Int32Array | Uint8Array | Float64Array>(a: T): T => {
        const bigger = new (a.constructor as new (n: number) => T)(2 * a.length);
        bigger.set(a as never);
        return bigger;
      };
      this.actor = grow(this.actor);
      this.target = grow(this.target);
      this.kind = grow(this.kind);
      this.post = grow(this.post);
      this.occurredAtMs = grow(this.occurredAtMs);
    }
    const k = this.length++;
    this.actor[k] = actor;
    this.target[k] = target;
    this.kind[k] = kind;
    this.post[k] = post;
    this.occurredAtMs[k] = occurredAtMs;
  }
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
  const organicActors = n + extraCount;
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
  const actorClass = new Uint8Array(organicActors);
  const activity = new Float64Array(organicActors);
  let nonSpamActivity = 0;
  let spamActors = 0;
  for (let a = 0; a < organicActors; a++) {
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
    for (let a = 0; a < organicActors; a++) if (actorClass[a] === CLASS_SPAM) activity[a] = spamWeight;
  }
  let totalActivity = 0;
  for (let a = 0; a < organicActors; a++) totalActivity += activity[a];

  // Targets: by popularity within (network, home family), within the network, and the hubs per network.
  const byBucket = buildRankedGroups(perm, (i) => inf.network[i] * familyCount + homeFamily[i], NETWORKS.length * familyCount);
  const byNetwork = buildRankedGroups(perm, (i) => inf.network[i], NETWORKS.length);
  const hubsByNetwork = buildRankedGroups(perm.subarray(0, hubCount), (i) => inf.network[i], NETWORKS.length);

  // Set once the planted accounts are known (below).
  let plantedNetwork = new Uint8Array(0);
  const actorNetwork = (a: number): number =>
    a < n ? inf.network[a] : a < organicActors ? extra.network[a - n] : plantedNetwork[a - organicActors];

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

  // Accounts and planted shapes. Their own random streams, so the organic output above and below
  // stays the same whatever is planted (but for keeping reserved influencers out of targeting).
  const attacks = options.attacks;
  const planting = plantsAnything(options);
  const pr = new Sfc32(seedLo, seedHi, STREAM_PLANTED);
  const shuffle = (items: number[]): number[] => {
    for (let k = items.length - 1; k > 0; k--) {
      const j = pr.below(k + 1);
      const tmp = items[k];
      items[k] = items[j];
      items[j] = tmp;
    }
    return items;
  };
  const reserved = new Uint8Array(planting ? n : 0);
  const taken = new Uint8Array(planting ? n : 0);
  const lessPopular = (i: number) => popularityRank[i] >= halfN && !inf.isSpam[i] && !inf.isHub[i];
  // Attacked influencers: the less popular half of the largest network, which has enough established accounts.
  let probeNetwork = 0;
  for (let net = 1; net < NETWORKS.length; net++) if (networkSize[net] > networkSize[probeNetwork]) probeNetwork = net;
  const candidates: number[] = [];
  if (planting) for (let i = 0; i < n; i++) if (inf.network[i] === probeNetwork && lessPopular(i)) candidates.push(i);
  shuffle(candidates);
  let nextCandidate = 0;
  const tooSmall = (what: string): never => {
    throw new RangeError(`generateNetwork: too few ${what} for the planted attacks; use more influencers`);
  };
  const draw = (count: number, reserve: boolean): Int32Array => {
    if (nextCandidate + count > candidates.length) tooSmall('less popular influencers');
    const out = Int32Array.from(candidates.slice(nextCandidate, nextCandidate + count));
    nextCandidate += count;
    for (const i of out) {
      taken[i] = 1;
      if (reserve) reserved[i] = 1;
    }
    return out;
  };
  const farmTargets = draw(attacks.farmTargets, true);
  const organicTargets = draw(attacks.organicTargets, true);
  const podMembers = draw(attacks.pods * attacks.podSize, true);
  const podComparisons = draw(attacks.pods > 0 ? attacks.podSize : 0, true);
  const squatters = draw(attacks.squats, true);
  const hubTargets = draw(attacks.hubEvents, false);

  const buyerCount = round(n * attacks.buyerShare);
  const buyerCandidates: number[] = [];
  if (buyerCount > 0) for (let i = 0; i < n; i++) if (lessPopular(i) && !taken[i]) buyerCandidates.push(i);
  if (buyerCount > buyerCandidates.length) tooSmall('less popular influencers');
  const buyers = Int32Array.from(shuffle(buyerCandidates).slice(0, buyerCount));
  for (const b of buyers) taken[b] = 1;
  const boughtEngagers = new Int32Array(buyerCount);
  const boughtFollowers = new Int32Array(buyerCount);
  const buyersOnNetwork = new Int32Array(NETWORKS.length);
  for (let k = 0; k < buyerCount; k++) {
    boughtEngagers[k] = round(BOUGHT_ENGAGERS.min * exp(pr.float() * log(BOUGHT_ENGAGERS.max / BOUGHT_ENGAGERS.min)));
    boughtFollowers[k] = round(BOUGHT_FOLLOWERS.min * exp(pr.float() * log(BOUGHT_FOLLOWERS.max / BOUGHT_FOLLOWERS.min)));
    buyersOnNetwork[inf.network[buyers[k]]]++;
  }

  const singleTargets: number[] = [];
  if (attacks.singles > 0) for (let i = 0; i < n; i++) if (!taken[i]) singleTargets.push(i);
  if (attacks.singles > singleTargets.length) tooSmall('influencers');
  const singles = { actor: new Int32Array(attacks.singles), target: Int32Array.from(shuffle(singleTargets).slice(0, attacks.singles)) };

  // Planted accounts: farm accounts of (a), the buyers' shared farm per network, popular non-members of (d).
  const farmFirst = organicActors;
  const poolStart = new Int32Array(NETWORKS.length + 1);
  poolStart[0] = farmFirst + attacks.farmTargets * attacks.farmSize;
  for (let net = 0; net < NETWORKS.length; net++) {
    poolStart[net + 1] = poolStart[net] + (buyersOnNetwork[net] > 0 ? FARM_POOL_MIN + FARM_POOL_PER_BUYER * buyersOnNetwork[net] : 0);
  }
  const popularFirst = poolStart[NETWORKS.length];
  const totalActors = popularFirst + attacks.squats;
  if (totalActors > 0x7fffffff) throw new RangeError('generateNetwork: too many actors');
  plantedNetwork = new Uint8Array(totalActors - organicActors).fill(probeNetwork);
  for (let net = 0; net < NETWORKS.length; net++)
    plantedNetwork.fill(net, poolStart[net] - organicActors, poolStart[net + 1] - organicActors);
  const squatted = Int32Array.from({ length: attacks.squats }, (_, k) => popularFirst + k);

  // Public profiles, consistent with the hidden truth.
  const ar = new Sfc32(seedLo, seedHi, STREAM_ACCOUNTS);
  const accounts: SyntheticAccounts = {
    real: new Uint8Array(totalActors),
    hasEvidence: new Uint8Array(totalActors),
    followers: new Int32Array(totalActors),
    following: new Int32Array(totalActors),
    posts: new Int32Array(totalActors),
    accountAgeDays: new Int32Array(totalActors),
    verified: new Uint8Array(totalActors),
  };
  accounts.followers.set(inf.followers);
  accounts.following.set(inf.following);
  accounts.accountAgeDays.set(inf.accountAgeDays);
  accounts.verified.set(inf.verified);
  inf.followers = accounts.followers.subarray(0, n);
  inf.following = accounts.following.subarray(0, n);
  inf.accountAgeDays = accounts.accountAgeDays.subarray(0, n);
  inf.verified = accounts.verified.subarray(0, n);
  /** A profile's posts: heavy-tailed, ~150 at the median for an account a year old or more. */
  const profilePosts = (ageDays: number) => clampInt32(150 * exp(1.1 * ar.gauss()) * sqrt(min(1, ageDays / 365)));
  const profile = (a: number, real: boolean, followers: number, following: number, posts: number, ageDays: number, verified: boolean) => {
    accounts.real[a] = real ? 1 : 0;
    accounts.hasEvidence[a] = 1;
    accounts.followers[a] = followers;
    accounts.following[a] = following;
    accounts.posts[a] = posts;
    accounts.accountAgeDays[a] = ageDays;
    accounts.verified[a] = verified ? 1 : 0;
  };
  for (let i = 0; i < n; i++) {
    accounts.real[i] = inf.isSpam[i] ? 0 : 1;
    accounts.hasEvidence[i] = 1;
    accounts.posts[i] = inf.isSpam[i] ? ar.below(4) : profilePosts(inf.accountAgeDays[i]);
  }
  for (let a = n; a < organicActors; a++) {
    if (extra.isSpam[a - n]) {
      // Young follow-spammers.
      profile(a, false, ar.below(20), 200 + ar.below(3000), ar.below(5), 1 + ar.below(29), false);
      continue;
    }
    const lurker = ar.float() < LURKER_SHARE;
    const followers = clampInt32(80 * exp(1.5 * ar.gauss()));
    const following = min(7500, clampInt32(150 * exp(0.9 * ar.gauss())));
    const ageDays = 30 + floor(5000 * pow(ar.float(), 1.5));
    const posts = profilePosts(ageDays);
    const verified = ar.float() < 0.002;
    if (lurker) accounts.real[a] = 1;
    else profile(a, true, followers, following, posts, ageDays, verified);
  }
  // Fresh fakes made for one attack: days old, next to no followers, no posts.
  for (let a = farmFirst; a < poolStart[0]; a++) profile(a, false, ar.below(3), ar.below(30), ar.below(2), ar.below(7), false);
  // Bought farm accounts: weeks old, few followers, following under the follow-spam radar.
  for (let a = poolStart[0]; a < popularFirst; a++) profile(a, false, ar.below(10), ar.below(150), ar.below(3), 3 + ar.below(60), false);
  for (let a = popularFirst; a < totalActors; a++) {
    profile(
      a,
      true,
      clampInt32(200_000 * exp(ar.gauss())),
      ar.below(2000),
      1000 + ar.below(20_000),
      1500 + ar.below(3500),
      ar.float() < 0.5,
    );
  }
  for (let k = 0; k < buyerCount; k++) inf.followers[buyers[k]] = clampInt32(inf.followers[buyers[k]] + boughtFollowers[k]);

  // Planted interactions, shape by shape in PLANTED_SHAPES order.
  const planted = new PlantedColumns();
  const range = {} as Record<PlantedShape, { start: number; end: number }>;
  let shapeStart = 0;
  const endShape = (shape: PlantedShape) => {
    range[shape] = { start: options.interactions + shapeStart, end: options.interactions + planted.length };
    shapeStart = planted.length;
  };
  /** A reaction to `target` at about `wantedMs`: on its latest post by then, or at its first post if none is older. */
  const react = (actor: number, target: number, kind: number, wantedMs: number): void => {
    if (target >= n) {
      planted.add(actor, target, kind, -1, wantedMs);
      return;
    }
    let best = -1;
    let bestAt = -Infinity;
    let first = -1;
    let firstAt = Infinity;
    for (let p = postStart[target]; p < postStart[target + 1]; p++) {
      const at = postedAt(p);
      if (at <= wantedMs && at > bestAt) {
        best = p;
        bestAt = at;
      }
      if (at < firstAt) {
        first = p;
        firstAt = at;
      }
    }
    if (best >= 0) planted.add(actor, target, kind, best, wantedMs);
    else planted.add(actor, target, kind, first, firstAt);
  };
  const withinLast = (ms: number) => endMs - 1 - pr.below(ms - 1);
  const anyTimeInWindow = () => windowStart + pr.below(windowMs);
  /** `count` distinct members of `pool`, none equal to `not`. */
  const distinctFrom = (pool: Int32Array, count: number, not: number): number[] => {
    if (count > pool.length - 1) tooSmall('accounts');
    const chosen = new Set<number>();
    while (chosen.size < count) {
      const a = pool[pr.below(pool.length)];
      if (a !== not) chosen.add(a);
    }
    return [...chosen];
  };

  // (f) Buyers: each engaged by distinct accounts of its network's farm; each farm account also likes
  // two of the network's 100 most popular accounts, as camouflage.
  for (let k = 0; k < buyerCount; k++) {
    const b = buyers[k];
    const net = inf.network[b];
    const pool = Int32Array.from({ length: poolStart[net + 1] - poolStart[net] }, (_, j) => poolStart[net] + j);
    for (const fake of distinctFrom(pool, boughtEngagers[k], -1)) {
      for (let times = 1 + pr.below(2); times > 0; times--) react(fake, b, pr.float() < 0.6 ? KIND.LIKE : KIND.RESHARE, anyTimeInWindow());
    }
  }
  for (let fake = poolStart[0]; fake < popularFirst; fake++) {
    const net = plantedNetwork[fake - organicActors];
    const top = min(100, groupSize(byNetwork, net));
    for (let k = 0; k < 2; k++) react(fake, byNetwork.member[byNetwork.start[net] + pr.below(top)], KIND.LIKE, anyTimeInWindow());
  }
  endShape('buyers');

  // Real accounts of the attacked network, and the established ones among those who never signed up.
  const realOnProbe: number[] = [];
  const established: number[] = [];
  if (planting) {
    for (let a = 0; a < organicActors; a++) {
      if (actorNetwork(a) !== probeNetwork || !accounts.real[a] || (a < n && reserved[a])) continue;
      realOnProbe.push(a);
      if (
        a >= n &&
        accounts.hasEvidence[a] &&
        accounts.accountAgeDays[a] >= ESTABLISHED.ageDays &&
        accounts.followers[a] >= ESTABLISHED.followers &&
        accounts.posts[a] >= ESTABLISHED.posts
      ) {
        established.push(a);
      }
    }
  }
  const realPool = Int32Array.from(realOnProbe);
  const establishedPool = Int32Array.from(established);

  // (d) Popular accounts that never signed up: each engaged by POPULAR_ENGAGERS real accounts, with repeats.
  for (const account of squatted) {
    for (const engager of distinctFrom(realPool, min(POPULAR_ENGAGERS, realPool.length - 1), -1)) {
      for (let times = min(20, repeats(pr)); times > 0; times--) {
        const roll = pr.float();
        react(engager, account, roll < 0.6 ? KIND.LIKE : roll < 0.85 ? KIND.RESHARE : KIND.REPLY, anyTimeInWindow());
      }
    }
  }
  endShape('popular');

  // (a) Farms: farmSize fresh accounts per target, one reshare each, in the last 3 days.
  farmTargets.forEach((target, k) => {
    for (let j = 0; j < attacks.farmSize; j++) react(farmFirst + k * attacks.farmSize + j, target, KIND.RESHARE, withinLast(3 * DAY_MS));
  });
  endShape('farms');
  // (b) The control: organicSize established accounts per target, one reshare each, in the last 3 days.
  for (const target of organicTargets) {
    for (const engager of distinctFrom(establishedPool, attacks.organicSize, -1))
      react(engager, target, KIND.RESHARE, withinLast(3 * DAY_MS));
  }
  endShape('organic');
  // (c) Pods: every member reshares every other member once a day; and the comparisons, each reshared
  // once a day by podSize - 1 established accounts of their own.
  const daily = (engagers: ArrayLike<number>, target: number) => {
    for (let d = 0; d < options.windowDays; d++) {
      for (let k = 0; k < engagers.length; k++) react(engagers[k], target, KIND.RESHARE, endMs - d * DAY_MS - 1 - pr.below(DAY_MS - 1));
    }
  };
  for (let p = 0; p < attacks.pods; p++) {
    const members = podMembers.subarray(p * attacks.podSize, (p + 1) * attacks.podSize);
    for (const target of members)
      daily(
        members.filter((m) => m !== target),
        target,
      );
  }
  endShape('pods');
  for (const target of podComparisons) daily(distinctFrom(establishedPool, attacks.podSize - 1, -1), target);
  endShape('podComparisons');
  // (e) Hub events: the network's most popular accounts in turn, one reshare each, in the last 12 hours.
  const topAccounts: number[] = [];
  for (let k = byNetwork.start[probeNetwork]; k < byNetwork.start[probeNetwork + 1] && topAccounts.length < TOP_ACCOUNTS; k++) {
    if (!reserved[byNetwork.member[k]]) topAccounts.push(byNetwork.member[k]);
  }
  const hubEvents = { actor: new Int32Array(attacks.hubEvents), target: hubTargets };
  hubTargets.forEach((target, k) => {
    hubEvents.actor[k] = topAccounts[k % topAccounts.length];
    react(hubEvents.actor[k], target, KIND.RESHARE, withinLast(DAY_MS / 2));
  });
  endShape('hubEvents');
  // Single random interactions: an actor drawn by activity, on the target's network.
  if (attacks.singles > 0) {
    const cumulativeActivity = new Float64Array(organicActors);
    for (let a = 0, acc = 0; a < organicActors; a++) cumulativeActivity[a] = acc += activity[a];
    singles.target.forEach((target, k) => {
      for (let attempt = 0; ; attempt++) {
        const u = pr.float() * totalActivity;
        let lo = 0;
        let hi = organicActors - 1;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (cumulativeActivity[mid] > u) hi = mid;
          else lo = mid + 1;
        }
        if (lo !== target && actorNetwork(lo) === inf.network[target]) {
          singles.actor[k] = lo;
          break;
        }
        if (attempt === 10_000) tooSmall('actors on a network');
      }
      react(singles.actor[k], target, KIND.RESHARE, withinLast(DAY_MS / 2));
    });
  }
  endShape('singles');
  const plantedInteractions = planted.length;
  const interactionCount = options.interactions + plantedInteractions;

  const plantedShapes: SyntheticPlanted = {
    range,
    populationEnd: range.popular.end,
    reserved,
    farmTargets,
    organicTargets,
    podMembers,
    podComparisons,
    squatters,
    squatted,
    hubEvents,
    singles,
    buyers,
    boughtFollowers,
    boughtEngagers,
  };
  /** The organic target picker, kept off the reserved influencers. */
  const pickOrganicTarget = planting
    ? (actor: number, r: Sfc32): number => {
        for (;;) {
          const t = pickTarget(actor, r);
          if (!reserved[t]) return t;
        }
      }
    : (actor: number, r: Sfc32): number => pickTarget(actor, r);

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
        cur.actorEnd = cur.actor === organicActors - 1 ? total : min(total, floor(cur.cumulativeActivity * perActivity + cur.offset));
        cur.pairLeft = 0;
      }
      const actor = cur.actor;
      if (cur.pairLeft === 0) {
        // One (actor, target) pair gives a heavy-tailed run of repeats (spam: always one).
        cur.target = pickOrganicTarget(actor, r);
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
    for (let first = 0; first < interactionCount; first += options.chunkSize) {
      const len = min(options.chunkSize, interactionCount - first);
      const chunk: InteractionChunk = {
        actor: new Int32Array(len),
        target: new Int32Array(len),
        kind: new Uint8Array(len),
        post: new Int32Array(len),
        occurredAtMs: new Float64Array(len),
      };
      // Organic interactions first, then the planted ones, in whole chunks.
      const organic = max(0, min(len, total - first));
      if (organic > 0) fill(cur, chunk, first, organic);
      if (organic < len) {
        const from = first + organic - total;
        const to = first + len - total;
        chunk.actor.set(planted.actor.subarray(from, to), organic);
        chunk.target.set(planted.target.subarray(from, to), organic);
        chunk.kind.set(planted.kind.subarray(from, to), organic);
        chunk.post.set(planted.post.subarray(from, to), organic);
        chunk.occurredAtMs.set(planted.occurredAtMs.subarray(from, to), organic);
      }
      yield chunk;
    }
  }

  function futureEngagers(days = 30): Int32Array {
    if (!(days > 0)) throw new RangeError('futureEngagers: days must be positive');
    // Audiences persist: each real account that engaged a target in the window comes back with a
    // probability that grows with how often it engaged; new engagers come from the window's own
    // process (the same accounts, activity and popularity), scaled to `days`, with its own stream.
    // Actor by actor, so one "last engager" per target tells a new engager from one already counted.
    const r = new Sfc32(seedLo, seedHi, STREAM_FUTURE);
    const scale = days / options.windowDays;
    const futureTotal = round(total * scale * FUTURE_NEW_SHARE);
    const perFuture = totalActivity > 0 ? futureTotal / totalActivity : 0;
    const offset = r.float();
    const engagers = new Int32Array(n);
    const lastEngager = new Int32Array(n).fill(-1);
    const count = (a: number, t: number) => {
      if (lastEngager[t] !== a) {
        lastEngager[t] = a;
        engagers[t]++;
      }
    };
    const past = new Map<number, number>();
    const organic = interactions()[Symbol.iterator]();
    let chunk: InteractionChunk | null = null;
    let k = 0;
    let seen = 0;
    let cumulative = 0;
    let done = 0;
    for (let a = 0; a < organicActors; a++) {
      const real = accounts.real[a] === 1;
      past.clear();
      for (; seen < total; seen++, k++) {
        if (!chunk || k === chunk.actor.length) {
          chunk = organic.next().value as InteractionChunk;
          k = 0;
        }
        if (chunk.actor[k] !== a) break;
        past.set(chunk.target[k], (past.get(chunk.target[k]) ?? 0) + 1);
      }
      for (const [t, times] of past) if (r.float() >= pow(FUTURE_RETURN_MISS, times * scale * 3) && real) count(a, t);
      cumulative += activity[a];
      const end = a === organicActors - 1 ? futureTotal : min(futureTotal, floor(cumulative * perFuture + offset));
      const spam = actorClass[a] === CLASS_SPAM;
      for (let left = end - done; left > 0;) {
        const t = pickOrganicTarget(a, r);
        left -= spam ? 1 : repeats(r);
        if (real) count(a, t);
      }
      done = max(done, end);
    }
    return engagers;
  }

  const prefix = options.idPrefix;
  const checkIndex = (what: string, value: number, limit: number): void => {
    if (!(Number.isInteger(value) && value >= 0 && value < limit)) throw new RangeError(`no ${what} ${value}`);
  };

  return {
    options,
    actors: totalActors,
    influencers: inf,
    extraActors: extra,
    plantedActors: { first: organicActors, network: plantedNetwork },
    accounts,
    planted: plantedShapes,
    interactionCount,
    futureEngagers,
    postCount,
    postStart,
    posts,
    interactions,
    handle: (a) => {
      checkIndex('actor', a, totalActors);
      return `${prefix}u${String(a).padStart(7, '0')}`;
    },
    postExternalId: (post) => {
      checkIndex('post', post, postCount);
      return `${prefix}p${post}`;
    },
    interactionExternalId: (i) => {
      checkIndex('interaction', i, interactionCount);
      return `${prefix}i${i}`;
    },
    postAuthor,
    postedAtMs: (post) => {
      checkIndex('post', post, postCount);
      return postedAt(post);
    },
    postTopic: (post) => topicOfPost(post, postAuthor(post)),
    actorNetwork: (a) => {
      checkIndex('actor', a, totalActors);
      return actorNetwork(a);
    },
    isSpamActor: (a) => {
      checkIndex('actor', a, totalActors);
      return a < organicActors && actorClass[a] === CLASS_SPAM;
    },
  };
}
