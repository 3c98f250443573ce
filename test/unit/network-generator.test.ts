import {
  COUNTRIES,
  KIND,
  LANGUAGES,
  NETWORKS,
  PLANTED_SHAPES,
  generateNetwork,
} from '../../src/modules/activity/synthetic/network-generator';
import { base, bytes, collectInteractions, collectPosts, DAY_MS, differingArrays, families, median } from '../helpers/synthetic-network';

// The organic network; planted attacks and the following days are in network-generator-planted.test.ts.

const net = generateNetwork(base);
const n = base.influencers;
const inf = net.influencers;
const ia = collectInteractions(net);
const posts = collectPosts(net);
const total = base.interactions;

function familiesOf(i: number): Set<number> {
  const out = new Set<number>();
  for (let s = 0; s < 3; s++) if (inf.topics[3 * i + s]) out.add(families[inf.topics[3 * i + s] - 1]);
  return out;
}

const inDegree = new Int32Array(n);
const outDegree = new Int32Array(net.actors);
const pairCounts = new Map<number, number>();
for (let k = 0; k < total; k++) {
  inDegree[ia.target[k]]++;
  outDegree[ia.actor[k]]++;
  const key = ia.actor[k] * n + ia.target[k];
  pairCounts.set(key, (pairCounts.get(key) ?? 0) + 1);
}

describe('synthetic network generator: determinism and streaming', () => {
  it('gives identical influencers, posts and interactions for the same options, and different ones for another seed', () => {
    const again = generateNetwork(base);
    expect(differingArrays(inf, again.influencers)).toEqual([]);
    expect(differingArrays(collectPosts(again), posts)).toEqual([]);
    expect(differingArrays(collectInteractions(again), ia)).toEqual([]);
    // The same network replays the same stream.
    expect(differingArrays(collectInteractions(net), ia)).toEqual([]);

    const other = generateNetwork({ ...base, seed: 43 });
    const otherIa = collectInteractions(other);
    expect(bytes(other.influencers.network).equals(bytes(inf.network))).toBe(false);
    expect(bytes(otherIa.target).equals(bytes(ia.target))).toBe(false);
    expect(bytes(otherIa.occurredAtMs).equals(bytes(ia.occurredAtMs))).toBe(false);
  });

  it('produces the exact interaction count, and chunking does not change the concatenated output', () => {
    expect(ia.chunkLengths).toEqual([total]); // default chunk is larger than the total
    const small = generateNetwork({ ...base, chunkSize: 1000 });
    const smallIa = collectInteractions(small);
    expect(smallIa.chunkLengths).toHaveLength(Math.ceil(total / 1000));
    expect(smallIa.chunkLengths.slice(0, -1).every((l) => l === 1000)).toBe(true);
    expect(smallIa.chunkLengths.at(-1)).toBe(total % 1000);
    expect(differingArrays(smallIa, ia)).toEqual([]);

    const smallPosts = collectPosts(small);
    expect(smallPosts.firstIds).toEqual(smallPosts.firstIds.map((_, i) => i * 1000));
    expect(differingArrays(smallPosts, posts)).toEqual([]);

    const none = generateNetwork({ ...base, interactions: 0 });
    expect([...none.interactions()]).toHaveLength(0);
  });

  it('rejects options it cannot honour', () => {
    expect(() => generateNetwork({ ...base, topicFamilies: [0, 1] })).toThrow(RangeError);
    expect(() => generateNetwork({ ...base, topics: 300, topicFamilies: new Array(300).fill(0) })).toThrow(RangeError);
    expect(() => generateNetwork({ ...base, influencers: 1 })).toThrow(RangeError);
    expect(() => generateNetwork({ ...base, seed: 1.5 })).toThrow(RangeError);
    expect(() => generateNetwork({ ...base, idPrefix: 'bad prefix' })).toThrow(RangeError);
    expect(() => generateNetwork({ ...base, attacks: { farmTargets: -1 } })).toThrow(RangeError);
    expect(() => generateNetwork({ ...base, attacks: { buyerShare: 0.9 } })).toThrow(RangeError);
    expect(() => generateNetwork({ ...base, attacks: { farmTargets: n } })).toThrow(/too few/);
  });
});

describe('synthetic network generator: integrity', () => {
  it('never links an actor to itself, targets only influencers, and stays on one network', () => {
    let bad = 0;
    for (let k = 0; k < total; k++) {
      const a = ia.actor[k];
      const t = ia.target[k];
      if (a === t || t < 0 || t >= n || a < 0 || a >= net.actors || net.actorNetwork(a) !== inf.network[t]) bad++;
    }
    expect(bad).toBe(0);
    // Both influencers and non-signed-up actors take part.
    expect(ia.actor.some((a) => a >= n)).toBe(true);
    expect(ia.actor.some((a) => a < n)).toBe(true);
  });

  it('references posts by the author rules, at or after the post, inside the window', () => {
    expect(posts.author.length).toBe(net.postCount);
    expect(net.postStart[n]).toBe(net.postCount);
    for (let i = 0; i < n; i += 97) {
      expect(net.postStart[i + 1]).toBeGreaterThan(net.postStart[i]); // every influencer has a post
      expect(posts.author[net.postStart[i]]).toBe(i);
      expect(net.postAuthor(net.postStart[i + 1] - 1)).toBe(i);
    }
    const start = base.endMs - 90 * DAY_MS;
    expect(posts.postedAtMs.every((t) => t >= start && t < base.endMs && Number.isInteger(t))).toBe(true);

    const problems: string[] = [];
    let mentionsWithoutPost = 0;
    for (let k = 0; k < total; k++) {
      const a = ia.actor[k];
      const p = ia.post[k];
      const at = ia.occurredAtMs[k];
      if (!(at >= start && at < base.endMs && Number.isInteger(at))) problems.push(`time ${k}`);
      if (ia.kind[k] === KIND.MENTION) {
        if (a >= n) {
          if (p !== -1) problems.push(`mention by non-influencer with post ${k}`);
          mentionsWithoutPost++;
          continue;
        }
        if (p < 0 || posts.author[p] !== a) problems.push(`mention post author ${k}`);
      } else {
        if (![KIND.LIKE, KIND.RESHARE, KIND.REPLY].includes(ia.kind[k] as 1 | 2 | 4)) problems.push(`kind ${k}`);
        if (p < 0 || posts.author[p] !== ia.target[k]) problems.push(`reaction post author ${k}`);
      }
      if (at < posts.postedAtMs[p]) problems.push(`before post ${k}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(mentionsWithoutPost).toBeGreaterThan(0);
    expect(net.postedAtMs(123)).toBe(posts.postedAtMs[123]);
    expect(net.postTopic(123)).toBe(posts.topic[123]);
  });

  it('gives every actor a unique valid handle and every post and interaction a unique external id', () => {
    const handles = new Set<string>();
    for (let a = 0; a < net.actors; a++) handles.add(net.handle(a));
    expect(handles.size).toBe(net.actors);
    expect([...handles].every((h) => /^[A-Za-z0-9_.-]{1,64}$/.test(h))).toBe(true);
    expect(new Set([0, 1, 2, net.postCount - 1].map((p) => net.postExternalId(p))).size).toBe(4);
    expect(new Set([0, 1, 10, total - 1].map((i) => net.interactionExternalId(i))).size).toBe(4);
    const prefixed = generateNetwork({ ...base, interactions: 10, idPrefix: 'bench1.' });
    expect(prefixed.handle(7)).toMatch(/^bench1\.[A-Za-z0-9_.-]+$/);
    expect(prefixed.handle(7)).not.toBe(net.handle(7));
    expect(() => net.handle(net.actors)).toThrow(RangeError);
  });

  it('describes influencers with valid codes, 1-3 distinct topics, and more followers for more popular accounts', () => {
    const bad: number[] = [];
    let oneFamily = 0;
    for (let i = 0; i < n; i++) {
      const slots = [0, 1, 2].map((s) => inf.topics[3 * i + s]);
      const set = slots.filter((t) => t !== 0);
      const contiguous = slots.indexOf(0) === -1 || slots.slice(slots.indexOf(0)).every((t) => t === 0);
      if (!set.length || !contiguous || new Set(set).size !== set.length || set.some((t) => t > base.topics)) bad.push(i);
      if (inf.network[i] >= NETWORKS.length || inf.country[i] >= COUNTRIES.length || inf.language[i] >= LANGUAGES.length) bad.push(i);
      if (familiesOf(i).size === 1) oneFamily++;
    }
    expect(bad).toEqual([]);
    expect(oneFamily / n).toBeGreaterThan(0.7);
    expect(new Set(inf.network).size).toBe(NETWORKS.length);

    const byRank = Array.from({ length: n }, (_, i) => i).sort((a, b) => inf.popularityRank[a] - inf.popularityRank[b]);
    const topFollowers = median(byRank.slice(0, n / 100).map((i) => inf.followers[i]));
    expect(topFollowers).toBeGreaterThan(10 * median(inf.followers));
    expect(inf.isHub.every((hub, i) => !hub || inf.verified[i] === 1)).toBe(true);
    expect(inf.verified.reduce((s, v) => s + v, 0)).toBeLessThan(n * 0.05);
  });
});

describe('synthetic network generator: shape', () => {
  it('mixes kinds roughly LIKE 55%, RESHARE 20%, REPLY 15%, MENTION 10%', () => {
    const share = (kind: number) => ia.kind.filter((k) => k === kind).length / total;
    expect(share(KIND.LIKE)).toBeCloseTo(0.55, 1);
    expect(share(KIND.RESHARE)).toBeCloseTo(0.2, 1);
    expect(share(KIND.REPLY)).toBeCloseTo(0.15, 1);
    expect(share(KIND.MENTION)).toBeCloseTo(0.1, 1);
  });

  it('concentrates engagement on a few targets (heavy tail) while most get a little', () => {
    const sorted = Int32Array.from(inDegree).sort().reverse();
    let top = 0;
    for (let k = 0; k < n / 100; k++) top += sorted[k];
    expect(top / total).toBeGreaterThan(0.1); // the top 1% receive over 10x their fair share
    expect(median(inDegree)).toBeLessThan(total / n / 1.5);
    expect(inDegree.filter((d) => d > 0).length / n).toBeGreaterThan(0.9);
    // Actor activity is heavy-tailed too.
    const out = Int32Array.from(outDegree).sort().reverse();
    expect(out[0]).toBeGreaterThan(20 * median(outDegree));
  });

  it('keeps most engagement inside topic communities', () => {
    let shared = 0;
    let counted = 0;
    for (let k = 0; k < total; k++) {
      const a = ia.actor[k];
      if (a >= n || inf.isSpam[a]) continue;
      counted++;
      const fa = familiesOf(a);
      if ([...familiesOf(ia.target[k])].some((f) => fa.has(f))) shared++;
    }
    expect(shared / counted).toBeGreaterThan(0.7);
    // Extra actors engage mostly with their home family too.
    let extraShared = 0;
    let extraCounted = 0;
    for (let k = 0; k < total; k++) {
      const a = ia.actor[k];
      if (a < n || net.isSpamActor(a)) continue;
      extraCounted++;
      if (familiesOf(ia.target[k]).has(net.extraActors.family[a - n])) extraShared++;
    }
    expect(extraShared / extraCounted).toBeGreaterThan(0.7);
  });

  it('mostly engages with posts tagged with a topic of the target', () => {
    let onTopic = 0;
    let reactions = 0;
    for (let k = 0; k < total; k++) {
      if (ia.kind[k] === KIND.MENTION) continue;
      reactions++;
      const topic = posts.topic[ia.post[k]];
      const t = ia.target[k];
      if (topic !== 0 && [0, 1, 2].some((s) => inf.topics[3 * t + s] === topic)) onTopic++;
    }
    expect(onTopic / reactions).toBeGreaterThan(0.75);
  });

  it('plants hubs with far more than the median in-degree, much of it from popular influencers', () => {
    const hubs = [...inf.isHub.keys()].filter((i) => inf.isHub[i]);
    expect(hubs.length).toBeGreaterThanOrEqual(3);
    const med = median(inDegree);
    expect(Math.min(...hubs.map((h) => inDegree[h]))).toBeGreaterThan(20 * med);

    const popular = (a: number) => a < n && inf.popularityRank[a] < n * 0.02;
    let fromPopular = 0;
    let intoHubs = 0;
    let popularOverall = 0;
    for (let k = 0; k < total; k++) {
      if (popular(ia.actor[k])) popularOverall++;
      if (!inf.isHub[ia.target[k]]) continue;
      intoHubs++;
      if (popular(ia.actor[k])) fromPopular++;
    }
    expect(fromPopular / intoHubs).toBeGreaterThan(2 * (popularOverall / total));
  });

  it('makes spam accounts young follow-spammers that spread thin over many distinct targets', () => {
    const spamInfluencers = [...inf.isSpam.keys()].filter((i) => inf.isSpam[i]);
    expect(spamInfluencers.length).toBe(Math.round(n * 0.01));
    const notSpamLike = spamInfluencers.filter((i) => inf.accountAgeDays[i] >= 30 || inf.following[i] < 20 * inf.followers[i]);
    expect(notSpamLike).toEqual([]);
    expect(inf.accountAgeDays.filter((age, i) => !inf.isSpam[i] && age < 30)).toHaveLength(0);
    expect(net.extraActors.isSpam.some((s) => s === 1)).toBe(true);

    const distinct = new Int32Array(net.actors);
    for (const key of pairCounts.keys()) distinct[Math.floor(key / n)]++;
    const active = [...distinct.keys()].filter((a) => outDegree[a] > 0);
    const spam = active.filter((a) => net.isSpamActor(a));
    expect(median(spam.map((a) => distinct[a]))).toBeGreaterThan(10 * median(active.map((a) => distinct[a])));
    // Spread thin: a spam actor almost never repeats on one target.
    const spamDistinct = spam.reduce((s, a) => s + distinct[a], 0);
    const spamInteractions = spam.reduce((s, a) => s + outDegree[a], 0);
    expect(spamDistinct / spamInteractions).toBeGreaterThan(0.6);
  });

  it('repeats interactions on the same pair, with a heavy tail', () => {
    const counts = [...pairCounts.values()];
    expect(counts.filter((c) => c > 1).length / counts.length).toBeGreaterThan(0.2);
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(50);
  });
});

describe('synthetic network generator: accounts and their hidden truth', () => {
  const acc = net.accounts;
  const extras = Array.from({ length: net.actors - n }, (_, j) => n + j);

  it('describes every account as a connector would, consistently with whether a real person holds it', () => {
    expect(acc.real.length).toBe(net.actors);
    // Influencers' own figures are the same arrays.
    expect(acc.followers.subarray(0, n)).toEqual(inf.followers);
    expect(acc.accountAgeDays.subarray(0, n)).toEqual(inf.accountAgeDays);
    expect(acc.hasEvidence.subarray(0, n).every((e) => e === 1)).toBe(true);
    expect([...inf.isSpam.keys()].every((i) => acc.real[i] === 1 - inf.isSpam[i])).toBe(true);

    const described = (a: number) => acc.hasEvidence[a] === 1;
    const fakes = [...acc.real.keys()].filter((a) => !acc.real[a]);
    const real = [...acc.real.keys()].filter((a) => acc.real[a] && described(a));
    expect(fakes.length).toBeGreaterThan(0);
    expect(fakes.every((a) => described(a) && acc.accountAgeDays[a] < 30 && acc.posts[a] < 5)).toBe(true);
    expect(real.every((a) => acc.accountAgeDays[a] >= 30)).toBe(true);
    // Real people post and are followed, heavy-tailed; fakes hardly.
    const realPosts = real.map((a) => acc.posts[a]);
    expect(median(realPosts)).toBeGreaterThan(50);
    expect(Math.max(...realPosts)).toBeGreaterThan(20 * median(realPosts));
    const extraFollowers = real.filter((a) => a >= n).map((a) => acc.followers[a]);
    expect(Math.max(...extraFollowers)).toBeGreaterThan(100 * median(extraFollowers));
  });

  it('leaves some real people who never signed up without any snapshot', () => {
    const realExtras = extras.filter((a) => acc.real[a]);
    const lurkers = realExtras.filter((a) => !acc.hasEvidence[a]);
    expect(lurkers.length / realExtras.length).toBeGreaterThan(0.25);
    expect(lurkers.length / realExtras.length).toBeLessThan(0.35);
    expect(lurkers.every((a) => acc.followers[a] === 0 && acc.posts[a] === 0 && acc.accountAgeDays[a] === 0)).toBe(true);
    // Lurkers engage like anyone else.
    expect(lurkers.some((a) => outDegree[a] > 0)).toBe(true);
  });

  it('plants nothing by default', () => {
    expect(net.interactionCount).toBe(total);
    expect(net.actors).toBe(n + Math.round(n * 1.5));
    expect(net.plantedActors.network.length).toBe(0);
    for (const shape of PLANTED_SHAPES) expect(net.planted.range[shape]).toEqual({ start: total, end: total });
    expect(net.planted.farmTargets.length + net.planted.buyers.length + net.planted.squatters.length).toBe(0);
  });
});
