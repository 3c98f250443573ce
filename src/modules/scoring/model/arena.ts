/**
 * Typed arrays carved out of memory whose contents are no longer needed (new memory where none
 * has room): a score run lays its later arrays out in the memory of its earlier ones, so that its
 * peak holds each byte once. Touching fresh memory costs page faults, which add up at these sizes;
 * reused memory is not zeroed, so every array taken from here is written before it is read (or
 * filled). New memory is shared (a SharedArrayBuffer) when asked, so that a worker thread can read
 * it, and only shared buffers are reused then.
 */

interface Region {
  buffer: ArrayBufferLike;
  /** Free bytes [at, end) of buffer. */
  at: number;
  end: number;
}

type View = Int32Array | Uint8Array | Uint16Array | Float32Array | Float64Array;

export class Arena {
  private readonly regions: Region[] = [];

  constructor(private readonly shared = false) {}

  /** Bytes [from, to) of `buffer` (all of it by default) may be overwritten. */
  add(buffer: ArrayBufferLike, from = 0, to = buffer.byteLength): this {
    if (this.shared && !(buffer instanceof SharedArrayBuffer)) return this;
    if (to > from) this.regions.push({ buffer, at: from, end: to });
    return this;
  }

  /** The memory of `array`, whose values are no longer needed. */
  free(array: View): this {
    return this.add(array.buffer, array.byteOffset, array.byteOffset + array.byteLength);
  }

  /**
   * The bytes of each of `buffers` outside the arrays still in use (`live`): what a run may write
   * over once it has read its input's other columns.
   */
  addFreeOf(buffers: ArrayBufferLike[], live: View[]): this {
    for (const buffer of new Set(buffers)) {
      const used = live
        .filter((array) => array.buffer === buffer)
        .map((array) => [array.byteOffset, array.byteOffset + array.byteLength])
        .sort((a, b) => a[0] - b[0]);
      let from = 0;
      for (const [start, end] of used) {
        this.add(buffer, from, start);
        from = Math.max(from, end);
      }
      this.add(buffer, from, buffer.byteLength);
    }
    return this;
  }

  float64(length: number): Float64Array {
    const place = this.take(8, length);
    if (place) return new Float64Array(place.buffer, place.at, length);
    return this.shared ? new Float64Array(new SharedArrayBuffer(8 * length)) : new Float64Array(length);
  }

  int32(length: number): Int32Array {
    const place = this.take(4, length);
    if (place) return new Int32Array(place.buffer, place.at, length);
    return this.shared ? new Int32Array(new SharedArrayBuffer(4 * length)) : new Int32Array(length);
  }

  float32(length: number): Float32Array {
    const place = this.take(4, length);
    if (place) return new Float32Array(place.buffer, place.at, length);
    return this.shared ? new Float32Array(new SharedArrayBuffer(4 * length)) : new Float32Array(length);
  }

  uint16(length: number): Uint16Array {
    const place = this.take(2, length);
    if (place) return new Uint16Array(place.buffer, place.at, length);
    return this.shared ? new Uint16Array(new SharedArrayBuffer(2 * length)) : new Uint16Array(length);
  }

  /**
   * Room for `length` values of `size` bytes (aligned to 8) in the smallest region that has it, so
   * that the large regions stay whole for the large arrays; null when none has.
   */
  private take(size: number, length: number): { buffer: ArrayBufferLike; at: number } | null {
    const bytes = size * length;
    let best: Region | null = null;
    for (const region of this.regions) {
      const room = region.end - Math.ceil(region.at / 8) * 8;
      if (room >= bytes && (!best || room < best.end - Math.ceil(best.at / 8) * 8)) best = region;
    }
    if (!best) return null;
    const at = Math.ceil(best.at / 8) * 8;
    best.at = at + bytes;
    return { buffer: best.buffer, at };
  }
}
