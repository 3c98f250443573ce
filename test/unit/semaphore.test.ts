import { Semaphore } from '../../src/core/semaphore';

describe('Semaphore', () => {
  it('lets at most its permits in at once, the rest in arrival order, and frees a permit when work fails', async () => {
    const gate = new Semaphore(2);
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    const releases: Array<() => void> = [];
    const runs = Array.from({ length: 6 }, (_, i) =>
      gate
        .run(async () => {
          inside++;
          most = Math.max(most, inside);
          order.push(i);
          await new Promise<void>((resolve) => releases.push(resolve));
          inside--;
          if (i === 1) throw new Error('failed work');
          return i;
        })
        .then(
          () => 'fulfilled',
          () => 'rejected',
        ),
    );
    // Release whoever is inside, one at a time, until all six have run.
    for (let released = 0; released < 6; released++) {
      while (releases.length === 0) await new Promise((resolve) => setImmediate(resolve));
      releases.shift()!();
    }
    const results = await Promise.all(runs);
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(() => new Semaphore(0)).toThrow('at least one permit');
  });
});
