/** The hidden truth planted for measuring prediction: who engages each influencer after the window. */

import { CLASS_SPAM, type Population } from './network-population';
import type { TargetPicker } from './network-organic';
import { repeats, Sfc32, STREAM_FUTURE } from './network-random';
import type { InteractionChunk, SyntheticAccounts } from './network-types';

// Local aliases: see network-random.ts.
const { floor, max, min, pow, round } = Math;

// Shape parameters. Changing any of them changes the output for a given seed.
/**
 * A real account that engaged a target n times in the window fails to come back in the following `days`
 * with p = this^(3n * days / windowDays): this^n for 30 days after a 90-day window.
 */
const FUTURE_RETURN_MISS = 0.6;
/** New engagers of the next days come from this share of the window's volume (scaled to the days). */
const FUTURE_NEW_SHARE = 0.5;

/** See SyntheticNetwork.futureEngagers. */
export function futureEngagers(
  pop: Population,
  accounts: SyntheticAccounts,
  pickOrganicTarget: TargetPicker,
  interactions: () => Iterable<InteractionChunk>,
  days: number,
): Int32Array {
  if (!(days > 0)) throw new RangeError('futureEngagers: days must be positive');
  const { n, organicActors, activity, totalActivity, actorClass } = pop;
  const total = pop.options.interactions;
  // Audiences persist: each real account that engaged a target in the window comes back with a
  // probability that grows with how often it engaged; new engagers come from the window's own
  // process (the same accounts, activity and popularity), scaled to `days`, with its own stream.
  // Actor by actor, so one "last engager" per target tells a new engager from one already counted.
  const r = new Sfc32(pop.seedLo, pop.seedHi, STREAM_FUTURE);
  const scale = days / pop.options.windowDays;
  const futureTotal = round(total * scale * FUTURE_NEW_SHARE);
  const perFuture = totalActivity > 0 ? futureTotal / totalActivity : 0;
  const offset = r.float();
  const engagers = new Int32Array(n);
  const lastEngager = new Int32Array(n).fill(-1);
  const count = (a: number, t: number) => {
    if (lastEngager[t] !== a) {
      lastEngager[t] = a;
      engagers[t]++;
    }
  };
  const past = new Map<number, number>();
  const organic = interactions()[Symbol.iterator]();
  let chunk: InteractionChunk | null = null;
  let k = 0;
  let seen = 0;
  let cumulative = 0;
  let done = 0;
  for (let a = 0; a < organicActors; a++) {
    const real = accounts.real[a] === 1;
    past.clear();
    for (; seen < total; seen++, k++) {
      if (!chunk || k === chunk.actor.length) {
        chunk = organic.next().value as InteractionChunk;
        k = 0;
      }
      if (chunk.actor[k] !== a) break;
      past.set(chunk.target[k], (past.get(chunk.target[k]) ?? 0) + 1);
    }
    for (const [t, times] of past) if (r.float() >= pow(FUTURE_RETURN_MISS, times * scale * 3) && real) count(a, t);
    cumulative += activity[a];
    const end = a === organicActors - 1 ? futureTotal : min(futureTotal, floor(cumulative * perFuture + offset));
    const spam = actorClass[a] === CLASS_SPAM;
    for (let left = end - done; left > 0;) {
      const t = pickOrganicTarget(a, r);
      left -= spam ? 1 : repeats(r);
      if (real) count(a, t);
    }
    done = max(done, end);
  }
  return engagers;
}
