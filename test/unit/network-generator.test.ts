import {
  COUNTRIES,
  KIND,
  LANGUAGES,
  NETWORKS,
  PLANTED_SHAPES,
  generateNetwork,
  type InteractionChunk,
  type PostChunk,
  type SyntheticNetwork,
  type SyntheticOptions,
} from '../../src/modules/activity/synthetic/network-generator';
import { spearman } from '../../src/modules/activity/synthetic/trust-figures';

const DAY_MS = 86_400_000;
const families = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3];
const base: SyntheticOptions = {
  influencers: 5000,
  interactions: 200_003,
  seed: 42,
  topics: families.length,
  topicFamilies: families,
  endMs: Date.UTC(2026, 0, 1),
};

type TypedArray = Int32Array | Uint8Array | Float64Array;

function concat<T extends TypedArray>(parts: T[], make: (length: number) => T): T {
  const out = make(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p as never, at);
    at += p.length;
  }
  return out;
}

function collectInteractions(net: SyntheticNetwork): InteractionChunk & { chunkLengths: number[] } {
  const chunks = [...net.interactions()];
  return {
    chunkLengths: chunks.map((c) => c.actor.length),
    actor: concat(
      chunks.map((c) => c.actor),
      (l) => new Int32Array(l),
    ),
    target: concat(
      chunks.map((c) => c.target),
      (l) => new Int32Array(l),
    ),
    kind: concat(
      chunks.map((c) => c.kind),
      (l) => new Uint8Array(l),
    ),
    post: concat(
      chunks.map((c) => c.post),
      (l) => new Int32Array(l),
    ),
    occurredAtMs: concat(
      chunks.map((c) => c.occurredAtMs),
      (l) => new Float64Array(l),
    ),
  };
}

function collectPosts(net: SyntheticNetwork): Omit<PostChunk, 'firstPostId'> & { firstIds: number[] } {
  const chunks = [...net.posts()];
  return {
    firstIds: chunks.map((c) => c.firstPostId),
    author: concat(
      chunks.map((c) => c.author),
      (l) => new Int32Array(l),
    ),
    postedAtMs: concat(
      chunks.map((c) => c.postedAtMs),
      (l) => new Float64Array(l),
    ),
    topic: concat(
      chunks.map((c) => c.topic),
      (l) => new Uint8Array(l),
    ),
  };
}

function bytes(a: TypedArray): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** The names of the typed-array fields whose bytes differ. */
function differingArrays(a: object, b: object): string[] {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  return Object.keys(x).filter((k) => ArrayBuffer.isView(x[k]) && !bytes(x[k] as TypedArray).equals(bytes(y[k] as TypedArray)));
}

function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[sorted.length >> 1];
}

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

/** Distinct real engagers per influencer over the organic interactions (actor-major). */
function realEngagers(network: SyntheticNetwork, x: InteractionChunk): Int32Array {
  const count = new Int32Array(network.options.influencers);
  const last = new Int32Array(network.options.influencers).fill(-1);
  for (let k = 0; k < network.options.interactions; k++) {
    if (network.accounts.real[x.actor[k]] && last[x.target[k]] !== x.actor[k]) {
      last[x.target[k]] = x.actor[k];
      count[x.target[k]]++;
    }
  }
  return count;
}

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

describe('synthetic network generator: planted attacks', () => {
  const attacks = { farmTargets: 4, organicTargets: 4, pods: 2, podSize: 5, squats: 2, hubEvents: 3, singles: 20, buyerShare: 0.05 };
  const attacked = generateNetwork({ ...base, attacks });
  const x = collectInteractions(attacked);
  const p = attacked.planted;
  const acc = attacked.accounts;
  const organicActors = attacked.plantedActors.first;
  /** Planted interactions into each target: actor lists. */
  const into = new Map<number, number[]>();
  for (let k = total; k < attacked.interactionCount; k++) into.set(x.target[k], [...(into.get(x.target[k]) ?? []), x.actor[k]]);
  const plantedKinds = (target: number) => {
    const kinds = new Set<number>();
    for (let k = total; k < attacked.interactionCount; k++) if (x.target[k] === target) kinds.add(x.kind[k]);
    return [...kinds];
  };
  const established = (a: number) =>
    a >= n &&
    a < organicActors &&
    acc.real[a] &&
    acc.hasEvidence[a] &&
    acc.accountAgeDays[a] >= 365 &&
    acc.followers[a] >= 50 &&
    acc.posts[a] >= 20;

  it('keeps attacked influencers out of organic engagement, and orders the planted interactions by shape', () => {
    expect(attacked.interactionCount).toBeGreaterThan(total);
    let intoReserved = 0;
    for (let k = 0; k < total; k++) if (p.reserved[x.target[k]]) intoReserved++;
    expect(intoReserved).toBe(0);
    const reserved = [...p.farmTargets, ...p.organicTargets, ...p.podMembers, ...p.podComparisons, ...p.squatters];
    expect(new Set(reserved).size).toBe(reserved.length);
    expect([...p.reserved.keys()].filter((i) => p.reserved[i]).sort((a, b) => a - b)).toEqual(reserved.sort((a, b) => a - b));
    let at = total;
    for (const shape of PLANTED_SHAPES) {
      expect(p.range[shape].start).toBe(at);
      at = p.range[shape].end;
    }
    expect(at).toBe(attacked.interactionCount);
    expect(p.populationEnd).toBe(p.range.popular.end);
  });

  it('plants fake farms of fresh accounts and their control of established accounts: one reshare each', () => {
    for (const target of p.farmTargets) {
      const fakes = into.get(target)!;
      expect(new Set(fakes).size).toBe(50);
      expect(fakes).toHaveLength(50);
      expect(plantedKinds(target)).toEqual([KIND.RESHARE]);
      expect(
        fakes.every((a) => a >= organicActors && !acc.real[a] && acc.accountAgeDays[a] < 7 && acc.followers[a] < 3 && acc.posts[a] < 2),
      ).toBe(true);
    }
    for (const target of p.organicTargets) {
      const engagers = into.get(target)!;
      expect(new Set(engagers).size).toBe(50);
      expect(engagers).toHaveLength(50);
      expect(engagers.every(established)).toBe(true);
    }
    // The farms' accounts do nothing else.
    const farmAccounts = new Set(p.farmTargets.length ? [...p.farmTargets].flatMap((t) => into.get(t)!) : []);
    let elsewhere = 0;
    for (let k = 0; k < attacked.interactionCount; k++)
      if (farmAccounts.has(x.actor[k]) && !p.farmTargets.includes(x.target[k])) elsewhere++;
    expect(elsewhere).toBe(0);
  });

  it('plants pods that only engage each other, every day, beside comparisons engaged as often by established accounts', () => {
    for (let pod = 0; pod < 2; pod++) {
      const members = [...p.podMembers.subarray(pod * 5, pod * 5 + 5)];
      for (const m of members) {
        const engagers = into.get(m)!;
        expect(engagers).toHaveLength(4 * 90);
        expect(new Set(engagers)).toEqual(new Set(members.filter((o) => o !== m)));
      }
    }
    for (const c of p.podComparisons) {
      const engagers = into.get(c)!;
      expect(engagers).toHaveLength(4 * 90);
      expect(new Set(engagers).size).toBe(4);
      expect(engagers.every(established)).toBe(true);
    }
  });

  it('plants popular accounts that never signed up, each claimed by a squatter', () => {
    expect(p.squatted.every((a) => a >= organicActors && acc.real[a] && acc.hasEvidence[a])).toBe(true);
    expect(median([...p.squatted].map((a) => acc.followers[a]))).toBeGreaterThan(50 * median(inf.followers));
    for (const account of p.squatted) {
      const engagers = into.get(account)!;
      expect(new Set(engagers).size).toBe(400);
      expect(engagers.every((a) => acc.real[a] && attacked.actorNetwork(a) === attacked.actorNetwork(account))).toBe(true);
    }
    expect(p.squatters.every((s) => attacked.actorNetwork(s) === attacked.actorNetwork(p.squatted[0]))).toBe(true);
  });

  it('plants single hub events by the most popular accounts, and single random interactions', () => {
    const rankOnNetwork = (i: number) =>
      [...attacked.influencers.popularityRank.keys()].filter(
        (j) =>
          attacked.influencers.network[j] === attacked.influencers.network[i] &&
          attacked.influencers.popularityRank[j] < attacked.influencers.popularityRank[i],
      ).length;
    expect(p.range.hubEvents.end - p.range.hubEvents.start).toBe(3);
    p.hubEvents.target.forEach((target, k) => {
      const at = p.range.hubEvents.start + k;
      expect([x.actor[at], x.target[at], x.kind[at]]).toEqual([p.hubEvents.actor[k], target, KIND.RESHARE]);
      expect(base.endMs - x.occurredAtMs[at]).toBeLessThanOrEqual(DAY_MS / 2);
      expect(rankOnNetwork(p.hubEvents.actor[k])).toBeLessThan(10);
      expect(attacked.influencers.popularityRank[target]).toBeGreaterThanOrEqual(n / 2);
    });
    expect(new Set(p.singles.target).size).toBe(20);
    const { start, end } = p.range.singles;
    expect(end - start).toBe(20);
    p.singles.target.forEach((target, k) =>
      expect([x.actor[start + k], x.target[start + k], x.kind[start + k]]).toEqual([p.singles.actor[k], target, KIND.RESHARE]),
    );
  });

  it('plants buyers with bought followers and engagement from a shared farm of fake accounts', () => {
    expect(p.buyers).toHaveLength(Math.round(n * 0.05));
    const unplanted = generateNetwork({ ...base, interactions: 0 });
    p.buyers.forEach((b, k) => {
      expect(attacked.influencers.followers[b]).toBe(unplanted.influencers.followers[b] + p.boughtFollowers[k]);
      expect(attacked.influencers.popularityRank[b]).toBeGreaterThanOrEqual(n / 2);
      const fakes = new Set(into.get(b)!);
      expect(fakes.size).toBe(p.boughtEngagers[k]);
      expect([...fakes].every((a) => a >= organicActors && !acc.real[a])).toBe(true);
    });
    // A farm serves many buyers.
    const buyersOf = new Map<number, number>();
    for (let k = p.range.buyers.start; k < p.range.buyers.end; k++) {
      if (p.buyers.includes(x.target[k])) buyersOf.set(x.actor[k], (buyersOf.get(x.actor[k]) ?? 0) + 1);
    }
    expect(median([...buyersOf.values()])).toBeGreaterThan(2);
  });

  it('keeps planted interactions valid: in the window, on one network, at or after their post', () => {
    const start = base.endMs - 90 * DAY_MS;
    const problems: number[] = [];
    for (let k = total; k < attacked.interactionCount; k++) {
      const a = x.actor[k];
      const t = x.target[k];
      const post = x.post[k];
      const at = x.occurredAtMs[k];
      if (a === t || attacked.actorNetwork(a) !== attacked.actorNetwork(t) || !(at >= start && at < base.endMs && Number.isInteger(at))) {
        problems.push(k);
      }
      if (t < n ? post < 0 || attacked.postAuthor(post) !== t || at < attacked.postedAtMs(post) : post !== -1) problems.push(k);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(attacked.interactionExternalId(attacked.interactionCount - 1)).toMatch(/^i\d+$/);
    expect(new Set(Array.from({ length: attacked.actors }, (_, a) => attacked.handle(a))).size).toBe(attacked.actors);
  });

  it('streams the planted interactions in chunks like the organic ones, deterministically', () => {
    const again = generateNetwork({ ...base, attacks, chunkSize: 1000 });
    const y = collectInteractions(again);
    expect(y.chunkLengths.slice(0, -1).every((l) => l === 1000)).toBe(true);
    expect(differingArrays(y, x)).toEqual([]);
    expect(differingArrays(again.accounts, acc)).toEqual([]);
  });

  it('plants the following 30 days: persistent real audiences, nothing for reserved influencers or bought engagement', () => {
    const future = attacked.futureEngagers();
    expect(differingArrays({ future }, { future: attacked.futureEngagers() })).toEqual([]);
    expect([...p.reserved.keys()].filter((i) => p.reserved[i] && future[i] > 0)).toEqual([]);
    const population = [...future.keys()].filter((i) => !p.reserved[i]);
    const past = realEngagers(attacked, x);
    expect(
      spearman(
        population.map((i) => past[i]),
        population.map((i) => future[i]),
      ),
    ).toBeGreaterThan(0.7);
    expect(median(population.map((i) => future[i]))).toBeGreaterThan(1);

    // Buyers alone reserve nobody: the organic engagement, past and future, is that of the network without them.
    const buying = generateNetwork({ ...base, attacks: { buyerShare: 0.05 } });
    const buyingX = collectInteractions(buying);
    expect(buying.interactionCount).toBeGreaterThan(total);
    expect(differingArrays(sliceAll(buyingX, total), ia)).toEqual([]);
    expect(differingArrays({ future: buying.futureEngagers() }, { future: net.futureEngagers() })).toEqual([]);
  });
});

function sliceAll<T extends object>(columns: T, length: number): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(columns)) out[k] = ArrayBuffer.isView(v) ? (v as Int32Array).subarray(0, length) : v;
  return out as T;
}
