/**
 * Engager credibility (model version 2): how much one account's engagement counts, in [0, 1].
 *
 *   credibility = 1 - (1 - evidence) · e^(-received / trustScale)
 *
 * `evidence` comes from the account's connector snapshot (evidenceQuality; a low constant when no
 * connector described it). `received` is trust earned in the graph, TrustRank style: only accounts
 * with evidence seed trust, each passes on a damped share of what it holds along its pairs (split
 * by pair weight, a mutual pair passing on mutualFactor of its share), for a few rounds only (a
 * short walk). Trust is conserved as it flows, so a farm, ring or pod that nobody credible engages
 * holds no more than its own evidence seeded, however dense it is.
 */

import { Arena } from './arena';
import { CREDIBILITY } from './formulas';
import { mutualPart, trustPart, type Pairs } from './kernels';
import { inHalves, type ThreadLog } from './threads';

export interface Credibility {
  /** Per node, in [0, 1]; shared memory when threads > 1. */
  credibility: Float64Array;
  /** Per pair: 1 when its target also engages its actor. */
  mutual: Uint8Array;
  /** Per node: 1 when no connector described it (no evidence). */
  unknown: Uint8Array;
}

/** The first target of the second half: the targets that hold about half of the pairs. */
function halfTarget(nodes: number, pairs: Pairs): number {
  let split = 0;
  while (split < nodes - 1 && pairs.inStart[split] < pairs.count / 2) split++;
  return split;
}

/**
 * `arena`: where the rounds' per-node arrays go (they are given back to it at the end); new memory
 * by default.
 */
export function credibilityOf(
  nodes: number,
  pairs: Pairs,
  evidence: Float64Array,
  threads: number,
  log?: ThreadLog,
  arena = new Arena(threads > 1),
): Credibility {
  const { count, inStart, src, weight } = pairs;
  const memory = (bytes: number) => (threads > 1 ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const mutual = new Uint8Array(memory(count));
  const split = halfTarget(nodes, pairs);
  if (threads > 1 && nodes > 1) {
    inHalves(mutualPart, [], [inStart, src, mutual, 0, split], [inStart, src, mutual, split, nodes], undefined, log);
  } else {
    mutualPart(inStart, src, mutual, 0, nodes);
  }

  const outWeight = arena.float64(nodes).fill(0);
  for (let p = 0; p < count; p++) outWeight[src[p]] += weight[p];
  // Single precision is plenty for trust, and halves these arrays' memory.
  const given = arena.float32(nodes);
  let received = arena.float32(nodes).fill(0);
  let next = arena.float32(nodes);
  const { trustRounds, trustDamping, mutualFactor } = CREDIBILITY;
  for (let round = 0; round < trustRounds; round++) {
    for (let n = 0; n < nodes; n++) {
      const seed = evidence[n] > 0 ? evidence[n] : 0;
      given[n] = outWeight[n] > 0 ? (trustDamping * (seed + received[n])) / outWeight[n] : 0;
    }
    if (threads > 1 && nodes > 1) {
      const args = (from: number, to: number) => [inStart, src, weight, mutual, mutualFactor, given, next, from, to];
      inHalves(trustPart, [], args(0, split), args(split, nodes), undefined, log);
    } else {
      trustPart(inStart, src, weight, mutual, mutualFactor, given, next, 0, nodes);
    }
    [received, next] = [next, received];
  }

  const credibility = new Float64Array(memory(8 * nodes));
  for (let n = 0; n < nodes; n++) {
    const e = evidence[n] >= 0 ? evidence[n] : CREDIBILITY.unknownEvidence;
    credibility[n] = 1 - (1 - e) * Math.exp(-received[n] / CREDIBILITY.trustScale);
  }
  const unknown = new Uint8Array(memory(nodes));
  for (let n = 0; n < nodes; n++) unknown[n] = evidence[n] >= 0 ? 0 : 1;
  arena.free(outWeight).free(given).free(received).free(next);
  return { credibility, mutual, unknown };
}
