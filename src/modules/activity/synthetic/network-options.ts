import { DAY_MS } from './network-random';
import type { NormalisedOptions, SyntheticOptions } from './network-types';

const MAX_TOPICS = 255;

function isInteger(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x);
}

/** The options with their defaults, checked: a RangeError names the first that cannot be honoured. */
export function normalise(input: SyntheticOptions): NormalisedOptions {
  const attacks = input.attacks ?? {};
  const options: NormalisedOptions = {
    influencers: input.influencers,
    interactions: input.interactions,
    seed: input.seed,
    topics: input.topics,
    topicFamilies: [...input.topicFamilies],
    windowDays: input.windowDays ?? 90,
    endMs: input.endMs,
    extraActorsRatio: input.extraActorsRatio ?? 1.5,
    chunkSize: input.chunkSize ?? 262_144,
    idPrefix: input.idPrefix ?? '',
    attacks: {
      farmTargets: attacks.farmTargets ?? 0,
      farmSize: attacks.farmSize ?? 50,
      organicTargets: attacks.organicTargets ?? 0,
      organicSize: attacks.organicSize ?? 50,
      pods: attacks.pods ?? 0,
      podSize: attacks.podSize ?? 20,
      squats: attacks.squats ?? 0,
      hubEvents: attacks.hubEvents ?? 0,
      singles: attacks.singles ?? 0,
      buyerShare: attacks.buyerShare ?? 0,
    },
  };
  const fail = (message: string): never => {
    throw new RangeError(`generateNetwork: ${message}`);
  };
  if (!isInteger(options.influencers) || options.influencers < 1) fail('influencers must be a positive integer');
  if (!isInteger(options.interactions) || options.interactions < 0) fail('interactions must be a non-negative integer');
  if (options.interactions > 0 && options.influencers < 2) fail('interactions need at least 2 influencers');
  if (!isInteger(options.seed)) fail('seed must be an integer');
  if (!isInteger(options.topics) || options.topics < 1 || options.topics > MAX_TOPICS) fail(`topics must be 1..${MAX_TOPICS}`);
  if (options.topicFamilies.length !== options.topics) fail('topicFamilies must have one entry per topic');
  if (!options.topicFamilies.every((f) => isInteger(f) && f >= 0)) fail('topic families must be non-negative integers');
  if (!(options.windowDays > 0) || !isInteger(options.windowDays * DAY_MS)) fail('windowDays must be positive');
  if (!isInteger(options.endMs)) fail('endMs must be an integer (epoch ms)');
  if (!(options.extraActorsRatio >= 0) || !Number.isFinite(options.extraActorsRatio)) fail('extraActorsRatio must be >= 0');
  if (!isInteger(options.chunkSize) || options.chunkSize < 1) fail('chunkSize must be a positive integer');
  if (!/^[A-Za-z0-9_.-]{0,32}$/.test(options.idPrefix)) fail('idPrefix must match /^[A-Za-z0-9_.-]{0,32}$/');
  if (options.influencers + Math.round(options.influencers * options.extraActorsRatio) > 0x7fffffff) fail('too many actors');
  const a = options.attacks;
  for (const key of [
    'farmTargets',
    'farmSize',
    'organicTargets',
    'organicSize',
    'pods',
    'podSize',
    'squats',
    'hubEvents',
    'singles',
  ] as const) {
    if (!isInteger(a[key]) || a[key] < 0) fail(`attacks.${key} must be a non-negative integer`);
  }
  if (a.pods > 0 && a.podSize < 2) fail('attacks.podSize must be at least 2');
  if (!(a.buyerShare >= 0 && a.buyerShare <= 0.5)) fail('attacks.buyerShare must be in [0, 0.5]');
  if (plantsAnything(options) && options.interactions === 0) fail('planted attacks need organic interactions');
  return options;
}

export function plantsAnything(options: NormalisedOptions): boolean {
  const a = options.attacks;
  return a.farmTargets + a.organicTargets + a.pods + a.squats + a.hubEvents + a.singles > 0 || a.buyerShare > 0;
}
