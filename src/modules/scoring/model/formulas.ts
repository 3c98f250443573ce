/**
 * The score model's formulas and constants: what docs/scoring.md explains, keep the two in step.
 * The hot loops live in kernels.ts and take these constants as arguments (a worker thread runs
 * them from their source text); the wrappers here are the readable definitions tests check.
 */

import type { ModelVersion } from './types';
import { selectivityOf, unitsOf, weightOf, type EngagementConstants, type WeightConstants } from './kernels';

/** The model the runs use. Version 1 (no credibility) stays computable for side-by-side measurement. */
export const MODEL_VERSION: ModelVersion = 2;

export const PARAMS = {
  windowDays: 90,
  halfLifeDays: 30,
  /** Weight of one interaction by kind code (1 RESHARE, 2 REPLY, 3 MENTION, 4 LIKE). */
  kindWeight: [0, 1.0, 0.6, 0.5, 0.2] as readonly number[],
  /** Engagers with more distinct targets than this count for sqrt(k / targets) each. */
  selectivityTargets: 50,
  damping: 0.85,
  maxIterations: 100,
  /**
   * PageRank stops when the L1 change falls below this, in both versions. Chosen by measurement
   * (`npm run bench -- tolerance`, docs/scoring.md): at 1M influencers version 2 takes 39
   * iterations instead of 48 at 1e-7, version 1 27 instead of 50 at 1e-9, and 3 (version 1: 2) of
   * the 1M scores move, by one point.
   */
  tolerance: 1e-6,
  /** Teleport prior of nodes without an account snapshot (people who never signed up). */
  unknownQuality: 0.5,
  /** Follower counts add this many engagers per decade of followers: a weak secondary signal. */
  followerReach: 0.5,
  /** Values that map to 40 (a typical active user); each tenfold adds 20 points. */
  reference: { reach: 10, amplification: 0.5, authority: 1, topic: 1 },
  /** Version 1's weights of the components; version 2's are CREDIBILITY.weights (weightsOf). */
  weights: { authority: 0.5, reach: 0.25, amplification: 0.25 },
  floor: 10,
  /** Topics kept per influencer, and the least engagement that makes a topic score. */
  maxTopics: 10,
  minTopicEngagement: 0.2,
};

/** Credibility (model version 2): how much an engager's actions count, from evidence and trust earned. */
export const CREDIBILITY = {
  /** Evidence quality of a node no connector has described (a person seen only as an actor). */
  unknownEvidence: 0.01,
  /** Age at which an account's age no longer counts against it. */
  matureDays: 365,
  /** Followers and own posts that count as fully established (log-scaled below). */
  establishedFollowers: 1000,
  establishedPosts: 100,
  /** A verified account's evidence is at least this. */
  verifiedEvidence: 0.9,
  /** Trust earned in the graph: rounds of propagation (a short walk), damping, and the scale of 1 - e^(-received / scale). */
  trustRounds: 3,
  trustDamping: 0.85,
  trustScale: 0.25,
  /** A pair whose target engages its actor back counts this much (reciprocal engagement in a closed group). */
  mutualFactor: 0.15,
  /** One engager's counted contribution to an authority is at most this times everyone else's. */
  engagerCap: 3,
  /**
   * Credible engagement (Σ selectivity x credibility) at which a score is fully believed: below
   * it, a score keeps only this share of its distance above the floor (a confidence ramp, so
   * that the first few engagers, credible or not, cannot lift anyone far).
   */
  fullSignal: 3,
  /**
   * Version 2 leans on credible reach, the sybil-resistant core (TrueTop's credible in-degree):
   * chosen by measurement, it predicts next month's real engagers best (docs/scoring.md).
   */
  weights: { authority: 0.2, reach: 0.7, amplification: 0.1 },
  /**
   * Reach only: an engager no connector has described counts up to vouchedUnknown beside a
   * credible audience, all of them together at most vouchCap times the credible reach. Alone,
   * such engagers still count only their credibility (unknownEvidence).
   */
  vouchedUnknown: 0.5,
  vouchCap: 0.5,
  /** Engagers at least this credible are counted as credible engagers in explanations. */
  credibleAt: 0.5,
};

/** Marks a node without any connector snapshot in ModelInput.evidence. */
export const NO_EVIDENCE = -1;

/** A public profile snapshot of an account, as a connector saw it (never what a person declares). */
export interface AccountEvidence {
  followers: number;
  following: number;
  /** Posts the account has published in all (the profile's count). */
  posts: number;
  accountAgeDays: number;
  verified: boolean;
}

/**
 * Evidence quality in [0, 1] of an account (model version 2): an old account with followers and a
 * posting history is near 1; a days-old account with no followers and no posts is near 0; a
 * follow-spam ratio divides it. Verified accounts get at least verifiedEvidence.
 */
export function evidenceQuality(a: AccountEvidence): number {
  const c = CREDIBILITY;
  const age = Math.sqrt(Math.min(1, Math.max(0, a.accountAgeDays) / c.matureDays));
  const followers = Math.min(1, Math.log10(1 + Math.max(0, a.followers)) / Math.log10(1 + c.establishedFollowers));
  const posts = Math.min(1, Math.log10(1 + Math.max(0, a.posts)) / Math.log10(1 + c.establishedPosts));
  const ratio = a.following / Math.max(1, a.followers);
  const spam = a.following < 200 || ratio <= 5 ? 1 : Math.max(0.02, 5 / ratio);
  const quality = age * (0.25 + 0.75 * followers) * (0.25 + 0.75 * posts) * spam;
  return a.verified ? Math.max(c.verifiedEvidence, quality) : quality;
}

/** Contributions are summed in integer micro-units, so sums do not depend on the order rows arrive in. */
export const UNITS = 1_000_000;

export interface AccountSnapshot {
  followers: number;
  following: number;
  accountAgeDays: number;
  verified: boolean;
}

/** Teleport prior: young accounts and follow-spam ratios get less, verified accounts more. */
export function accountQuality(a: AccountSnapshot): number {
  const age = Math.min(1, 0.2 + (0.8 * Math.max(0, a.accountAgeDays)) / 365);
  const ratio = a.following / Math.max(1, a.followers);
  const spam = a.following < 200 || ratio <= 5 ? 1 : Math.max(0.02, 5 / ratio);
  return age * spam * (a.verified ? 1.5 : 1);
}

/** Weight of one interaction: its kind's weight, halved every halfLifeDays of age. */
export function interactionWeight(kind: number, ageDays: number): number {
  return weightOf(kind, ageDays, PARAMS.kindWeight, PARAMS.halfLifeDays);
}

/** Per-pair saturation: repeats from one engager add less and less. */
export function pairWeight(sum: number): number {
  return Math.log1p(sum);
}

export function selectivity(distinctTargets: number): number {
  return selectivityOf(distinctTargets, PARAMS.selectivityTargets);
}

/** 40 at the reference value, +20 per tenfold, clamped to 1-100; 1 for no signal. */
export function componentScore(value: number, reference: number): number {
  if (!(value > 0)) return 1;
  return Math.min(100, Math.max(1, 40 + 20 * Math.log10(value / reference)));
}

/** The weights of the components in a model version's score. */
export function weightsOf(version: ModelVersion): { authority: number; reach: number; amplification: number } {
  return version === 1 ? PARAMS.weights : CREDIBILITY.weights;
}

/** The final clamp of a score and of a topic score: whole points, floor to 100. */
export function clampScore(value: number): number {
  return Math.min(100, Math.max(PARAMS.floor, Math.round(value)));
}

/** kindWeight in micro-units. */
const KIND_UNITS = PARAMS.kindWeight.map((w) => w * UNITS);
/** 2^(-n / DECAY_STEPS) for every step n of the window: the decay in whole steps. */
const DECAY_STEPS = 1024;
const DECAY_TABLE = Float64Array.from({ length: Math.ceil((PARAMS.windowDays / PARAMS.halfLifeDays) * DECAY_STEPS) + 1 }, (_, n) =>
  Math.pow(2, -n / DECAY_STEPS),
);
/**
 * interactionUnits computes the decay from a table and a short series instead of Math.pow, which
 * is several times slower. The two agree to about 1e-15 relative, i.e. 1e-9 of a micro-unit at
 * most, so they round to the same integer unless the value lies within that of a rounding tie
 * (x.5): inside this margin the exact formula decides.
 */
const TIE_MARGIN = 1e-6;

/** What edge weights need of the constants above, for code that also runs in a worker thread. */
export const WEIGHT_CONSTANTS: WeightConstants = {
  units: UNITS,
  windowDays: PARAMS.windowDays,
  halfLifeDays: PARAMS.halfLifeDays,
  kindWeight: PARAMS.kindWeight,
  kindUnits: KIND_UNITS,
  decaySteps: DECAY_STEPS,
  decayTable: DECAY_TABLE,
  tieMargin: TIE_MARGIN,
};

/** One interaction's weight in micro-units: exactly Math.round(interactionWeight(kind, ageDays) · UNITS). */
export function interactionUnits(kind: number, ageDays: number): number {
  return unitsOf(kind, ageDays, WEIGHT_CONSTANTS);
}

/** What engagementPart needs of PARAMS and UNITS (it runs from its source text in a worker). */
export const ENGAGEMENT_CONSTANTS: EngagementConstants = {
  units: UNITS,
  selectivityTargets: PARAMS.selectivityTargets,
  followerReach: PARAMS.followerReach,
  maxTopics: PARAMS.maxTopics,
  minTopicEngagement: PARAMS.minTopicEngagement,
  credibleAt: CREDIBILITY.credibleAt,
  vouchedUnknown: CREDIBILITY.vouchedUnknown,
  vouchCap: CREDIBILITY.vouchCap,
};
