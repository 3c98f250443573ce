import { KIND, PLANTED_SHAPES, generateNetwork } from '../../src/modules/activity/synthetic/network-generator';
import { spearman } from '../../src/modules/activity/synthetic/trust-figures';
import { base, collectInteractions, DAY_MS, differingArrays, median, realEngagers, sliceAll } from '../helpers/synthetic-network';

// The planted attacks and the following days' engagers, beside the organic network of the same
// options (network-generator.test.ts tests that one).
const net = generateNetwork(base);
const n = base.influencers;
const inf = net.influencers;
const ia = collectInteractions(net);
const total = base.interactions;

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
