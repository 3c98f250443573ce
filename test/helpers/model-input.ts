import type { ModelInput } from '../../src/modules/scoring/score-model';
import { NO_EVIDENCE, PARAMS } from '../../src/modules/scoring/score-model';

export interface Edge {
  actor: number;
  target: number;
  kind?: number;
  ageDays?: number;
  post?: number;
}

export interface GraphSpec {
  nodes: number;
  edges: Edge[];
  /** Node -> quality (version 1's prior); others get PARAMS.unknownQuality. */
  quality?: Record<number, number>;
  /** Node -> evidence quality (version 2; NO_EVIDENCE for none); others get defaultEvidence. */
  evidence?: Record<number, number>;
  /** Evidence of the nodes `evidence` leaves out: by default that of an established account (0.9). */
  defaultEvidence?: number;
  /** Post p: author and topics. */
  posts?: Array<{ author: number; topics?: number[]; inWindow?: boolean; ageDays?: number }>;
  /** Influencer i owns these nodes (default: node i for i < nodes). */
  influencers?: number[][];
  followers?: number[];
}

/** Evidence quality of an old account with followers and posts. */
export const ESTABLISHED = 0.9;
export { NO_EVIDENCE };

/** Builds the model's typed-array input from a readable description. */
export function modelInput(spec: GraphSpec): ModelInput {
  const owners = spec.influencers ?? Array.from({ length: spec.nodes }, (_, i) => [i]);
  const posts = spec.posts ?? [];
  const topicStart = new Int32Array(posts.length + 1);
  posts.forEach((p, i) => (topicStart[i + 1] = topicStart[i] + (p.topics?.length ?? 0)));
  const quality = new Float64Array(spec.nodes).fill(PARAMS.unknownQuality);
  for (const [node, q] of Object.entries(spec.quality ?? {})) quality[Number(node)] = q;
  const evidence = new Float64Array(spec.nodes).fill(spec.defaultEvidence ?? ESTABLISHED);
  for (const [node, e] of Object.entries(spec.evidence ?? {})) evidence[Number(node)] = e;
  const ownedStart = new Int32Array(owners.length + 1);
  owners.forEach((nodes, i) => (ownedStart[i + 1] = ownedStart[i] + nodes.length));
  return {
    nodes: spec.nodes,
    edges: {
      count: spec.edges.length,
      actor: Int32Array.from(spec.edges, (e) => e.actor),
      target: Int32Array.from(spec.edges, (e) => e.target),
      kind: Uint8Array.from(spec.edges, (e) => e.kind ?? 1),
      ageDays: Float32Array.from(spec.edges, (e) => e.ageDays ?? 1),
      post: Int32Array.from(spec.edges, (e) => e.post ?? -1),
    },
    quality,
    evidence,
    posts: {
      count: posts.length,
      author: Int32Array.from(posts, (p) => p.author),
      inWindow: Uint8Array.from(posts, (p) => (p.inWindow === false ? 0 : 1)),
      ageDays: Uint8Array.from(posts, (p) => p.ageDays ?? 1),
      topicStart,
      topicIds: Uint16Array.from(posts.flatMap((p) => p.topics ?? [])),
    },
    influencers: {
      count: owners.length,
      ownedStart,
      ownedNodes: Int32Array.from(owners.flat()),
      followers: Float64Array.from(owners, (_, i) => spec.followers?.[i] ?? 0),
    },
    maxTopicId: Math.max(0, ...posts.flatMap((p) => p.topics ?? [])),
  };
}

/** xorshift32 in [0, 1): deterministic pseudo-random numbers for tests. */
export function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/** A deterministic pseudo-random graph for property tests. */
export function randomGraph(nodes: number, edgeCount: number, seed: number): GraphSpec {
  const next = random(seed);
  const posts = Array.from({ length: nodes * 2 }, (_, p) => ({
    author: p % nodes,
    topics: [1 + (p % 5), 1 + ((p * 3) % 7)].filter((t, i, a) => a.indexOf(t) === i),
  }));
  const edges: Edge[] = [];
  while (edges.length < edgeCount) {
    const actor = Math.floor(next() * nodes);
    // Skewed targets: low indices are popular.
    const target = Math.floor(Math.pow(next(), 2) * nodes);
    if (actor === target) continue;
    const post = next() < 0.7 ? target + nodes * Math.floor(next() * 2) : -1;
    edges.push({
      actor,
      target,
      kind: 1 + Math.floor(next() * 4),
      ageDays: next() * 89,
      post: post >= 0 && posts[post]?.author === target ? post : -1,
    });
  }
  const quality: Record<number, number> = {};
  for (let n = 0; n < nodes; n += 3) quality[n] = 0.2 + next();
  return { nodes, edges, posts, quality, followers: Array.from({ length: nodes }, () => Math.floor(next() * 100_000)) };
}
