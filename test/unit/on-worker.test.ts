import { inHalves, onWorker } from '../../src/modules/scoring/score-model';

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
/** Advances counter[slot], then fails if asked to when it runs on a worker thread. */
function bump(counter: Int32Array, slot: number, failOnWorker: boolean): number {
  Atomics.add(counter, slot, 1);
  if (failOnWorker && !require('node:worker_threads').isMainThread) throw new Error('worker half failed');
  return Atomics.load(counter, slot);
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

  it('runs two halves at once, and after a failed worker undoes its half and runs it here', () => {
    const counter = new Int32Array(new SharedArrayBuffer(8));
    expect(inHalves(bump, [], [counter, 0, false], [counter, 1, false])).toEqual([1, 1]);
    counter.fill(0);
    expect(inHalves(bump, [], [counter, 0, false], [counter, 1, true], () => Atomics.store(counter, 1, 0))).toEqual([1, 1]);
    expect([...counter]).toEqual([1, 1]);
  });
});
