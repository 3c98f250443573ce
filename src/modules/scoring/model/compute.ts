/**
 * The score run's computation, in order: pairs, (version 2) credibility, the per-influencer pass
 * (reach, amplification, topics, audience quality), PageRank, and the scores.
 */

import { clampScore, componentScore, CREDIBILITY, ENGAGEMENT_CONSTANTS, MODEL_VERSION, PARAMS, weightsOf } from './formulas';
import { credibilityOf } from './credibility';
import { figuresOf, type Figures } from './figures';
import { engagementPart, passOnFactor, selectivityOf, type EngagementArrays, type PassOn } from './kernels';
import { buildPairs, pairSourcesInPlace } from './pairs';
import { Arena } from './arena';
import { rankNodes, type Ranks } from './pagerank';
import { defaultThreads, inHalves, shared, ThreadLog } from './threads';
import type { InfluencerScores, ModelInput, ModelOptions, ModelResult } from './types';

/**
 * engagementPart over every influencer: on one thread, or split in two at the middle, the second
 * half on a worker thread writing its topics from slot mid · maxTopics on; the halves are then
 * joined (the second half's topics moved down), so the result is the same bit for bit.
 */
function engagement(a: EngagementArrays, maxTopicId: number, count: number, threads: number, log: ThreadLog): number {
  const k = ENGAGEMENT_CONSTANTS;
  if (threads < 2 || count < 2) return engagementPart(a, k, maxTopicId, 0, count, 0);
  const mid = count >> 1;
  const secondBase = mid * k.maxTopics;
  // A failed worker's half is simply written again, in full.
  const [firstEnd, secondEnd] = inHalves(
    engagementPart,
    [selectivityOf, passOnFactor],
    [a, k, maxTopicId, 0, mid, 0],
    [a, k, maxTopicId, mid, count, secondBase],
    undefined,
    log,
  );
  a.topicIds.copyWithin(firstEnd, secondBase, secondEnd);
  a.topicEngagement.copyWithin(firstEnd, secondBase, secondEnd);
  const shift = secondBase - firstEnd;
  for (let i = mid + 1; i <= count; i++) a.topicStart[i] -= shift;
  return secondEnd - shift;
}

/** Index of `node` in the ascending `targets`, or -1. */
function indexOf(targets: Int32Array, node: number): number {
  let lo = 0;
  let hi = targets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (targets[mid] === node) return mid;
    if (targets[mid] < node) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Version 2's rank of one node for its authority: its rank, with the part its largest single
 * engager gave it counted at most engagerCap times the rest (everyone else's part and its own
 * teleport share), so that one account (one interaction) can at most quadruple an authority.
 */
function boundedRank(received: NonNullable<Ranks['received']>, rank: Float64Array, node: number): number {
  const k = indexOf(received.targets, node);
  if (k < 0) return rank[node];
  const top = received.top[k];
  const rest = Math.max(0, rank[node] - top);
  return rest + Math.min(top, CREDIBILITY.engagerCap * rest);
}

/**
 * The computation's steps and rough shares of its time (not measured step by step; the stats'
 * `phases` has the seconds of each): a run's progress through COMPUTING counts these, PageRank
 * by its convergence.
 */
export const COMPUTE_STEPS = { pairs: 2, credibility: 2, figures: 1, engagement: 2, pagerank: 4, scores: 1 } as const;
const COMPUTE_TOTAL = Object.values(COMPUTE_STEPS).reduce((a, b) => a + b, 0);

/**
 * The share of PageRank done after an iteration: how far the L1 change has fallen from the first
 * iteration's towards the tolerance, on a log scale (it falls about geometrically), or the share
 * of the iteration cap, whichever is more.
 */
export function convergenceOf(first: number, residual: number, tolerance: number, iterations: number, maxIterations: number): number {
  const byCap = iterations / maxIterations;
  if (!(first > tolerance) || !(residual > 0)) return Math.min(1, Math.max(byCap, residual <= tolerance ? 1 : 0));
  return Math.min(1, Math.max(byCap, Math.log(first / residual) / Math.log(first / tolerance)));
}

/**
 * Scores every influencer. Deterministic: the same rows in any order give the same result, on one
 * thread or two (`threads`: by default two for large graphs on a machine with more than one core).
 */
export function computeScores(input: ModelInput, options: ModelOptions = {}): ModelResult {
  const version = options.version ?? MODEL_VERSION;
  const log = new ThreadLog();
  const phases: Record<string, number> = {};
  let phaseStart = performance.now();
  let stepsDone = 0;
  const report = options.onProgress ?? (() => undefined);
  const phase = (name: keyof typeof COMPUTE_STEPS) => {
    options.betweenSteps?.();
    const now = performance.now();
    phases[name] = Math.round(now - phaseStart) / 1000;
    phaseStart = now;
    stepsDone += COMPUTE_STEPS[name];
    report(stepsDone, COMPUTE_TOTAL);
  };
  const { nodes, edges, posts, influencers } = input;
  // A loader may read only the prior of the version it was asked for.
  const priorName = version === 2 ? 'evidence' : 'quality';
  if (input[priorName].length !== nodes)
    throw new Error(`model version ${version}: ${priorName} has ${input[priorName].length} of ${nodes} nodes`);
  // releaseInput: what is read for the last time is dropped from the input (empty arrays), so
  // that the collector frees it at the next step, before the run's peak.
  const release = (drop: () => void) => (options.releaseInput ? drop() : undefined);
  // Memory the run's edges no longer need, once grouped (consumeEdges): the pairs' weights and
  // the per-node counts below go there.
  const spare = new Arena(true);
  const pairs = buildPairs(input, { ...options, arena: spare }, log);
  phase('pairs');
  const { inStart, src, weight, edgeStart, edgeActor, edgeUnits, edgePost } = pairs;
  const threads = options.threads ?? defaultThreads(pairs.count);
  const share = <T extends Int32Array | Uint16Array | Float64Array>(array: T) => (threads > 1 ? shared(array) : array);
  // New arrays a worker thread writes: shared memory from the start. A copy into shared memory
  // would write every page, and the topics' arrays are mostly never touched (maxTopics slots per
  // influencer, about a tenth of them written): 100 MB more at 1M influencers.
  const zeros = <T extends Int32Array | Uint16Array | Float64Array>(
    type: { new (length: number): T; new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number },
    length: number,
  ): T => (threads > 1 ? new type(new SharedArrayBuffer(type.BYTES_PER_ELEMENT * length)) : new type(length));

  // Version 2: how much each engager, and each pair, counts.
  let passOn: PassOn | null = null;
  if (version === 2) {
    const { credibility, mutual, unknown } = credibilityOf(nodes, pairs, input.evidence, threads, log, spare);
    passOn = { credibility, mutual, unknown, mutualFactor: CREDIBILITY.mutualFactor };
    release(() => (input.evidence = new Float64Array(0)));
    phase('credibility');
  } else {
    stepsDone += COMPUTE_STEPS.credibility;
  }

  // Distinct targets of every node, for its selectivity. The pairs read them at random, so they
  // are read from a 16-bit copy that mostly stays in cache; the exact count past 65,534.
  const distinctTargets = spare.int32(nodes).fill(0);
  for (let p = 0; p < pairs.count; p++) distinctTargets[src[p]]++;
  const targetsSeen = spare.uint16(nodes);
  for (let n = 0; n < nodes; n++) targetsSeen[n] = Math.min(distinctTargets[n], 0xffff);

  const postsInWindow = spare.int32(nodes).fill(0);
  for (let p = 0; p < posts.count; p++) if (posts.inWindow[p]) postsInWindow[posts.author[p]]++;

  const count = influencers.count;
  // Outreach and activity, beside the score: they only read the pairs (before PageRank reuses
  // their memory) and the posts, and nothing the score reads comes from them.
  // The pairs' sources are read for the last time until PageRank (which gets them again from the
  // edges): their memory holds figures' and the engagement pass's per-influencer arrays (new
  // memory past it).
  const sources = new Arena(true).free(src);
  let figures: Figures | null = null;
  if (options.figures ?? true) figures = figuresOf(input, pairs, distinctTargets, PARAMS.windowDays, sources);
  // The posts' authors, flags and ages are done with (their topics are the engagement pass's).
  release(() => Object.assign(posts, { author: new Int32Array(0), inWindow: new Uint8Array(0), ageDays: new Uint8Array(0) }));
  if (figures) phase('figures');
  else stepsDone += COMPUTE_STEPS.figures;
  const maxTopics = PARAMS.maxTopics;
  // The engagement pass's per-influencer figures (every slot of which it writes) in the sources'
  // memory, not the edges' spare memory, which stays whole for PageRank. The arrays only the
  // scores' step writes are made after PageRank, so that the run's peak does not hold them.
  const engaged = {
    reachRaw: sources.float64(count),
    amplificationRaw: sources.float64(count),
    engagers: sources.int32(count),
    reactions: sources.int32(count),
    posts: sources.int32(count),
    audienceQuality: sources.float64(count),
    credibleEngagers: sources.int32(count),
    topicStart: zeros(Int32Array, count + 1),
    topicIds: zeros(Uint16Array, count * maxTopics),
    topicEngagement: zeros(Float64Array, count * maxTopics),
  };
  const credibleReach = sources.float64(count);

  // Reach, amplification and topic engagement first: they do not need PageRank, which can then
  // lay its arrays out in the memory of the edges.
  const topicsWritten = engagement(
    {
      ownedStart: share(influencers.ownedStart),
      ownedNodes: share(influencers.ownedNodes),
      followers: share(influencers.followers),
      postsInWindow,
      edgeStart: share(edgeStart),
      edgeActor,
      edgeUnits,
      edgePost,
      inStart: share(inStart),
      weight,
      passOn,
      targetsSeen,
      distinctTargets,
      postTopicStart: share(posts.topicStart),
      postTopicIds: share(posts.topicIds),
      ...engaged,
      credibleReach,
    },
    input.maxTopicId,
    count,
    threads,
    log,
  );

  phase('engagement');
  // The edges are done with, and the pairs are once PageRank has regrouped them. Version 2
  // teleports in proportion to credibility: an account nobody vouches for starts with little rank.
  const { ownedStart, ownedNodes } = influencers;
  const weights = weightsOf(version);
  const tolerance = options.tolerance ?? PARAMS.tolerance;
  let firstChange = Infinity;
  // The pairs' sources again, over the edges' actors; then the edges' memory but for what is
  // still read (the sources, the pairs' weights, and figures' and the engagement pass's arrays,
  // which may lie there when the sources did), and the edges' starts. The pairs' own memory joins
  // once they are blocked. What PageRank leaves of it holds the scores' step's arrays.
  const pairSrc = pairSourcesInPlace(edgeStart, edgeActor, nodes);
  const live = [pairSrc, weight, credibleReach, ...Object.values(engaged), ...(figures ? Object.values(figures) : [])];
  const arena = new Arena(true).addFreeOf([edgeActor.buffer, edgeUnits.buffer, edgePost.buffer], live).free(edgeStart);
  const { rank, iterations, residual, received } = rankNodes(
    nodes,
    { ...pairs, src: pairSrc },
    {
      prior: passOn ? passOn.credibility : input.quality,
      passOn,
      threads,
      arena,
      reusePairs: true,
      log,
      tolerance,
      onIteration: (done, change) => {
        if (done === 1) firstChange = change;
        report(
          stepsDone + COMPUTE_STEPS.pagerank * convergenceOf(firstChange, change, tolerance, done, PARAMS.maxIterations),
          COMPUTE_TOTAL,
        );
      },
    },
  );

  phase('pagerank');
  const out: InfluencerScores = {
    score: new Uint8Array(count),
    // Every slot written below.
    reach: arena.float64(count),
    amplification: arena.float64(count),
    authority: arena.float64(count),
    reachRaw: engaged.reachRaw,
    amplificationRaw: engaged.amplificationRaw,
    authorityRaw: arena.float64(count),
    engagers: engaged.engagers,
    reactions: engaged.reactions,
    posts: engaged.posts,
    audienceQuality: engaged.audienceQuality,
    credibleEngagers: engaged.credibleEngagers,
    confidence: arena.float64(count),
    topicStart: engaged.topicStart,
    topicIds: arena.uint16(topicsWritten),
    topicScores: new Uint8Array(topicsWritten),
    topicEngagement: arena.float64(topicsWritten),
    outreach: figures?.outreach ?? new Uint8Array(count),
    outreachRaw: figures?.outreachRaw ?? new Float64Array(count),
    engagedAccounts: figures?.engagedAccounts ?? new Int32Array(count),
    engagedInteractions: figures?.engagedInteractions ?? new Int32Array(count),
    activity: figures?.activity ?? new Uint8Array(count),
    activeWeeks: figures?.activeWeeks ?? new Uint8Array(count),
  };
  out.topicIds.set(engaged.topicIds.subarray(0, topicsWritten));
  out.topicEngagement.set(engaged.topicEngagement.subarray(0, topicsWritten));
  for (let i = 0; i < count; i++) {
    let nodeRankSum = 0;
    for (let o = ownedStart[i], ownedEnd = ownedStart[i + 1]; o < ownedEnd; o++) {
      nodeRankSum += received ? boundedRank(received, rank, ownedNodes[o]) : rank[ownedNodes[o]];
    }
    const hasSignal = version === 2 ? credibleReach[i] > 0 : out.engagers[i] > 0;
    const confidence = version === 2 ? Math.min(1, credibleReach[i] / CREDIBILITY.fullSignal) : 1;
    const believed = (value: number) => (confidence === 1 ? value : PARAMS.floor + (value - PARAMS.floor) * confidence);
    const authorityRaw = nodeRankSum * nodes;
    const reach = hasSignal ? componentScore(out.reachRaw[i], PARAMS.reference.reach) : 1;
    const amplification = hasSignal ? componentScore(out.amplificationRaw[i], PARAMS.reference.amplification) : 1;
    const authority = hasSignal ? componentScore(authorityRaw, PARAMS.reference.authority) : 1;
    const combined = weights.authority * authority + weights.reach * reach + weights.amplification * amplification;
    out.score[i] = hasSignal ? clampScore(believed(combined)) : PARAMS.floor;
    out.reach[i] = reach;
    out.amplification[i] = amplification;
    out.authority[i] = authority;
    out.authorityRaw[i] = authorityRaw;
    out.confidence[i] = confidence;
    for (let k = out.topicStart[i]; k < out.topicStart[i + 1]; k++) {
      out.topicScores[k] = clampScore(believed(0.5 * authority + 0.5 * componentScore(out.topicEngagement[k], PARAMS.reference.topic)));
    }
  }

  phase('scores');
  if (log.fallbacks.length > 0 && options.onFallback) options.onFallback(log.fallbacks);
  return {
    influencers: out,
    nodeRank: rank,
    credibility: passOn ? passOn.credibility : new Float64Array(nodes).fill(1),
    stats: {
      version,
      nodes,
      edges: edges.count,
      pairs: pairs.count,
      iterations,
      residual,
      ignoredEdges: pairs.ignored,
      workerParts: log.onWorker.length,
      threadFallbacks: log.fallbacks.length,
      fallbackParts: log.fallbacks,
      phases,
    },
  };
}
