import { computeScores, PARAMS } from '../../src/modules/scoring/score-model';
import {
  spearman,
  TRUST_TARGETS,
  trustFigures,
  trustScenario,
  type TrustFigures,
} from '../../src/modules/activity/synthetic/trust-figures';

// The bench (`npm run bench -- trust`) measures the same on 100,000 influencers; this is its small
// twin, planted the same way.
const scenario = trustScenario({ influencers: 5000, interactions: 200_000, seed: 5 });
const planted = scenario.network.planted;

describe('spearman', () => {
  it('ranks with ties at their average rank', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBe(1);
    expect(spearman([1, 2, 3, 4], [40, 30, 20, 10])).toBe(-1);
    expect(spearman([1, 1, 2, 3], [1, 2, 3, 4])).toBe(0.949);
    expect(spearman([5, 5, 5], [1, 2, 3])).toBe(0);
  });
});

describe('the trust scenario', () => {
  it('measures every attack from the floor: attacked influencers have no engagement before the attack', () => {
    const base = computeScores(scenario.base, { version: 1 }).influencers.score;
    const attacked = [...planted.farmTargets, ...planted.organicTargets, ...planted.squatters];
    expect(attacked.map((i) => base[i])).toEqual(attacked.map(() => PARAMS.floor));
  });

  it('can be passed: counting exactly the real engagers would meet the prediction targets', () => {
    const ceiling = spearman(
      Array.from(scenario.population, (i) => scenario.pastRealEngagers[i]),
      Array.from(scenario.population, (i) => scenario.future[i]),
    );
    const followers = spearman(
      Array.from(scenario.population, (i) => scenario.base.influencers.followers[i]),
      Array.from(scenario.population, (i) => scenario.future[i]),
    );
    expect(ceiling).toBeGreaterThanOrEqual(TRUST_TARGETS.spearmanAtLeast);
    expect(ceiling - followers).toBeGreaterThanOrEqual(TRUST_TARGETS.spearmanOverFollowersAtLeast);
  });
});

describe('version 1 can be gamed (what version 2 must fix)', () => {
  let v1: TrustFigures;
  beforeAll(() => {
    v1 = trustFigures(scenario, 1);
  });

  it('sells 50 fresh fake accounts nearly the points 50 established accounts give', () => {
    expect(v1.organicLift).toBeGreaterThanOrEqual(TRUST_TARGETS.organicLiftAtLeast);
    expect(v1.fakeLift).toBeGreaterThan(TRUST_TARGETS.fakeLiftAtMost);
    expect(v1.organicLift - v1.fakeLift).toBeLessThan(10);
  });

  it('ranks a pod member within 10 points of an influencer with as many real engagers', () => {
    expect(v1.podGap).toBeLessThan(TRUST_TARGETS.podGapAtLeast);
  });

  it('hands a squatter the score of the popular account it claimed and cannot prove it owns', () => {
    expect(v1.squatLift).toBeGreaterThan(30);
  });

  it('lets one reshare by a top account move a score by more than 15 points', () => {
    expect(v1.oneInteraction).toBeGreaterThan(TRUST_TARGETS.oneInteractionAtMost);
  });

  it('predicts the following 30 days below the target, and worse for the bought engagement', () => {
    expect(v1.spearman).toBeLessThan(TRUST_TARGETS.spearmanAtLeast);
    expect(v1.spearmanClean).toBeGreaterThan(v1.spearman + 0.05);
    expect(v1.buyerLift).toBeGreaterThan(3);
  });
});

describe('version 2 meets the targets', () => {
  let v2: TrustFigures;
  beforeAll(() => {
    v2 = trustFigures(scenario, 2);
  });

  it('lets 50 fresh fake accounts buy at most 10 points while 50 established accounts give at least 35', () => {
    expect(v2.fakeLift).toBeLessThanOrEqual(TRUST_TARGETS.fakeLiftAtMost);
    expect(v2.organicLift).toBeGreaterThanOrEqual(TRUST_TARGETS.organicLiftAtLeast);
  });

  it('ranks a pod member at least 10 points below an influencer with as many real engagers', () => {
    expect(v2.podGap).toBeGreaterThanOrEqual(TRUST_TARGETS.podGapAtLeast);
  });

  it('adds nothing for a squatted handle', () => {
    expect(v2.squatLift).toBeLessThanOrEqual(TRUST_TARGETS.squatLiftAtMost);
  });

  it('lets one interaction move a score by at most 15 points', () => {
    expect(v2.oneInteraction).toBeLessThanOrEqual(TRUST_TARGETS.oneInteractionAtMost);
  });

  it('predicts the following 30 days: Spearman at least 0.8, and at least 0.1 above follower counts', () => {
    expect(v2.spearman).toBeGreaterThanOrEqual(TRUST_TARGETS.spearmanAtLeast);
    expect(v2.spearman - v2.spearmanFollowers).toBeGreaterThanOrEqual(TRUST_TARGETS.spearmanOverFollowersAtLeast);
  });
});
