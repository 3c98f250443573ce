import { TtlCache } from '../../src/core/ttl-cache';

describe('TtlCache', () => {
  it('serves a value until its time to live, or until the given deadline when sooner', () => {
    const cache = new TtlCache<string, number>(1_000, 10);
    cache.set('a', 1, Infinity, 0);
    cache.set('b', 2, 300, 0);
    expect(cache.get('a', 999)).toBe(1);
    expect(cache.get('a', 1_000)).toBeUndefined();
    expect(cache.get('b', 299)).toBe(2);
    expect(cache.get('b', 300)).toBeUndefined();
  });

  it('stays within its bound, dropping expired entries first, then the oldest', () => {
    const cache = new TtlCache<number, number>(1_000, 3);
    cache.set(1, 1, 100, 0);
    cache.set(2, 2, Infinity, 0);
    cache.set(3, 3, Infinity, 0);
    cache.set(4, 4, Infinity, 200); // 1 has expired: it goes, 2 and 3 stay
    expect([cache.get(2, 200), cache.get(3, 200), cache.get(4, 200)]).toEqual([2, 3, 4]);
    cache.set(5, 5, Infinity, 300); // nothing expired: the oldest (2) goes
    expect(cache.size).toBe(3);
    expect(cache.get(2, 300)).toBeUndefined();
    expect(cache.get(5, 300)).toBe(5);
  });

  it('shares one load between callers and forgets a load that failed', async () => {
    const cache = new TtlCache<string, Promise<number>>(60_000, 10);
    let calls = 0;
    const load = () => {
      calls++;
      return calls === 1 ? Promise.reject(new Error('down')) : Promise.resolve(calls);
    };
    await expect(cache.getOrLoad('k', load)).rejects.toThrow('down');
    const [x, y] = await Promise.all([cache.getOrLoad('k', load), cache.getOrLoad('k', load)]);
    expect([x, y, calls]).toEqual([2, 2, 2]);
  });

  it('deletes the entries a predicate picks', () => {
    const cache = new TtlCache<string, { userId: string }>(60_000, 10);
    cache.set('t1', { userId: 'u1' });
    cache.set('t2', { userId: 'u2' });
    cache.set('t3', { userId: 'u1' });
    cache.deleteWhere((p) => p.userId === 'u1');
    expect([cache.get('t1'), cache.get('t2')?.userId, cache.get('t3')]).toEqual([undefined, 'u2', undefined]);
  });
});
