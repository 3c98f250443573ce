/**
 * The synthetic network's public shapes: its options, what it returns, and the code lists (networks,
 * kinds, countries, languages) its indexes point into. See network-generator.ts.
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
 * (meaningful only where hasEvidence is 1). The influencers' part of followers, following,
 * accountAgeDays and verified is the same memory as those arrays of `influencers`.
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
  /**
   * 1 for influencers kept out of organic targeting: farm and organic targets, pod members, comparisons,
   * squatters (not hub event or single targets, nor buyers). Empty when nothing is planted.
   */
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
   * times in the window comes back with probability 1 - 0.6^(3n * days / windowDays) (1 - 0.6^n in the 30 days
   * after a 90-day window); new engagers come from the window's own process (the same accounts, activity and
   * popularity) at half its rate, with fresh randomness.
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
