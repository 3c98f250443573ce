import { accountQuality, evidenceQuality, NO_EVIDENCE, PARAMS, type ModelInput } from '../../scoring/score-model';
import type { SyntheticNetwork } from './network-generator';

/**
 * The score model's input for a generated network, built in memory as a score run on the day before
 * options.endMs would load it from the database: every actor a node (actor index = node), every post
 * in the window, influencer i owning node i. No database, so benchmarks and tests can score planted
 * attacks directly.
 */

const DAY_MS = 86_400_000;

/** Every interaction of a network as the model's edge columns, in shared memory (the model's threads read it). */
export function syntheticEdges(network: SyntheticNetwork): ModelInput['edges'] {
  const count = network.interactionCount;
  const column = <T extends Int32Array | Uint8Array | Float32Array>(type: new (buffer: SharedArrayBuffer) => T, bytes: number): T =>
    new type(new SharedArrayBuffer(bytes * count));
  const edges: ModelInput['edges'] = {
    count,
    actor: column(Int32Array, 4),
    target: column(Int32Array, 4),
    kind: column(Uint8Array, 1),
    ageDays: column(Float32Array, 4),
    post: column(Int32Array, 4),
  };
  const endMs = network.options.endMs;
  let at = 0;
  for (const chunk of network.interactions()) {
    edges.actor.set(chunk.actor, at);
    edges.target.set(chunk.target, at);
    edges.kind.set(chunk.kind, at);
    edges.post.set(chunk.post, at);
    for (let k = 0; k < chunk.occurredAtMs.length; k++) edges.ageDays[at + k] = (endMs - chunk.occurredAtMs[k]) / DAY_MS;
    at += chunk.actor.length;
  }
  return edges;
}

export interface SyntheticInputOptions {
  /** The first `edgeCount` interactions count (organic ones first, then planted.range order); default all. */
  edgeCount?: number;
  /**
   * 'verified': each influencer owns its own account only (links proven by the owner). 'claimed': the
   * squatters of planted.squatters also own the account they claimed without proof, as version 1 counts
   * any connected link.
   */
  links?: 'verified' | 'claimed';
  /** From syntheticEdges(network), to share one copy between several inputs. */
  edges?: ModelInput['edges'];
}

/**
 * Version 1's prior (`quality`) and version 2's evidence come from each account's connector snapshot
 * (accountQuality / evidenceQuality); accounts without one get PARAMS.unknownQuality and NO_EVIDENCE.
 * An influencer's followers are those of the accounts it owns.
 */
export function syntheticModelInput(network: SyntheticNetwork, options: SyntheticInputOptions = {}): ModelInput {
  const all = options.edges ?? syntheticEdges(network);
  const count = options.edgeCount ?? all.count;
  if (!(Number.isInteger(count) && count >= 0 && count <= all.count)) throw new RangeError(`edgeCount ${count} out of 0..${all.count}`);
  const edges: ModelInput['edges'] = {
    count,
    actor: all.actor.subarray(0, count),
    target: all.target.subarray(0, count),
    kind: all.kind.subarray(0, count),
    ageDays: all.ageDays.subarray(0, count),
    post: all.post.subarray(0, count),
  };

  const nodes = network.actors;
  const acc = network.accounts;
  const quality = new Float64Array(nodes);
  const evidence = new Float64Array(nodes);
  for (let a = 0; a < nodes; a++) {
    if (!acc.hasEvidence[a]) {
      quality[a] = PARAMS.unknownQuality;
      evidence[a] = NO_EVIDENCE;
      continue;
    }
    const snapshot = {
      followers: acc.followers[a],
      following: acc.following[a],
      posts: acc.posts[a],
      accountAgeDays: acc.accountAgeDays[a],
      verified: acc.verified[a] === 1,
    };
    quality[a] = accountQuality(snapshot);
    evidence[a] = evidenceQuality(snapshot);
  }

  const postCount = network.postCount;
  const author = new Int32Array(postCount);
  const topicStart = new Int32Array(postCount + 1);
  const topicIds = new Uint16Array(postCount);
  const postAgeDays = new Uint8Array(postCount);
  const windowEndMs = network.options.endMs;
  let topics = 0;
  for (const chunk of network.posts()) {
    for (let k = 0; k < chunk.author.length; k++) {
      const p = chunk.firstPostId + k;
      author[p] = chunk.author[k];
      postAgeDays[p] = Math.min(PARAMS.windowDays - 1, Math.max(0, Math.floor((windowEndMs - chunk.postedAtMs[k]) / 86_400_000)));
      if (chunk.topic[k] !== 0) topicIds[topics++] = chunk.topic[k];
      topicStart[p + 1] = topics;
    }
  }

  const n = network.options.influencers;
  const claims = new Map<number, number[]>();
  if ((options.links ?? 'verified') === 'claimed') {
    network.planted.squatters.forEach((squatter, k) =>
      claims.set(squatter, [...(claims.get(squatter) ?? []), network.planted.squatted[k]]),
    );
  }
  let owned = n;
  for (const nodesClaimed of claims.values()) owned += nodesClaimed.length;
  const ownedStart = new Int32Array(n + 1);
  const ownedNodes = new Int32Array(owned);
  const followers = new Float64Array(n);
  for (let i = 0, o = 0; i < n; i++) {
    for (const node of [i, ...(claims.get(i) ?? [])]) {
      ownedNodes[o++] = node;
      followers[i] += acc.followers[node];
    }
    ownedStart[i + 1] = o;
  }

  return {
    nodes,
    edges,
    quality,
    evidence,
    // Every generated post lies in the window.
    posts: {
      count: postCount,
      author,
      inWindow: new Uint8Array(postCount).fill(1),
      ageDays: postAgeDays,
      topicStart,
      topicIds: topicIds.subarray(0, topics),
    },
    influencers: { count: n, ownedStart, ownedNodes, followers },
    maxTopicId: network.options.topics,
  };
}
