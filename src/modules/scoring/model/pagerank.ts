/**
 * Weighted PageRank over the pair graph, pulled block by block for the cache, on one thread or two.
 */

import { Arena } from './arena';
import { PARAMS } from './formulas';
import { blockPart, passOnFactor, pullPart, pullTopPart, type BlockedPairs, type Pairs, type PassOn } from './kernels';
import { defaultThreads, inHalves, startPullWorker, type ThreadLog } from './threads';

/** Sources per block of the PageRank pull: 2^17 ranks are 1 MB, which stays in a core's cache. */
const RANK_BLOCK_BITS = 17;

function blockPairs(
  nodes: number,
  pairs: Pairs,
  outWeight: Float64Array,
  passOn: PassOn | null,
  parts: number,
  arena: Arena,
  log?: ThreadLog,
): BlockedPairs {
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
      passOn,
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
    inHalves(
      blockPart,
      [passOnFactor],
      args(0),
      args(1),
      () => {
        bucketPairStart.set(saved[0], from);
        bucketRunStart.set(saved[1], from);
      },
      log,
    );
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

function pullArgs(blocked: BlockedPairs, part: number) {
  const { partTarget, partRun, partPair } = blocked;
  return [partTarget[part], partTarget[part + 1], partRun[part], partRun[part + 1], partPair[part]] as const;
}

/**
 * One iteration's new ranks from the pulled sums; returns the L1 change, summed in node order,
 * and sets leaked[0] to the rank the new ranks give back to the teleport vector (Σ next · leak,
 * in node order: the next iteration's leakedRank, summed on the way).
 */
function nextRanks(
  targets: Int32Array,
  sums: Float64Array,
  rank: Float64Array,
  next: Float64Array,
  teleport: Float64Array,
  leakedRank: number,
  leak: Float64Array,
  leaked: Float64Array,
): number {
  const d = PARAMS.damping;
  const teleportShare = 1 - d;
  let residual = 0;
  let nextLeaked = 0;
  let k = 0;
  for (let t = 0, nodes = rank.length; t < nodes; t++) {
    let acc = 0;
    if (k < targets.length && targets[k] === t) acc = sums[k++];
    const value = d * (acc + leakedRank * teleport[t]) + teleportShare * teleport[t];
    residual += Math.abs(value - rank[t]);
    nextLeaked += value * leak[t];
    next[t] = value;
  }
  leaked[0] = nextLeaked;
  return residual;
}

export interface Ranks {
  /** Rank per node, summing to 1. */
  rank: Float64Array;
  iterations: number;
  residual: number;
  /**
   * Version 2, from the final ranks: the nodes with in-pairs (ascending), the rank each receives
   * through its in-pairs (damping included), and the largest part of that from one engager.
   */
  received: { targets: Int32Array; inflow: Float64Array; top: Float64Array } | null;
}

/**
 * Weighted PageRank (pull form over in-pairs) with a quality-based teleport vector (version 1).
 * Each node's new rank sums its in-pairs in (target, actor) order, and the mass that flows back
 * to the teleport vector and the residual are summed in node order, so the result is the same bit
 * for bit on every run, on one thread or two (`threads`: by default two for large graphs on a
 * machine with more than one core).
 */
export function pageRank(nodes: number, pairs: Pairs, quality: Float64Array, options: { threads?: number } = {}): Ranks {
  const threads = options.threads ?? defaultThreads(pairs.count);
  return rankNodes(nodes, pairs, { prior: quality, passOn: null, threads, arena: new Arena(threads > 1), reusePairs: false });
}

export interface RankSettings {
  /** Teleport weight per node (normalised here). */
  prior: Float64Array;
  /** Version 2: what each pair passes on; null: all of it (version 1). */
  passOn: PassOn | null;
  threads: number;
  /** Memory that may be overwritten (new memory where it has no room). */
  arena: Arena;
  /**
   * The pairs are the run's own: once they are blocked, the memory of their in-starts, sources
   * and weights (and version 2's mutual flags) joins the arena.
   */
  reusePairs: boolean;
  log?: ThreadLog;
  /** The L1 change at which the iterations stop (default PARAMS.tolerance). */
  tolerance?: number;
  /** After each iteration, with the L1 change it made (for progress). */
  onIteration?: (iterations: number, residual: number) => void;
}

/**
 * pageRank with its arrays taken from the settings' arena. What a node does not pass on along
 * its pairs (all of it without out-pairs; under version 2 also what its credibility withholds)
 * goes back to the teleport vector.
 */
export function rankNodes(nodes: number, pairs: Pairs, settings: RankSettings): Ranks {
  const { prior, passOn, threads, arena, reusePairs, log, tolerance = PARAMS.tolerance, onIteration } = settings;
  const { count, src, weight } = pairs;
  const outWeight = arena.float64(nodes).fill(0);
  for (let p = 0; p < count; p++) outWeight[src[p]] += weight[p];
  // What each node passes on along its pairs (version 2; version 1: all of it).
  let passed: Float64Array | null = null;
  if (passOn) {
    passed = arena.float64(nodes).fill(0);
    for (let p = 0; p < count; p++) passed[src[p]] += weight[p] * passOnFactor(passOn, src[p], p);
  }
  const parts = threads > 1 ? 2 : 1;
  const blocked = blockPairs(nodes, pairs, outWeight, passOn, parts, arena, log);
  if (reusePairs) {
    arena.free(pairs.inStart).free(src).free(weight);
    if (passOn) arena.free(passOn.mutual);
  }

  // The pairs are read: the share of its rank each node gives back to the teleport vector (1
  // without out-pairs, 0 when it passes everything on), in the memory of the pairs' weights.
  const leak = arena.float64(nodes);
  for (let n = 0; n < nodes; n++) leak[n] = outWeight[n] === 0 ? 1 : passed ? Math.max(0, 1 - passed[n] / outWeight[n]) : 0;
  arena.free(outWeight);
  if (passed) arena.free(passed);
  passed = null;

  let priorSum = 0;
  for (let n = 0; n < nodes; n++) priorSum += prior[n];
  const teleport = arena.float64(nodes);
  for (let n = 0; n < nodes; n++) teleport[n] = priorSum > 0 ? prior[n] / priorSum : 1 / nodes;

  const sums = arena.float64(blocked.targets.length);
  const ranks = [arena.float64(nodes), arena.float64(nodes)];
  ranks[0].set(teleport);
  const { runTarget, runEnd } = blocked;
  const worker =
    parts > 1
      ? startPullWorker(pullPart, [runTarget, runEnd, blocked.src, blocked.share], ranks, [sums, ...pullArgs(blocked, 1)], log)
      : null;
  let iterations = 0;
  let residual = Infinity;
  const leaked = new Float64Array(1);
  for (let n = 0; n < nodes; n++) leaked[0] += ranks[0][n] * leak[n];
  try {
    while (iterations < PARAMS.maxIterations && residual > tolerance) {
      const rank = ranks[iterations % 2];
      const leakedRank = leaked[0];
      const command = iterations + 1;
      worker?.start(command);
      for (let part = 0; part < (worker ? 1 : parts); part++) {
        pullPart(runTarget, runEnd, blocked.src, blocked.share, rank, sums, ...pullArgs(blocked, part));
      }
      worker?.wait(command);
      residual = nextRanks(blocked.targets, sums, rank, ranks[(iterations + 1) % 2], teleport, leakedRank, leak, leaked);
      iterations++;
      onIteration?.(iterations, residual);
    }
  } finally {
    worker?.stop();
  }
  const rank = ranks[iterations % 2];
  let received: Ranks['received'] = null;
  if (passOn) {
    const top = arena.float64(blocked.targets.length);
    const args = (part: number) => [runTarget, runEnd, blocked.src, blocked.share, rank, sums, top, ...pullArgs(blocked, part)];
    // A failed worker's part is simply pulled again, in full.
    if (parts > 1) inHalves(pullTopPart, [], args(0), args(1), undefined, log);
    else pullTopPart(...(args(0) as Parameters<typeof pullTopPart>));
    const d = PARAMS.damping;
    for (let k = 0; k < sums.length; k++) {
      sums[k] *= d;
      top[k] *= d;
    }
    received = { targets: blocked.targets, inflow: sums, top };
  }
  return { rank, iterations, residual, received };
}
