import { Client } from 'pg';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadModelInput, windowOf } from '../src/modules/scoring/score-run-loader';
import { computeScores, PARAMS, type ModelResult, type ModelVersion } from '../src/modules/scoring/score-model';
import { flag, seededDatabase } from './lib';

/** How many of `a` and `b` differ (as `key` sees them), and by how much at most. */
function moved(a: ArrayLike<number>, b: ArrayLike<number>, key: (x: number) => number = (x) => x): { count: number; max: number } {
  let count = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(key(a[i]) - key(b[i]));
    if (d > 0) count++;
    if (d > max) max = d;
  }
  return { count, max };
}

/** What a run stores of a component (real, i.e. float4) and its whole points. */
const stored = (x: number) => Math.fround(x);

function compared(current: ModelResult, candidate: ModelResult) {
  const a = current.influencers;
  const b = candidate.influencers;
  return {
    scores: moved(a.score, b.score),
    topicScores: moved(a.topicScores, b.topicScores),
    reach: moved(a.reach, b.reach, stored).count,
    amplification: moved(a.amplification, b.amplification, stored).count,
    authority: moved(a.authority, b.authority, stored).count,
    authorityPoints: moved(a.authority, b.authority, Math.round).count,
  };
}

/**
 * `npm run bench -- tolerance [--influencers N] [--interactions M] [--tolerances 1e-6,1e-7,1e-8,1e-9]`:
 * PageRank's stopping tolerance, measured. Loads the scores bench's database once, then computes
 * each model version at its current tolerance and at each candidate, in this process, and prints
 * iterations, PageRank seconds and how many influencers' scores, topic scores and components
 * differ from the current tolerance's (components as stored: real; authority also in whole points).
 */
export async function benchTolerance(): Promise<Record<string, unknown>> {
  const influencers = flag('influencers', 1_000_000);
  const interactions = flag('interactions', 20_000_000);
  const seed = flag('seed', 1);
  const at = process.argv.indexOf('--tolerances');
  const candidates = (at > 0 ? process.argv[at + 1] : '1e-6,1e-7,1e-8,1e-9').split(',').map(Number);
  const { url, runDate } = await seededDatabase(influencers, interactions, seed);
  const client = new Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  const { model } = await loadModelInput(client, windowOf(runDate), () => undefined).finally(() => client.end());
  console.log(
    `loaded ${influencers} influencers / ${model.edges.count} interactions in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  // Each computation leaves ~1 GB of shared buffers to the collector: collected before the next,
  // or the later ones run slower (measured without: PageRank 6.6 s in the first, 52 s in the seventh).
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  console.log(
    'model  tolerance   iterations  pagerank s  scores moved (max)  topic scores moved (max)  reach  amplification  authority (in whole points)',
  );
  const rows: Array<Record<string, unknown>> = [];
  const current = PARAMS.tolerance;
  for (const version of [1, 2] as ModelVersion[]) {
    gc();
    const reference = computeScores(model, { version, figures: false });
    const line = (tolerance: number, result: ModelResult) => {
      const c = compared(reference, result);
      const row = {
        version,
        tolerance,
        current: tolerance === current,
        iterations: result.stats.iterations,
        pagerankSeconds: result.stats.phases.pagerank,
        ...c,
      };
      rows.push(row);
      console.log(
        `v${version}     ${tolerance.toExponential(0).padEnd(6)}${tolerance === current ? '*' : ' '}    ${String(result.stats.iterations).padStart(3)}         ${result.stats.phases.pagerank.toFixed(2).padStart(5)}       ` +
          `${String(c.scores.count).padStart(7)} (${c.scores.max})          ${String(c.topicScores.count).padStart(7)} (${c.topicScores.max})               ` +
          `${c.reach}      ${c.amplification}              ${c.authority} (${c.authorityPoints})`,
      );
    };
    line(current, reference);
    for (const tolerance of candidates.filter((t) => t !== current)) {
      gc();
      line(tolerance, computeScores(model, { version, figures: false, tolerance }));
    }
  }
  console.log('* PARAMS.tolerance in model/formulas.ts; moved: influencers whose value differs from it');
  return { bench: 'tolerance', influencers, interactions, seed, rows };
}
