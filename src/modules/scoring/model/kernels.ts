/**
 * The model's hot loops. Every function here that a worker thread runs (scatterPart, blockPart,
 * pullPart, engagementPart and the helpers they call) is self-contained: it reads nothing from
 * outside its arguments but the other functions of this file, because a worker runs it from its
 * source text (see threads.ts). Constants come in as arguments (formulas.ts builds them).
 */

import type { ModelInput } from './types';

/** What edge weights need of the formulas' constants (formulas.ts: WEIGHT_CONSTANTS). */
export interface WeightConstants {
  units: number;
  windowDays: number;
  halfLifeDays: number;
  kindWeight: readonly number[];
  kindUnits: readonly number[];
  decaySteps: number;
  decayTable: Float64Array;
  tieMargin: number;
}

/** What engagementPart needs of the formulas' constants (formulas.ts: ENGAGEMENT_CONSTANTS). */
export interface EngagementConstants {
  units: number;
  selectivityTargets: number;
  followerReach: number;
  maxTopics: number;
  minTopicEngagement: number;
  /** Engagers at least this credible count among an influencer's credible engagers. */
  credibleAt: number;
  /** Reach: an engager no connector described counts up to this (vouched), ... */
  vouchedUnknown: number;
  /** ... all of them together at most this times the influencer's credible reach. */
  vouchCap: number;
}

export interface Pairs {
  count: number;
  /** Pairs sorted by (target, actor): in-pairs of node t are inStart[t] .. inStart[t+1]. */
  inStart: Int32Array;
  src: Int32Array;
  weight: Float64Array;
  /**
   * In-window edges grouped by target and sorted by actor: the in-edges of node t are
   * edgeStart[t] .. edgeStart[t+1] in edgeActor / edgeUnits (interactionWeight in micro-units,
   * rounded) / edgePost. Self-loops and out-of-window edges are left out.
   */
  edgeStart: Int32Array;
  edgeActor: Int32Array;
  edgeUnits: Int32Array;
  edgePost: Int32Array;
  ignored: number;
}

/** interactionWeight with its constants passed in. */
export function weightOf(kind: number, ageDays: number, kindWeight: readonly number[], halfLifeDays: number): number {
  return (kindWeight[kind] ?? 0) * Math.pow(2, -ageDays / halfLifeDays);
}

/** selectivity with its constant passed in. */
export function selectivityOf(distinctTargets: number, selectiveTargets: number): number {
  return distinctTargets <= selectiveTargets ? 1 : Math.sqrt(selectiveTargets / distinctTargets);
}

/** interactionUnits with the constants passed in: self-contained but for weightOf, for a worker thread. */
export function unitsOf(kind: number, ageDays: number, c: WeightConstants): number {
  const steps = ageDays * (c.decaySteps / c.halfLifeDays);
  const whole = Math.floor(steps);
  // The rest of the decay, e^-r for r < ln 2 / decaySteps: the series' next term is below 1e-17.
  const r = (steps - whole) * (Math.LN2 / c.decaySteps);
  const x = c.kindUnits[kind] * c.decayTable[whole] * (1 - r * (1 - r * (1 / 2 - r * (1 / 6 - r / 24))));
  const rounded = Math.round(x);
  if (Math.abs(x - rounded) < 0.5 - c.tieMargin) return rounded;
  return Math.round(weightOf(kind, ageDays, c.kindWeight, c.halfLifeDays) * c.units);
}

/** Whether edge e counts: no self-loop, inside the window, a kind with a weight. Self-contained. */
export function keptEdge(edges: ModelInput['edges'], e: number, c: WeightConstants): boolean {
  const age = edges.ageDays[e];
  return edges.actor[e] !== edges.target[e] && age >= 0 && age < c.windowDays && c.kindWeight[edges.kind[e]] > 0;
}

/**
 * The counting sort's scatter for the targets [fromTarget, toTarget): every kept edge of those
 * targets goes to its target's cursor (which advances), with its weight in micro-units. Self-
 * contained but for unitsOf, weightOf and keptEdge, which a worker thread defines beside it.
 */
export function scatterPart(
  edges: ModelInput['edges'],
  cursor: Int32Array,
  out: { actor: Int32Array; units: Int32Array; post: Int32Array },
  c: WeightConstants,
  fromTarget: number,
  toTarget: number,
): void {
  const { actor, target, kind, ageDays, post } = edges;
  for (let e = 0; e < edges.count; e++) {
    const t = target[e];
    if (t < fromTarget || t >= toTarget || !keptEdge(edges, e, c)) continue;
    const k = cursor[t]++;
    out.actor[k] = actor[e];
    out.units[k] = unitsOf(kind[e], ageDays[e], c);
    out.post[k] = post[e];
  }
}

/** Swaps values i and j of one column. */
export function swapIn(column: Int32Array | Float32Array | Uint8Array, i: number, j: number): void {
  const value = column[i];
  column[i] = column[j];
  column[j] = value;
}

/** Swaps edges i and j in all five columns. */
export function swapEdges(edges: ModelInput['edges'], i: number, j: number): void {
  swapIn(edges.actor, i, j);
  swapIn(edges.target, i, j);
  swapIn(edges.kind, i, j);
  swapIn(edges.ageDays, i, j);
  swapIn(edges.post, i, j);
}

/**
 * The in-place grouping's part for the targets [fromTarget, toTarget), whose edges (all kept)
 * already fill [edgeStart[fromTarget], edgeStart[toTarget]): an American flag sort, each edge
 * swapped straight into its target's next free slot (cursor[t], from edgeStart[t]). Self-contained
 * but for swapEdges and swapIn, which a worker thread defines beside it.
 */
export function groupPart(
  edges: ModelInput['edges'],
  edgeStart: Int32Array,
  cursor: Int32Array,
  fromTarget: number,
  toTarget: number,
): void {
  const target = edges.target;
  for (let t = fromTarget; t < toTarget; t++) {
    const end = edgeStart[t + 1];
    for (let i = cursor[t]; i < end; i = cursor[t]) {
      const home = target[i];
      if (home === t) cursor[t]++;
      else swapEdges(edges, i, cursor[home]++);
    }
  }
}

/** Segments up to this long are sorted by insertion; longer ones by a byte-wise radix sort. */
export const INSERTION_SORT_MAX = 32;

/**
 * Sorts the edges [from, to) by actor, moving units and post along. The order of edges with the
 * same actor does not matter: everything summed over them is an integer.
 */
export function sortByActor(
  actor: Int32Array,
  units: Int32Array,
  post: Int32Array,
  from: number,
  to: number,
  scratch: { actor: Int32Array; units: Int32Array; post: Int32Array; counts: Int32Array },
  actorBytes: number,
): void {
  if (to - from <= INSERTION_SORT_MAX) {
    for (let i = from + 1; i < to; i++) {
      const a = actor[i];
      if (a >= actor[i - 1]) continue;
      const u = units[i];
      const p = post[i];
      let j = i - 1;
      do {
        actor[j + 1] = actor[j];
        units[j + 1] = units[j];
        post[j + 1] = post[j];
        j--;
      } while (j >= from && actor[j] > a);
      actor[j + 1] = a;
      units[j + 1] = u;
      post[j + 1] = p;
    }
    return;
  }
  let sorted = true;
  for (let i = from + 1; i < to && sorted; i++) sorted = actor[i] >= actor[i - 1];
  if (sorted) return;
  // LSD radix sort, one byte of the actor per pass, ping-ponging between the segment and scratch.
  const n = to - from;
  const counts = scratch.counts;
  let inActor = actor;
  let inUnits = units;
  let inPost = post;
  let inBase = from;
  let outActor = scratch.actor;
  let outUnits = scratch.units;
  let outPost = scratch.post;
  let outBase = 0;
  for (let pass = 0, shift = 0; pass < actorBytes; pass++, shift += 8) {
    counts.fill(0);
    for (let i = inBase; i < inBase + n; i++) counts[((inActor[i] >>> shift) & 255) + 1]++;
    for (let b = 0; b < 256; b++) counts[b + 1] += counts[b];
    for (let i = inBase; i < inBase + n; i++) {
      const k = outBase + counts[(inActor[i] >>> shift) & 255]++;
      outActor[k] = inActor[i];
      outUnits[k] = inUnits[i];
      outPost[k] = inPost[i];
    }
    [inActor, outActor] = [outActor, inActor];
    [inUnits, outUnits] = [outUnits, inUnits];
    [inPost, outPost] = [outPost, inPost];
    [inBase, outBase] = [outBase, inBase];
  }
  if (inActor !== actor) {
    actor.set(inActor.subarray(inBase, inBase + n), from);
    units.set(inUnits.subarray(inBase, inBase + n), from);
    post.set(inPost.subarray(inBase, inBase + n), from);
  }
}

/**
 * The pairs regrouped for a cache-friendly pull. The targets (the nodes with in-pairs, in node
 * order) are cut into `parts` ranges of about equal pair counts, one per thread. Within a part,
 * pairs go by block of source nodes (block b: sources [b << RANK_BLOCK_BITS, (b + 1) << ...)),
 * then by target, then by source; run r adds the pairs [runEnd[r - 1], runEnd[r]) to the sum of
 * target runTarget[r] (an index into `targets`). A part's blocks are taken in order, so every
 * target still adds its in-pairs in (target, actor) order: the sums are the same, bit for bit,
 * however many parts there are.
 */
export interface BlockedPairs {
  targets: Int32Array;
  runTarget: Int32Array;
  runEnd: Int32Array;
  src: Int32Array;
  /**
   * weight / the source's total out-weight: the transition probability of the pair; under
   * version 2 times the share of it the source passes on (PassOn).
   */
  share: Float64Array;
  /** Part i: targets [partTarget[i], partTarget[i + 1]), runs [partRun[i], partRun[i + 1]), from pair partPair[i]. */
  partTarget: number[];
  partRun: number[];
  partPair: number[];
}

/**
 * Version 2: what a node passes on along one of its pairs. An engager passes on its credibility's
 * share of its rank (the rest goes back to the teleport vector), and a pair whose target engages
 * the actor back (mutual) passes on mutualFactor of that.
 */
export interface PassOn {
  credibility: Float64Array;
  /** 1 for pair p when its target also engages its actor. */
  mutual: Uint8Array;
  /** 1 for a node no connector described (no evidence). */
  unknown: Uint8Array;
  mutualFactor: number;
}

/** The share of pair p's weight (from node s) that counts. Self-contained. */
export function passOnFactor(passOn: PassOn, s: number, p: number): number {
  return passOn.credibility[s] * (passOn.mutual[p] === 1 ? passOn.mutualFactor : 1);
}

/**
 * Part `part` of blockPairs, over its targets (nodes [fromNode, toNode), the first of them target
 * number firstTarget): 'count' adds its pairs and runs to the bucket counts (at b + 1), 'place'
 * puts them into the blocked arrays at the bucket cursors. Self-contained: a worker thread runs it
 * from its source text.
 */
export function blockPart(
  step: 'count' | 'place',
  pairs: Pick<Pairs, 'inStart' | 'src' | 'weight'>,
  outWeight: Float64Array,
  passOn: PassOn | null,
  out: Partial<BlockedPairs>,
  bucketPairStart: Int32Array,
  bucketRunStart: Int32Array,
  part: number,
  fromNode: number,
  toNode: number,
  firstTarget: number,
  blocks: number,
  blockBits: number,
): void {
  const { inStart, src, weight } = pairs;
  const place = step === 'place';
  for (let t = fromNode, k = firstTarget; t < toNode; t++) {
    if (inStart[t + 1] === inStart[t]) continue;
    if (place) out.targets![k] = t;
    let last = -1;
    for (let p = inStart[t], end = inStart[t + 1]; p < end; p++) {
      const s = src[p];
      const bucket = part * blocks + (s >>> blockBits);
      if (!place) {
        bucketPairStart[bucket + 1]++;
        if (bucket !== last) bucketRunStart[bucket + 1]++;
      } else {
        const at = bucketPairStart[bucket]++;
        out.src![at] = s;
        out.share![at] = passOn === null ? weight[p] / outWeight[s] : (weight[p] / outWeight[s]) * passOnFactor(passOn, s, p);
        if (bucket !== last) out.runTarget![bucketRunStart[bucket]++] = k;
        out.runEnd![bucketRunStart[bucket] - 1] = at + 1;
      }
      last = bucket;
    }
    k++;
  }
}

/**
 * One part of the pull: sums[k] = Σ rank[source] · share over the in-pairs of target k, for the
 * part's targets [fromTarget, toTarget), runs [fromRun, toRun) and pairs from fromPair on. Self-
 * contained (no outer references): a worker thread runs it from its source text.
 */
export function pullPart(
  runTarget: Int32Array,
  runEnd: Int32Array,
  src: Int32Array,
  share: Float64Array,
  rank: Float64Array,
  sums: Float64Array,
  fromTarget: number,
  toTarget: number,
  fromRun: number,
  toRun: number,
  fromPair: number,
): void {
  sums.fill(0, fromTarget, toTarget);
  let p = fromPair;
  for (let r = fromRun; r < toRun; r++) {
    const k = runTarget[r];
    let acc = sums[k];
    for (const end = runEnd[r]; p < end; p++) acc += rank[src[p]] * share[p];
    sums[k] = acc;
  }
}

/**
 * After the last iteration (version 2): sums[k] as pullPart computes them, and top[k] = the
 * largest single term of that sum (the one engager who gave target k the most). Self-contained.
 */
export function pullTopPart(
  runTarget: Int32Array,
  runEnd: Int32Array,
  src: Int32Array,
  share: Float64Array,
  rank: Float64Array,
  sums: Float64Array,
  top: Float64Array,
  fromTarget: number,
  toTarget: number,
  fromRun: number,
  toRun: number,
  fromPair: number,
): void {
  sums.fill(0, fromTarget, toTarget);
  top.fill(0, fromTarget, toTarget);
  let p = fromPair;
  for (let r = fromRun; r < toRun; r++) {
    const k = runTarget[r];
    let acc = sums[k];
    let most = top[k];
    for (const end = runEnd[r]; p < end; p++) {
      const term = rank[src[p]] * share[p];
      acc += term;
      if (term > most) most = term;
    }
    sums[k] = acc;
    top[k] = most;
  }
}

/**
 * mutual[p] = 1 for the pairs p of targets [fromTarget, toTarget) whose target is also among the
 * actor's engagers (the in-pairs of each node are sorted by actor: a binary search). Self-contained.
 */
export function mutualPart(inStart: Int32Array, src: Int32Array, mutual: Uint8Array, fromTarget: number, toTarget: number): void {
  for (let t = fromTarget; t < toTarget; t++) {
    for (let p = inStart[t], end = inStart[t + 1]; p < end; p++) {
      const a = src[p];
      let lo = inStart[a];
      let hi = inStart[a + 1] - 1;
      let found = 0;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const v = src[mid];
        if (v === t) {
          found = 1;
          break;
        }
        if (v < t) lo = mid + 1;
        else hi = mid - 1;
      }
      mutual[p] = found;
    }
  }
}

/**
 * One round of trust propagation for targets [fromTarget, toTarget): received[t] = Σ over t's
 * in-pairs of weight · given[actor], a mutual pair times mutualFactor; given[a] is what node a
 * gives per unit of pair weight this round. Self-contained.
 */
export function trustPart(
  inStart: Int32Array,
  src: Int32Array,
  weight: Float64Array,
  mutual: Uint8Array,
  mutualFactor: number,
  given: Float32Array,
  received: Float32Array,
  fromTarget: number,
  toTarget: number,
): void {
  for (let t = fromTarget; t < toTarget; t++) {
    let acc = 0;
    for (let p = inStart[t], end = inStart[t + 1]; p < end; p++) {
      const g = given[src[p]];
      if (g === 0) continue;
      acc += mutual[p] === 1 ? weight[p] * g * mutualFactor : weight[p] * g;
    }
    received[t] = acc;
  }
}

/** The arrays engagementPart reads, and the ones it writes (outputs, indexed by influencer). */
export interface EngagementArrays {
  ownedStart: Int32Array;
  ownedNodes: Int32Array;
  followers: Float64Array;
  postsInWindow: Int32Array;
  edgeStart: Int32Array;
  edgeActor: Int32Array;
  edgeUnits: Int32Array;
  edgePost: Int32Array;
  inStart: Int32Array;
  weight: Float64Array;
  /** Version 2: how much each pair counts (null under version 1: every pair counts in full). */
  passOn: PassOn | null;
  targetsSeen: Uint16Array;
  distinctTargets: Int32Array;
  postTopicStart: Int32Array;
  postTopicIds: Uint16Array;
  reachRaw: Float64Array;
  amplificationRaw: Float64Array;
  /** Σ over the engagers of selectivity · passOnFactor (reachRaw without the follower term). */
  credibleReach: Float64Array;
  audienceQuality: Float64Array;
  credibleEngagers: Int32Array;
  engagers: Int32Array;
  reactions: Int32Array;
  posts: Int32Array;
  topicStart: Int32Array;
  topicIds: Uint16Array;
  topicEngagement: Float64Array;
}

/**
 * Reach, amplification and topic engagement of influencers [from, to), whose topics go into slots
 * from `firstTopic` on (topicStart[i + 1] is the slot after influencer i's); returns the slot after
 * the last. Under version 2 every pair counts in proportion to passOnFactor (the engager's
 * credibility, less for mutual pairs), and so does every topic credit. Self-contained but for
 * selectivityOf and passOnFactor: a worker thread runs them from their source text.
 */
export function engagementPart(
  a: EngagementArrays,
  k: EngagementConstants,
  maxTopicId: number,
  from: number,
  to: number,
  firstTopic: number,
): number {
  const { ownedStart, ownedNodes, postsInWindow, edgeStart, edgeActor, edgeUnits, edgePost, inStart, weight } = a;
  const { targetsSeen, distinctTargets, postTopicStart, postTopicIds, passOn } = a;
  const maxTopics = k.maxTopics;
  const topicScratch = new Float64Array(maxTopicId + 1);
  const topicSeen = new Uint8Array(maxTopicId + 1);
  const touched = new Int32Array(maxTopicId + 1);
  // The strongest topics so far, strongest first (ties by topic id).
  const bestTopic = new Int32Array(maxTopics);
  const bestEngagement = new Float64Array(maxTopics);
  let topicsWritten = firstTopic;
  for (let i = from; i < to; i++) {
    let weighted = 0;
    let vouched = 0;
    let unweighted = 0;
    let amplified = 0;
    let engagers = 0;
    let credible = 0;
    let reactions = 0;
    let postCount = 0;
    let touchedCount = 0;
    for (let o = ownedStart[i], ownedEnd = ownedStart[i + 1]; o < ownedEnd; o++) {
      const node = ownedNodes[o];
      postCount += postsInWindow[node];
      reactions += edgeStart[node + 1] - edgeStart[node];
      // The node's in-edges, sorted by actor: each run of one actor is the next in-pair.
      let p = inStart[node];
      let s = 0;
      for (let e = edgeStart[node], end = edgeStart[node + 1]; e < end; e++) {
        if (e === edgeStart[node] || edgeActor[e] !== edgeActor[e - 1]) {
          // The pair's source is its run's actor (so the pass needs no src column).
          const actor = edgeActor[e];
          const seen = targetsSeen[actor];
          const targets = seen < 0xffff ? seen : distinctTargets[actor];
          const selectivity = selectivityOf(targets, k.selectivityTargets);
          unweighted += selectivity;
          if (passOn === null) {
            s = selectivity;
            credible++;
          } else {
            s = selectivity * passOnFactor(passOn, actor, p);
            if (passOn.credibility[actor] >= k.credibleAt) credible++;
            if (passOn.unknown[actor] === 1 && passOn.credibility[actor] < k.vouchedUnknown) {
              vouched += selectivity * (k.vouchedUnknown - passOn.credibility[actor]) * (passOn.mutual[p] === 1 ? passOn.mutualFactor : 1);
            }
          }
          weighted += s;
          amplified += s * weight[p];
          engagers++;
          p++;
        }
        // Topic engagement: the edge's credit to every topic of its post. The credits are
        // integers, so their sums do not depend on the order of the edges.
        const post = edgePost[e];
        if (post < 0) continue;
        const value = Math.round(edgeUnits[e] * s);
        for (let t = postTopicStart[post], topicsEnd = postTopicStart[post + 1]; t < topicsEnd; t++) {
          const topic = postTopicIds[t];
          if (!topicSeen[topic]) {
            topicSeen[topic] = 1;
            touched[touchedCount++] = topic;
          }
          topicScratch[topic] += value;
        }
      }
    }
    // Engagers no connector described count a little more beside a credible audience, never alone.
    const reached = weighted + Math.min(vouched, k.vouchCap * weighted);
    a.reachRaw[i] = reached + k.followerReach * Math.log10(1 + a.followers[i]);
    a.credibleReach[i] = weighted;
    a.audienceQuality[i] = unweighted > 0 ? Math.min(1, weighted / unweighted) : 0;
    a.credibleEngagers[i] = credible;
    a.amplificationRaw[i] = amplified / Math.max(1, postCount);
    a.engagers[i] = engagers;
    a.reactions[i] = reactions;
    a.posts[i] = postCount;

    // Keep the strongest topics: engagement descending, then topic id, for a stable order.
    let best = 0;
    for (let t = 0; t < touchedCount; t++) {
      const topic = touched[t];
      const engagement = topicScratch[topic] / k.units;
      topicScratch[topic] = 0;
      topicSeen[topic] = 0;
      if (!(engagement >= k.minTopicEngagement)) continue;
      let at = best;
      while (at > 0 && (bestEngagement[at - 1] < engagement || (bestEngagement[at - 1] === engagement && bestTopic[at - 1] > topic))) at--;
      if (at >= maxTopics) continue;
      for (let j = Math.min(best, maxTopics - 1); j > at; j--) {
        bestTopic[j] = bestTopic[j - 1];
        bestEngagement[j] = bestEngagement[j - 1];
      }
      bestTopic[at] = topic;
      bestEngagement[at] = engagement;
      if (best < maxTopics) best++;
    }
    for (let t = 0; t < best; t++) {
      a.topicIds[topicsWritten] = bestTopic[t];
      a.topicEngagement[topicsWritten] = bestEngagement[t];
      topicsWritten++;
    }
    a.topicStart[i + 1] = topicsWritten;
  }
  return topicsWritten;
}
