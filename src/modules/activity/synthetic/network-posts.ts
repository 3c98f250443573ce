/**
 * Posts are never stored: a post's author comes from the prefix sums of posts per influencer, its
 * postedAt and topic are hashes of (seed, post index).
 */

import { mix32, TWO_32 } from './network-random';
import type { Population } from './network-population';
import type { PostChunk } from './network-types';

// Local aliases: see network-random.ts.
const { floor, min } = Math;

// Shape parameters. Changing any of them changes the output for a given seed.
const UNTAGGED_POST_SHARE = 0.08;
const OFF_TOPIC_POST_SHARE = 0.05;

export interface Posts {
  postedAt(post: number): number;
  /** 0 = untagged. */
  topicOfPost(post: number, author: number): number;
  /** Checked: a RangeError for a post that does not exist. */
  postAuthor(post: number): number;
}

export function makePosts(pop: Population): Posts {
  const { n, windowStart, windowMs, inf, postStart, postCount } = pop;
  const topicCount = pop.options.topics;
  const postKeyA = mix32(pop.seedLo ^ 0x85ebca6b);
  const postKeyB = mix32(pop.seedHi ^ 0xc2b2ae35);
  const postHash = (post: number, salt: number): number => mix32((mix32(post ^ postKeyA) + salt) ^ postKeyB);
  return {
    postedAt: (post) => {
      const u = postHash(post, 1) / TWO_32;
      // Density rising from 0.83 to 1.25 across the window: slightly more recent activity.
      return windowStart + min(windowMs - 1, floor(windowMs * u * (1.2 - 0.2 * u)));
    },
    topicOfPost: (post, author) => {
      const u = postHash(post, 2) / TWO_32;
      if (u < UNTAGGED_POST_SHARE) return 0;
      if (u < UNTAGGED_POST_SHARE + OFF_TOPIC_POST_SHARE) return 1 + (postHash(post, 3) % topicCount);
      let slots = 1;
      while (slots < 3 && inf.topics[3 * author + slots] !== 0) slots++;
      return inf.topics[3 * author + (postHash(post, 3) % slots)];
    },
    postAuthor: (post) => {
      if (!(post >= 0 && post < postCount)) throw new RangeError(`no post ${post}`);
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (postStart[mid] <= post) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    },
  };
}

/** Every post in order, in chunks of options.chunkSize. */
export function* postChunks(pop: Population, posts: Posts): Generator<PostChunk> {
  const { postStart, postCount } = pop;
  const { postedAt, topicOfPost } = posts;
  const chunkSize = pop.options.chunkSize;
  let author = 0;
  for (let first = 0; first < postCount; first += chunkSize) {
    const len = min(chunkSize, postCount - first);
    const chunk: PostChunk = {
      author: new Int32Array(len),
      postedAtMs: new Float64Array(len),
      topic: new Uint8Array(len),
      firstPostId: first,
    };
    for (let k = 0; k < len; k++) {
      const post = first + k;
      while (postStart[author + 1] <= post) author++;
      chunk.author[k] = author;
      chunk.postedAtMs[k] = postedAt(post);
      chunk.topic[k] = topicOfPost(post, author);
    }
    yield chunk;
  }
}
