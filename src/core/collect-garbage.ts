import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null = null;

/**
 * A full garbage collection, now. For a job whose large typed arrays die in steps (a score run):
 * V8 frees an array's memory only when it collects, and it collects by its own measure, so a
 * step's dead temporaries can still be held when the next step allocates, at the peak. With a
 * small JavaScript heap a full collection takes milliseconds. Exposed once, on first use.
 */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
