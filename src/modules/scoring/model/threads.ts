/**
 * The model's thread plumbing: running a kernel's halves on this thread and a worker thread over
 * shared memory, and the PageRank pull's long-lived worker. A part meant for a worker that runs
 * here instead (the worker could not start, or failed) gives the same result, only slower; it is
 * never silent: the ThreadLog records it, and the run's stats and log show it.
 */

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ModelInput } from './types';

/** Parts run two-threaded from this many pairs or edges on (below, a thread costs more than it saves). */
export const THREADED_PAIRS = 1 << 20;

/** Two threads from THREADED_PAIRS pairs or edges on, on a machine with more than one core. */
export function defaultThreads(count: number): number {
  return count >= THREADED_PAIRS && availableParallelism() > 1 ? 2 : 1;
}

/** What ran where in one computation: the parts a worker thread ran, and those it was meant to run but did not. */
export class ThreadLog {
  readonly onWorker: string[] = [];
  readonly fallbacks: string[] = [];

  record(part: string, ranOnWorker: boolean): void {
    (ranOnWorker ? this.onWorker : this.fallbacks).push(part);
  }
}

/**
 * How long this thread waits on a worker thread: for a part in onWorker (a second or two at 20M
 * interactions), or for one PageRank iteration.
 */
export const PART_TIMEOUT_MS = 10 * 60_000;

/**
 * A worker thread's script: defines the helper functions and the part from their source text,
 * runs the part with the arguments, and reports in control: [1, result] when done, [-1] if it failed.
 */
const PART_WORKER = `
const { workerData: w } = require('node:worker_threads');
let state = -1;
try {
  const part = new Function(w.helpers.join('\\n') + '\\nreturn ' + w.part)();
  const result = part(...w.args);
  Atomics.store(w.control, 1, typeof result === 'number' ? result : 0);
  state = 1;
} finally {
  Atomics.store(w.control, 0, state);
  Atomics.notify(w.control, 0);
}
`;

/**
 * Runs part(...args) on a worker thread while this thread runs `here`; returns part's result (an
 * int32), or null when the worker could not start or failed, so that the caller does that part
 * itself. `part` and `helpers` (the functions it calls) must be self-contained; the arguments
 * cross by structured clone, so what the worker writes must live in shared memory.
 */
export function onWorker(
  part: Function,
  helpers: Function[],
  args: unknown[],
  here: () => void,
  timeoutMs = PART_TIMEOUT_MS,
): number | null {
  const control = new Int32Array(new SharedArrayBuffer(8));
  let worker: Worker | null = null;
  try {
    worker = new Worker(PART_WORKER, {
      eval: true,
      workerData: { control, part: part.toString(), helpers: helpers.map((f) => f.toString()), args },
    });
    worker.unref();
    worker.on('error', () => undefined); // failures are reported through control[0]
  } catch {
    worker = null;
  }
  here();
  if (!worker) return null;
  // A worker that died without reporting (killed out of memory) would leave this thread waiting
  // for ever: past the timeout the run fails (and can be retried) rather than hang.
  if (Atomics.wait(control, 0, 0, timeoutMs) === 'timed-out') {
    void worker.terminate();
    throw new Error(`a model worker thread did not finish within ${timeoutMs / 1000} s`);
  }
  return Atomics.load(control, 0) === 1 ? Atomics.load(control, 1) : null;
}

/**
 * Runs part(...first) on this thread and part(...second) on a worker thread, at once, and returns
 * both results. If the worker fails, `undo` puts back what its half may have half-written (counters
 * it advanced) and this thread runs the second half too; `log` records which happened.
 * `helpers` as for onWorker.
 */
export function inHalves(
  part: Function,
  helpers: Function[],
  first: unknown[],
  second: unknown[],
  undo: () => void = () => undefined,
  log?: ThreadLog,
): [number, number] {
  let firstResult = 0;
  const run = (args: unknown[]): number => Number(part(...args) ?? 0);
  let secondResult = onWorker(part, helpers, second, () => (firstResult = run(first)));
  log?.record(part.name, secondResult !== null);
  if (secondResult === null) {
    undo();
    secondResult = run(second);
  }
  return [firstResult, secondResult];
}

type Column = Int32Array | Uint16Array | Uint8Array | Float32Array | Float64Array;

/** The array itself when a worker can read it (shared memory), else a shared copy. */
export function shared<T extends Column>(array: T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const copy = new (array.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(array.byteLength));
  copy.set(array as never);
  return copy;
}

export function sharedEdges(edges: ModelInput['edges']): ModelInput['edges'] {
  const { actor, target, kind, ageDays, post } = edges;
  return {
    count: edges.count,
    actor: shared(actor),
    target: shared(target),
    kind: shared(kind),
    ageDays: shared(ageDays),
    post: shared(post),
  };
}

/**
 * The second thread of a pull: it waits on control[0] for an iteration number (-1: stop), runs
 * the pull with ranks[(iteration - 1) % 2] as the input, and reports the iteration done in
 * control[1] (-2: failed).
 */
const PULL_WORKER = `
const { workerData: w } = require('node:worker_threads');
const control = w.control;
try {
  const pull = new Function('return ' + w.pullPart)();
  Atomics.store(control, 1, 0);
  Atomics.notify(control, 1);
  for (let seen = 0; ; ) {
    Atomics.wait(control, 0, seen);
    const command = Atomics.load(control, 0);
    if (command < 0) break;
    seen = command;
    pull(...w.before, w.ranks[(command - 1) % 2], ...w.after);
    Atomics.store(control, 1, command);
    Atomics.notify(control, 1);
  }
} catch {
  Atomics.store(control, 1, -2);
  Atomics.notify(control, 1);
}
`;

/** A pull worker running iterations on command. */
export interface PullWorker {
  /** Starts iteration `command` (1, 2, ...) on the worker. */
  start(command: number): void;
  /** Waits until the worker has finished iteration `command`; throws if it failed or went silent. */
  wait(command: number): void;
  stop(): void;
}

/**
 * Starts a worker that runs pull(...before, ranks[(iteration - 1) % 2], ...after) for each
 * iteration it is told to, or returns null when none could start (the caller pulls both parts);
 * `log` records which. `pull` must be self-contained; the arrays must be shared memory.
 */
export function startPullWorker(
  pull: Function,
  before: unknown[],
  ranks: Float64Array[],
  after: unknown[],
  log?: ThreadLog,
): PullWorker | null {
  const control = new Int32Array(new SharedArrayBuffer(8));
  control[1] = -1;
  let worker: Worker;
  try {
    worker = new Worker(PULL_WORKER, { eval: true, workerData: { control, pullPart: pull.toString(), before, ranks, after } });
  } catch {
    log?.record(pull.name, false);
    return null;
  }
  worker.unref();
  worker.on('error', () => undefined); // failures are reported through control[1]
  const stop = () => {
    Atomics.store(control, 0, -1);
    Atomics.notify(control, 0);
  };
  // The main thread blocks from here on; a worker that has not started within seconds is not used.
  Atomics.wait(control, 1, -1, 10_000);
  if (Atomics.load(control, 1) !== 0) {
    stop();
    void worker.terminate();
    log?.record(pull.name, false);
    return null;
  }
  log?.record(pull.name, true);
  return {
    start(command) {
      Atomics.store(control, 0, command);
      Atomics.notify(control, 0);
    },
    wait(command) {
      for (let done = Atomics.load(control, 1); done !== command; done = Atomics.load(control, 1)) {
        if (done === -2) throw new Error('PageRank worker failed');
        // As in onWorker: a worker that died without reporting fails the run rather than hang it.
        if (Atomics.wait(control, 1, done, PART_TIMEOUT_MS) === 'timed-out') throw new Error('PageRank worker did not answer');
      }
    },
    stop,
  };
}
