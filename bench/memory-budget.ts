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
  /** Model version (credibility's arrays are version 2's); 2 when absent. */
  version?: number;
}

/** Node's own memory (code, V8 heap, pg, buffers) besides the arrays: measured, about 90 MB. */
export const BASE_MB = 90;

/** Bytes per array, alive together at the peak. */
export function peakArrays(s: RunSizes): Array<{ name: string; bytes: number }> {
  const { influencers: i, nodes: n, interactions: e, pairs: p, posts: q, topicScores: t } = s;
  const arrays = [
    // The loader's five columns in one buffer (actor, post int32, age float32, target int32, kind uint8), grouped in
    // place into the pairs' edge arrays; the dead target and kind columns hold the pairs' weights (8 B a pair, where
    // they fit: up to 5 B a row and the loader's spare rows) and the per-node counts (10 B a node); then PageRank's
    // arena (its blocked pairs, out-weights, ranks).
    { name: 'interactions (17 B each; later pair weights, per-node counts, PageRank)', bytes: 17 * e },
    { name: "the version's prior: quality or evidence (float64 per node)", bytes: 8 * n },
    // author int32, inWindow, ageDays uint8, topicStart int32, topicIds uint16 (about 1.5 per post).
    { name: 'posts (~13 B each)', bytes: 13 * q },
    // ids (16 B uuid), ownedStart, ownedNodes int32, followers float64.
    { name: 'influencers (~32 B each)', bytes: 32 * i },
    { name: 'edgeStart, inStart (int32 per node)', bytes: 8 * n },
    // Once read by credibility and figures, their memory holds the engagement pass's 48 B per influencer.
    { name: "pairs' sources int32 (later the engagement pass's figures, 48 B an influencer)", bytes: Math.max(4 * p, 48 * i) },
    // outreach, activity, activeWeeks uint8, outreachRaw float64, engagedAccounts, engagedInteractions int32; topicStart.
    { name: 'per influencer: figures and topicStart (~23 B each)', bytes: 23 * i },
    // topicIds uint16, topicEngagement float64 for the slots written (the second thread's half twice until it moves down).
    { name: 'topic scores being written (~15 B each)', bytes: 15 * t },
  ];
  if (s.version !== 1) {
    arrays.push({ name: 'credibility (v2): mutual uint8 per pair; credibility float64, unknown uint8 per node', bytes: p + 9 * n });
  }
  return arrays;
}

/** The predicted peak RSS in MB. */
export function predictedPeakMb(s: RunSizes): number {
  return Math.round(BASE_MB + peakArrays(s).reduce((sum, a) => sum + a.bytes, 0) / 2 ** 20);
}
