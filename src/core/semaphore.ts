/**
 * At most `permits` callers inside at once; the others wait their turn, in order, in this process.
 * For work whose cost at the shared resource grows with how many arrive at once (transactions
 * queueing for one hot row: every waiter costs Postgres a lock wait, a timer and a wake-up).
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly permits: number) {
    if (!Number.isInteger(permits) || permits < 1) throw new Error(`a semaphore needs at least one permit, not ${permits}`);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.permits) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      // The permit passes straight to the next in line (active stays the same), or is given back.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
