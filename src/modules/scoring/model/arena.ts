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

/** A typed array's constructor, in the three forms the arena calls. */
interface ViewType<T extends View> {
  new (length: number): T;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

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
    return this.view(Float64Array, length);
  }

  int32(length: number): Int32Array {
    return this.view(Int32Array, length);
  }

  float32(length: number): Float32Array {
    return this.view(Float32Array, length);
  }

  uint16(length: number): Uint16Array {
    return this.view(Uint16Array, length);
  }

  /** `length` values of `type`: in a region that has room, else in new (shared, when asked) memory. */
  private view<T extends View>(type: ViewType<T>, length: number): T {
    const place = this.take(type.BYTES_PER_ELEMENT, length);
    if (place) return new type(place.buffer, place.at, length);
    return this.shared ? new type(new SharedArrayBuffer(type.BYTES_PER_ELEMENT * length)) : new type(length);
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
