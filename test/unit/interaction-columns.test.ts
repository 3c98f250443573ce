import { InteractionColumns } from '../../src/modules/scoring/score-run-loader';

/** Adds row `n` (actor n, target n + 1, kind 1 + n % 4, age n / 10, post n or a wide id) from the bottom or the top. */
function add(columns: InteractionColumns, n: number, fromTop: boolean, wide = false): void {
  const i = columns.slot(fromTop);
  columns.actor[i] = n;
  columns.target[i] = n + 1;
  columns.kind[i] = 1 + (n % 4);
  columns.ageDays[i] = n / 10;
  columns.setPostId(i, wide ? 2 ** 40 + n : n);
}

/** The joined rows as sorted strings, to compare as multisets. */
function rowsOf(columns: InteractionColumns): string[] {
  const { edges, wideIds } = columns.joined();
  return Array.from({ length: edges.count }, (_, e) =>
    [edges.actor[e], edges.target[e], edges.kind[e], edges.ageDays[e], wideIds ? wideIds[e] : edges.post[e]].join(','),
  ).sort();
}

const expected = (ns: number[], wideFrom = Infinity) =>
  ns.map((n) => [n, n + 1, 1 + (n % 4), Math.fround(n / 10), n >= wideFrom ? 2 ** 40 + n : n].join(',')).sort();

describe('InteractionColumns: two readers filling one set of columns from both ends', () => {
  it('joins the two ends into one run when they leave a gap, whichever end is larger', () => {
    for (const [bottom, top] of [
      [10, 3],
      [3, 10],
      [0, 7],
      [7, 0],
      [0, 0],
    ]) {
      const columns = new InteractionColumns(32);
      const ns: number[] = [];
      for (let n = 0; n < Math.max(bottom, top); n++) {
        if (n < bottom) {
          add(columns, n, false);
          ns.push(n);
        }
        if (n < top) {
          add(columns, 1000 + n, true);
          ns.push(1000 + n);
        }
      }
      expect(rowsOf(columns)).toEqual(expected(ns));
      expect(columns.joined().edges.count).toBe(bottom + top);
    }
  });

  it('grows when the ends meet, keeping both ends', () => {
    const columns = new InteractionColumns(4);
    const ns: number[] = [];
    for (let n = 0; n < 100; n++) {
      const fromTop = n % 3 === 0;
      add(columns, n, fromTop);
      ns.push(n);
    }
    expect(rowsOf(columns)).toEqual(expected(ns));
  });

  it('switches every post id to wide ids once one passes 2^31, on both ends', () => {
    const columns = new InteractionColumns(8);
    const ns: number[] = [];
    for (let n = 0; n < 30; n++) {
      add(columns, n, n % 2 === 1, n >= 20);
      ns.push(n);
    }
    expect(rowsOf(columns)).toEqual(expected(ns, 20));
  });
});
