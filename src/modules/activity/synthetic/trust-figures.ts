import { computeScores, type InfluencerScores, type ModelInput, type ModelOptions, type ModelVersion } from '../../scoring/score-model';
import { syntheticEdges, syntheticModelInput } from './model-input';
import { generateNetwork, type AttackOptions, type SyntheticNetwork } from './network-generator';

/**
 * What gaming a score buys, measured on planted attacks (issue 11, item 6): the figures behind
 * `npm run bench -- trust` and test/unit/trust-figures.test.ts. Pure: no I/O.
 *
 * Lifts compare two runs of the same network and version: `base` (organic engagement plus the
 * population's buyers and popular non-members) and `attacked` (base plus every planted probe). An
 * attacked influencer's lift is its score in `attacked` minus its score in `base`; the probes touch
 * distinct influencers, so each lift is its own attack's.
 */

export const TRUST_TARGETS = {
  fakeLiftAtMost: 10,
  organicLiftAtLeast: 35,
  podGapAtLeast: 10,
  squatLiftAtMost: 0,
  oneInteractionAtMost: 15,
  spearmanAtLeast: 0.8,
  spearmanOverFollowersAtLeast: 0.1,
};

/** The planted shapes of the trust measurement, for a network of `influencers`. */
export function trustAttacks(influencers: number): AttackOptions {
  return {
    farmTargets: 15,
    organicTargets: 15,
    pods: 3,
    squats: 10,
    hubEvents: 20,
    singles: Math.min(500, Math.floor(influencers / 50)),
    buyerShare: 0.1,
  };
}

const FAMILIES = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7];

export interface TrustScenario {
  network: SyntheticNetwork;
  /** Organic and population interactions (planted.populationEnd): the network before any probe is played. */
  base: ModelInput;
  /** Base plus every probe; with the squatters' unproven claims ('claimed', as version 1 counts links) or without. */
  attacked: { claimed: ModelInput; verified: ModelInput };
  /** Organic interactions only: the population without the buyers' bought engagement. */
  clean: ModelInput;
  /** Influencers whose prediction is measured: all but the reserved (attacked) ones. */
  population: Int32Array;
  /** Hidden truth: distinct real engagers of each influencer in the 30 days after the window. */
  future: Int32Array;
  /** Hidden truth: distinct real engagers of each influencer in the window, what a perfect judge of accounts would count. */
  pastRealEngagers: Int32Array;
}

export function trustScenario(options: {
  influencers: number;
  interactions: number;
  seed: number;
  attacks?: AttackOptions;
}): TrustScenario {
  const network = generateNetwork({
    influencers: options.influencers,
    interactions: options.interactions,
    seed: options.seed,
    topics: FAMILIES.length,
    topicFamilies: FAMILIES,
    endMs: Date.UTC(2026, 0, 1),
    attacks: options.attacks ?? trustAttacks(options.influencers),
  });
  const edges = syntheticEdges(network);
  const planted = network.planted;
  const n = network.options.influencers;

  const pastRealEngagers = new Int32Array(n);
  const lastEngager = new Int32Array(n).fill(-1);
  // Organic interactions come actor by actor, so the last engager seen tells a new engager from a repeat.
  for (let e = 0; e < network.options.interactions; e++) {
    const actor = edges.actor[e];
    const target = edges.target[e];
    if (network.accounts.real[actor] && lastEngager[target] !== actor) {
      lastEngager[target] = actor;
      pastRealEngagers[target]++;
    }
  }
  const population: number[] = [];
  for (let i = 0; i < n; i++) if (!planted.reserved[i]) population.push(i);

  return {
    network,
    base: syntheticModelInput(network, { edges, edgeCount: planted.populationEnd }),
    attacked: {
      claimed: syntheticModelInput(network, { edges, links: 'claimed' }),
      verified: syntheticModelInput(network, { edges, links: 'verified' }),
    },
    clean: syntheticModelInput(network, { edges, edgeCount: network.options.interactions }),
    population: Int32Array.from(population),
    future: network.futureEngagers(30),
    pastRealEngagers,
  };
}

export interface TrustFigures {
  version: ModelVersion;
  /** Median score points bought by farmSize fresh fake accounts resharing a target once each. */
  fakeLift: number;
  /** Median score points given by organicSize established accounts resharing a target once each. */
  organicLift: number;
  /** Median score of a pod member, of a comparison influencer with as many real engagers, and the comparison's lead. */
  podMember: number;
  podComparison: number;
  podGap: number;
  /** Median score points a squatter gains by claiming a popular account it cannot prove it owns. */
  squatLift: number;
  /** Largest score change one interaction causes: over the hub events, over the random single interactions, both. */
  hubJump: number;
  singleJump: number;
  singleJumpMedian: number;
  oneInteraction: number;
  /** Spearman of the score (base run) with the distinct real engagers of the following 30 days, and of follower counts. */
  spearman: number;
  spearmanFollowers: number;
  /** The same without the buyers' bought engagement (bought followers kept). */
  spearmanClean: number;
  /** Median score points the buyers' bought engagement gives them (base run against the clean one). */
  buyerLift: number;
  /** Spearman of the window's distinct real engagers (hidden truth) with the following 30 days': a ceiling of sorts. */
  spearmanCeiling: number;
  seconds: number;
}

export function trustFigures(scenario: TrustScenario, version: ModelVersion, options: { threads?: number } = {}): TrustFigures {
  const started = performance.now();
  const modelOptions: ModelOptions = { ...options, version };
  const score = (input: ModelInput): InfluencerScores => computeScores(input, modelOptions).influencers;
  const base = score(scenario.base).score;
  const attacked = score(version === 1 ? scenario.attacked.claimed : scenario.attacked.verified).score;
  const clean = score(scenario.clean).score;
  const planted = scenario.network.planted;

  const change = (targets: ArrayLike<number>) => Array.from(targets, (t) => attacked[t] - base[t]);
  const at = (scores: Uint8Array, targets: ArrayLike<number>) => Array.from(targets, (t) => scores[t]);
  const largest = (values: number[]) => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const podMember = median(at(attacked, planted.podMembers));
  const podComparison = median(at(attacked, planted.podComparisons));
  const hubJump = largest(change(planted.hubEvents.target));
  const singleJumps = change(planted.singles.target);
  const population = scenario.population;
  const future = Array.from(population, (i) => scenario.future[i]);
  const spearmanFollowers = spearman(
    Array.from(population, (i) => scenario.base.influencers.followers[i]),
    future,
  );
  return {
    version,
    fakeLift: median(change(planted.farmTargets)),
    organicLift: median(change(planted.organicTargets)),
    podMember,
    podComparison,
    podGap: podComparison - podMember,
    squatLift: median(change(planted.squatters)),
    hubJump,
    singleJump: largest(singleJumps),
    singleJumpMedian: median(singleJumps.map(Math.abs)),
    oneInteraction: Math.max(hubJump, largest(singleJumps)),
    spearman: spearman(at(base, population), future),
    spearmanFollowers,
    spearmanClean: spearman(at(clean, population), future),
    buyerLift: median(Array.from(planted.buyers, (b) => base[b] - clean[b])),
    spearmanCeiling: spearman(
      Array.from(population, (i) => scenario.pastRealEngagers[i]),
      future,
    ),
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

export interface TrustLine {
  label: string;
  value: (f: TrustFigures) => number;
  target: string;
  pass: (f: TrustFigures) => boolean;
}

/** The judged lines, each with its target for version 2. */
export const TRUST_LINES: TrustLine[] = [
  {
    label: 'points bought by 50 fresh fake accounts',
    value: (f) => f.fakeLift,
    target: `<= ${TRUST_TARGETS.fakeLiftAtMost}`,
    pass: (f) => f.fakeLift <= TRUST_TARGETS.fakeLiftAtMost,
  },
  {
    label: 'points given by 50 established accounts',
    value: (f) => f.organicLift,
    target: `>= ${TRUST_TARGETS.organicLiftAtLeast}`,
    pass: (f) => f.organicLift >= TRUST_TARGETS.organicLiftAtLeast,
  },
  {
    label: 'pod member below real-engager comparison',
    value: (f) => f.podGap,
    target: `>= ${TRUST_TARGETS.podGapAtLeast}`,
    pass: (f) => f.podGap >= TRUST_TARGETS.podGapAtLeast,
  },
  {
    label: 'points a squatted handle adds',
    value: (f) => f.squatLift,
    target: `<= ${TRUST_TARGETS.squatLiftAtMost}`,
    pass: (f) => f.squatLift <= TRUST_TARGETS.squatLiftAtMost,
  },
  {
    label: 'largest jump from one interaction',
    value: (f) => f.oneInteraction,
    target: `<= ${TRUST_TARGETS.oneInteractionAtMost}`,
    pass: (f) => f.oneInteraction <= TRUST_TARGETS.oneInteractionAtMost,
  },
  {
    label: 'Spearman: score vs next 30 days',
    value: (f) => f.spearman,
    target: `>= ${TRUST_TARGETS.spearmanAtLeast}`,
    pass: (f) => f.spearman >= TRUST_TARGETS.spearmanAtLeast,
  },
  {
    label: 'Spearman: score minus followers',
    value: (f) => round3(f.spearman - f.spearmanFollowers),
    target: `>= ${TRUST_TARGETS.spearmanOverFollowersAtLeast}`,
    pass: (f) => f.spearman - f.spearmanFollowers >= TRUST_TARGETS.spearmanOverFollowersAtLeast,
  },
];

/** Figures shown beside the judged lines, not judged. */
export const TRUST_DETAILS: Array<{ label: string; value: (f: TrustFigures) => number }> = [
  { label: 'pod member score (median)', value: (f) => f.podMember },
  { label: 'comparison score (median)', value: (f) => f.podComparison },
  { label: 'largest jump, hub events', value: (f) => f.hubJump },
  { label: 'largest jump, random single', value: (f) => f.singleJump },
  { label: 'median jump, random single', value: (f) => f.singleJumpMedian },
  { label: 'Spearman: followers vs next 30 days', value: (f) => f.spearmanFollowers },
  { label: 'Spearman: score without bought eng.', value: (f) => f.spearmanClean },
  { label: 'points buyers get from bought eng.', value: (f) => f.buyerLift },
  { label: 'Spearman: true real engagers (ceiling)', value: (f) => f.spearmanCeiling },
];

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function median(values: number[]): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Spearman's rank correlation, ties given their average rank; rounded to 3 decimals. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new RangeError('spearman: lengths differ');
  const rx = averageRanks(x);
  const ry = averageRanks(y);
  const n = rx.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += rx[i];
    my += ry[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = rx[i] - mx;
    const dy = ry[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? round3(sxy / Math.sqrt(sxx * syy)) : 0;
}

function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  for (let from = 0; from < n;) {
    let to = from + 1;
    while (to < n && values[order[to]] === values[order[from]]) to++;
    const rank = (from + to + 1) / 2;
    for (let k = from; k < to; k++) ranks[order[k]] = rank;
    from = to;
  }
  return ranks;
}
