/**
 * What the attacks plant, chosen before any planted interaction is made: the attacked influencers,
 * the buyers and what they buy, the targets of single interactions, and where the planted accounts
 * stand among the actors. Draws from its own stream, STREAM_PLANTED (plantInteractions continues it),
 * so the organic population stays the same whatever is planted.
 */

import { plantsAnything } from './network-options';
import type { Population } from './network-population';
import { Sfc32, shuffle, STREAM_PLANTED } from './network-random';
import { NETWORKS } from './network-types';

// Local aliases: see network-random.ts.
const { exp, log, round } = Math;

// Shape parameters. Changing any of them changes the output for a given seed.
/** A shared farm holds this many accounts per buyer (on its network), plus FARM_POOL_MIN: each engages ~8 buyers. */
const FARM_POOL_PER_BUYER = 5;
const FARM_POOL_MIN = 150;
const BOUGHT_ENGAGERS = { min: 10, max: 100 };
const BOUGHT_FOLLOWERS = { min: 1000, max: 50_000 };

/** Accounts made by the planted shapes, numbered after the organic actors in this order. */
export interface PlantedAccounts {
  /** (a) Farm target k's fresh fakes are farmFirst + k * farmSize .. + farmSize - 1. */
  farmFirst: number;
  /** (f) The buyers' shared farm on network net is poolStart[net] .. poolStart[net + 1] - 1. */
  poolStart: Int32Array;
  /** (d) Squat k's popular non-member is popularFirst + k (squatted[k]). */
  popularFirst: number;
  squatted: Int32Array;
  /** All actors, organic and planted. */
  totalActors: number;
  /** Per planted account (index actor - farmFirst): its network. */
  network: Uint8Array;
}

export interface Plan {
  /** STREAM_PLANTED, as far as the choices took it; plantInteractions continues it. */
  pr: Sfc32;
  planting: boolean;
  /** See SyntheticPlanted.reserved. */
  reserved: Uint8Array;
  /** The network of the attacked influencers: the largest, which has enough established accounts. */
  probeNetwork: number;
  farmTargets: Int32Array;
  organicTargets: Int32Array;
  podMembers: Int32Array;
  podComparisons: Int32Array;
  squatters: Int32Array;
  hubTargets: Int32Array;
  buyers: Int32Array;
  boughtEngagers: Int32Array;
  boughtFollowers: Int32Array;
  /** The targets are chosen here, the actors with the planted interactions. */
  singles: { actor: Int32Array; target: Int32Array };
  accounts: PlantedAccounts;
}

export function tooSmall(what: string): never {
  throw new RangeError(`generateNetwork: too few ${what} for the planted attacks; use more influencers`);
}

export function planAttacks(pop: Population): Plan {
  const { n, inf } = pop;
  const attacks = pop.options.attacks;
  const planting = plantsAnything(pop.options);
  const pr = new Sfc32(pop.seedLo, pop.seedHi, STREAM_PLANTED);
  const reserved = new Uint8Array(planting ? n : 0);
  const taken = new Uint8Array(planting ? n : 0);

  // Attacked influencers: the less popular half of the largest network, which has enough established accounts.
  let probeNetwork = 0;
  for (let net = 1; net < NETWORKS.length; net++) if (pop.networkSize[net] > pop.networkSize[probeNetwork]) probeNetwork = net;
  const candidates: number[] = [];
  if (planting) for (let i = 0; i < n; i++) if (inf.network[i] === probeNetwork && lessPopular(pop, i)) candidates.push(i);
  shuffle(candidates, pr);
  let nextCandidate = 0;
  const draw = (count: number, reserve: boolean): Int32Array => {
    if (nextCandidate + count > candidates.length) tooSmall('less popular influencers');
    const out = Int32Array.from(candidates.slice(nextCandidate, nextCandidate + count));
    nextCandidate += count;
    for (const i of out) {
      taken[i] = 1;
      if (reserve) reserved[i] = 1;
    }
    return out;
  };
  const farmTargets = draw(attacks.farmTargets, true);
  const organicTargets = draw(attacks.organicTargets, true);
  const podMembers = draw(attacks.pods * attacks.podSize, true);
  const podComparisons = draw(attacks.pods > 0 ? attacks.podSize : 0, true);
  const squatters = draw(attacks.squats, true);
  const hubTargets = draw(attacks.hubEvents, false);

  const bought = chooseBuyers(pop, pr, taken);
  const singleTargets: number[] = [];
  if (attacks.singles > 0) for (let i = 0; i < n; i++) if (!taken[i]) singleTargets.push(i);
  if (attacks.singles > singleTargets.length) tooSmall('influencers');
  const singles = { actor: new Int32Array(attacks.singles), target: Int32Array.from(shuffle(singleTargets, pr).slice(0, attacks.singles)) };

  return {
    pr,
    planting,
    reserved,
    probeNetwork,
    farmTargets,
    organicTargets,
    podMembers,
    podComparisons,
    squatters,
    hubTargets,
    ...bought,
    singles,
    accounts: layOutPlantedAccounts(pop, probeNetwork, bought.buyers),
  };
}

/** Never spam or a hub, and in the less popular half. */
function lessPopular(pop: Population, i: number): boolean {
  return pop.inf.popularityRank[i] >= pop.halfN && !pop.inf.isSpam[i] && !pop.inf.isHub[i];
}

/** (f) Buyers among the less popular influencers not yet taken, and how many followers and engagers each buys. */
function chooseBuyers(
  pop: Population,
  pr: Sfc32,
  taken: Uint8Array,
): { buyers: Int32Array; boughtEngagers: Int32Array; boughtFollowers: Int32Array } {
  const buyerCount = round(pop.n * pop.options.attacks.buyerShare);
  const buyerCandidates: number[] = [];
  if (buyerCount > 0) for (let i = 0; i < pop.n; i++) if (lessPopular(pop, i) && !taken[i]) buyerCandidates.push(i);
  if (buyerCount > buyerCandidates.length) tooSmall('less popular influencers');
  const buyers = Int32Array.from(shuffle(buyerCandidates, pr).slice(0, buyerCount));
  for (const b of buyers) taken[b] = 1;
  const boughtEngagers = new Int32Array(buyerCount);
  const boughtFollowers = new Int32Array(buyerCount);
  for (let k = 0; k < buyerCount; k++) {
    boughtEngagers[k] = round(BOUGHT_ENGAGERS.min * exp(pr.float() * log(BOUGHT_ENGAGERS.max / BOUGHT_ENGAGERS.min)));
    boughtFollowers[k] = round(BOUGHT_FOLLOWERS.min * exp(pr.float() * log(BOUGHT_FOLLOWERS.max / BOUGHT_FOLLOWERS.min)));
  }
  return { buyers, boughtEngagers, boughtFollowers };
}

/** Planted accounts: farm accounts of (a), the buyers' shared farm per network, popular non-members of (d). */
function layOutPlantedAccounts(pop: Population, probeNetwork: number, buyers: Int32Array): PlantedAccounts {
  const attacks = pop.options.attacks;
  const organicActors = pop.organicActors;
  const buyersOnNetwork = new Int32Array(NETWORKS.length);
  for (const b of buyers) buyersOnNetwork[pop.inf.network[b]]++;
  const farmFirst = organicActors;
  const poolStart = new Int32Array(NETWORKS.length + 1);
  poolStart[0] = farmFirst + attacks.farmTargets * attacks.farmSize;
  for (let net = 0; net < NETWORKS.length; net++) {
    poolStart[net + 1] = poolStart[net] + (buyersOnNetwork[net] > 0 ? FARM_POOL_MIN + FARM_POOL_PER_BUYER * buyersOnNetwork[net] : 0);
  }
  const popularFirst = poolStart[NETWORKS.length];
  const totalActors = popularFirst + attacks.squats;
  if (totalActors > 0x7fffffff) throw new RangeError('generateNetwork: too many actors');
  const network = new Uint8Array(totalActors - organicActors).fill(probeNetwork);
  for (let net = 0; net < NETWORKS.length; net++) network.fill(net, poolStart[net] - organicActors, poolStart[net + 1] - organicActors);
  const squatted = Int32Array.from({ length: attacks.squats }, (_, k) => popularFirst + k);
  return { farmFirst, poolStart, popularFirst, squatted, totalActors, network };
}
