import { onWorker } from '../../src/modules/scoring/score-model';

/** Parts for the worker: self-contained functions, as onWorker requires. */
function double(x: number): number {
  return twice(x);
}
function twice(x: number): number {
  return 2 * x;
}
function fill(target: Int32Array, value: number): void {
  target.fill(value);
}
function fail(): number {
  throw new Error('part failed');
}
function spin(): number {
  for (;;);
}

describe('onWorker: a part of the model on a worker thread', () => {
  it('runs the part with its helpers beside the caller, writing shared memory', () => {
    let here = false;
    expect(onWorker(double, [twice], [21], () => (here = true))).toBe(42);
    expect(here).toBe(true);
    const shared = new Int32Array(new SharedArrayBuffer(16));
    onWorker(fill, [], [shared, 7], () => undefined);
    expect([...shared]).toEqual([7, 7, 7, 7]);
  });

  it('answers null when the part fails, so that the caller does it itself', () => {
    expect(onWorker(fail, [], [], () => undefined)).toBeNull();
  });

  it('fails rather than hang when the worker never reports', () => {
    expect(() => onWorker(spin, [], [], () => undefined, 300)).toThrow('did not finish within 0.3 s');
  });
});
