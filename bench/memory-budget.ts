/**
 * The score run's memory budget (docs/operations.md, "A score run's memory"): the bytes of each
 * array alive at the run's peak (the end of the engagement pass, which lasts through PageRank:
 * PageRank's arrays live in memory already counted), from the run's sizes.
 */

export interface RunSizes {
  influencers: number;
  /** Actors (graph nodes). */
  nodes: number;
  interactions: number;
  pairs: number;
  /** Posts of the window and the window before it. */
  posts: number;
  topicScores: number;
}

/** Node's own memory (code, V8 heap, pg, buffers) besides the arrays: measured, about 90 MB. */
export const BASE_MB = 90;

/** Bytes per array, alive together at the peak. */
export function peakArrays(s: RunSizes): Array<{ name: string; bytes: number }> {
  const { influencers: i, nodes: n, interactions: e, pairs: p, posts: q, topicScores: t } = s;
  return [
    // The loader's five columns in one buffer (actor, target, post int32, age float32, kind uint8), grouped in
    // place into the pairs' edge arrays, then PageRank's arena (its blocked pairs, out-weights).
    { name: 'interactions (17 B each; later edge arrays and PageRank)', bytes: 17 * e },
    { name: 'quality, evidence (float64 per node)', bytes: 16 * n },
    // author int32, inWindow, ageDays uint8, topicStart int32, topicIds uint16 (about 1.5 per post).
    { name: 'posts (~13 B each)', bytes: 13 * q },
    // ids (16 B uuid), ownedStart, ownedNodes int32, followers float64.
    { name: 'influencers (~32 B each)', bytes: 32 * i },
    { name: 'edgeStart, inStart (int32 per node)', bytes: 8 * n },
    // PageRank's teleport, leak and ranks are carved out of the weights once the pairs are blocked.
    { name: 'pairs: src int32, weight float64', bytes: 12 * p },
    { name: 'credibility (v2): mutual uint8 per pair; credibility float64, received float32, unknown uint8 per node', bytes: p + 13 * n },
    { name: 'distinctTargets int32, targetsSeen uint16, postsInWindow int32 (per node)', bytes: 10 * n },
    // 8 float64 (components, raw figures, audience quality, confidence) and credible reach, 5 int32, uint8 score; figures 22 B.
    { name: 'per influencer: scores and figures (~122 B each)', bytes: 122 * i },
    // topicIds uint16, topicScores uint8, topicEngagement float64, and their trimmed copies.
    { name: 'topic scores (22 B each)', bytes: 22 * t },
  ];
}

/** The predicted peak RSS in MB. */
export function predictedPeakMb(s: RunSizes): number {
  return Math.round(BASE_MB + peakArrays(s).reduce((sum, a) => sum + a.bytes, 0) / 2 ** 20);
}
