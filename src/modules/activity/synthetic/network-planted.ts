/**
 * The planted interactions, shape by shape in PLANTED_SHAPES order; they follow the organic ones. They
 * continue the planting stream (STREAM_PLANTED) and are kept in memory, being few.
 */

import type { Population } from './network-population';
import type { Plan } from './network-planting';
import { tooSmall } from './network-planting';
import type { Posts } from './network-posts';
import { DAY_MS, groupSize, repeats, type Sfc32 } from './network-random';
import { KIND, type PlantedShape, type SyntheticAccounts } from './network-types';

// Local aliases: see network-random.ts.
const { min } = Math;

// Shape parameters. Changing any of them changes the output for a given seed.
/** Real accounts that engage each popular non-member planted for squatting. */
const POPULAR_ENGAGERS = 400;
/** Hub events come from the network's most popular accounts, this many of them in turn. */
const TOP_ACCOUNTS = 10;
/** An established account: real, described, at least a year old, with followers and a posting history. */
const ESTABLISHED = { ageDays: 365, followers: 50, posts: 20 };

/** Typed columns of planted interactions, grown as they are added. */
export class PlantedColumns {
  length = 0;
  actor = new Int32Array(1024);
  target = new Int32Array(1024);
  kind = new Uint8Array(1024);
  post = new Int32Array(1024);
  occurredAtMs = new Float64Array(1024);

  add(actor: number, target: number, kind: number, post: number, occurredAtMs: number): void {
    if (this.length === this.actor.length) {
      const grow = <T extends Int32Array | Uint8Array | Float64Array>(a: T): T => {
        const bigger = new (a.constructor as new (n: number) => T)(2 * a.length);
        bigger.set(a as never);
        return bigger;
      };
      this.actor = grow(this.actor);
      this.target = grow(this.target);
      this.kind = grow(this.kind);
      this.post = grow(this.post);
      this.occurredAtMs = grow(this.occurredAtMs);
    }
    const k = this.length++;
    this.actor[k] = actor;
    this.target[k] = target;
    this.kind[k] = kind;
    this.post[k] = post;
    this.occurredAtMs[k] = occurredAtMs;
  }
}

export interface PlantedInteractions {
  columns: PlantedColumns;
  /** Global interaction index range of each shape (see SyntheticPlanted.range). */
  range: Record<PlantedShape, { start: number; end: number }>;
  hubEvents: { actor: Int32Array; target: Int32Array };
}

/** Adds planted interactions at the times and on the posts the shapes want, and records each shape's range. */
class Planter {
  readonly columns = new PlantedColumns();
  readonly range = {} as Record<PlantedShape, { start: number; end: number }>;
  private shapeStart = 0;

  constructor(
    private readonly pop: Population,
    readonly pr: Sfc32,
    private readonly posts: Posts,
  ) {}

  /** Closes the shape whose interactions were added since the previous one closed. */
  endShape(shape: PlantedShape): void {
    const organic = this.pop.options.interactions;
    this.range[shape] = { start: organic + this.shapeStart, end: organic + this.columns.length };
    this.shapeStart = this.columns.length;
  }

  /**
   * A reaction to `target` at `wantedMs`, on its latest post by then; at its first post's time if it has
   * none that old; on no post (-1) if the target is not an influencer.
   */
  react(actor: number, target: number, kind: number, wantedMs: number): void {
    const { postStart } = this.pop;
    if (target >= this.pop.n) {
      this.columns.add(actor, target, kind, -1, wantedMs);
      return;
    }
    let best = -1;
    let bestAt = -Infinity;
    let first = -1;
    let firstAt = Infinity;
    for (let p = postStart[target]; p < postStart[target + 1]; p++) {
      const at = this.posts.postedAt(p);
      if (at <= wantedMs && at > bestAt) {
        best = p;
        bestAt = at;
      }
      if (at < firstAt) {
        first = p;
        firstAt = at;
      }
    }
    if (best >= 0) this.columns.add(actor, target, kind, best, wantedMs);
    else this.columns.add(actor, target, kind, first, firstAt);
  }

  /** An integer time in the last `ms` of the window. */
  withinLast(ms: number): number {
    return this.pop.endMs - 1 - this.pr.below(ms - 1);
  }

  anyTimeInWindow(): number {
    return this.pop.windowStart + this.pr.below(this.pop.windowMs);
  }

  /** `count` distinct members of `pool`, at most all but one of them. */
  distinctFrom(pool: Int32Array, count: number): number[] {
    if (count > pool.length - 1) tooSmall('accounts');
    const chosen = new Set<number>();
    while (chosen.size < count) chosen.add(pool[this.pr.below(pool.length)]);
    return [...chosen];
  }

  /** Each engager reshares `target` once a day, every day of the window. */
  daily(engagers: ArrayLike<number>, target: number): void {
    for (let d = 0; d < this.pop.options.windowDays; d++) {
      for (let k = 0; k < engagers.length; k++) {
        this.react(engagers[k], target, KIND.RESHARE, this.pop.endMs - d * DAY_MS - 1 - this.pr.below(DAY_MS - 1));
      }
    }
  }
}

export function plantInteractions(
  pop: Population,
  plan: Plan,
  accounts: SyntheticAccounts,
  posts: Posts,
  actorNetwork: (actor: number) => number,
): PlantedInteractions {
  const attacks = pop.options.attacks;
  const p = new Planter(pop, plan.pr, posts);
  plantBuyers(p, pop, plan);
  p.endShape('buyers');
  const { realPool, establishedPool } = probeNetworkAccounts(pop, plan, accounts, actorNetwork);
  // (d) Popular accounts that never signed up: each engaged by POPULAR_ENGAGERS real accounts, with repeats.
  for (const account of plan.accounts.squatted) {
    for (const engager of p.distinctFrom(realPool, min(POPULAR_ENGAGERS, realPool.length - 1))) {
      for (let times = min(20, repeats(p.pr)); times > 0; times--) {
        const roll = p.pr.float();
        p.react(engager, account, roll < 0.6 ? KIND.LIKE : roll < 0.85 ? KIND.RESHARE : KIND.REPLY, p.anyTimeInWindow());
      }
    }
  }
  p.endShape('popular');

  // (a) Farms: farmSize fresh accounts per target, one reshare each, in the last 3 days.
  plan.farmTargets.forEach((target, k) => {
    for (let j = 0; j < attacks.farmSize; j++) {
      p.react(plan.accounts.farmFirst + k * attacks.farmSize + j, target, KIND.RESHARE, p.withinLast(3 * DAY_MS));
    }
  });
  p.endShape('farms');
  // (b) The control: organicSize established accounts per target, one reshare each, in the last 3 days.
  for (const target of plan.organicTargets) {
    for (const engager of p.distinctFrom(establishedPool, attacks.organicSize))
      p.react(engager, target, KIND.RESHARE, p.withinLast(3 * DAY_MS));
  }
  p.endShape('organic');
  // (c) Pods: every member reshares every other member once a day; and the comparisons, each reshared
  // once a day by podSize - 1 established accounts of their own.
  for (let pod = 0; pod < attacks.pods; pod++) {
    const members = plan.podMembers.subarray(pod * attacks.podSize, (pod + 1) * attacks.podSize);
    for (const target of members)
      p.daily(
        members.filter((m) => m !== target),
        target,
      );
  }
  p.endShape('pods');
  for (const target of plan.podComparisons) p.daily(p.distinctFrom(establishedPool, attacks.podSize - 1), target);
  p.endShape('podComparisons');

  const hubEvents = plantHubEvents(p, pop, plan);
  p.endShape('hubEvents');
  plantSingles(p, pop, plan, actorNetwork);
  p.endShape('singles');
  return { columns: p.columns, range: p.range, hubEvents };
}

/**
 * (f) Buyers: each engaged by distinct accounts of its network's farm; each farm account also likes
 * two of the network's 100 most popular accounts, as camouflage.
 */
function plantBuyers(p: Planter, pop: Population, plan: Plan): void {
  const { poolStart, popularFirst } = plan.accounts;
  const { byNetwork } = pop;
  const farms = Array.from({ length: poolStart.length - 1 }, (_, net) =>
    Int32Array.from({ length: poolStart[net + 1] - poolStart[net] }, (_, j) => poolStart[net] + j),
  );
  plan.buyers.forEach((b, k) => {
    for (const fake of p.distinctFrom(farms[pop.inf.network[b]], plan.boughtEngagers[k])) {
      for (let times = 1 + p.pr.below(2); times > 0; times--)
        p.react(fake, b, p.pr.float() < 0.6 ? KIND.LIKE : KIND.RESHARE, p.anyTimeInWindow());
    }
  });
  for (let fake = poolStart[0]; fake < popularFirst; fake++) {
    const net = plan.accounts.network[fake - pop.organicActors];
    const top = min(100, groupSize(byNetwork, net));
    for (let k = 0; k < 2; k++) p.react(fake, byNetwork.member[byNetwork.start[net] + p.pr.below(top)], KIND.LIKE, p.anyTimeInWindow());
  }
}

/** Real accounts of the attacked network (reserved influencers aside), and the established ones among those who never signed up. */
function probeNetworkAccounts(
  pop: Population,
  plan: Plan,
  accounts: SyntheticAccounts,
  actorNetwork: (actor: number) => number,
): { realPool: Int32Array; establishedPool: Int32Array } {
  const { n } = pop;
  const realOnProbe: number[] = [];
  const established: number[] = [];
  if (plan.planting) {
    for (let a = 0; a < pop.organicActors; a++) {
      if (actorNetwork(a) !== plan.probeNetwork || !accounts.real[a] || (a < n && plan.reserved[a])) continue;
      realOnProbe.push(a);
      if (
        a >= n &&
        accounts.hasEvidence[a] &&
        accounts.accountAgeDays[a] >= ESTABLISHED.ageDays &&
        accounts.followers[a] >= ESTABLISHED.followers &&
        accounts.posts[a] >= ESTABLISHED.posts
      ) {
        established.push(a);
      }
    }
  }
  return { realPool: Int32Array.from(realOnProbe), establishedPool: Int32Array.from(established) };
}

/** (e) Hub events: the network's most popular accounts in turn, one reshare each, in the last 12 hours. */
function plantHubEvents(p: Planter, pop: Population, plan: Plan): { actor: Int32Array; target: Int32Array } {
  const { byNetwork } = pop;
  const net = plan.probeNetwork;
  const topAccounts: number[] = [];
  for (let k = byNetwork.start[net]; k < byNetwork.start[net + 1] && topAccounts.length < TOP_ACCOUNTS; k++) {
    if (!plan.reserved[byNetwork.member[k]]) topAccounts.push(byNetwork.member[k]);
  }
  const hubEvents = { actor: new Int32Array(plan.hubTargets.length), target: plan.hubTargets };
  plan.hubTargets.forEach((target, k) => {
    hubEvents.actor[k] = topAccounts[k % topAccounts.length];
    p.react(hubEvents.actor[k], target, KIND.RESHARE, p.withinLast(DAY_MS / 2));
  });
  return hubEvents;
}

/** Single random interactions: an actor drawn by activity, on the target's network, in the last 12 hours. */
function plantSingles(p: Planter, pop: Population, plan: Plan, actorNetwork: (actor: number) => number): void {
  const { organicActors, activity, totalActivity } = pop;
  const singles = plan.singles;
  if (singles.target.length === 0) return;
  const cumulativeActivity = new Float64Array(organicActors);
  for (let a = 0, acc = 0; a < organicActors; a++) cumulativeActivity[a] = acc += activity[a];
  singles.target.forEach((target, k) => {
    for (let attempt = 0; ; attempt++) {
      const u = p.pr.float() * totalActivity;
      let lo = 0;
      let hi = organicActors - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulativeActivity[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      if (lo !== target && actorNetwork(lo) === pop.inf.network[target]) {
        singles.actor[k] = lo;
        break;
      }
      if (attempt === 10_000) tooSmall('actors on a network');
    }
    p.react(singles.actor[k], target, KIND.RESHARE, p.withinLast(DAY_MS / 2));
  });
}
