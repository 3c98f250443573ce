/**
 * The influence score model: pure functions over typed arrays, no I/O. docs/scoring.md explains
 * every formula and constant; keep the two in step. Split by concern under model/:
 *
 *   types.ts        the input and output arrays
 *   formulas.ts     PARAMS, CREDIBILITY and the formulas they feed (what the docs describe)
 *   kernels.ts      the hot loops, self-contained so that a worker thread can run them
 *   threads.ts      running kernels on two threads, and a log of what ran where
 *   pairs.ts        interactions -> (actor, target) pairs
 *   credibility.ts  engager credibility (version 2)
 *   pagerank.ts     weighted PageRank
 *   figures.ts      outreach and activity, beside the score (never feeding it)
 *   compute.ts      computeScores: the order of it all
 */

export { computeScores } from './model/compute';
export { credibilityOf } from './model/credibility';
export { activityRaw, activityScores, FIGURES, outreachBreadth, outreachLevel, weeksOf } from './model/figures';
export {
  accountQuality,
  clampScore,
  componentScore,
  CREDIBILITY,
  evidenceQuality,
  interactionUnits,
  interactionWeight,
  MODEL_VERSION,
  NO_EVIDENCE,
  pairWeight,
  PARAMS,
  selectivity,
  weightsOf,
  type AccountEvidence,
  type AccountSnapshot,
} from './model/formulas';
export { buildPairs, type Pairs } from './model/pairs';
export { pageRank } from './model/pagerank';
export { inHalves, onWorker, ThreadLog } from './model/threads';
export type { InfluencerScores, ModelInput, ModelOptions, ModelResult, ModelVersion } from './model/types';
