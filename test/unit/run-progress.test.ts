import { PassThrough } from 'node:stream';
import { bar, describe as describeRun, lineSink, ttySink, type RunView } from '../../src/cli/progress';
import { computeScores, PARAMS } from '../../src/modules/scoring/score-model';
import { convergenceOf } from '../../src/modules/scoring/model/compute';
import { DEFAULT_WEIGHTS, progressOf } from '../../src/modules/scoring/run-progress';
import { modelInput, randomGraph } from '../helpers/model-input';

/** The shared counters as RunProgress lays them out: [phase + 1, (done, total) x 4, start ms x 4]. */
function counters(phase: number, work: Array<[number, number]>, starts: number[]): Float64Array {
  return new Float64Array([phase + 1, ...work.flat(), ...starts]);
}

describe('score run progress figures', () => {
  const weights = [0.4, 0.3, 0.2, 0.1];

  it('adds the phases done and the current phase share, weighted, and extrapolates the time left', () => {
    const c = counters(
      2,
      [
        [100, 100],
        [12, 12],
        [250, 1000],
        [0, 0],
      ],
      [1_000, 5_000, 7_000, 0],
    );
    const p = progressOf(c, weights, 1_000, 11_000)!;
    expect(p.phase).toBe('WRITING');
    expect(p.fraction).toBe(0.25);
    expect(p.overall).toBeCloseTo(0.4 + 0.3 + 0.2 * 0.25);
    // 10 s for 75%: 3.3 s left.
    expect(p.etaSeconds).toBeCloseTo(3.3, 1);
    expect(p.work).toEqual({
      LOADING: { done: 100, total: 100, seconds: 4 },
      COMPUTING: { done: 12, total: 12, seconds: 2 },
      WRITING: { done: 250, total: 1000, seconds: 4 },
      SWITCHING: { done: 0, total: 0, seconds: null },
    });
  });

  it('has no figures before the first phase, no ETA before 1%, and never claims 1 while running', () => {
    expect(progressOf(new Float64Array(13), weights, 0, 10)).toBeNull();
    const early = progressOf(
      counters(
        0,
        [
          [1, 1000],
          [0, 0],
          [0, 0],
          [0, 0],
        ],
        [1, 0, 0, 0],
      ),
      weights,
      0,
      10_000,
    )!;
    expect(early.overall).toBeCloseTo(0.0004);
    expect(early.etaSeconds).toBeNull();
    const last = progressOf(
      counters(
        3,
        [
          [1, 1],
          [1, 1],
          [1, 1],
          [5, 5],
        ],
        [1, 2, 3, 4],
      ),
      weights,
      0,
      10,
    )!;
    expect(last.overall).toBe(0.99);
  });

  it('is self-contained, as the progress thread runs it from its source text', () => {
    const rebuilt = new Function(`return ${progressOf.toString()}`)() as typeof progressOf;
    const c = counters(
      1,
      [
        [5, 5],
        [3, 12],
        [0, 0],
        [0, 0],
      ],
      [1, 2, 0, 0],
    );
    expect(rebuilt(c, DEFAULT_WEIGHTS, 0, 1_000)).toEqual(progressOf(c, DEFAULT_WEIGHTS, 0, 1_000));
  });

  it('measures PageRank by its convergence, from 0 to 1 and never backwards', () => {
    const first = 0.5;
    const tolerance = 1e-7;
    let previous = 0;
    for (let i = 1, residual = first; residual > tolerance; i++, residual /= 2) {
      const f = convergenceOf(first, residual, tolerance, i, PARAMS.maxIterations);
      expect(f).toBeGreaterThanOrEqual(previous);
      expect(f).toBeLessThanOrEqual(1);
      previous = f;
    }
    expect(convergenceOf(first, tolerance / 2, tolerance, 30, PARAMS.maxIterations)).toBe(1);
    expect(convergenceOf(first, first, tolerance, 1, PARAMS.maxIterations)).toBeCloseTo(1 / PARAMS.maxIterations);
  });

  it('reports the computation step by step up to its total, a few dozen calls, never per node', () => {
    const seen: Array<[number, number]> = [];
    computeScores(modelInput(randomGraph(2_000, 20_000, 7)), { onProgress: (done, total) => seen.push([done, total]) });
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.length).toBeLessThan(PARAMS.maxIterations + 10);
    for (let i = 1; i < seen.length; i++) expect(seen[i][0]).toBeGreaterThanOrEqual(seen[i - 1][0]);
    const [done, total] = seen.at(-1)!;
    expect(done).toBe(total);
  });
});

describe('score-run follow output', () => {
  const run = (over: Partial<RunView>): RunView => ({
    id: '7',
    runDate: '2026-12-03',
    status: 'RUNNING',
    phase: 'WRITING',
    progress: 0.634,
    phaseProgress: 0.4,
    etaSeconds: 75,
    startedAt: new Date(Date.now() - 12_000).toISOString(),
    finishedAt: null,
    error: null,
    ...over,
  });

  it('says phase, percent, elapsed time and time left in one line', () => {
    expect(describeRun(run({}))).toBe('run 7 (2026-12-03) WRITING 63.4% (phase 40.0%) elapsed 12s, about 1m15s left');
    expect(describeRun(run({ status: 'FAILED', error: 'boom', finishedAt: new Date().toISOString() }))).toMatch(
      /^run 7 \(2026-12-03\) FAILED 63\.4% elapsed 12s: boom$/,
    );
  });

  it('draws a bar that fits the terminal', () => {
    const drawn = bar(run({}), 80);
    expect(drawn.length).toBeLessThanOrEqual(80);
    expect(drawn).toMatch(/^\[#+-+\]  63\.4% WRITING 12s ETA 1m15s$/);
    expect(bar(run({ progress: 1, status: 'SUCCEEDED' }), 60)).toMatch(/^\[#+\] 100\.0% SUCCEEDED/);
  });

  it('redraws one line on a terminal; prints a line per change elsewhere', () => {
    const tty = Object.assign(new PassThrough(), { columns: 80, isTTY: true }) as unknown as NodeJS.WriteStream;
    let drawn = '';
    (tty as unknown as PassThrough).on('data', (c: Buffer) => (drawn += c.toString()));
    const sink = ttySink(tty);
    sink.update(run({}));
    sink.update(run({ progress: 0.7 }));
    sink.end(run({ progress: 1, status: 'SUCCEEDED' }));
    expect(drawn.split('\r').length).toBe(4);
    expect(drawn.trimEnd().split('\n')).toHaveLength(2);

    const plain = new PassThrough();
    let lines = '';
    plain.on('data', (c: Buffer) => (lines += c.toString()));
    const log = lineSink(plain, false);
    log.update(run({ progress: 0.631 }));
    log.update(run({ progress: 0.639 })); // the same whole percent: no new line
    log.update(run({ progress: 0.65 }));
    log.end(run({ progress: 0.65 }));
    expect(lines.trimEnd().split('\n')).toHaveLength(2);
    expect(lines).not.toContain('\r');
  });
});
