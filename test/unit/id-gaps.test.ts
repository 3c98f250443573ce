import { IdGaps } from '../../src/modules/notifications/id-gaps';

/** A small seeded generator: a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('IdGaps: which ids of a sequence a follower has seen', () => {
  it('accepts ids above the mark, makes the skipped ones gaps, and fills each gap id once', () => {
    const gaps = new IdGaps(10n);
    expect(gaps.accept([13n, 11n], 0)).toEqual([11n, 13n]);
    expect(gaps.gaps).toEqual([{ from: 12n, to: 12n, since: 0 }]);
    expect(gaps.accept([12n, 13n, 11n], 1)).toEqual([12n]);
    expect(gaps.gaps).toEqual([]);
    expect(gaps.accept([12n, 5n], 2)).toEqual([]);
    expect(gaps.highWater).toBe(13n);
  });

  it('splits a gap filled in its middle and abandons gaps past their time', () => {
    const gaps = new IdGaps(0n);
    gaps.accept([10n], 0);
    gaps.accept([4n], 100);
    expect(gaps.gaps).toEqual([
      { from: 1n, to: 3n, since: 0 },
      { from: 5n, to: 9n, since: 0 },
    ]);
    gaps.accept([20n], 500);
    expect(gaps.expire(200)).toBe(8n);
    expect(gaps.gaps).toEqual([{ from: 11n, to: 19n, since: 500 }]);
    expect(gaps.accept([2n], 600)).toEqual([]);
  });

  it('keeps at most maxRanges gaps, dropping the oldest', () => {
    const gaps = new IdGaps(0n, 3);
    gaps.accept([2n, 4n, 6n, 8n, 10n], 0);
    expect(gaps.gaps.map((g) => g.from)).toEqual([3n, 5n, 7n, 9n].slice(-3));
  });

  it('over random commit orders and batch limits, every committed id is accepted exactly once', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const rnd = random(seed);
      const total = 300;
      // Ids are handed out in order; each commits (or rolls back) at a random later step.
      const committedAt = Array.from({ length: total }, (_, i) => i + Math.floor(rnd() * 40));
      const rolledBack = new Set(Array.from({ length: total }, (_, i) => i + 1).filter(() => rnd() < 0.05));
      const gaps = new IdGaps(0n);
      const accepted: bigint[] = [];
      for (let step = 0; step < total + 60; step++) {
        const visible = (id: number) => committedAt[id - 1] <= step && !rolledBack.has(id);
        const limit = 1 + Math.floor(rnd() * 20);
        // What the relay reads: ids in gaps first, then above the mark, ascending, at most `limit`.
        const inGaps = gaps.gaps.flatMap((g) => {
          const ids: bigint[] = [];
          for (let id = g.from; id <= g.to; id++) if (visible(Number(id))) ids.push(id);
          return ids;
        });
        const read = inGaps.slice(0, limit);
        for (let id = Number(gaps.highWater) + 1; id <= total && read.length < limit; id++) if (visible(id)) read.push(BigInt(id));
        accepted.push(...gaps.accept(read, step));
      }
      const expected = Array.from({ length: total }, (_, i) => BigInt(i + 1)).filter((id) => !rolledBack.has(Number(id)));
      expect([...accepted].sort((a, b) => (a < b ? -1 : 1))).toEqual(expected);
      expect(new Set(accepted).size).toBe(accepted.length);
    }
  });
});
