/**
 * The organic interactions: who engages whom (communities, popularity, hubs, spam), how often (repeat
 * runs per pair), how (the kind) and on which post and when. They are never stored: each call of the
 * stream replays them from STREAM_INTERACTIONS, then appends the planted ones.
 */

import { CLASS_INFLUENCER, CLASS_POPULAR, CLASS_SPAM, type Population } from './network-population';
import type { PlantedColumns } from './network-planted';
import type { Posts } from './network-posts';
import { groupSize, repeats, sampleUniform, sampleZipf, Sfc32, STREAM_INTERACTIONS, TWO_32 } from './network-random';
import { KIND, type InteractionChunk } from './network-types';

// Local aliases: see network-random.ts.
const { floor, max, min } = Math;

// Shape parameters. Changing any of them changes the output for a given seed.
const COMMUNITY_SHARE = 0.8;
/** Share of target picks that ignore popularity (everyone gets some engagement). */
const UNIFORM_TARGET_SHARE = 0.15;
const HUB_PICK = { extra: 0.005, influencer: 0.02, popular: 0.25 };
/** Cumulative kind mix: LIKE 55%, RESHARE 20%, REPLY 15%, MENTION 10%, as uint32 thresholds. */
const KIND_LIKE_BELOW = 0.55 * TWO_32;
const KIND_RESHARE_BELOW = 0.75 * TWO_32;
const KIND_REPLY_BELOW = 0.9 * TWO_32;

/** An organic target for `actor`, drawn from `r`. */
export type TargetPicker = (actor: number, r: Sfc32) => number;

/** The organic target picker, kept off the reserved influencers (when anything is planted). */
export function organicTargetPicker(
  pop: Population,
  actorNetwork: (actor: number) => number,
  reserved: Uint8Array,
  planting: boolean,
): TargetPicker {
  const pickTarget = targetPicker(pop, actorNetwork);
  if (!planting) return pickTarget;
  return (actor, r) => {
    for (;;) {
      const t = pickTarget(actor, r);
      if (!reserved[t]) return t;
    }
  };
}

/** A target on the actor's network, never the actor. */
function targetPicker(pop: Population, actorNetwork: (actor: number) => number): TargetPicker {
  const { n, inf, actorClass, topicFamily, extraFamily, familyCount, byBucket, byNetwork, hubsByNetwork } = pop;
  return (actor, r) => {
    const net = actorNetwork(actor);
    const cls = actorClass[actor];
    if (cls === CLASS_SPAM) {
      // Spam reacts to everything: no popularity, no community, one reaction per target.
      for (;;) {
        const t = sampleUniform(byNetwork, net, r);
        if (t !== actor) return t;
      }
    }
    const hubP = cls === CLASS_POPULAR ? HUB_PICK.popular : cls === CLASS_INFLUENCER ? HUB_PICK.influencer : HUB_PICK.extra;
    if (r.float() < hubP && groupSize(hubsByNetwork, net) > 0) {
      const t = sampleUniform(hubsByNetwork, net, r);
      if (t !== actor) return t;
    }
    if (r.float() < COMMUNITY_SHARE) {
      let family: number;
      if (actor < n) {
        let slots = 1;
        while (slots < 3 && inf.topics[3 * actor + slots] !== 0) slots++;
        family = topicFamily[inf.topics[3 * actor + r.below(slots)]];
      } else {
        family = extraFamily[actor - n];
      }
      const bucket = net * familyCount + family;
      if (groupSize(byBucket, bucket) > 0) {
        for (let attempt = 0; attempt < 4; attempt++) {
          const t = r.float() < UNIFORM_TARGET_SHARE ? sampleUniform(byBucket, bucket, r) : sampleZipf(byBucket, bucket, r);
          if (t !== actor) return t;
        }
      }
    }
    for (let attempt = 0; attempt < 4; attempt++) {
      const t = r.float() < UNIFORM_TARGET_SHARE ? sampleUniform(byNetwork, net, r) : sampleZipf(byNetwork, net, r);
      if (t !== actor) return t;
    }
    for (;;) {
      const t = sampleUniform(byNetwork, net, r);
      if (t !== actor) return t;
    }
  };
}

/**
 * Interactions are generated actor by actor (actor-major): actor a makes its share total * w_a / W,
 * rounded by systematic sampling so the counts add up to the exact total. Walking the actors in
 * order keeps their data in cache; only the target side is random access.
 */
interface Cursor {
  rng: Sfc32;
  actor: number;
  /** Global index at which the current actor's interactions end. */
  actorEnd: number;
  cumulativeActivity: number;
  offset: number;
  target: number;
  pairLeft: number;
}

/** Writes organic interactions first .. first + len - 1 into c[0 .. len - 1], moving the cursor on. */
type Fill = (cur: Cursor, c: InteractionChunk, first: number, len: number) => void;

function organicFill(pop: Population, posts: Posts, pickOrganicTarget: TargetPicker): Fill {
  const { n, organicActors, activity, actorClass, postStart, windowStart, windowMs, endMs } = pop;
  const { postedAt } = posts;
  const total = pop.options.interactions;
  const perActivity = pop.totalActivity > 0 ? total / pop.totalActivity : 0;
  return (cur, c, first, len) => {
    const r = cur.rng;
    for (let k = 0; k < len; k++) {
      const g = first + k;
      while (g >= cur.actorEnd) {
        cur.actor++;
        cur.cumulativeActivity += activity[cur.actor];
        cur.actorEnd = cur.actor === organicActors - 1 ? total : min(total, floor(cur.cumulativeActivity * perActivity + cur.offset));
        cur.pairLeft = 0;
      }
      const actor = cur.actor;
      if (cur.pairLeft === 0) {
        // One (actor, target) pair gives a heavy-tailed run of repeats (spam: always one).
        cur.target = pickOrganicTarget(actor, r);
        cur.pairLeft = actorClass[actor] === CLASS_SPAM ? 1 : repeats(r);
      }
      cur.pairLeft--;
      const target = cur.target;
      c.actor[k] = actor;
      c.target[k] = target;
      const roll = r.next();
      if (roll >= KIND_REPLY_BELOW) {
        c.kind[k] = KIND.MENTION;
        if (actor < n) {
          // The mention is made in one of the actor's own posts, at the time of that post.
          const post = postStart[actor] + r.below(postStart[actor + 1] - postStart[actor]);
          c.post[k] = post;
          c.occurredAtMs[k] = postedAt(post);
        } else {
          const u = r.float();
          c.post[k] = -1;
          c.occurredAtMs[k] = windowStart + min(windowMs - 1, floor(windowMs * u * (1.2 - 0.2 * u)));
        }
      } else {
        c.kind[k] = roll < KIND_LIKE_BELOW ? KIND.LIKE : roll < KIND_RESHARE_BELOW ? KIND.RESHARE : KIND.REPLY;
        // Reactions favour an author's first posts (a few posts draw most engagement) and come soon after the post.
        const u = r.float();
        const post = postStart[target] + floor((postStart[target + 1] - postStart[target]) * u * u);
        const at = postedAt(post);
        const v = r.float();
        c.post[k] = post;
        c.occurredAtMs[k] = at + min(endMs - 1 - at, floor((endMs - at) * v * v * v));
      }
    }
  };
}

/** The stream of all interactions, organic then planted, in chunks of options.chunkSize; the same on every call. */
export function interactionStream(
  pop: Population,
  posts: Posts,
  pickOrganicTarget: TargetPicker,
  planted: PlantedColumns,
): () => Generator<InteractionChunk> {
  const fill = organicFill(pop, posts, pickOrganicTarget);
  const total = pop.options.interactions;
  const chunkSize = pop.options.chunkSize;
  const interactionCount = total + planted.length;
  return function* interactions(): Generator<InteractionChunk> {
    const rng = new Sfc32(pop.seedLo, pop.seedHi, STREAM_INTERACTIONS);
    const cur: Cursor = { rng, actor: -1, actorEnd: 0, cumulativeActivity: 0, offset: rng.float(), target: 0, pairLeft: 0 };
    for (let first = 0; first < interactionCount; first += chunkSize) {
      const len = min(chunkSize, interactionCount - first);
      const chunk: InteractionChunk = {
        actor: new Int32Array(len),
        target: new Int32Array(len),
        kind: new Uint8Array(len),
        post: new Int32Array(len),
        occurredAtMs: new Float64Array(len),
      };
      // Organic interactions first, then the planted ones; the chunk at the boundary holds both.
      const organic = max(0, min(len, total - first));
      if (organic > 0) fill(cur, chunk, first, organic);
      if (organic < len) {
        const from = first + organic - total;
        const to = first + len - total;
        chunk.actor.set(planted.actor.subarray(from, to), organic);
        chunk.target.set(planted.target.subarray(from, to), organic);
        chunk.kind.set(planted.kind.subarray(from, to), organic);
        chunk.post.set(planted.post.subarray(from, to), organic);
        chunk.occurredAtMs.set(planted.occurredAtMs.subarray(from, to), organic);
      }
      yield chunk;
    }
  };
}
