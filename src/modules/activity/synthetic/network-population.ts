/**
 * The organic population: influencers, the actors who never signed up, and how active each is, drawn
 * from one stream (STREAM_INFLUENCERS) in a fixed order (popularity, influencers, networks, posts,
 * extra actors, activity); then the tables organic targets are drawn from. Every later step reads it.
 */

import {
  buildRankedGroups,
  clampInt32,
  cumulative,
  DAY_MS,
  pickCumulative,
  sampleUniform,
  Sfc32,
  shuffle,
  STREAM_INFLUENCERS,
  TWO_32,
  ZIPF_EXPONENT,
  type RankedGroups,
} from './network-random';
import {
  COUNTRIES,
  LANGUAGES,
  NETWORKS,
  type NormalisedOptions,
  type SyntheticExtraActors,
  type SyntheticInfluencer,
} from './network-types';

// Local aliases: see network-random.ts.
const { ceil, exp, floor, log, max, min, pow, round } = Math;

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
const SPAM_INFLUENCER_SHARE = 0.01;
const SPAM_EXTRA_SHARE = 0.005;
/** Share of all interactions made by spam actors. */
const SPAM_INTERACTION_SHARE = 0.08;
/** Influencers with popularity rank below this share are "popular": more active, more posts, link to hubs. */
const POPULAR_SHARE = 0.02;
const ACTIVITY_PARETO_ALPHA = 1.5;
const ACTIVITY_CAP = 2000;

/** What kind of organic actor: it sets how active the actor is and how it picks targets. */
export const CLASS_EXTRA = 0;
export const CLASS_INFLUENCER = 1;
export const CLASS_POPULAR = 2;
export const CLASS_SPAM = 3;

/** Topic families, densely renumbered 0..familyCount-1 in order of first appearance. */
interface Families {
  /** Dense family -> its value in options.topicFamilies. */
  familyValues: number[];
  /** Topic id -> dense family. */
  topicFamily: Int32Array;
  familyCount: number;
  topicsOfFamily: RankedGroups;
}

export interface Population extends Families {
  options: NormalisedOptions;
  /** options.influencers. */
  n: number;
  seedLo: number;
  seedHi: number;
  endMs: number;
  windowMs: number;
  windowStart: number;
  inf: SyntheticInfluencer;
  /** Influencers by popularity rank: perm[rank] is the influencer of that rank. */
  perm: Int32Array;
  hubCount: number;
  /** Influencers ranked below this are popular (CLASS_POPULAR). */
  popularBelow: number;
  /** Influencers ranked from this on are the less popular half. */
  halfN: number;
  /** Per influencer: the dense family of its first topic. */
  homeFamily: Int32Array;
  /** Influencers per network. */
  networkSize: Int32Array;
  postStart: Int32Array;
  postCount: number;
  extra: SyntheticExtraActors;
  /** Per extra actor: the dense family of extra.family. */
  extraFamily: Int32Array;
  /** Influencers and extra actors: the actors of the organic interactions. */
  organicActors: number;
  actorClass: Uint8Array;
  /** Per organic actor: its weight, so that it makes about interactions * activity / totalActivity of them. */
  activity: Float64Array;
  totalActivity: number;
  /** Influencers by popularity within a (network, home family) bucket, net * familyCount + family. */
  byBucket: RankedGroups;
  /** Influencers by popularity within a network. */
  byNetwork: RankedGroups;
  hubsByNetwork: RankedGroups;
}

export function makePopulation(options: NormalisedOptions): Population {
  const n = options.influencers;
  const seedLo = options.seed >>> 0;
  const seedHi = floor(options.seed / TWO_32) >>> 0;
  const windowMs = options.windowDays * DAY_MS;
  const rng = new Sfc32(seedLo, seedHi, STREAM_INFLUENCERS);
  const families = renumberFamilies(options.topicFamilies);

  // Popularity: a random permutation; hubs take the first ranks and spam the last.
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  shuffle(perm, rng);
  const popularityRank = new Int32Array(n);
  for (let k = 0; k < n; k++) popularityRank[perm[k]] = k;
  const hubCount = min(n, max(3, floor(n / 20_000)));
  const spamCount = min(n - hubCount, round(n * SPAM_INFLUENCER_SHARE));
  const popularBelow = max(hubCount, ceil(n * POPULAR_SHARE));
  const halfN = max(1, n / 2);
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

  const homeFamily = new Int32Array(n);
  const postCounts = new Int32Array(n);
  describeInfluencers(inf, rng, families, options.topics, { homeFamily, postCounts, popularBelow, halfN });
  const networkSize = spreadNetworks(inf, perm, hubCount);
  const postStart = layOutPosts(postCounts);
  const { extra, extraFamily } = makeExtraActors(round(n * options.extraActorsRatio), inf, homeFamily, families, rng);
  const organicActors = n + extra.network.length;
  const { actorClass, activity, totalActivity } = weighActivity(inf, extra, popularBelow, rng);

  // Targets: by popularity within (network, home family), within the network, and the hubs per network.
  const familyCount = families.familyCount;
  return {
    ...families,
    options,
    n,
    seedLo,
    seedHi,
    endMs: options.endMs,
    windowMs,
    windowStart: options.endMs - windowMs,
    inf,
    perm,
    hubCount,
    popularBelow,
    halfN,
    homeFamily,
    networkSize,
    postStart,
    postCount: postStart[n],
    extra,
    extraFamily,
    organicActors,
    actorClass,
    activity,
    totalActivity,
    byBucket: buildRankedGroups(perm, (i) => inf.network[i] * familyCount + homeFamily[i], NETWORKS.length * familyCount),
    byNetwork: buildRankedGroups(perm, (i) => inf.network[i], NETWORKS.length),
    hubsByNetwork: buildRankedGroups(perm.subarray(0, hubCount), (i) => inf.network[i], NETWORKS.length),
  };
}

/** The network of any actor, planted accounts included. */
export function actorNetworkOf(pop: Population, plantedNetwork: Uint8Array): (actor: number) => number {
  const { n, inf, extra, organicActors } = pop;
  return (a) => (a < n ? inf.network[a] : a < organicActors ? extra.network[a - n] : plantedNetwork[a - organicActors]);
}

function renumberFamilies(topicFamilies: number[]): Families {
  const topicCount = topicFamilies.length;
  const familyValues: number[] = [];
  const familyIndex = new Map<number, number>();
  const topicFamily = new Int32Array(topicCount + 1);
  for (let t = 1; t <= topicCount; t++) {
    const value = topicFamilies[t - 1];
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
  return { familyValues, topicFamily, familyCount, topicsOfFamily };
}

/** Each influencer's network, topics, country, language and figures, one influencer after the other. */
function describeInfluencers(
  inf: SyntheticInfluencer,
  rng: Sfc32,
  families: Families,
  topicCount: number,
  out: { homeFamily: Int32Array; postCounts: Int32Array; popularBelow: number; halfN: number },
): void {
  const networkCum = cumulative(NETWORK_WEIGHTS);
  const countryCum = cumulative(COUNTRY_WEIGHTS);
  const languageOfCountry = COUNTRIES.map((c) => LANGUAGES.indexOf(COUNTRY_LANGUAGE[c]));
  const english = LANGUAGES.indexOf('en');
  const spanish = LANGUAGES.indexOf('es');
  for (let i = 0; i < inf.network.length; i++) {
    inf.network[i] = pickCumulative(networkCum, rng.float());
    out.homeFamily[i] = pickTopics(inf.topics, i, rng, families, topicCount);
    const country = pickCumulative(countryCum, rng.float());
    inf.country[i] = country;
    const mainLanguage = languageOfCountry[country];
    inf.language[i] = rng.float() < 0.85 ? mainLanguage : mainLanguage === english ? spanish : english;
    out.postCounts[i] = drawFigures(inf, i, rng, out.popularBelow, out.halfN);
  }
}

/** 1-3 topics for influencer i, mostly from the family of the first one; returns that family. */
function pickTopics(topics: Uint8Array, i: number, rng: Sfc32, families: Families, topicCount: number): number {
  const primary = 1 + rng.below(topicCount);
  const family = families.topicFamily[primary];
  topics[3 * i] = primary;
  const r = rng.float();
  const wanted = r < 0.45 ? 1 : r < 0.8 ? 2 : 3;
  let filled = 1;
  for (let s = 1; s < wanted; s++) {
    for (let attempt = 0; attempt < 4; attempt++) {
      const candidate = rng.float() < 0.85 ? sampleUniform(families.topicsOfFamily, family, rng) : 1 + rng.below(topicCount);
      let duplicate = false;
      for (let k = 0; k < filled; k++) if (topics[3 * i + k] === candidate) duplicate = true;
      if (!duplicate) {
        topics[3 * i + filled++] = candidate;
        break;
      }
    }
  }
  return family;
}

/** Influencer i's followers, following, age and verification; returns its number of posts in the window. */
function drawFigures(inf: SyntheticInfluencer, i: number, rng: Sfc32, popularBelow: number, halfN: number): number {
  const n = inf.popularityRank.length;
  const rank = inf.popularityRank[i];
  if (inf.isSpam[i]) {
    const followers = round(5 * exp(rng.float() * log(60)));
    inf.followers[i] = followers;
    inf.following[i] = round(followers * (20 + 80 * rng.float()));
    inf.accountAgeDays[i] = 1 + rng.below(29);
    return 1 + rng.below(3);
  }
  // Followers log-normal around the expected popularity (Zipf in the rank), ~150 at the median.
  inf.followers[i] = clampInt32(150 * pow((rank + 1) / halfN, -0.9 * ZIPF_EXPONENT) * exp(0.8 * rng.gauss()));
  inf.following[i] = min(7500, clampInt32(400 * exp(rng.gauss())));
  inf.accountAgeDays[i] = 30 + floor(5000 * pow(rng.float(), 1.5));
  const v = rng.float();
  inf.verified[i] = inf.isHub[i] || (rank < n * 0.005 ? v < 0.6 : rank < n * 0.05 ? v < 0.05 : v < 0.003) ? 1 : 0;
  const posts = 1 + floor(3 * exp(0.8 * rng.gauss()));
  return min(500, rank < popularBelow ? 3 * posts : posts);
}

/** Hubs spread over the networks; no network left with a single influencer. Returns influencers per network. */
function spreadNetworks(inf: SyntheticInfluencer, perm: Int32Array, hubCount: number): Int32Array {
  const n = perm.length;
  // Most common networks first.
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
  return networkSize;
}

/** Prefix sums: the posts of influencer i are postStart[i] .. postStart[i + 1] - 1. */
function layOutPosts(postCounts: Int32Array): Int32Array {
  const n = postCounts.length;
  const postStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    if (postStart[i] + postCounts[i] > 0x7fffffff) throw new RangeError('generateNetwork: too many posts');
    postStart[i + 1] = postStart[i] + postCounts[i];
  }
  return postStart;
}

/**
 * Non-signed-up actors copy the network and home family of a random influencer, so every
 * (network, family) they engage with has members.
 */
function makeExtraActors(
  extraCount: number,
  inf: SyntheticInfluencer,
  homeFamily: Int32Array,
  families: Families,
  rng: Sfc32,
): { extra: SyntheticExtraActors; extraFamily: Int32Array } {
  const n = inf.network.length;
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
    extra.family[j] = families.familyValues[homeFamily[ref]];
    extra.isSpam[j] = rng.float() < SPAM_EXTRA_SHARE ? 1 : 0;
  }
  return { extra, extraFamily };
}

/** Actor activity: Pareto out-degree weights; spam share a fixed slice of all interactions. */
function weighActivity(
  inf: SyntheticInfluencer,
  extra: SyntheticExtraActors,
  popularBelow: number,
  rng: Sfc32,
): { actorClass: Uint8Array; activity: Float64Array; totalActivity: number } {
  const n = inf.network.length;
  const organicActors = n + extra.network.length;
  const actorClass = new Uint8Array(organicActors);
  const activity = new Float64Array(organicActors);
  let nonSpamActivity = 0;
  let spamActors = 0;
  for (let a = 0; a < organicActors; a++) {
    const cls =
      a < n
        ? inf.isSpam[a]
          ? CLASS_SPAM
          : inf.popularityRank[a] < popularBelow
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
  return { actorClass, activity, totalActivity };
}
