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
 * attacked influencers out of organic targeting (buyers also gain the followers they bought); see
 * AttackOptions. `futureEngagers` plants the following days' engagement, for measuring how well a score
 * predicts it.
 *
 * The steps, in order, each in its own file: the organic population (network-population.ts), the posts
 * as hashes (network-posts.ts), what is planted and where its accounts stand (network-planting.ts),
 * every account's truth and profile (network-accounts.ts), the planted interactions (network-planted.ts),
 * the organic interactions, replayed on each call (network-organic.ts), and the following days' engagers
 * (network-future.ts). Each draws from random streams of its own (network-random.ts), so what is planted
 * never shifts the organic draws.
 */

import { describeAccounts } from './network-accounts';
import { futureEngagers } from './network-future';
import { normalise } from './network-options';
import { interactionStream, organicTargetPicker } from './network-organic';
import { planAttacks } from './network-planting';
import { plantInteractions } from './network-planted';
import { actorNetworkOf, CLASS_SPAM, makePopulation, type Population } from './network-population';
import { makePosts, postChunks, type Posts } from './network-posts';
import type { SyntheticNetwork, SyntheticOptions } from './network-types';

export * from './network-types';

export function generateNetwork(input: SyntheticOptions): SyntheticNetwork {
  const options = normalise(input);
  const pop = makePopulation(options);
  const posts = makePosts(pop);
  const plan = planAttacks(pop);
  const accounts = describeAccounts(pop, plan);
  const actorNetwork = actorNetworkOf(pop, plan.accounts.network);
  const planted = plantInteractions(pop, plan, accounts, posts, actorNetwork);
  const pickOrganicTarget = organicTargetPicker(pop, actorNetwork, plan.reserved, plan.planting);
  const interactions = interactionStream(pop, posts, pickOrganicTarget, planted.columns);
  const interactionCount = options.interactions + planted.columns.length;
  return {
    options,
    actors: plan.accounts.totalActors,
    influencers: pop.inf,
    extraActors: pop.extra,
    plantedActors: { first: pop.organicActors, network: plan.accounts.network },
    accounts,
    planted: {
      range: planted.range,
      populationEnd: planted.range.popular.end,
      reserved: plan.reserved,
      farmTargets: plan.farmTargets,
      organicTargets: plan.organicTargets,
      podMembers: plan.podMembers,
      podComparisons: plan.podComparisons,
      squatters: plan.squatters,
      squatted: plan.accounts.squatted,
      hubEvents: planted.hubEvents,
      singles: plan.singles,
      buyers: plan.buyers,
      boughtFollowers: plan.boughtFollowers,
      boughtEngagers: plan.boughtEngagers,
    },
    interactionCount,
    futureEngagers: (days = 30) => futureEngagers(pop, accounts, pickOrganicTarget, interactions, days),
    postCount: pop.postCount,
    postStart: pop.postStart,
    posts: () => postChunks(pop, posts),
    interactions,
    ...lookups(pop, posts, plan.accounts.totalActors, interactionCount, actorNetwork),
  };
}

/** Ids and per-actor and per-post facts, their arguments checked. */
function lookups(
  pop: Population,
  posts: Posts,
  totalActors: number,
  interactionCount: number,
  actorNetwork: (actor: number) => number,
): Pick<
  SyntheticNetwork,
  'handle' | 'postExternalId' | 'interactionExternalId' | 'postAuthor' | 'postedAtMs' | 'postTopic' | 'actorNetwork' | 'isSpamActor'
> {
  const { postCount, organicActors, actorClass } = pop;
  const prefix = pop.options.idPrefix;
  const checkIndex = (what: string, value: number, limit: number): void => {
    if (!(Number.isInteger(value) && value >= 0 && value < limit)) throw new RangeError(`no ${what} ${value}`);
  };
  return {
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
    postAuthor: posts.postAuthor,
    postedAtMs: (post) => {
      checkIndex('post', post, postCount);
      return posts.postedAt(post);
    },
    postTopic: (post) => posts.topicOfPost(post, posts.postAuthor(post)),
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
