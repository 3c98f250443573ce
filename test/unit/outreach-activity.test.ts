import {
  activityRaw,
  activityScores,
  computeScores,
  FIGURES,
  outreachBreadth,
  outreachLevel,
  PARAMS,
  weeksOf,
} from '../../src/modules/scoring/score-model';
import { modelInput, randomGraph, type Edge } from '../helpers/model-input';

describe('outreach level', () => {
  it('is 1 without engagement of others, 2-10 with some, and never falls as the raw figure grows', () => {
    expect(outreachLevel(0)).toBe(1);
    expect(outreachLevel(1e-9)).toBe(2);
    let last = 1;
    for (let raw = 0.001; raw < 1e6; raw *= 1.07) {
      const level = outreachLevel(raw);
      expect(level).toBeGreaterThanOrEqual(last);
      expect(level).toBeGreaterThanOrEqual(2);
      expect(level).toBeLessThanOrEqual(10);
      last = level;
    }
    expect(last).toBe(10);
    // One level per doubling from `unit` on: 2 at unit, 10 at 2^8 · unit.
    expect(outreachLevel(FIGURES.outreach.unit)).toBe(2);
    expect(outreachLevel(FIGURES.outreach.unit * 2 ** 7)).toBe(9);
    expect(outreachLevel(FIGURES.outreach.unit * 2 ** 8 - 1e-6)).toBe(9);
    expect(outreachLevel(FIGURES.outreach.unit * 2 ** 8)).toBe(10);
  });

  it('counts breadth in full up to breadthCap accounts, then as the average pair', () => {
    expect(outreachBreadth(FIGURES.outreach.breadthCap)).toBe(1);
    expect(outreachBreadth(FIGURES.outreach.breadthCap * 10)).toBeCloseTo(0.1);
  });
});

describe('activity', () => {
  it('maps raw activity to 1-100 by rank among those who posted: 1 for none, 100 for the most, ties alike', () => {
    const scores = activityScores(Float64Array.from([0, 0.5, 2, 2, 1, 0, 3]));
    expect(Array.from(scores)).toEqual([
      1,
      1 + Math.round(99 / 5),
      1 + Math.round((99 * 4) / 5),
      1 + Math.round((99 * 4) / 5),
      1 + Math.round((99 * 2) / 5),
      1,
      100,
    ]);
    expect(Array.from(activityScores(new Float64Array(3)))).toEqual([1, 1, 1]);
    expect(Array.from(activityScores(Float64Array.from([0, 0.1])))).toEqual([1, 100]);
  });

  it('rises with volume (log-scaled) and with regularity', () => {
    const weeks = weeksOf(PARAMS.windowDays);
    expect(weeks).toBe(13);
    expect(activityRaw(0, 0, weeks)).toBe(0);
    expect(activityRaw(20, 5, weeks)).toBeGreaterThan(activityRaw(10, 5, weeks));
    expect(activityRaw(10, 6, weeks)).toBeGreaterThan(activityRaw(10, 5, weeks));
    // Thirteen posts, one a week, beat ninety in a single week.
    expect(activityRaw(13, 13, weeks)).toBeGreaterThan(activityRaw(90, 1, weeks));
  });
});

/** Influencer 0 (node 0) engages `targets` accounts, each with `reshares` reshares. */
function engaging(targets: number, reshares: number, firstTarget = 10): Edge[] {
  const edges: Edge[] = [];
  for (let t = 0; t < targets; t++) {
    for (let r = 0; r < reshares; r++) edges.push({ actor: 0, target: firstTarget + t, kind: 1, ageDays: 1 + r });
  }
  return edges;
}

function figuresOf(edges: Edge[], nodes: number, posts: Array<{ author: number; ageDays: number; inWindow?: boolean }> = []) {
  const result = computeScores(modelInput({ nodes, edges, posts, influencers: [[0], [1], [2]] }), { threads: 1 });
  return result.influencers;
}

describe('outreach and activity in a run', () => {
  it('measures how much and how widely an influencer engages others, self-interactions aside', () => {
    const few = figuresOf(engaging(5, 1), 200);
    const more = figuresOf(engaging(40, 1), 200);
    const deeper = figuresOf(engaging(40, 4), 200);
    expect(few.engagedAccounts[0]).toBe(5);
    expect(few.engagedInteractions[0]).toBe(5);
    expect(deeper.engagedAccounts[0]).toBe(40);
    expect(deeper.engagedInteractions[0]).toBe(160);
    expect(more.outreach[0]).toBeGreaterThan(few.outreach[0]);
    expect(deeper.outreach[0]).toBeGreaterThan(more.outreach[0]);
    // Influencer 1 engages nobody: level 1; and a self-interaction is not outreach.
    expect(few.outreach[1]).toBe(1);
    const self = figuresOf([{ actor: 1, target: 1 }, ...engaging(5, 1)], 200);
    expect(self.outreach[1]).toBe(1);
    expect(self.engagedInteractions[1]).toBe(0);
  });

  it('does not reward engaging thousands of accounts indiscriminately', () => {
    const cap = FIGURES.outreach.breadthCap;
    // 150 accounts, each reshared three times, against 5,000 accounts reshared once or three times.
    const selective = figuresOf(engaging(cap, 3), 6_000);
    const sprayOnce = figuresOf(engaging(5_000, 1), 6_000);
    const sprayThrice = figuresOf(engaging(5_000, 3), 6_000);
    expect(sprayOnce.outreach[0]).toBeLessThan(selective.outreach[0]);
    // As deep as the selective influencer, on 33 times as many accounts: no more than them.
    expect(sprayThrice.outreachRaw[0]).toBeCloseTo(selective.outreachRaw[0], 6);
    expect(sprayThrice.outreach[0]).toBe(selective.outreach[0]);
    expect(selective.outreach[0]).toBeLessThanOrEqual(10);
  });

  it('ranks a regular poster above a burst of more posts in one week, and no posts at 1', () => {
    const regular = Array.from({ length: 13 }, (_, w) => ({ author: 0, ageDays: 7 * w }));
    const burst = Array.from({ length: 60 }, () => ({ author: 1, ageDays: 3 }));
    const old = Array.from({ length: 60 }, () => ({ author: 2, ageDays: 0, inWindow: false }));
    const s = figuresOf([], 20, [...regular, ...burst, ...old]);
    expect(Array.from(s.activeWeeks)).toEqual([13, 1, 0]);
    expect(s.activity[0]).toBe(100);
    expect(s.activity[1]).toBeGreaterThan(1);
    expect(s.activity[1]).toBeLessThan(s.activity[0]);
    expect(s.activity[2]).toBe(1);
  });

  it('leaves every score figure the same, bit for bit, whether or not they are computed', () => {
    // An array's own bytes: the run lays several arrays out in one buffer.
    const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    for (const seed of [1, 2, 3]) {
      const input = modelInput(randomGraph(300, 4_000, seed));
      const withFigures = computeScores(input, { threads: 1 });
      const without = computeScores(input, { threads: 1, figures: false });
      for (const key of [
        'score',
        'reach',
        'amplification',
        'authority',
        'reachRaw',
        'amplificationRaw',
        'authorityRaw',
        'engagers',
        'audienceQuality',
        'confidence',
        'topicIds',
        'topicScores',
        'topicEngagement',
      ] as const) {
        expect(bytesOf(withFigures.influencers[key])).toEqual(bytesOf(without.influencers[key]));
      }
      expect(bytesOf(withFigures.nodeRank)).toEqual(bytesOf(without.nodeRank));
      expect(withFigures.influencers.outreach.some((level) => level > 1)).toBe(true);
    }
  });
});
