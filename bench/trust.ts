import {
  TRUST_DETAILS,
  TRUST_LINES,
  trustFigures,
  trustScenario,
  type TrustFigures,
} from '../src/modules/activity/synthetic/trust-figures';
import { flag } from './lib';

/**
 * `npm run bench -- trust [--influencers N] [--interactions M] [--seed S]` (default 100,000
 * influencers, 100 organic interactions each, at most 20M): what gaming the score
 * buys under model versions 1 and 2, side by side, on a synthetic network with planted attacks,
 * scored in memory (no database). See src/modules/activity/synthetic/trust-figures.ts for how each
 * figure is measured.
 */
export async function benchTrust(): Promise<Record<string, unknown>> {
  const influencers = flag('influencers', 100_000);
  // Dense enough that a 30-day count is mostly signal: counting exactly the real engagers of the
  // window predicts it at Spearman ~0.87 here (the "ceiling" line), at ~0.80 with 30 per influencer.
  const interactions = flag('interactions', Math.min(100 * influencers, 20_000_000));
  const seed = flag('seed', 1);
  const started = performance.now();
  const scenario = trustScenario({ influencers, interactions, seed });
  const network = scenario.network;
  const setupSeconds = seconds(started);
  const p = network.planted;
  console.log(
    `trust: ${influencers} influencers, ${network.actors} accounts, ${interactions} organic + ${network.interactionCount - interactions} planted interactions (seed ${seed}); built in ${setupSeconds} s`,
  );
  console.log(
    `planted: ${p.farmTargets.length} farm targets x ${network.options.attacks.farmSize} fresh fakes, ${p.organicTargets.length} organic targets x ${network.options.attacks.organicSize} established accounts, ` +
      `${network.options.attacks.pods} pods of ${network.options.attacks.podSize} and ${p.podComparisons.length} comparisons, ${p.squatters.length} squats, ` +
      `${p.hubEvents.target.length} hub events, ${p.singles.target.length} random single interactions, ${p.buyers.length} buyers`,
  );
  console.log('lifts: score in the run with every probe minus score in the run without them (same network, same version)');

  const v1 = trustFigures(scenario, 1);
  console.log(`version 1 scored (3 runs) in ${v1.seconds} s`);
  const v2 = trustFigures(scenario, 2);
  console.log(`version 2 scored (3 runs) in ${v2.seconds} s`);

  const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
  const cell = (x: number) => String(Number.isInteger(x) ? x : x.toFixed(3)).padStart(8);
  console.log('');
  console.log(`${'figure'.padEnd(42)}${'v1'.padStart(8)}${'v2'.padStart(8)}  ${'target'.padEnd(8)}  v1    v2`);
  for (const line of TRUST_LINES) {
    console.log(
      `${line.label.padEnd(42)}${cell(line.value(v1))}${cell(line.value(v2))}  ${line.target.padEnd(8)}  ${verdict(line.pass(v1))}  ${verdict(line.pass(v2))}`,
    );
  }
  console.log('');
  for (const detail of TRUST_DETAILS) console.log(`${detail.label.padEnd(42)}${cell(detail.value(v1))}${cell(detail.value(v2))}`);
  const passed = (f: TrustFigures) => TRUST_LINES.filter((line) => line.pass(f)).length;
  console.log(`\nversion 1 meets ${passed(v1)} of ${TRUST_LINES.length} targets, version 2 ${passed(v2)} of ${TRUST_LINES.length}`);
  return {
    bench: 'trust',
    influencers,
    interactions,
    plantedInteractions: network.interactionCount - interactions,
    seed,
    setupSeconds,
    seconds: seconds(started),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    v1,
    v2,
    v2Passes: passed(v2),
    targets: TRUST_LINES.length,
  };
}

function seconds(fromMs: number): number {
  return Math.round((performance.now() - fromMs) / 100) / 10;
}
