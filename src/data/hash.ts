/**
 * FNV-1a, the one hash of the code base: 32-bit over a string's UTF-16 code units (names of random
 * streams, seeds of named streams) and 64-bit over bytes (dataset fingerprints, fingerprint.ts). Not
 * cryptographic: a stable, fast, well-spread hash of small keys and content.
 */

/** The 32-bit FNV-1a offset basis. */
export const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** 32-bit FNV-1a of the string's code units from `basis` (default the standard offset basis), unsigned. */
export function fnv1a32(text: string, basis: number = FNV32_OFFSET): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV32_PRIME) >>> 0;
  }
  return h >>> 0;
}

const OFFSET_HI = 0xcbf29ce4;
/** Values hashed per block in `numbers`. */
const BLOCK = 4096;
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;
const OFFSET_LO = 0x84222325;
/** The FNV-64 prime is 2^40 + 0x1b3. */
const PRIME_LOW_PART = 0x1b3;

/** 64-bit FNV-1a, fed byte by byte (exported for its test vectors). */
export class Fnv1a64 {
  private hi = OFFSET_HI;
  private lo = OFFSET_LO;
  private readonly scratch = new DataView(new ArrayBuffer(8));

  byte(b: number): void {
    const lo = (this.lo ^ b) >>> 0;
    // h · (2^40 + 0x1b3) mod 2^64, in 32-bit halves: lo·0x1b3 is exact in a double (< 2^41).
    const product = lo * PRIME_LOW_PART;
    const carry = Math.floor(product / 0x1_0000_0000);
    this.hi = (Math.imul(this.hi, PRIME_LOW_PART) + carry + (lo << 8)) >>> 0;
    this.lo = product >>> 0;
  }

  /** `byte` for each of `count` bytes, in one loop (the same arithmetic). */
  bytes(data: Uint8Array, count = data.length): void {
    let hi = this.hi;
    let lo = this.lo;
    for (let i = 0; i < count; i++) {
      const x = (lo ^ data[i]) >>> 0;
      const product = x * PRIME_LOW_PART;
      hi = (Math.imul(hi, PRIME_LOW_PART) + Math.floor(product / 0x1_0000_0000) + (x << 8)) >>> 0;
      lo = product >>> 0;
    }
    this.hi = hi;
    this.lo = lo;
  }

  /** The value as a little-endian float64, NaN as the canonical quiet NaN. */
  number(value: number): void {
    this.scratch.setFloat64(0, Number.isNaN(value) ? Number.NaN : value, true);
    for (let i = 0; i < 8; i++) this.byte(this.scratch.getUint8(i));
  }

  /** The count, then `number` of each value (in blocks of float64 bytes where the platform is little-endian). */
  numbers(values: ArrayLike<number>): void {
    this.number(values.length);
    if (!LITTLE_ENDIAN) {
      for (let i = 0; i < values.length; i++) this.number(values[i]);
      return;
    }
    const block = new Float64Array(Math.min(BLOCK, values.length));
    const blockBytes = new Uint8Array(block.buffer);
    for (let start = 0; start < values.length; start += BLOCK) {
      const n = Math.min(BLOCK, values.length - start);
      for (let i = 0; i < n; i++) {
        const v = values[start + i];
        block[i] = v === v ? v : Number.NaN;
      }
      this.bytes(blockBytes, n * 8);
    }
  }

  text(value: string): void {
    this.number(value.length);
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      this.byte(code & 0xff);
      this.byte(code >>> 8);
    }
  }

  hex(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }
}
