import {
  accountQuality,
  CREDIBILITY,
  buildPairs,
  componentScore,
  computeScores,
  interactionUnits,
  interactionWeight,
  pageRank,
  PARAMS,
  selectivity,
  MODEL_VERSION,
  NO_EVIDENCE,
  type ModelInput,
  type ModelVersion,
} from '../../src/modules/scoring/score-model';
import { modelInput, random, randomGraph, type Edge, type GraphSpec } from '../helpers/model-input';
import { sharedEdges } from '../../src/modules/scoring/model/threads';
import { pairSourcesInPlace } from '../../src/modules/scoring/model/pairs';

const RESHARE = 1;
const LIKE = 4;

let version: ModelVersion = MODEL_VERSION;

function scoresOf(spec: GraphSpec) {
  return computeScores(modelInput(spec), { version }).influencers;
}

/** n distinct actors starting at node `from`, each acting once on `target`. */
function fans(from: number, n: number, target: number, kind = RESHARE): Edge[] {
  return Array.from({ length: n }, (_, i) => ({ actor: from + i, target, kind }));
}

describe('score model: building blocks', () => {
  it('maps components so that the reference is 40 and each tenfold adds 20, within 1-100', () => {
    expect(componentScore(10, 10)).toBe(40);
    expect(componentScore(100, 10)).toBe(60);
    expect(componentScore(1, 10)).toBe(20);
    expect(componentScore(1e9, 10)).toBe(100);
    expect(componentScore(1e-9, 10)).toBe(1);
    expect(componentScore(0, 10)).toBe(1);
  });

  it('weighs kinds RESHARE > REPLY ~ MENTION > LIKE and halves weight every 30 days', () => {
    const [reshare, reply, mention, like] = [1, 2, 3, 4].map((k) => interactionWeight(k, 0));
    expect(reshare).toBeGreaterThan(reply);
    expect(Math.abs(reply - mention)).toBeLessThan(0.2);
    expect(mention).toBeGreaterThan(like);
    expect(interactionWeight(RESHARE, 30)).toBeCloseTo(reshare / 2, 10);
    expect(interactionWeight(RESHARE, 60)).toBeCloseTo(reshare / 4, 10);
  });

  it('gives young and follow-spam accounts less teleport weight, verified accounts more', () => {
    const normal = accountQuality({ followers: 5_000, following: 400, accountAgeDays: 900, verified: false });
    expect(normal).toBe(1);
    expect(accountQuality({ followers: 5_000, following: 400, accountAgeDays: 10, verified: false })).toBeLessThan(0.25);
    expect(accountQuality({ followers: 100, following: 7_500, accountAgeDays: 900, verified: false })).toBeLessThan(0.1);
    expect(accountQuality({ followers: 5_000, following: 400, accountAgeDays: 900, verified: true })).toBe(1.5);
  });

  it('discounts engagers who spread over many targets', () => {
    expect(selectivity(1)).toBe(1);
    expect(selectivity(PARAMS.selectivityTargets)).toBe(1);
    expect(selectivity(PARAMS.selectivityTargets * 100)).toBeCloseTo(0.1, 10);
  });

  it('computes a PageRank that sums to 1 and favours the node everyone points to', () => {
    const spec = { nodes: 5, edges: [...fans(1, 4, 0), { actor: 0, target: 1 }] };
    const input = modelInput(spec);
    const { rank } = pageRank(input.nodes, buildPairs(input), input.quality);
    expect(rank.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(Math.max(...rank)).toBe(rank[0]);
    expect(rank[1]).toBeGreaterThan(rank[2]);
  });
});

describe.each([1, 2] as const)('score model version %i: the product rules', (v) => {
  beforeAll(() => (version = v));
  afterAll(() => (version = MODEL_VERSION));

  it('is deterministic: the same rows in any order give identical results', () => {
    const spec = randomGraph(400, 6_000, 42);
    const first = computeScores(modelInput(spec), { version });
    const again = computeScores(modelInput(spec), { version });
    const shuffled = { ...spec, edges: [...spec.edges].reverse() };
    const reordered = computeScores(modelInput(shuffled), { version });
    expect(again.influencers).toEqual(first.influencers);
    expect(Array.from(reordered.influencers.score)).toEqual(Array.from(first.influencers.score));
    expect(Array.from(reordered.influencers.topicScores)).toEqual(Array.from(first.influencers.topicScores));
    expect(Array.from(reordered.nodeRank)).toEqual(Array.from(first.nodeRank));
  });

  it('keeps every score within 10-100 and gives exactly the floor without signal', () => {
    const spec = randomGraph(300, 4_000, 7);
    const scores = scoresOf({ ...spec, nodes: 320 });
    for (let i = 0; i < 320; i++) {
      expect(scores.score[i]).toBeGreaterThanOrEqual(PARAMS.floor);
      expect(scores.score[i]).toBeLessThanOrEqual(100);
      for (const c of [scores.reach[i], scores.amplification[i], scores.authority[i]]) {
        expect(c).toBeGreaterThanOrEqual(1);
        expect(c).toBeLessThanOrEqual(100);
      }
    }
    // Nodes 300-319 have no interactions at all.
    expect(Array.from(scores.score.slice(300))).toEqual(new Array(20).fill(PARAMS.floor));
    expect(new Set(Array.from(scores.score)).size).toBeGreaterThan(10);
  });

  it('values a reshare by a high-authority account above one by a low-authority account', () => {
    // Node 0 is a hub reshared by 40 accounts; node 1 is nobody. Node 0 reshares 2, node 1 reshares 3.
    const scores = scoresOf({ nodes: 50, edges: [...fans(10, 40, 0), { actor: 0, target: 2 }, { actor: 1, target: 3 }] });
    expect(scores.authority[2]).toBeGreaterThan(scores.authority[3]);
    expect(scores.score[2]).toBeGreaterThan(scores.score[3]);
    // One engager each; under version 2 the hub, whom 40 accounts engage, is also the more credible.
    if (v === 1) expect(scores.reach[2]).toBe(scores.reach[3]);
    else expect(scores.reach[2]).toBeGreaterThan(scores.reach[3]);
  });

  it('counts 30 reshares from 30 accounts above 1,000 reshares from one', () => {
    const many = Array.from({ length: 1_000 }, () => ({ actor: 2, target: 0 }));
    const scores = scoresOf({ nodes: 40, edges: [...many, ...fans(10, 30, 1)] });
    expect(scores.score[1]).toBeGreaterThan(scores.score[0]);
    expect(scores.reach[1]).toBeGreaterThan(scores.reach[0]);
    expect(scores.amplification[1]).toBeGreaterThan(scores.amplification[0]);
  });

  it('counts 100 reshares of 10 posts above 100 reshares spread over 1,000 posts', () => {
    const posts = [...Array.from({ length: 10 }, () => ({ author: 0 })), ...Array.from({ length: 1_000 }, () => ({ author: 1 }))];
    const edges: Edge[] = [
      ...Array.from({ length: 100 }, (_, i) => ({ actor: 10 + i, target: 0, post: i % 10 })),
      ...Array.from({ length: 100 }, (_, i) => ({ actor: 10 + i, target: 1, post: 10 + i * 10 })),
    ];
    const scores = scoresOf({ nodes: 110, edges, posts });
    expect(scores.amplification[0]).toBeGreaterThan(scores.amplification[1]);
    expect(scores.reach[0]).toBe(scores.reach[1]);
  });

  it('discounts reactions from an account that reacts to everything', () => {
    // Node 5 likes 500 accounts (including 0); node 6 likes only node 1.
    const edges = [
      ...Array.from({ length: 500 }, (_, i) => ({ actor: 5, target: i === 0 ? 0 : 10 + i, kind: LIKE })),
      { actor: 6, target: 1, kind: LIKE },
    ];
    const scores = scoresOf({ nodes: 520, edges });
    expect(scores.reach[1]).toBeGreaterThan(scores.reach[0]);
  });

  it('ignores self-interactions and interactions outside the window', () => {
    const base: Edge[] = [...fans(10, 5, 0), ...fans(20, 3, 1)];
    const noise: Edge[] = [
      { actor: 0, target: 0 },
      { actor: 1, target: 1, kind: LIKE },
      { actor: 30, target: 1, ageDays: PARAMS.windowDays + 1 },
      { actor: 31, target: 0, ageDays: -1 },
    ];
    const clean = computeScores(modelInput({ nodes: 40, edges: base }), { version });
    const noisy = computeScores(modelInput({ nodes: 40, edges: [...base, ...noise] }), { version });
    expect(noisy.influencers).toEqual(clean.influencers);
    expect(noisy.stats.ignoredEdges).toBe(4);
  });

  it('lets older interactions count less than recent ones', () => {
    const scores = scoresOf({
      nodes: 30,
      edges: [...fans(10, 8, 0).map((e) => ({ ...e, ageDays: 1 })), ...fans(10, 8, 1).map((e) => ({ ...e, ageDays: 80 }))],
    });
    expect(scores.score[0]).toBeGreaterThan(scores.score[1]);
  });

  it('sums an influencer over their accounts on several networks', () => {
    const edges = [...fans(10, 5, 0), ...fans(20, 5, 1), ...fans(30, 5, 2)];
    const scores = scoresOf({ nodes: 40, edges, influencers: [[0, 1], [2]] });
    expect(scores.engagers[0]).toBe(10);
    expect(scores.engagers[1]).toBe(5);
    expect(scores.score[0]).toBeGreaterThan(scores.score[1]);
  });

  it('scores topics from engagement on tagged posts, strongest first', () => {
    const posts = [
      { author: 0, topics: [3] },
      { author: 0, topics: [3, 7] },
      { author: 0, topics: [9] },
    ];
    const edges: Edge[] = [
      ...fans(10, 6, 0).map((e, i) => ({ ...e, post: i % 2 })),
      { actor: 20, target: 0, post: 2, kind: LIKE, ageDays: 85 },
    ];
    const scores = scoresOf({ nodes: 30, edges, posts });
    const topics = Array.from(scores.topicIds.slice(scores.topicStart[0], scores.topicStart[1]));
    expect(topics).toEqual([3, 7]); // topic 9 got less than the minimum engagement
    const [first, second] = scores.topicScores.slice(scores.topicStart[0], scores.topicStart[1]);
    expect(first).toBeGreaterThan(second);
    expect(first).toBeLessThanOrEqual(100);
  });

  it('lets followers lift reach only a little', () => {
    const edges = [...fans(10, 5, 0), ...fans(20, 5, 1)];
    const scores = scoresOf({ nodes: 30, edges, followers: [1_000_000, 0] });
    expect(scores.reach[0]).toBeGreaterThan(scores.reach[1]);
    expect(scores.reach[0] - scores.reach[1]).toBeLessThan(5);
  });
});

describe('score model: the fast paths match the definition', () => {
  it('weighs every interaction in micro-units exactly as the formula rounds it', () => {
    const next = random(3);
    const ages = [0, 1e-9, 29.999999, 30, 45, 60, 89.99999, PARAMS.windowDays - 1e-6];
    for (let i = 0; i < 200_000; i++) ages.push(Math.fround(next() * PARAMS.windowDays));
    const mismatches: string[] = [];
    for (const age of ages) {
      for (let kind = 1; kind <= 4; kind++) {
        const exact = Math.round(interactionWeight(kind, age) * 1_000_000);
        if (interactionUnits(kind, age) !== exact) mismatches.push(`kind ${kind}, age ${age}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  /** A graph large enough for several PageRank blocks (2^17 nodes each), as typed arrays. */
  function largeInput(nodes: number, edgeCount: number, seed: number): ModelInput {
    const next = random(seed);
    const actor = new Int32Array(edgeCount);
    const target = new Int32Array(edgeCount);
    for (let e = 0; e < edgeCount; e++) {
      actor[e] = Math.floor(next() * nodes);
      // Skewed targets, and a few self-loops that the model ignores.
      target[e] = next() < 0.001 ? actor[e] : Math.floor(next() ** 2 * nodes);
    }
    const quality = new Float64Array(nodes).fill(PARAMS.unknownQuality);
    for (let n = 0; n < nodes; n += 7) quality[n] = 0.1 + next();
    const evidence = new Float64Array(nodes).fill(NO_EVIDENCE);
    for (let n = 0; n < nodes; n += 3) evidence[n] = next();
    return {
      nodes,
      edges: {
        count: edgeCount,
        actor,
        target,
        kind: Uint8Array.from({ length: edgeCount }, () => 1 + Math.floor(next() * 4)),
        ageDays: Float32Array.from({ length: edgeCount }, () => next() * PARAMS.windowDays),
        post: new Int32Array(edgeCount).fill(-1),
      },
      quality,
      evidence,
      posts: {
        count: 0,
        author: new Int32Array(0),
        inWindow: new Uint8Array(0),
        ageDays: new Uint8Array(0),
        topicStart: new Int32Array(1),
        topicIds: new Uint16Array(0),
      },
      influencers: {
        count: 1_000,
        ownedStart: Int32Array.from({ length: 1_001 }, (_, i) => i),
        ownedNodes: Int32Array.from({ length: 1_000 }, (_, i) => i * 97),
        followers: new Float64Array(1_000),
      },
      maxTopicId: 0,
    };
  }

  /** PageRank as docs/scoring.md states it: a plain pull over the pairs in (target, actor) order. */
  function referenceRank(nodes: number, pairs: ReturnType<typeof buildPairs>, quality: Float64Array): Float64Array {
    const { count, inStart, src, weight } = pairs;
    const outWeight = new Float64Array(nodes);
    for (let p = 0; p < count; p++) outWeight[src[p]] += weight[p];
    const share = Float64Array.from(weight, (w, p) => w / outWeight[src[p]]);
    let qualitySum = 0;
    for (let n = 0; n < nodes; n++) qualitySum += quality[n];
    const teleport = Float64Array.from(quality, (q) => q / qualitySum);
    const d = PARAMS.damping;
    let rank = teleport.slice();
    let next = new Float64Array(nodes);
    let residual = Infinity;
    for (let iteration = 0; iteration < PARAMS.maxIterations && residual > PARAMS.tolerance; iteration++) {
      let dangling = 0;
      for (let n = 0; n < nodes; n++) if (outWeight[n] === 0) dangling += rank[n];
      residual = 0;
      for (let t = 0; t < nodes; t++) {
        let acc = 0;
        for (let p = inStart[t]; p < inStart[t + 1]; p++) acc += rank[src[p]] * share[p];
        const value = d * (acc + dangling * teleport[t]) + (1 - d) * teleport[t];
        residual += Math.abs(value - rank[t]);
        next[t] = value;
      }
      [rank, next] = [next, rank];
    }
    return rank;
  }

  /** How many values differ in their bits (jest's deep equality is slow on large arrays). */
  function differences(a: Float64Array, b: Float64Array): number {
    if (a.length !== b.length) return Math.max(a.length, b.length);
    let count = 0;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) count++;
    return count;
  }

  it.each([1, 2] as const)('builds pairs and scores (version %i) bit for bit the same on one thread or two, topics included', (v) => {
    const input = modelInput(randomGraph(3_000, 60_000, 5));
    const [onePairs, twoPairs] = [buildPairs(input, { threads: 1 }), buildPairs(input, { threads: 2 })];
    for (const field of ['edgeStart', 'edgeActor', 'edgeUnits', 'edgePost', 'inStart', 'src', 'weight'] as const) {
      expect([field, differences(Float64Array.from(twoPairs[field]), Float64Array.from(onePairs[field]))]).toEqual([field, 0]);
    }
    // PageRank's sources, written again over the edges' actors once the engagement pass is done.
    const again = pairSourcesInPlace(onePairs.edgeStart, onePairs.edgeActor.slice(), input.nodes);
    expect(differences(Float64Array.from(again), Float64Array.from(onePairs.src))).toBe(0);
    const one = computeScores(input, { threads: 1, version: v });
    const two = computeScores(input, { threads: 2, version: v });
    const [single, threaded] = [one.influencers, two.influencers];
    expect(single.topicIds.length).toBeGreaterThan(1_000);
    for (const field of Object.keys(single) as Array<keyof typeof single>) {
      expect([field, differences(Float64Array.from(threaded[field]), Float64Array.from(single[field]))]).toEqual([field, 0]);
    }
    expect(differences(two.credibility, one.credibility)).toBe(0);
    expect(differences(two.nodeRank, one.nodeRank)).toBe(0);
  });

  /** The edges in one shared buffer with `spare` rows of room, the columns laid out as the loader lays them out. */
  function inOneBuffer(edges: ModelInput['edges'], spare: number): ModelInput['edges'] {
    const [count, capacity] = [edges.count, edges.count + spare];
    const buffer = new SharedArrayBuffer(17 * capacity);
    const column = <T extends Int32Array | Float32Array | Uint8Array>(
      values: T,
      type: new (b: SharedArrayBuffer, at: number, n: number) => T,
      at: number,
    ): T => {
      const into = new type(buffer, at * capacity, capacity);
      into.set(values as never);
      return into.subarray(0, count) as T;
    };
    return {
      count,
      actor: column(edges.actor, Int32Array, 0),
      post: column(edges.post, Int32Array, 4),
      ageDays: column(edges.ageDays, Float32Array, 8),
      target: column(edges.target, Int32Array, 12),
      kind: column(edges.kind, Uint8Array, 16),
    };
  }

  it.each([
    [1, 1],
    [1, 2],
    [2, 1],
    [2, 2],
  ] as const)(
    'scores (version %i, %i thread(s)) bit for bit the same when its edges lie in one buffer with room to spare, as the loader reads them',
    (v, threads) => {
      const graph = randomGraph(3_000, 60_000, 9);
      const kept = computeScores(modelInput(graph), { threads, version: v });
      const given = modelInput(graph);
      // Room enough that the pairs' sources and weights both go into the edges' buffer.
      given.edges = inOneBuffer(given.edges, given.edges.count);
      const consumed = computeScores(given, { threads, version: v, consumeEdges: true, releaseInput: true });
      for (const field of Object.keys(kept.influencers) as Array<keyof typeof kept.influencers>) {
        const [a, b] = [kept.influencers[field], consumed.influencers[field]];
        expect([field, differences(Float64Array.from(b), Float64Array.from(a))]).toEqual([field, 0]);
      }
      expect(differences(consumed.credibility, kept.credibility)).toBe(0);
      expect(differences(consumed.nodeRank, kept.nodeRank)).toBe(0);
    },
  );

  it.each([1, 2] as const)('scores (version %i) bit for bit the same when the run gives its edges up (grouped in place)', (v) => {
    const graph = randomGraph(3_000, 60_000, 7);
    // Edges the model drops (self-interactions, and interactions before the window), among the rest.
    for (let i = 0; i < 3_000; i++) {
      const dropped = i % 2 ? { actor: i, target: i } : { actor: i, target: (7 * i + 1) % 3_000, ageDays: 95 };
      graph.edges.splice((i * 7_919) % graph.edges.length, 0, dropped);
    }
    const kept = computeScores(modelInput(graph), { threads: 2, version: v });
    // In shared memory, as the loader reads them: grouped on two threads.
    const given = modelInput(graph);
    given.edges = sharedEdges(given.edges);
    const consumed = computeScores(given, { threads: 2, version: v, consumeEdges: true, releaseInput: true });
    expect(consumed.stats.workerParts).toBe(kept.stats.workerParts);
    expect(consumed.stats.ignoredEdges).toBe(3_000);
    expect(consumed.stats.edges).toBe(kept.stats.edges);
    for (const field of Object.keys(kept.influencers) as Array<keyof typeof kept.influencers>) {
      const [a, b] = [kept.influencers[field], consumed.influencers[field]];
      expect([field, differences(Float64Array.from(b), Float64Array.from(a))]).toEqual([field, 0]);
    }
    expect(differences(consumed.credibility, kept.credibility)).toBe(0);
    expect(differences(consumed.nodeRank, kept.nodeRank)).toBe(0);
    // The edges' own memory was reused: they are no longer the input.
    expect(differences(Float64Array.from(given.edges.target), Float64Array.from(modelInput(graph).edges.target))).toBeGreaterThan(0);
    // What the model read for the last time before its peak was dropped from the input.
    expect([given.posts.author.length, given.posts.inWindow.length, given.evidence.length]).toEqual([0, 0, v === 2 ? 0 : given.nodes]);
    // The pairs' columns went into the grouped edges' dead memory, where they fit.
    const again = modelInput(graph);
    again.edges = sharedEdges(again.edges);
    const edgeBuffers: ArrayBufferLike[] = [again.edges.target.buffer, again.edges.kind.buffer];
    const pairs = buildPairs(again, { threads: 2, consumeEdges: true });
    expect([pairs.weight.buffer, pairs.src.buffer].filter((buffer) => edgeBuffers.includes(buffer)).length).toBeGreaterThan(0);
  });

  it.each([
    [1, 5],
    [2, 5 + 2 + CREDIBILITY.trustRounds],
  ] as const)('runs every two-threaded part (version %i: %i) on a worker thread, and counts any that falls back', (v, parts) => {
    const input = modelInput(randomGraph(3_000, 60_000, 5));
    expect(computeScores(input, { threads: 1, version: v }).stats).toMatchObject({ workerParts: 0, threadFallbacks: 0 });
    // Every part meant for a worker ran there: moving one back to the main thread fails this line.
    expect(computeScores(input, { threads: 2, version: v }).stats).toMatchObject({ workerParts: parts, threadFallbacks: 0 });
  });

  it('ranks bit for bit as the plain pull, on one thread or two', () => {
    const input = largeInput(150_000, 300_000, 11);
    const pairs = buildPairs(input);
    const expected = referenceRank(input.nodes, pairs, input.quality);
    const single = pageRank(input.nodes, pairs, input.quality, { threads: 1 });
    const threaded = pageRank(input.nodes, pairs, input.quality, { threads: 2 });
    expect(single.iterations).toBeGreaterThan(5);
    expect(threaded.iterations).toBe(single.iterations);
    expect(differences(single.rank, expected)).toBe(0);
    expect(differences(threaded.rank, expected)).toBe(0);
    // computeScores lays PageRank out in the memory of the edges: the same ranks again.
    expect(differences(computeScores(input, { version: 1 }).nodeRank, expected)).toBe(0);
  });
});
