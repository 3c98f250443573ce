/**
 * Two figures beside the score, never feeding it (docs/scoring.md, "Outreach and activity"):
 *
 * - outreach, levels 1-10 (Kred-style): how much and how widely an influencer engages others'
 *   content, from the pairs whose actor is one of their nodes;
 * - activity, 1-100 (PeerIndex-style): how much and how regularly they post in the window,
 *   relative to the other influencers who posted.
 *
 * Both only read the pairs and posts the score uses; nothing here writes to an array the score
 * reads. One pass over the pairs, one over the kept edges, one over the posts, one sort of the
 * influencers' activity: O(interactions + posts + influencers log influencers), typed arrays only.
 */

import { Arena } from './arena';
import type { Pairs } from './kernels';
import type { ModelInput } from './types';

export const FIGURES = {
  outreach: {
    /**
     * Breadth counts up to this many distinct accounts per node (Dunbar's number): past it, a
     * node's engagement counts as its average pair weight times breadthCap, so spraying likes
     * over thousands of accounts can at most match engaging 150 accounts as deeply, never beat it.
     */
    breadthCap: 150,
    /** Raw outreach of level 2; every doubling is one level more, up to 10 (at 2^8 · unit = 128). */
    unit: 0.5,
    maxLevel: 10,
  },
  activity: {
    weekDays: 7,
  },
};

/** Weeks of the window (the last one may be shorter): 13 for 90 days. */
export function weeksOf(windowDays: number): number {
  return Math.ceil(windowDays / FIGURES.activity.weekDays);
}

/** The share of a node's engagement that counts for its outreach: 1 up to breadthCap targets, then breadthCap / targets. */
export function outreachBreadth(distinctTargets: number): number {
  const cap = FIGURES.outreach.breadthCap;
  return distinctTargets <= cap ? 1 : cap / distinctTargets;
}

/** Outreach level: 1 without engagement of others, else 2 + log₂(raw / unit), whole levels, at most 10. */
export function outreachLevel(raw: number): number {
  const o = FIGURES.outreach;
  if (!(raw > 0)) return 1;
  return Math.min(o.maxLevel, Math.max(2, 2 + Math.floor(Math.log2(raw / o.unit))));
}

/** Activity before ranking: log₁₀(1 + posts) times the share of the window's weeks with a post. */
export function activityRaw(posts: number, activeWeeks: number, weeks: number): number {
  return posts > 0 ? Math.log10(1 + posts) * (activeWeeks / weeks) : 0;
}

/**
 * Ranks raw activity among the influencers with some (raw > 0): 1 + round(99 · q), q the share of
 * them whose raw is at most this one's, so the most active get 100, ties the same value, and
 * anyone who posted at least 2; no post in the window gives 1.
 */
export function activityScores(raw: Float64Array): Uint8Array {
  const out = new Uint8Array(raw.length).fill(1);
  let active = 0;
  for (let i = 0; i < raw.length; i++) if (raw[i] > 0) active++;
  if (active === 0) return out;
  const sorted = new Float64Array(active);
  for (let i = 0, k = 0; i < raw.length; i++) if (raw[i] > 0) sorted[k++] = raw[i];
  sorted.sort();
  for (let i = 0; i < raw.length; i++) {
    const x = raw[i];
    if (!(x > 0)) continue;
    // The number of values <= x: the first index whose value exceeds x.
    let lo = 0;
    let hi = active;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    out[i] = 1 + Math.round((99 * lo) / active);
  }
  return out;
}

export interface Figures {
  outreach: Uint8Array;
  outreachRaw: Float64Array;
  engagedAccounts: Int32Array;
  engagedInteractions: Int32Array;
  activity: Uint8Array;
  activeWeeks: Uint8Array;
}

/**
 * Outreach and activity of every influencer. `distinctTargets` is each node's count of distinct
 * accounts engaged in the window (as the score's selectivity counts them); the pairs' weights are
 * the score's saturated pair weights, self-interactions and out-of-window edges left out.
 * `afterPairs`: memory that may be overwritten once the pairs have been read (a run's pairs'
 * sources), for the later arrays; the temporaries among them are given back to it at the end.
 */
export function figuresOf(
  input: Pick<ModelInput, 'nodes' | 'posts' | 'influencers'>,
  pairs: Pick<Pairs, 'count' | 'src' | 'weight' | 'edgeActor'>,
  distinctTargets: Int32Array,
  windowDays: number,
  afterPairs = new Arena(),
): Figures {
  const { nodes, posts, influencers } = input;
  const { ownedStart, ownedNodes, count } = influencers;
  // Each owned node's slot: only influencers' nodes get per-node sums.
  const slotOf = new Int32Array(nodes).fill(-1);
  let slots = 0;
  for (let o = 0; o < ownedNodes.length; o++) if (slotOf[ownedNodes[o]] < 0) slotOf[ownedNodes[o]] = slots++;
  const outWeight = new Float64Array(slots);

  // Pairs in (target, actor) order: the sums are the same run after run.
  const { src, weight, edgeActor } = pairs;
  for (let p = 0; p < pairs.count; p++) {
    const slot = slotOf[src[p]];
    if (slot >= 0) outWeight[slot] += weight[p];
  }
  const given = afterPairs.int32(slots).fill(0);
  const weeks = afterPairs.uint16(slots).fill(0);
  const authored = afterPairs.int32(slots).fill(0);
  for (let e = 0; e < edgeActor.length; e++) {
    const slot = slotOf[edgeActor[e]];
    if (slot >= 0) given[slot]++;
  }
  const weekDays = FIGURES.activity.weekDays;
  for (let p = 0; p < posts.count; p++) {
    if (posts.inWindow[p] === 0) continue;
    const slot = slotOf[posts.author[p]];
    if (slot < 0) continue;
    authored[slot]++;
    weeks[slot] |= 1 << Math.floor(posts.ageDays[p] / weekDays);
  }

  const windowWeeks = weeksOf(windowDays);
  // Every slot of these written below.
  const out: Figures = {
    outreach: new Uint8Array(count),
    outreachRaw: afterPairs.float64(count),
    engagedAccounts: afterPairs.int32(count),
    engagedInteractions: afterPairs.int32(count),
    activity: new Uint8Array(count),
    activeWeeks: new Uint8Array(count),
  };
  const rawActivity = afterPairs.float64(count);
  for (let i = 0; i < count; i++) {
    let raw = 0;
    let accounts = 0;
    let interactions = 0;
    let postCount = 0;
    let weekBits = 0;
    for (let o = ownedStart[i], end = ownedStart[i + 1]; o < end; o++) {
      const node = ownedNodes[o];
      const slot = slotOf[node];
      raw += outWeight[slot] * outreachBreadth(distinctTargets[node]);
      accounts += distinctTargets[node];
      interactions += given[slot];
      postCount += authored[slot];
      weekBits |= weeks[slot];
    }
    let active = 0;
    for (let bits = weekBits; bits !== 0; bits &= bits - 1) active++;
    out.outreachRaw[i] = raw;
    out.outreach[i] = outreachLevel(raw);
    out.engagedAccounts[i] = accounts;
    out.engagedInteractions[i] = interactions;
    out.activeWeeks[i] = active;
    rawActivity[i] = activityRaw(postCount, active, windowWeeks);
  }
  out.activity = activityScores(rawActivity);
  afterPairs.free(given).free(weeks).free(authored).free(rawActivity);
  return out;
}
