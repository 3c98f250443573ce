import { computeScores, CREDIBILITY, evidenceQuality, type ModelVersion } from '../../src/modules/scoring/score-model';
import { ESTABLISHED, modelInput, NO_EVIDENCE, random, type Edge, type GraphSpec } from '../helpers/model-input';

/** What a connector sees of an account made days ago for the purpose: no followers, no posts. */
const FRESH = evidenceQuality({ followers: 0, following: 40, posts: 0, accountAgeDays: 3, verified: false });

/**
 * A small world: 60 background influencers engaged by 600 real accounts (with evidence) and 300
 * accounts no connector described, plus one target per attack. With `attacks`, the attacks are
 * played; without, the same targets stand as they were before them. Influencer indexes are in `at`.
 */
function world(attacks: boolean): { spec: GraphSpec; at: Record<string, number> } {
  const next = random(7);
  const edges: Edge[] = [];
  const evidence: Record<number, number> = {};
  const influencers: number[] = [];
  const at: Record<string, number> = {};
  let nodes = 0;
  const node = (e?: number) => {
    if (e !== undefined) evidence[nodes] = e;
    return nodes++;
  };
  const influencer = (name?: string) => {
    if (name) at[name] = influencers.length;
    const n = node();
    influencers.push(n);
    return n;
  };
  const background = Array.from({ length: 60 }, () => influencer());
  const real = Array.from({ length: 600 }, () => node(0.5 + 0.5 * next()));
  const unknown = Array.from({ length: 300 }, () => node(NO_EVIDENCE));
  for (const actor of [...real, ...unknown]) {
    for (let k = 1 + Math.floor(next() * 8); k > 0; k--) {
      const target = background[Math.floor(next() ** 2 * background.length)];
      edges.push({ actor, target, kind: 1 + Math.floor(next() * 4), ageDays: next() * 89 });
    }
  }
  const reshares = (actors: number[], target: number, ageDays = 2) => actors.forEach((actor) => edges.push({ actor, target, ageDays }));
  const some = (n: number) => Array.from({ length: n }, () => real[Math.floor(next() * real.length)]);

  const fake = influencer('fake'); // 3 real engagers, then 50 fresh accounts
  const organic = influencer('organic'); // 3 real engagers, then 50 established accounts
  const fakeFromFloor = influencer('fakeFromFloor');
  const unknownFromFloor = influencer('unknownFromFloor'); // 50 accounts no connector described
  const organicFromFloor = influencer('organicFromFloor');
  const hubEvent = influencer('hubEvent'); // 5 real engagers, then one reshare by the top background influencer
  const podComparison = influencer('podComparison'); // 20 real outside engagers
  const pod = Array.from({ length: 20 }, (_, i) => influencer(i === 0 ? 'podMember' : undefined));
  reshares(some(3), fake, 30);
  reshares(some(3), organic, 30);
  reshares(some(5), hubEvent, 30);
  reshares(some(20), podComparison, 5);
  // The pod: every member reshares every other member every third day.
  for (const actor of pod)
    for (const target of pod) for (let d = 0; d < 90 && actor !== target; d += 3) edges.push({ actor, target, ageDays: d });
  const accounts = (n: number, e: number) => Array.from({ length: n }, () => node(e));
  if (attacks) {
    reshares(accounts(50, FRESH), fake);
    reshares(accounts(50, ESTABLISHED), organic);
    reshares(accounts(50, FRESH), fakeFromFloor);
    reshares(accounts(50, NO_EVIDENCE), unknownFromFloor);
    reshares(accounts(50, ESTABLISHED), organicFromFloor);
    reshares([background[0]], hubEvent, 1);
  } else {
    accounts(250, NO_EVIDENCE); // the same node count, so that ranks are comparable
  }
  return { spec: { nodes, edges, evidence, influencers: influencers.map((n) => [n]) }, at };
}

function play(version: ModelVersion) {
  const before = world(false);
  const after = world(true);
  const [b, a] = [before, after].map((w) => computeScores(modelInput(w.spec), { version }).influencers);
  const at = after.at;
  const lift = (name: string) => a.score[at[name]] - b.score[at[name]];
  return { before: b, after: a, at, lift };
}

describe('score model version 2: attacks played on a small world', () => {
  const v1 = play(1);
  const v2 = play(2);

  it('gives 50 fresh fake accounts at most 10 points, and 50 established engagers at least 35', () => {
    expect(v2.lift('fake')).toBeLessThanOrEqual(10);
    expect(v2.lift('fakeFromFloor')).toBeLessThanOrEqual(10);
    expect(v2.lift('unknownFromFloor')).toBeLessThanOrEqual(10);
    expect(v2.lift('organicFromFloor')).toBeGreaterThanOrEqual(35);
    expect(v2.lift('organic')).toBeGreaterThanOrEqual(25);
    // Version 1 sold the same points to the fakes as to the real engagers.
    expect(v1.lift('fakeFromFloor')).toBeGreaterThan(35);
    expect(v1.lift('fakeFromFloor')).toBeGreaterThan(v1.lift('organicFromFloor') - 10);
  });

  it('puts a pod member at least 10 points below an influencer with as many real outside engagers', () => {
    const { after, at } = v2;
    expect(after.score[at.podComparison] - after.score[at.podMember]).toBeGreaterThanOrEqual(10);
    expect(v1.after.score[at.podComparison] - v1.after.score[at.podMember]).toBeLessThan(10);
  });

  it('lets one reshare by the top account move a score by at most 15 points, about a third of what version 1 allowed', () => {
    expect(v2.lift('hubEvent')).toBeLessThanOrEqual(15);
    expect(v2.lift('hubEvent')).toBeLessThan(v1.lift('hubEvent'));
  });

  it('shows the credible share of the engagement as audience quality', () => {
    const { after, at } = v2;
    expect(after.audienceQuality[at.organicFromFloor]).toBeGreaterThan(0.8);
    expect(after.audienceQuality[at.fakeFromFloor]).toBeLessThan(0.1);
    expect(after.audienceQuality[at.podMember]).toBeLessThan(0.3);
    expect(after.credibleEngagers[at.organicFromFloor]).toBe(50);
    expect(after.credibleEngagers[at.fakeFromFloor]).toBe(0);
    expect(Array.from(v1.after.audienceQuality.slice(0, 60))).toEqual(new Array(60).fill(1));
  });

  it('keeps the background in its place: real engagement still ranks the influencers it ranked', () => {
    let agree = 0;
    const { after: a1 } = v1;
    const { after: a2 } = v2;
    for (let i = 0; i < 60; i++)
      for (let j = 0; j < i; j++) if (Math.sign(a1.score[i] - a1.score[j]) === Math.sign(a2.score[i] - a2.score[j])) agree++;
    expect(agree / ((60 * 59) / 2)).toBeGreaterThan(0.7);
  });
});

describe('engager credibility', () => {
  /** Node 0 is engaged by nodes 1-n; returns the model's credibility of every node. */
  const credibility = (spec: GraphSpec) => computeScores(modelInput(spec), { version: 2 }).credibility;

  it('comes from account evidence: a days-old account with no followers and no posts is near 0, an established one near 1', () => {
    expect(FRESH).toBeLessThan(0.01);
    expect(evidenceQuality({ followers: 800, following: 300, posts: 400, accountAgeDays: 1_500, verified: false })).toBeGreaterThan(0.85);
    expect(evidenceQuality({ followers: 100, following: 7_500, posts: 400, accountAgeDays: 1_500, verified: false })).toBeLessThan(0.1);
    expect(evidenceQuality({ followers: 0, following: 0, posts: 0, accountAgeDays: 1, verified: true })).toBe(CREDIBILITY.verifiedEvidence);
  });

  it('starts low without evidence, and is earned from credible accounts that engage it', () => {
    // Node 1 has no evidence and nobody engages it; node 2 has none either, but 10 established accounts engage it.
    const edges: Edge[] = [
      { actor: 1, target: 0 },
      { actor: 2, target: 0 },
      ...Array.from({ length: 10 }, (_, i) => ({ actor: 10 + i, target: 2 })),
    ];
    const c = credibility({ nodes: 20, edges, evidence: { 1: NO_EVIDENCE, 2: NO_EVIDENCE } });
    expect(c[1]).toBeCloseTo(CREDIBILITY.unknownEvidence, 12);
    expect(c[2]).toBeGreaterThan(0.5);
  });

  it('stays low in a ring of fresh accounts that engage only each other, however dense', () => {
    const ring = 200;
    const edges: Edge[] = [];
    for (let a = 0; a < ring; a++) for (let k = 1; k <= 20; k++) edges.push({ actor: a, target: (a + k) % ring });
    const c = credibility({ nodes: ring, edges, defaultEvidence: FRESH });
    expect(Math.max(...c)).toBeLessThan(0.1);
  });

  it('counts a pair whose target engages the actor back at mutualFactor', () => {
    const one = computeScores(modelInput({ nodes: 3, edges: [{ actor: 1, target: 0 }] }), { version: 2 }).influencers;
    const both = computeScores(
      modelInput({
        nodes: 3,
        edges: [
          { actor: 1, target: 0 },
          { actor: 0, target: 1 },
        ],
      }),
      { version: 2 },
    ).influencers;
    expect(both.reachRaw[0] / one.reachRaw[0]).toBeCloseTo(CREDIBILITY.mutualFactor, 1);
  });
});
