/**
 * The pair graph: interactions aggregated into (actor, target) pairs with decayed, kind-weighted,
 * saturated weights, and the in-window edges grouped by target for the per-influencer pass.
 */

import { pairWeight, UNITS, WEIGHT_CONSTANTS } from './formulas';
import { INSERTION_SORT_MAX, keptEdge, scatterPart, sortByActor, unitsOf, weightOf, type Pairs } from './kernels';
import { defaultThreads, inHalves, sharedEdges, type ThreadLog } from './threads';
import type { ModelInput } from './types';

export type { Pairs };

/**
 * The kept edges grouped by target in place, the dropped ones after them (an American flag sort:
 * each edge is swapped straight into its target's next free slot), then each kept edge's weight
 * in micro-units written over its age (both four bytes). No second copy of the edges is made: the
 * edges' own columns become edgeActor, edgeUnits and edgePost. `edgeStart`: each target's first
 * slot. The order within a target differs from the copying scatter's, which nothing sees: the
 * edges are sorted by actor next, and what is summed over one actor's edges is an integer.
 */
function groupInPlace(edges: ModelInput['edges'], edgeStart: Int32Array, kept: number, nodes: number) {
  const c = WEIGHT_CONSTANTS;
  const { actor, target, kind, ageDays, post } = edges;
  // Dropped edges marked once, in order, so that each visit below reads one column.
  for (let e = 0; e < edges.count; e++) if (!keptEdge(edges, e, c)) target[e] = -1;
  const cursor = edgeStart.slice(0, nodes);
  let dropped = kept;
  for (let t = 0; t < nodes; t++) {
    const end = t + 1 < nodes ? edgeStart[t + 1] : kept;
    for (let i = cursor[t]; i < end; i = cursor[t]) {
      const home = target[i];
      if (home === t) {
        cursor[t]++;
        continue;
      }
      const j = home < 0 ? dropped++ : cursor[home]++;
      const a = actor[i];
      actor[i] = actor[j];
      actor[j] = a;
      const t2 = target[i];
      target[i] = target[j];
      target[j] = t2;
      const k = kind[i];
      kind[i] = kind[j];
      kind[j] = k;
      const d = ageDays[i];
      ageDays[i] = ageDays[j];
      ageDays[j] = d;
      const p = post[i];
      post[i] = post[j];
      post[j] = p;
    }
  }
  const units = new Int32Array(ageDays.buffer, ageDays.byteOffset, kept);
  for (let i = 0; i < kept; i++) units[i] = unitsOf(kind[i], ageDays[i], c);
  return { actor: actor.subarray(0, kept), units, post: post.subarray(0, kept) };
}

/**
 * Aggregates edges into (actor, target) pairs with decayed, kind-weighted, saturated weights.
 * `consumeEdges`: the edges' columns are grouped in place and become the pairs' edge arrays
 * (input.edges is no longer the input afterwards): the run's peak memory holds the edges once.
 */
export function buildPairs(input: ModelInput, options: { threads?: number; consumeEdges?: boolean } = {}, log?: ThreadLog): Pairs {
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
  const threads = options.threads ?? defaultThreads(kept);
  let out: { actor: Int32Array; units: Int32Array; post: Int32Array };
  if (options.consumeEdges) {
    out = groupInPlace(edges, edgeStart, kept, nodes);
  } else {
    // One buffer for the three, so that PageRank can reuse it once the edges have been read.
    const edgeBuffer = new SharedArrayBuffer(12 * kept);
    out = {
      actor: new Int32Array(edgeBuffer, 0, kept),
      units: new Int32Array(edgeBuffer, 4 * kept, kept),
      post: new Int32Array(edgeBuffer, 8 * kept, kept),
    };
    scatter(edges, edgeStart, out, nodes, kept, threads, log);
  }
  const { actor: edgeActor, units: edgeUnits, post: edgePost } = out;
  edgeStart[nodes] = kept;

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
 * The kept edges copied into `out` grouped by target (a counting sort's scatter); `edgeStart`:
 * each target's first slot, as it is again afterwards. The scatter writes at random all over the
 * edges: on two threads, each takes the targets that hold half of the edges (both read every
 * edge, and write only their own targets' slots).
 */
function scatter(
  edges: ModelInput['edges'],
  edgeStart: Int32Array,
  out: { actor: Int32Array; units: Int32Array; post: Int32Array },
  nodes: number,
  kept: number,
  threads: number,
  log?: ThreadLog,
): void {
  const c = WEIGHT_CONSTANTS;
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
      log,
    );
  } else {
    scatterPart(edges, edgeStart, out, c, 0, nodes);
  }
  // Each cursor now stands at the start of the next node: shift them back by one.
  edgeStart.copyWithin(1, 0, nodes);
  edgeStart[0] = 0;
}
