import { Arena } from '../../src/modules/scoring/model/arena';

/** Byte ranges [from, to) of views on one buffer overlap. */
function overlap(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

describe('score model: the run arena', () => {
  it('never hands out a byte twice, and hands out only free memory', () => {
    const buffer = new SharedArrayBuffer(1_000);
    const live = new Int32Array(buffer, 400, 50); // bytes 400-600 are still read
    const arena = new Arena(true).addFreeOf([buffer], [live]);
    const taken = [arena.float64(40), arena.int32(30), arena.uint16(10), arena.int32(20), arena.float64(100)];
    const inside = taken.filter((a) => a.buffer === buffer);
    expect(inside.length).toBe(4);
    for (const a of inside) {
      expect(a.byteOffset % 8).toBe(0);
      expect(a.byteOffset + a.byteLength).toBeLessThanOrEqual(buffer.byteLength);
      expect(overlap(a, live)).toBe(false);
    }
    for (let i = 0; i < taken.length; i++) for (let j = i + 1; j < taken.length; j++) expect(overlap(taken[i], taken[j])).toBe(false);
    // No room left for 800 bytes: new shared memory, not a silent overlap.
    expect(taken[4].buffer).not.toBe(buffer);
    expect(taken[4].buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('takes the smallest room that fits, so that a large array still finds its room', () => {
    const small = new SharedArrayBuffer(128);
    const large = new SharedArrayBuffer(1_024);
    const arena = new Arena(true).add(large).add(small);
    expect(arena.float64(8).buffer).toBe(small);
    expect(arena.float64(128).buffer).toBe(large);
  });

  it('reuses memory a worker thread can read only, when asked for shared memory', () => {
    const arena = new Arena(true).add(new ArrayBuffer(1_024));
    expect(arena.float64(8).buffer).toBeInstanceOf(SharedArrayBuffer);
    const freed = new Float64Array(new SharedArrayBuffer(1_024));
    expect(new Arena(true).free(freed).float64(128).buffer).toBe(freed.buffer);
  });
});
