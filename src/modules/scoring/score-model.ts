/**
 * The influence score model: pure functions over typed arrays, no I/O. docs/scoring.md explains
 * every formula and constant; keep the two in step.
 *
 * Nodes are graph actors (one account on one network), indexed 0..nodes-1. Edges are
 * interactions actor -> target inside the window. Influencers own one or more nodes.
 */

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

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
  return weightOf(kind, ageDays, PARAMS.kindWeight, PARAMS.halfLifeDays);
}

/** interactionWeight with its constants passed in: self-contained, so a worker thread can run it. */
function weightOf(kind: number, ageDays: number, kindWeight: readonly number[], halfLifeDays: number): number {
  return (kindWeight[kind] ?? 0) * Math.pow(2, -ageDays / halfLifeDays);
}

/** Per-pair saturation: repeats from one engager add less and less. */
export function pairWeight(sum: number): number {
  return Math.log1p(sum);
}

export function selectivity(distinctTargets: number): number {
  return selectivityOf(distinctTargets, PARAMS.selectivityTargets);
}

/** selectivity with its constant passed in: self-contained, so a worker thread can run it. */
function selectivityOf(distinctTargets: number, selectiveTargets: number): number {
  return distinctTargets <= selectiveTargets ? 1 : Math.sqrt(selectiveTargets / distinctTargets);
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

interface Pairs {
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

/** Segments up to this long are sorted by insertion; longer ones by a byte-wise radix sort. */
const INSERTION_SORT_MAX = 32;

/**
 * Sorts the edges [from, to) by actor, moving units and post along. The order of edges with the
 * same actor does not matter: everything summed over them is an integer.
 */
function sortByActor(
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
const WEIGHT_CONSTANTS = {
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

/** interactionUnits with the constants passed in: self-contained but for weightOf, for a worker thread. */
function unitsOf(kind: number, ageDays: number, c: typeof WEIGHT_CONSTANTS): number {
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
function keptEdge(edges: ModelInput['edges'], e: number, c: typeof WEIGHT_CONSTANTS): boolean {
  const age = edges.ageDays[e];
  return edges.actor[e] !== edges.target[e] && age >= 0 && age < c.windowDays && c.kindWeight[edges.kind[e]] > 0;
}

/**
 * The counting sort's scatter for the targets [fromTarget, toTarget): every kept edge of those
 * targets goes to its target's cursor (which advances), with its weight in micro-units. Self-
 * contained but for unitsOf, weightOf and keptEdge, which a worker thread defines beside it.
 */
function scatterPart(
  edges: ModelInput['edges'],
  cursor: Int32Array,
  out: { actor: Int32Array; units: Int32Array; post: Int32Array },
  c: typeof WEIGHT_CONSTANTS,
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

/** Aggregates edges into (actor, target) pairs with decayed, kind-weighted, saturated weights. */
export function buildPairs(input: ModelInput, options: { threads?: number } = {}): Pairs {
  const { edges, nodes } = input;
  const c = WEIGHT_CONSTANTS;

  // Counting sort by target, moving the edges' figures rather than an index into them, so that
  // everything after reads them in order. edgeStart first counts, then serves as the cursor.
  // Shared memory, like everything below that a worker thread reads.
  const edgeStart = new Int32Array(new SharedArrayBuffer(4 * (nodes + 1)));
  const target = edges.target;
  let kept = 0;
  for (let e = 0; e < edges.count; e++) {
    if (!keptEdge(edges, e, c)) continue;
    edgeStart[target[e]]++;
    kept++;
  }
  let maxSegment = 0;
  for (let n = 0, sum = 0; n < nodes; n++) {
    const size = edgeStart[n];
    if (size > maxSegment) maxSegment = size;
    edgeStart[n] = sum;
    sum += size;
  }
  // One buffer for the three, so that PageRank can reuse it once the edges have been read.
  const edgeBuffer = new SharedArrayBuffer(12 * kept);
  const edgeActor = new Int32Array(edgeBuffer, 0, kept);
  const edgeUnits = new Int32Array(edgeBuffer, 4 * kept, kept);
  const edgePost = new Int32Array(edgeBuffer, 8 * kept, kept);
  const out = { actor: edgeActor, units: edgeUnits, post: edgePost };
  // The scatter writes at random all over the edges: on two threads, each takes the targets that
  // hold half of the edges (both read every edge, and write only their own targets' slots).
  const threads = options.threads ?? defaultThreads(kept);
  if (threads > 1 && nodes > 1) {
    let split = 0;
    while (split < nodes - 1 && edgeStart[split] < kept / 2) split++;
    const shared = sharedEdges(edges);
    const cursors = edgeStart.slice(split, nodes);
    inHalves(
      scatterPart,
      [unitsOf, weightOf, keptEdge],
      [shared, edgeStart, out, c, 0, split],
      [shared, edgeStart, out, c, split, nodes],
      () => edgeStart.set(cursors, split),
    );
  } else {
    scatterPart(edges, edgeStart, out, c, 0, nodes);
  }
  // Each cursor now stands at the start of the next node: shift them back by one.
  edgeStart.copyWithin(1, 0, nodes);
  edgeStart[0] = 0;

  // Within each target, by actor; count the pairs on the way.
  let actorBytes = 1;
  while (actorBytes < 4 && nodes - 1 >= 2 ** (8 * actorBytes)) actorBytes++;
  const scratchLength = maxSegment > INSERTION_SORT_MAX ? maxSegment : 0;
  const scratch = {
    actor: new Int32Array(scratchLength),
    units: new Int32Array(scratchLength),
    post: new Int32Array(scratchLength),
    counts: new Int32Array(257),
  };
  const inStart = new Int32Array(new SharedArrayBuffer(4 * (nodes + 1)));
  let count = 0;
  for (let t = 0; t < nodes; t++) {
    const from = edgeStart[t];
    const to = edgeStart[t + 1];
    if (to > from) {
      sortByActor(edgeActor, edgeUnits, edgePost, from, to, scratch, actorBytes);
      count++;
      for (let i = from + 1; i < to; i++) if (edgeActor[i] !== edgeActor[i - 1]) count++;
    }
    inStart[t + 1] = count;
  }

  // Sums are integers (exact in a double), so they do not depend on the order of a pair's edges.
  const src = new Int32Array(new SharedArrayBuffer(4 * count));
  const weight = new Float64Array(new SharedArrayBuffer(8 * count));
  let p = 0;
  for (let t = 0; t < nodes; t++) {
    const to = edgeStart[t + 1];
    for (let i = edgeStart[t]; i < to;) {
      const a = edgeActor[i];
      let sum = 0;
      do sum += edgeUnits[i++];
      while (i < to && edgeActor[i] === a);
      src[p] = a;
      weight[p] = pairWeight(sum / UNITS);
      p++;
    }
  }
  return { count, inStart, src, weight, edgeStart, edgeActor, edgeUnits, edgePost, ignored: edges.count - kept };
}

/**
 * Typed arrays carved out of a buffer whose contents are no longer needed (new memory when it is
 * full or absent). Touching fresh memory costs page faults, which add up at these sizes; reused
 * memory is not zeroed, so every array taken from here is written before it is read. New memory
 * is shared (a SharedArrayBuffer) when asked, so that a worker thread can read it.
 */
class Arena {
  private used = 0;
  constructor(
    private readonly buffer: ArrayBufferLike | null = null,
    private readonly shared = false,
  ) {}

  float64(length: number): Float64Array {
    const at = this.take(8 * length);
    if (at >= 0) return new Float64Array(this.buffer!, at, length);
    return this.shared ? new Float64Array(new SharedArrayBuffer(8 * length)) : new Float64Array(length);
  }

  int32(length: number): Int32Array {
    const at = this.take(4 * length);
    if (at >= 0) return new Int32Array(this.buffer!, at, length);
    return this.shared ? new Int32Array(new SharedArrayBuffer(4 * length)) : new Int32Array(length);
  }

  private take(bytes: number): number {
    const at = Math.ceil(this.used / 8) * 8;
    if (!this.buffer || (this.shared && !(this.buffer instanceof SharedArrayBuffer)) || at + bytes > this.buffer.byteLength) return -1;
    this.used = at + bytes;
    return at;
  }
}

/** Sources per block of the PageRank pull: 2^17 ranks are 1 MB, which stays in a core's cache. */
const RANK_BLOCK_BITS = 17;
/** PageRank pulls on two threads from this many pairs on (below, a thread costs more than it saves). */
const THREADED_PAIRS = 1 << 20;

/**
 * The pairs regrouped for a cache-friendly pull. The targets (the nodes with in-pairs, in node
 * order) are cut into `parts` ranges of about equal pair counts, one per thread. Within a part,
 * pairs go by block of source nodes (block b: sources [b << RANK_BLOCK_BITS, (b + 1) << ...)),
 * then by target, then by source; run r adds the pairs [runEnd[r - 1], runEnd[r]) to the sum of
 * target runTarget[r] (an index into `targets`). A part's blocks are taken in order, so every
 * target still adds its in-pairs in (target, actor) order: the sums are the same, bit for bit,
 * however many parts there are.
 */
interface BlockedPairs {
  targets: Int32Array;
  runTarget: Int32Array;
  runEnd: Int32Array;
  src: Int32Array;
  /** weight / the source's total out-weight: the transition probability of the pair. */
  share: Float64Array;
  /** Part i: targets [partTarget[i], partTarget[i + 1]), runs [partRun[i], partRun[i + 1]), from pair partPair[i]. */
  partTarget: number[];
  partRun: number[];
  partPair: number[];
}

function blockPairs(nodes: number, pairs: Pairs, outWeight: Float64Array, parts: number, arena: Arena): BlockedPairs {
  const { count, inStart } = pairs;
  let targetCount = 0;
  for (let t = 0; t < nodes; t++) if (inStart[t + 1] > inStart[t]) targetCount++;
  // The first target of each part: parts of about count / parts pairs (and the node it is).
  const partTarget = [0];
  const partNode = [0];
  for (let t = 0, k = 0; t < nodes && partTarget.length < parts; t++) {
    if (inStart[t + 1] === inStart[t]) continue;
    if (inStart[t] >= (count / parts) * partTarget.length && k > partTarget[partTarget.length - 1]) {
      partTarget.push(k);
      partNode.push(t);
    }
    k++;
  }
  while (partTarget.length <= parts) {
    partTarget.push(targetCount);
    partNode.push(nodes);
  }

  // Buckets by (part, block): count, then place. A part's targets use only its own buckets, so
  // the parts are counted and placed side by side (the second on a worker thread).
  const blocks = ((Math.max(nodes, 1) - 1) >>> RANK_BLOCK_BITS) + 1;
  const buckets = parts * blocks;
  const bucketPairStart = new Int32Array(new SharedArrayBuffer(4 * (buckets + 1)));
  const bucketRunStart = new Int32Array(new SharedArrayBuffer(4 * (buckets + 1)));
  const columns = { inStart: pairs.inStart, src: pairs.src, weight: pairs.weight };
  const both = (step: 'count' | 'place', out: Partial<BlockedPairs>) => {
    const args = (part: number): Parameters<typeof blockPart> => [
      step,
      columns,
      outWeight,
      out,
      bucketPairStart,
      bucketRunStart,
      part,
      partNode[part],
      partNode[part + 1],
      partTarget[part],
      blocks,
      RANK_BLOCK_BITS,
    ];
    if (parts < 2) return blockPart(...args(0));
    // The second part's counters as they were: a worker that fails may have moved them.
    const from = step === 'count' ? blocks + 1 : blocks;
    const saved = [bucketPairStart.slice(from, from + blocks), bucketRunStart.slice(from, from + blocks)];
    inHalves(blockPart, [], args(0), args(1), () => {
      bucketPairStart.set(saved[0], from);
      bucketRunStart.set(saved[1], from);
    });
  };
  both('count', {});
  for (let b = 0; b < buckets; b++) {
    bucketPairStart[b + 1] += bucketPairStart[b];
    bucketRunStart[b + 1] += bucketRunStart[b];
  }
  const runs = bucketRunStart[buckets];
  const partRun: number[] = [];
  const partPair: number[] = [];
  for (let part = 0; part <= parts; part++) {
    partRun.push(bucketRunStart[part * blocks]);
    partPair.push(bucketPairStart[part * blocks]);
  }
  const blocked: BlockedPairs = {
    share: arena.float64(count),
    src: arena.int32(count),
    targets: arena.int32(targetCount),
    runTarget: arena.int32(runs),
    runEnd: arena.int32(runs),
    partTarget,
    partRun,
    partPair,
  };
  both('place', blocked);
  return blocked;
}

/**
 * Part `part` of blockPairs, over its targets (nodes [fromNode, toNode), the first of them target
 * number firstTarget): 'count' adds its pairs and runs to the bucket counts (at b + 1), 'place'
 * puts them into the blocked arrays at the bucket cursors. Self-contained: a worker thread runs it
 * from its source text.
 */
function blockPart(
  step: 'count' | 'place',
  pairs: Pick<Pairs, 'inStart' | 'src' | 'weight'>,
  outWeight: Float64Array,
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
        out.share![at] = weight[p] / outWeight[s];
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
function pullPart(
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

function pullArgs(blocked: BlockedPairs, part: number) {
  const { partTarget, partRun, partPair } = blocked;
  return [partTarget[part], partTarget[part + 1], partRun[part], partRun[part + 1], partPair[part]] as const;
}

/**
 * The second thread of the pull: it waits on control[0] for an iteration number (-1: stop), pulls
 * part 1 with ranks[(iteration - 1) % 2], and reports the iteration done in control[1] (-2: failed).
 */
const PULL_WORKER = `
const { workerData: w } = require('node:worker_threads');
const control = w.control;
try {
  const pull = new Function('return ' + w.pullPart)();
  Atomics.store(control, 1, 0);
  Atomics.notify(control, 1);
  for (let seen = 0; ; ) {
    Atomics.wait(control, 0, seen);
    const command = Atomics.load(control, 0);
    if (command < 0) break;
    seen = command;
    pull(w.runTarget, w.runEnd, w.src, w.share, w.ranks[(command - 1) % 2], w.sums, ...w.args);
    Atomics.store(control, 1, command);
    Atomics.notify(control, 1);
  }
} catch {
  Atomics.store(control, 1, -2);
  Atomics.notify(control, 1);
}
`;

/** A started pull worker for part 1, or null when none could start (the caller pulls both parts). */
function startPullWorker(
  blocked: BlockedPairs,
  ranks: Float64Array[],
  sums: Float64Array,
): { control: Int32Array; stop: () => void } | null {
  const control = new Int32Array(new SharedArrayBuffer(8));
  control[1] = -1;
  const { runTarget, runEnd, src, share } = blocked;
  let worker: Worker;
  try {
    worker = new Worker(PULL_WORKER, {
      eval: true,
      workerData: { control, pullPart: pullPart.toString(), runTarget, runEnd, src, share, ranks, sums, args: pullArgs(blocked, 1) },
    });
  } catch {
    return null;
  }
  worker.unref();
  worker.on('error', () => undefined); // failures are reported through control[1]
  const stop = () => {
    Atomics.store(control, 0, -1);
    Atomics.notify(control, 0);
  };
  // The main thread blocks from here on; a worker that has not started within seconds is not used.
  Atomics.wait(control, 1, -1, 10_000);
  if (Atomics.load(control, 1) !== 0) {
    stop();
    void worker.terminate();
    return null;
  }
  return { control, stop };
}

/** One iteration's new ranks from the pulled sums; returns the L1 change, summed in node order. */
function nextRanks(
  targets: Int32Array,
  sums: Float64Array,
  rank: Float64Array,
  next: Float64Array,
  teleport: Float64Array,
  danglingRank: number,
): number {
  const d = PARAMS.damping;
  const teleportShare = 1 - d;
  let residual = 0;
  let k = 0;
  for (let t = 0, nodes = rank.length; t < nodes; t++) {
    let acc = 0;
    if (k < targets.length && targets[k] === t) acc = sums[k++];
    const value = d * (acc + danglingRank * teleport[t]) + teleportShare * teleport[t];
    residual += Math.abs(value - rank[t]);
    next[t] = value;
  }
  return residual;
}

/**
 * Weighted PageRank (pull form over in-pairs) with a quality-based teleport vector. Each node's
 * new rank sums its in-pairs in (target, actor) order, and the dangling mass and the residual
 * are summed in node order, so the result is the same bit for bit on every run, on one thread or
 * two (`threads`: by default two for large graphs on a machine with more than one core).
 */
export function pageRank(
  nodes: number,
  pairs: Pairs,
  quality: Float64Array,
  options: { threads?: number } = {},
): { rank: Float64Array; iterations: number; residual: number } {
  const threads = options.threads ?? defaultThreads(pairs.count);
  return rankNodes(nodes, pairs, quality, threads, new Arena(null, threads > 1), new Arena(null, threads > 1));
}

/** Two threads from this many pairs or edges on, on a machine with more than one core. */
function defaultThreads(count: number): number {
  return count >= THREADED_PAIRS && availableParallelism() > 1 ? 2 : 1;
}

/**
 * pageRank, with its arrays taken from `whilePairs` (memory that may be overwritten while the
 * pairs are still read) and `afterPairs` (memory that may be overwritten once they have been).
 */
function rankNodes(
  nodes: number,
  pairs: Pairs,
  quality: Float64Array,
  threads: number,
  whilePairs: Arena,
  afterPairs: Arena,
): { rank: Float64Array; iterations: number; residual: number } {
  const { count, src, weight } = pairs;
  const outWeight = whilePairs.float64(nodes).fill(0);
  for (let p = 0; p < count; p++) outWeight[src[p]] += weight[p];
  const parts = threads > 1 ? 2 : 1;
  const blocked = blockPairs(nodes, pairs, outWeight, parts, whilePairs);
  let danglingCount = 0;
  for (let n = 0; n < nodes; n++) if (outWeight[n] === 0) danglingCount++;
  const dangling = new Int32Array(danglingCount);
  for (let n = 0, k = 0; n < nodes; n++) if (outWeight[n] === 0) dangling[k++] = n;

  let qualitySum = 0;
  for (let n = 0; n < nodes; n++) qualitySum += quality[n];
  const teleport = afterPairs.float64(nodes);
  for (let n = 0; n < nodes; n++) teleport[n] = qualitySum > 0 ? quality[n] / qualitySum : 1 / nodes;

  const sums = afterPairs.float64(blocked.targets.length);
  const ranks = [afterPairs.float64(nodes), afterPairs.float64(nodes)];
  ranks[0].set(teleport);
  const worker = parts > 1 ? startPullWorker(blocked, ranks, sums) : null;
  const { runTarget, runEnd } = blocked;
  let iterations = 0;
  let residual = Infinity;
  try {
    while (iterations < PARAMS.maxIterations && residual > PARAMS.tolerance) {
      const rank = ranks[iterations % 2];
      let danglingRank = 0;
      for (let k = 0; k < danglingCount; k++) danglingRank += rank[dangling[k]];
      const command = iterations + 1;
      if (worker) {
        Atomics.store(worker.control, 0, command);
        Atomics.notify(worker.control, 0);
      }
      for (let part = 0; part < (worker ? 1 : parts); part++) {
        pullPart(runTarget, runEnd, blocked.src, blocked.share, rank, sums, ...pullArgs(blocked, part));
      }
      if (worker) {
        for (let done = Atomics.load(worker.control, 1); done !== command; done = Atomics.load(worker.control, 1)) {
          if (done === -2) throw new Error('PageRank worker failed');
          // As in onWorker: a worker that died without reporting fails the run rather than hang it.
          if (Atomics.wait(worker.control, 1, done, PART_TIMEOUT_MS) === 'timed-out') throw new Error('PageRank worker did not answer');
        }
      }
      residual = nextRanks(blocked.targets, sums, rank, ranks[(iterations + 1) % 2], teleport, danglingRank);
      iterations++;
    }
  } finally {
    worker?.stop();
  }
  return { rank: ranks[iterations % 2], iterations, residual };
}

/** The arrays engagementPart reads, and the ones it writes (outputs, indexed by influencer). */
interface EngagementArrays {
  ownedStart: Int32Array;
  ownedNodes: Int32Array;
  followers: Float64Array;
  postsInWindow: Int32Array;
  edgeStart: Int32Array;
  edgeActor: Int32Array;
  edgeUnits: Int32Array;
  edgePost: Int32Array;
  inStart: Int32Array;
  src: Int32Array;
  weight: Float64Array;
  targetsSeen: Uint16Array;
  distinctTargets: Int32Array;
  postTopicStart: Int32Array;
  postTopicIds: Uint16Array;
  reachRaw: Float64Array;
  amplificationRaw: Float64Array;
  engagers: Int32Array;
  reactions: Int32Array;
  posts: Int32Array;
  topicStart: Int32Array;
  topicIds: Uint16Array;
  topicEngagement: Float64Array;
}

/** What engagementPart needs of PARAMS and UNITS (it runs from its source text in a worker). */
const ENGAGEMENT_CONSTANTS = {
  units: UNITS,
  selectivityTargets: PARAMS.selectivityTargets,
  followerReach: PARAMS.followerReach,
  maxTopics: PARAMS.maxTopics,
  minTopicEngagement: PARAMS.minTopicEngagement,
};

/**
 * Reach, amplification and topic engagement of influencers [from, to), whose topics go into slots
 * from `firstTopic` on (topicStart[i + 1] is the slot after influencer i's); returns the slot after
 * the last. Self-contained but for selectivityOf: a worker thread runs both from their source text.
 */
function engagementPart(
  a: EngagementArrays,
  k: typeof ENGAGEMENT_CONSTANTS,
  maxTopicId: number,
  from: number,
  to: number,
  firstTopic: number,
): number {
  const { ownedStart, ownedNodes, postsInWindow, edgeStart, edgeActor, edgeUnits, edgePost, inStart, src, weight } = a;
  const { targetsSeen, distinctTargets, postTopicStart, postTopicIds } = a;
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
    let amplified = 0;
    let engagers = 0;
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
          const seen = targetsSeen[src[p]];
          const targets = seen < 0xffff ? seen : distinctTargets[src[p]];
          s = selectivityOf(targets, k.selectivityTargets);
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
    a.reachRaw[i] = weighted + k.followerReach * Math.log10(1 + a.followers[i]);
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

/**
 * A worker thread's script: defines the helper functions and the part from their source text,
 * runs the part with the arguments, and reports in control: [1, result] when done, [-1] if it failed.
 */
const PART_WORKER = `
const { workerData: w } = require('node:worker_threads');
let state = -1;
try {
  const part = new Function(w.helpers.join('\\n') + '\\nreturn ' + w.part)();
  const result = part(...w.args);
  Atomics.store(w.control, 1, typeof result === 'number' ? result : 0);
  state = 1;
} finally {
  Atomics.store(w.control, 0, state);
  Atomics.notify(w.control, 0);
}
`;

/**
 * Runs part(...args) on a worker thread while this thread runs `here`; returns part's result (an
 * int32), or null when the worker could not start or failed, so that the caller does that part
 * itself. `part` and `helpers` (the functions it calls) must be self-contained; the arguments
 * cross by structured clone, so what the worker writes must live in shared memory.
 */
export function onWorker(
  part: Function,
  helpers: Function[],
  args: unknown[],
  here: () => void,
  timeoutMs = PART_TIMEOUT_MS,
): number | null {
  const control = new Int32Array(new SharedArrayBuffer(8));
  let worker: Worker | null = null;
  try {
    worker = new Worker(PART_WORKER, {
      eval: true,
      workerData: { control, part: part.toString(), helpers: helpers.map((f) => f.toString()), args },
    });
    worker.unref();
    worker.on('error', () => undefined); // failures are reported through control[0]
  } catch {
    worker = null;
  }
  here();
  if (!worker) return null;
  // A worker that died without reporting (killed out of memory) would leave this thread waiting
  // for ever: past the timeout the run fails (and can be retried) rather than hang.
  if (Atomics.wait(control, 0, 0, timeoutMs) === 'timed-out') {
    void worker.terminate();
    throw new Error(`a model worker thread did not finish within ${timeoutMs / 1000} s`);
  }
  return Atomics.load(control, 0) === 1 ? Atomics.load(control, 1) : null;
}

/**
 * How long this thread waits on a worker thread: for a part in onWorker (a second or two at 20M
 * interactions), or for one PageRank iteration.
 */
const PART_TIMEOUT_MS = 10 * 60_000;

/**
 * Runs part(...first) on this thread and part(...second) on a worker thread, at once, and returns
 * both results. If the worker fails, `undo` puts back what its half may have half-written (counters
 * it advanced) and this thread runs the second half too. `helpers` as for onWorker.
 */
export function inHalves(
  part: Function,
  helpers: Function[],
  first: unknown[],
  second: unknown[],
  undo: () => void = () => undefined,
): [number, number] {
  let firstResult = 0;
  const run = (args: unknown[]): number => Number(part(...args) ?? 0);
  let secondResult = onWorker(part, helpers, second, () => (firstResult = run(first)));
  if (secondResult === null) {
    undo();
    secondResult = run(second);
  }
  return [firstResult, secondResult];
}

type Column = Int32Array | Uint16Array | Uint8Array | Float32Array | Float64Array;

/** The array itself when a worker can read it (shared memory), else a shared copy. */
function shared<T extends Column>(array: T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const copy = new (array.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(array.byteLength));
  copy.set(array as never);
  return copy;
}

function sharedEdges(edges: ModelInput['edges']): ModelInput['edges'] {
  const { actor, target, kind, ageDays, post } = edges;
  return {
    count: edges.count,
    actor: shared(actor),
    target: shared(target),
    kind: shared(kind),
    ageDays: shared(ageDays),
    post: shared(post),
  };
}

/**
 * engagementPart over every influencer: on one thread, or split in two at the middle, the second
 * half on a worker thread writing its topics from slot mid · maxTopics on; the halves are then
 * joined (the second half's topics moved down), so the result is the same bit for bit.
 */
function engagement(a: EngagementArrays, maxTopicId: number, count: number, threads: number): number {
  const k = ENGAGEMENT_CONSTANTS;
  if (threads < 2 || count < 2) return engagementPart(a, k, maxTopicId, 0, count, 0);
  const mid = count >> 1;
  const secondBase = mid * k.maxTopics;
  // A failed worker's half is simply written again, in full.
  const [firstEnd, secondEnd] = inHalves(
    engagementPart,
    [selectivityOf],
    [a, k, maxTopicId, 0, mid, 0],
    [a, k, maxTopicId, mid, count, secondBase],
  );
  a.topicIds.copyWithin(firstEnd, secondBase, secondEnd);
  a.topicEngagement.copyWithin(firstEnd, secondBase, secondEnd);
  const shift = secondBase - firstEnd;
  for (let i = mid + 1; i <= count; i++) a.topicStart[i] -= shift;
  return secondEnd - shift;
}

/**
 * Scores every influencer. Deterministic: the same rows in any order give the same result, on one
 * thread or two (`threads`: by default two for large graphs on a machine with more than one core).
 */
export function computeScores(input: ModelInput, options: { threads?: number } = {}): ModelResult {
  const { nodes, edges, posts, influencers } = input;
  const pairs = buildPairs(input, options);
  const { inStart, src, weight, edgeStart, edgeActor, edgeUnits, edgePost } = pairs;
  const threads = options.threads ?? defaultThreads(pairs.count);
  const share = <T extends Int32Array | Uint16Array | Float64Array>(array: T) => (threads > 1 ? shared(array) : array);

  // Distinct targets of every node, for its selectivity. The pairs read them at random, so they
  // are read from a 16-bit copy that mostly stays in cache; the exact count past 65,534.
  const distinctTargets = share(new Int32Array(nodes));
  for (let p = 0; p < pairs.count; p++) distinctTargets[src[p]]++;
  const targetsSeen = share(new Uint16Array(nodes));
  for (let n = 0; n < nodes; n++) targetsSeen[n] = Math.min(distinctTargets[n], 0xffff);

  const postsInWindow = share(new Int32Array(nodes));
  for (let p = 0; p < posts.count; p++) if (posts.inWindow[p]) postsInWindow[posts.author[p]]++;

  const count = influencers.count;
  const maxTopics = PARAMS.maxTopics;
  const out: InfluencerScores = {
    score: new Uint8Array(count),
    reach: new Float64Array(count),
    amplification: new Float64Array(count),
    authority: new Float64Array(count),
    reachRaw: share(new Float64Array(count)),
    amplificationRaw: share(new Float64Array(count)),
    authorityRaw: new Float64Array(count),
    engagers: share(new Int32Array(count)),
    reactions: share(new Int32Array(count)),
    posts: share(new Int32Array(count)),
    topicStart: share(new Int32Array(count + 1)),
    topicIds: share(new Uint16Array(count * maxTopics)),
    topicScores: new Uint8Array(count * maxTopics),
    topicEngagement: share(new Float64Array(count * maxTopics)),
  };

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
      src: share(src),
      weight,
      targetsSeen,
      distinctTargets,
      postTopicStart: share(posts.topicStart),
      postTopicIds: share(posts.topicIds),
      reachRaw: out.reachRaw,
      amplificationRaw: out.amplificationRaw,
      engagers: out.engagers,
      reactions: out.reactions,
      posts: out.posts,
      topicStart: out.topicStart,
      topicIds: out.topicIds,
      topicEngagement: out.topicEngagement,
    },
    input.maxTopicId,
    count,
    threads,
  );

  // The edges are done with, and the pairs are once PageRank has regrouped them.
  const { ownedStart, ownedNodes } = influencers;
  const { rank, iterations, residual } = rankNodes(
    nodes,
    pairs,
    input.quality,
    threads,
    new Arena(edgeActor.buffer, true),
    new Arena(weight.buffer, true),
  );

  for (let i = 0; i < count; i++) {
    let nodeRankSum = 0;
    for (let o = ownedStart[i], ownedEnd = ownedStart[i + 1]; o < ownedEnd; o++) nodeRankSum += rank[ownedNodes[o]];
    const hasSignal = out.engagers[i] > 0;
    const authorityRaw = nodeRankSum * nodes;
    const reach = hasSignal ? componentScore(out.reachRaw[i], PARAMS.reference.reach) : 1;
    const amplification = hasSignal ? componentScore(out.amplificationRaw[i], PARAMS.reference.amplification) : 1;
    const authority = hasSignal ? componentScore(authorityRaw, PARAMS.reference.authority) : 1;
    const combined = PARAMS.weights.authority * authority + PARAMS.weights.reach * reach + PARAMS.weights.amplification * amplification;
    out.score[i] = hasSignal ? clampScore(combined) : PARAMS.floor;
    out.reach[i] = reach;
    out.amplification[i] = amplification;
    out.authority[i] = authority;
    out.authorityRaw[i] = authorityRaw;
    for (let k = out.topicStart[i]; k < out.topicStart[i + 1]; k++) {
      out.topicScores[k] = clampScore(0.5 * authority + 0.5 * componentScore(out.topicEngagement[k], PARAMS.reference.topic));
    }
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
