/**
 * The influence score model: pure functions over typed arrays, no I/O. docs/scoring.md explains
 * every formula and constant; keep the two in step.
 *
 * Nodes are graph actors (one account on one network), indexed 0..nodes-1. Edges are
 * interactions actor -> target inside the window. Influencers own one or more nodes.
 */

export const MODEL_VERSION = 1;

export const PARAMS = {
  windowDays: 90,
  halfLifeDays: 30,
  /** Weight of one interaction by kind code (1 RESHARE, 2 REPLY, 3 MENTION, 4 LIKE). */
  kindWeight: [0, 1.0, 0.6, 0.5, 0.2] as readonly number[],
  /** Engagers with more distinct targets than this count for sqrt(k / targets) each. */
  selectivityTargets: 50,
  damping: 0.85,
  maxIterations: 100,
  tolerance: 1e-9,
  /** Teleport prior of nodes without an account snapshot (people who never signed up). */
  unknownQuality: 0.5,
  /** Follower counts add this many engagers per decade of followers: a weak secondary signal. */
  followerReach: 0.5,
  /** Values that map to 40 (a typical active user); each tenfold adds 20 points. */
  reference: { reach: 10, amplification: 0.5, authority: 1, topic: 1 },
  weights: { authority: 0.5, reach: 0.25, amplification: 0.25 },
  floor: 10,
  /** Topics kept per influencer, and the least engagement that makes a topic score. */
  maxTopics: 10,
  minTopicEngagement: 0.2,
};

/** Contributions are summed in integer micro-units, so sums do not depend on the order rows arrive in. */
const UNITS = 1_000_000;

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
  return (PARAMS.kindWeight[kind] ?? 0) * Math.pow(2, -ageDays / PARAMS.halfLifeDays);
}

/** Per-pair saturation: repeats from one engager add less and less. */
export function pairWeight(sum: number): number {
  return Math.log1p(sum);
}

export function selectivity(distinctTargets: number): number {
  return distinctTargets <= PARAMS.selectivityTargets ? 1 : Math.sqrt(PARAMS.selectivityTargets / distinctTargets);
}

/** 40 at the reference value, +20 per tenfold, clamped to 1-100; 1 for no signal. */
export function componentScore(value: number, reference: number): number {
  if (!(value > 0)) return 1;
  return Math.min(100, Math.max(1, 40 + 20 * Math.log10(value / reference)));
}

export interface ModelInput {
  nodes: number;
  edges: {
    count: number;
    actor: Int32Array;
    target: Int32Array;
    kind: Uint8Array;
    ageDays: Float32Array;
    /** Index into posts, or -1. */
    post: Int32Array;
  };
  /** Teleport prior per node (accountQuality, or PARAMS.unknownQuality). */
  quality: Float64Array;
  posts: {
    count: number;
    /** Node that authored each post. */
    author: Int32Array;
    /** 1 when the post was published inside the window (counts towards amplification). */
    inWindow: Uint8Array;
    /** Topics of post p: topicIds[topicStart[p] .. topicStart[p+1]). */
    topicStart: Int32Array;
    topicIds: Uint16Array;
  };
  influencers: {
    count: number;
    /** Nodes of influencer i: ownedNodes[ownedStart[i] .. ownedStart[i+1]). */
    ownedStart: Int32Array;
    ownedNodes: Int32Array;
    followers: Float64Array;
  };
  maxTopicId: number;
}

export interface InfluencerScores {
  score: Uint8Array;
  reach: Float64Array;
  amplification: Float64Array;
  authority: Float64Array;
  /** Raw figures behind the components, for explanations. */
  reachRaw: Float64Array;
  amplificationRaw: Float64Array;
  authorityRaw: Float64Array;
  engagers: Int32Array;
  reactions: Int32Array;
  posts: Int32Array;
  /** Topic scores of influencer i: topics[topicStart[i] .. topicStart[i+1]). */
  topicStart: Int32Array;
  topicIds: Uint16Array;
  topicScores: Uint8Array;
  topicEngagement: Float64Array;
}

export interface ModelResult {
  influencers: InfluencerScores;
  /** PageRank per node, summing to 1. */
  nodeRank: Float64Array;
  stats: { nodes: number; edges: number; pairs: number; iterations: number; residual: number; ignoredEdges: number };
}

/** Stable counting sort of edge indices by a key in [0, keys). */
function countingSort(order: Int32Array, key: Int32Array, keys: number): Int32Array {
  const counts = new Int32Array(keys + 1);
  for (let i = 0; i < order.length; i++) counts[key[order[i]] + 1]++;
  for (let k = 0; k < keys; k++) counts[k + 1] += counts[k];
  const sorted = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) sorted[counts[key[order[i]]]++] = order[i];
  return sorted;
}

interface Pairs {
  count: number;
  /** Pairs sorted by (target, actor): in-pairs of node t are inStart[t] .. inStart[t+1]. */
  inStart: Int32Array;
  src: Int32Array;
  weight: Float64Array;
  interactions: Int32Array;
  /** Edge index order sorted by (target, actor), self-loops and out-of-window edges removed. */
  edgeOrder: Int32Array;
  /** In-edges of node t are edgeOrder[edgeStart[t] .. edgeStart[t+1]). */
  edgeStart: Int32Array;
  /** Weight of edge e in micro-units (interactionWeight, rounded), computed once. */
  edgeUnits: Int32Array;
  ignored: number;
}

/** Aggregates edges into (actor, target) pairs with decayed, kind-weighted, saturated weights. */
export function buildPairs(input: ModelInput): Pairs {
  const { edges, nodes } = input;
  let kept = 0;
  const candidate = new Int32Array(edges.count);
  for (let e = 0; e < edges.count; e++) {
    if (edges.actor[e] === edges.target[e] || edges.ageDays[e] < 0 || edges.ageDays[e] >= PARAMS.windowDays) continue;
    if (!(PARAMS.kindWeight[edges.kind[e]] > 0)) continue;
    candidate[kept++] = e;
  }
  const edgeUnits = new Int32Array(edges.count);
  for (let i = 0; i < kept; i++) {
    const e = candidate[i];
    edgeUnits[e] = Math.round(interactionWeight(edges.kind[e], edges.ageDays[e]) * UNITS);
  }
  const byActor = countingSort(candidate.subarray(0, kept), edges.actor, nodes);
  const order = countingSort(byActor, edges.target, nodes);

  const inStart = new Int32Array(nodes + 1);
  const edgeStart = new Int32Array(nodes + 1);
  const src = new Int32Array(kept);
  const units = new Float64Array(kept);
  const interactions = new Int32Array(kept);
  let pairs = -1;
  let lastTarget = -1;
  let lastActor = -1;
  for (let i = 0; i < kept; i++) {
    const e = order[i];
    const t = edges.target[e];
    const a = edges.actor[e];
    edgeStart[t + 1]++;
    if (t !== lastTarget || a !== lastActor) {
      pairs++;
      src[pairs] = a;
      inStart[t + 1]++;
      lastTarget = t;
      lastActor = a;
    }
    units[pairs] += edgeUnits[e];
    interactions[pairs]++;
  }
  const count = pairs + 1;
  for (let n = 0; n < nodes; n++) {
    inStart[n + 1] += inStart[n];
    edgeStart[n + 1] += edgeStart[n];
  }
  const weight = new Float64Array(count);
  for (let p = 0; p < count; p++) weight[p] = pairWeight(units[p] / UNITS);
  return {
    count,
    inStart,
    src: src.slice(0, count),
    weight,
    interactions: interactions.slice(0, count),
    edgeOrder: order,
    edgeStart,
    edgeUnits,
    ignored: edges.count - kept,
  };
}

/** Weighted PageRank (pull form over in-pairs) with a quality-based teleport vector. */
export function pageRank(nodes: number, pairs: Pairs, quality: Float64Array): { rank: Float64Array; iterations: number; residual: number } {
  const outWeight = new Float64Array(nodes);
  for (let p = 0; p < pairs.count; p++) outWeight[pairs.src[p]] += pairs.weight[p];
  const share = new Float64Array(pairs.count);
  for (let p = 0; p < pairs.count; p++) share[p] = pairs.weight[p] / outWeight[pairs.src[p]];

  let qualitySum = 0;
  for (let n = 0; n < nodes; n++) qualitySum += quality[n];
  const teleport = new Float64Array(nodes);
  for (let n = 0; n < nodes; n++) teleport[n] = qualitySum > 0 ? quality[n] / qualitySum : 1 / nodes;

  const d = PARAMS.damping;
  let rank = teleport.slice();
  let next = new Float64Array(nodes);
  let iterations = 0;
  let residual = Infinity;
  while (iterations < PARAMS.maxIterations && residual > PARAMS.tolerance) {
    let dangling = 0;
    for (let n = 0; n < nodes; n++) if (outWeight[n] === 0) dangling += rank[n];
    residual = 0;
    for (let t = 0; t < nodes; t++) {
      let acc = 0;
      for (let p = pairs.inStart[t], end = pairs.inStart[t + 1]; p < end; p++) acc += rank[pairs.src[p]] * share[p];
      const value = d * (acc + dangling * teleport[t]) + (1 - d) * teleport[t];
      residual += Math.abs(value - rank[t]);
      next[t] = value;
    }
    [rank, next] = [next, rank];
    iterations++;
  }
  return { rank, iterations, residual };
}

/** Scores every influencer. Deterministic: the same rows in any order give the same result. */
export function computeScores(input: ModelInput): ModelResult {
  const { nodes, edges, posts, influencers } = input;
  const pairs = buildPairs(input);
  const { rank, iterations, residual } = pageRank(nodes, pairs, input.quality);

  const distinctTargets = new Int32Array(nodes);
  for (let p = 0; p < pairs.count; p++) distinctTargets[pairs.src[p]]++;
  const nodeSelectivity = new Float64Array(nodes);
  for (let n = 0; n < nodes; n++) nodeSelectivity[n] = selectivity(distinctTargets[n]);

  const postsInWindow = new Int32Array(nodes);
  for (let p = 0; p < posts.count; p++) if (posts.inWindow[p]) postsInWindow[posts.author[p]]++;

  const count = influencers.count;
  const out: InfluencerScores = {
    score: new Uint8Array(count),
    reach: new Float64Array(count),
    amplification: new Float64Array(count),
    authority: new Float64Array(count),
    reachRaw: new Float64Array(count),
    amplificationRaw: new Float64Array(count),
    authorityRaw: new Float64Array(count),
    engagers: new Int32Array(count),
    reactions: new Int32Array(count),
    posts: new Int32Array(count),
    topicStart: new Int32Array(count + 1),
    topicIds: new Uint16Array(count * PARAMS.maxTopics),
    topicScores: new Uint8Array(count * PARAMS.maxTopics),
    topicEngagement: new Float64Array(count * PARAMS.maxTopics),
  };

  // Per-edge selectivity-weighted engagement, spread over the topics of the post it concerns.
  const topicScratch = new Float64Array(input.maxTopicId + 1);
  const topicSeen = new Uint8Array(input.maxTopicId + 1);
  const touched: number[] = [];
  let topicsWritten = 0;

  for (let i = 0; i < count; i++) {
    let weighted = 0;
    let amplified = 0;
    let engagers = 0;
    let reactions = 0;
    let postCount = 0;
    let nodeRankSum = 0;
    for (let o = influencers.ownedStart[i]; o < influencers.ownedStart[i + 1]; o++) {
      const node = influencers.ownedNodes[o];
      nodeRankSum += rank[node];
      postCount += postsInWindow[node];
      for (let p = pairs.inStart[node]; p < pairs.inStart[node + 1]; p++) {
        const s = nodeSelectivity[pairs.src[p]];
        weighted += s;
        amplified += s * pairs.weight[p];
        engagers++;
        reactions += pairs.interactions[p];
      }
    }
    // Topic engagement: this influencer's in-edges on tagged posts, per topic of the post.
    for (let o = influencers.ownedStart[i]; o < influencers.ownedStart[i + 1]; o++) {
      const node = influencers.ownedNodes[o];
      for (let k = pairs.edgeStart[node]; k < pairs.edgeStart[node + 1]; k++) {
        const e = pairs.edgeOrder[k];
        const post = edges.post[e];
        if (post < 0) continue;
        const value = Math.round(pairs.edgeUnits[e] * nodeSelectivity[edges.actor[e]]);
        for (let t = posts.topicStart[post]; t < posts.topicStart[post + 1]; t++) {
          const topic = posts.topicIds[t];
          if (!topicSeen[topic]) {
            topicSeen[topic] = 1;
            touched.push(topic);
          }
          topicScratch[topic] += value;
        }
      }
    }

    const hasSignal = engagers > 0;
    const reachRaw = weighted + PARAMS.followerReach * Math.log10(1 + influencers.followers[i]);
    const amplificationRaw = amplified / Math.max(1, postCount);
    const authorityRaw = nodeRankSum * nodes;
    const reach = hasSignal ? componentScore(reachRaw, PARAMS.reference.reach) : 1;
    const amplification = hasSignal ? componentScore(amplificationRaw, PARAMS.reference.amplification) : 1;
    const authority = hasSignal ? componentScore(authorityRaw, PARAMS.reference.authority) : 1;
    const combined = PARAMS.weights.authority * authority + PARAMS.weights.reach * reach + PARAMS.weights.amplification * amplification;
    out.score[i] = hasSignal ? clampScore(combined) : PARAMS.floor;
    out.reach[i] = reach;
    out.amplification[i] = amplification;
    out.authority[i] = authority;
    out.reachRaw[i] = reachRaw;
    out.amplificationRaw[i] = amplificationRaw;
    out.authorityRaw[i] = authorityRaw;
    out.engagers[i] = engagers;
    out.reactions[i] = reactions;
    out.posts[i] = postCount;

    // Keep the strongest topics: engagement descending, then topic id, for a stable order.
    const kept = touched
      .map((topic) => ({ topic, engagement: topicScratch[topic] / UNITS }))
      .filter((t) => t.engagement >= PARAMS.minTopicEngagement)
      .sort((a, b) => b.engagement - a.engagement || a.topic - b.topic)
      .slice(0, PARAMS.maxTopics);
    for (const { topic, engagement } of kept) {
      out.topicIds[topicsWritten] = topic;
      out.topicEngagement[topicsWritten] = engagement;
      out.topicScores[topicsWritten] = clampScore(0.5 * authority + 0.5 * componentScore(engagement, PARAMS.reference.topic));
      topicsWritten++;
    }
    out.topicStart[i + 1] = topicsWritten;
    for (const topic of touched) {
      topicScratch[topic] = 0;
      topicSeen[topic] = 0;
    }
    touched.length = 0;
  }
  out.topicIds = out.topicIds.slice(0, topicsWritten);
  out.topicScores = out.topicScores.slice(0, topicsWritten);
  out.topicEngagement = out.topicEngagement.slice(0, topicsWritten);

  return {
    influencers: out,
    nodeRank: rank,
    stats: { nodes, edges: edges.count, pairs: pairs.count, iterations, residual, ignoredEdges: pairs.ignored },
  };
}

function clampScore(value: number): number {
  return Math.min(100, Math.max(PARAMS.floor, Math.round(value)));
}
