/**
 * The pair graph: interactions aggregated into (actor, target) pairs with decayed, kind-weighted,
 * saturated weights, and the in-window edges grouped by target for the per-influencer pass.
 */

import { Arena } from './arena';
import { pairWeight, UNITS, WEIGHT_CONSTANTS } from './formulas';
import {
  groupPart,
  INSERTION_SORT_MAX,
  keptEdge,
  scatterPart,
  sortByActor,
  swapEdges,
  swapIn,
  unitsOf,
  weightOf,
  type Pairs,
} from './kernels';
import { defaultThreads, inHalves, shared, sharedEdges, type ThreadLog } from './threads';
import type { ModelInput } from './types';

export type { Pairs };

/**
 * Moves the edges [from, to) for which `first` holds before the others (both ends inward); returns
 * where the others start.
 */
function partition(edges: ModelInput['edges'], from: number, to: number, first: (e: number) => boolean): number {
  let lo = from;
  let hi = to - 1;
  for (;;) {
    while (lo <= hi && first(lo)) lo++;
    while (lo < hi && !first(hi)) hi--;
    if (lo >= hi) return lo;
    swapEdges(edges, lo++, hi--);
  }
}

/**
 * The kept edges grouped by target in place, the dropped ones after them, then each kept edge's
 * weight in micro-units written over its age (both four bytes). No second copy of the edges is
 * made: the edges' own columns become edgeActor, edgeUnits and edgePost. On two threads, the edges
 * are first split in place into the targets that hold about half of them and the rest, and each
 * thread groups one side (groupPart). `edgeStart`: each target's first slot, and edgeStart[nodes]
 * = kept. The order within a target differs from the copying scatter's, which nothing sees: the
 * edges are sorted by actor next, and what is summed over one actor's edges is an integer.
 */
function groupInPlace(edges: ModelInput['edges'], edgeStart: Int32Array, nodes: number, threads: number, log?: ThreadLog) {
  const c = WEIGHT_CONSTANTS;
  const { target, kind, ageDays } = edges;
  const kept = edgeStart[nodes];
  // Dropped edges marked once, so that every step below reads one column.
  for (let e = 0; e < edges.count; e++) if (!keptEdge(edges, e, c)) target[e] = -1;
  partition(edges, 0, edges.count, (e) => target[e] >= 0);
  const cursor = shared(edgeStart.slice(0, nodes));
  // Two threads only when the columns are shared memory already (as the loader's are): a copy
  // would be grouped instead of the edges themselves.
  const { actor, post } = edges;
  const inShared = [actor, target, kind, ageDays, post].every((column) => column.buffer instanceof SharedArrayBuffer);
  if (threads > 1 && nodes > 1 && inShared) {
    let split = 0;
    while (split < nodes - 1 && edgeStart[split] < kept / 2) split++;
    partition(edges, 0, kept, (e) => target[e] < split);
    // A worker that fails before it starts has moved nothing; its half is grouped here from the start.
    inHalves(
      groupPart,
      [swapEdges, swapIn],
      [edges, edgeStart, cursor, 0, split],
      [edges, edgeStart, cursor, split, nodes],
      () => cursor.set(edgeStart.subarray(split, nodes), split),
      log,
    );
  } else {
    groupPart(edges, edgeStart, cursor, 0, nodes);
  }
  const units = new Int32Array(ageDays.buffer, ageDays.byteOffset, kept);
  for (let i = 0; i < kept; i++) units[i] = unitsOf(kind[i], ageDays[i], c);
  return { actor: actor.subarray(0, kept), units, post: post.subarray(0, kept) };
}

/**
 * Aggregates edges into (actor, target) pairs with decayed, kind-weighted, saturated weights.
 * `consumeEdges`: the edges' columns are grouped in place and become the pairs' edge arrays
 * (input.edges is no longer the input afterwards): the run's peak memory holds the edges once.
 * The rest of the edges' memory (their target and kind columns, the rows past the kept ones, a
 * loader's spare room) then joins `arena`, and the pairs' weights and sources are taken from it
 * where they fit: the caller may take more from it (it is shared memory, or new shared memory).
 */
export function buildPairs(
  input: ModelInput,
  options: { threads?: number; consumeEdges?: boolean; arena?: Arena } = {},
  log?: ThreadLog,
): Pairs {
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
  const arena = options.arena ?? new Arena(true);
  let out: { actor: Int32Array; units: Int32Array; post: Int32Array };
  if (options.consumeEdges) {
    edgeStart[nodes] = kept;
    out = groupInPlace(edges, edgeStart, nodes, threads, log);
    const { actor, target, kind, ageDays, post } = edges;
    arena.addFreeOf(
      [actor, target, kind, ageDays, post].map((column) => column.buffer),
      [out.actor, out.units, out.post],
    );
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
  // The weights first: they need the most room.
  const weight = arena.float64(count);
  const src = arena.int32(count);
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
 * The pairs' sources again, from the grouped edges (each pair is a run of one actor within its
 * target's edges), as buildPairs wrote them: written over the first slots of `edgeActor` itself
 * (a pair's slot is never past its run's first edge), so they take no memory of their own. For a
 * run that gave the sources' memory to the engagement pass (which reads the actors).
 */
export function pairSourcesInPlace(edgeStart: Int32Array, edgeActor: Int32Array, nodes: number): Int32Array {
  let p = 0;
  for (let t = 0; t < nodes; t++) {
    let last = -1;
    for (let e = edgeStart[t], to = edgeStart[t + 1]; e < to; e++) {
      const actor = edgeActor[e];
      if (e === edgeStart[t] || actor !== last) edgeActor[p++] = actor;
      last = actor;
    }
  }
  return edgeActor.subarray(0, p);
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
