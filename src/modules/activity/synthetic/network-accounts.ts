/**
 * Every actor's account: the hidden truth (a real person or not) and the public profile a connector
 * would see, consistent with it. Draws from its own stream, STREAM_ACCOUNTS.
 */

import type { Population } from './network-population';
import type { Plan } from './network-planting';
import { clampInt32, Sfc32, STREAM_ACCOUNTS } from './network-random';
import type { SyntheticAccounts } from './network-types';

// Local aliases: see network-random.ts.
const { exp, floor, min, pow, sqrt } = Math;

// Shape parameters. Changing any of them changes the output for a given seed.
/** Real people who never signed up and whom no connector has described (no snapshot at all). */
const LURKER_SHARE = 0.3;

/**
 * The accounts of every actor, organic and planted. The influencers' figures move into them:
 * afterwards pop.inf's followers, following, accountAgeDays and verified are views of the accounts'
 * arrays, and the buyers' followers include those they bought.
 */
export function describeAccounts(pop: Population, plan: Plan): SyntheticAccounts {
  const { n, inf } = pop;
  const totalActors = plan.accounts.totalActors;
  const ar = new Sfc32(pop.seedLo, pop.seedHi, STREAM_ACCOUNTS);
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
  for (let a = n; a < pop.organicActors; a++) {
    if (pop.extra.isSpam[a - n]) {
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

  const { farmFirst, poolStart, popularFirst } = plan.accounts;
  // Fresh fakes made for one attack: days old, next to no followers, at most one post.
  for (let a = farmFirst; a < poolStart[0]; a++) profile(a, false, ar.below(3), ar.below(30), ar.below(2), ar.below(7), false);
  // Bought farm accounts: weeks old, few followers, following under the follow-spam radar.
  for (let a = poolStart[0]; a < popularFirst; a++) profile(a, false, ar.below(10), ar.below(150), ar.below(3), 3 + ar.below(60), false);
  // Popular accounts that never signed up.
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
  for (let k = 0; k < plan.buyers.length; k++)
    inf.followers[plan.buyers[k]] = clampInt32(inf.followers[plan.buyers[k]] + plan.boughtFollowers[k]);
  return accounts;
}
