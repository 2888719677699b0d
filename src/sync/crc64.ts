/**
 * CRC-64/XZ, the `x-oss-hash-crc64ecma` of OSS (reference oss.md §5): the ECMA-182 polynomial reflected, initial
 * value and final xor all ones. The 64-bit register is kept as two unsigned 32-bit halves, so a byte costs a few
 * number operations instead of BigInt arithmetic; the value itself is a bigint, as it does not fit a double.
 */

const polyHigh = 0xc96c5795;
const polyLow = 0xd7870f42;

/**
 * Slice-by-8 tables: `table…[k * 256 + b]` is the CRC register's change for byte b followed by k zero bytes, so eight
 * bytes cost eight lookups and no shifts between them (about 6× the speed of a byte at a time on a 1 MiB slice).
 */
const tableHigh = new Uint32Array(8 * 256);
const tableLow = new Uint32Array(8 * 256);
for (let index = 0; index < 256; index++) {
  let high = 0;
  let low = index;
  for (let bit = 0; bit < 8; bit++) {
    const carry = low & 1;
    low = ((low >>> 1) | ((high & 1) << 31)) >>> 0;
    high = high >>> 1;
    if (carry) {
      high = (high ^ polyHigh) >>> 0;
      low = (low ^ polyLow) >>> 0;
    }
  }
  tableHigh[index] = high;
  tableLow[index] = low;
}
for (let k = 1; k < 8; k++) {
  for (let index = 0; index < 256; index++) {
    const high = tableHigh[(k - 1) * 256 + index];
    const low = tableLow[(k - 1) * 256 + index];
    const byte = low & 0xff;
    tableLow[k * 256 + index] = (((low >>> 8) | (high << 24)) ^ tableLow[byte]) >>> 0;
    tableHigh[k * 256 + index] = ((high >>> 8) ^ tableHigh[byte]) >>> 0;
  }
}

const mask32 = 0xffffffffn;

/**
 * The CRC of `previous`'s bytes followed by `data`: `crc64(b, crc64(a))` is the CRC of a‖b, which is how an append's
 * answer (the CRC of the whole object) is checked without reading the earlier bytes again.
 */
export function crc64(data: Uint8Array, previous = 0n): bigint {
  let high = (Number((previous >> 32n) & mask32) ^ 0xffffffff) >>> 0;
  let low = (Number(previous & mask32) ^ 0xffffffff) >>> 0;
  const length = data.length;
  const whole = length - (length % 8);
  let i = 0;
  for (; i < whole; i += 8) {
    const l = low ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
    const h = high ^ (data[i + 4] | (data[i + 5] << 8) | (data[i + 6] << 16) | (data[i + 7] << 24));
    const a = 7 * 256 + (l & 0xff);
    const b = 6 * 256 + ((l >>> 8) & 0xff);
    const c = 5 * 256 + ((l >>> 16) & 0xff);
    const d = 4 * 256 + (l >>> 24);
    const e = 3 * 256 + (h & 0xff);
    const f = 2 * 256 + ((h >>> 8) & 0xff);
    const g = 256 + ((h >>> 16) & 0xff);
    const j = h >>> 24;
    low = tableLow[a] ^ tableLow[b] ^ tableLow[c] ^ tableLow[d] ^ tableLow[e] ^ tableLow[f] ^ tableLow[g] ^ tableLow[j];
    high =
      tableHigh[a] ^
      tableHigh[b] ^
      tableHigh[c] ^
      tableHigh[d] ^
      tableHigh[e] ^
      tableHigh[f] ^
      tableHigh[g] ^
      tableHigh[j];
  }
  for (; i < length; i++) {
    const index = (low ^ data[i]) & 0xff;
    low = ((low >>> 8) | (high << 24)) ^ tableLow[index];
    high = (high >>> 8) ^ tableHigh[index];
  }
  return (BigInt((high ^ 0xffffffff) >>> 0) << 32n) | BigInt((low ^ 0xffffffff) >>> 0);
}

/** The header's decimal text, or undefined when absent or not a 64-bit unsigned number. */
export function parseCrc64(text: string | undefined): bigint | undefined {
  if (text === undefined || !/^\d{1,20}$/.test(text.trim())) return undefined;
  const value = BigInt(text.trim());
  return value <= 0xffffffffffffffffn ? value : undefined;
}

/** The reflected polynomial as a bigint, for `crc64Combine`'s matrices. */
const polyReflected = (BigInt(polyHigh) << 32n) | BigInt(polyLow);

function gf2Times(matrix: readonly bigint[], vector: bigint): bigint {
  let sum = 0n;
  for (let row = 0; vector !== 0n; row++, vector >>= 1n) if (vector & 1n) sum ^= matrix[row];
  return sum;
}

function gf2Square(matrix: readonly bigint[]): bigint[] {
  return matrix.map((row) => gf2Times(matrix, row));
}

/**
 * The CRC of a‖b from `crc64(a)`, `crc64(b)` and b's length (zlib's `crc32_combine`, for 64 bits): parts uploaded
 * side by side each have their own CRC, and the whole object's is checked against OSS's answer without reading the
 * file again. A few hundred bigint operations per doubling of b's length.
 */
export function crc64Combine(crcA: bigint, crcB: bigint, lengthB: number): bigint {
  if (lengthB <= 0) return crcA;
  // The operator for one zero bit, then squared: two, four, eight… zero bits.
  let odd: bigint[] = [polyReflected];
  for (let bit = 1; bit < 64; bit++) odd.push(1n << BigInt(bit - 1));
  let even = gf2Square(odd);
  odd = gf2Square(even);
  let crc = crcA;
  let length = BigInt(lengthB);
  do {
    even = gf2Square(odd);
    if (length & 1n) crc = gf2Times(even, crc);
    length >>= 1n;
    if (length === 0n) break;
    odd = gf2Square(even);
    if (length & 1n) crc = gf2Times(odd, crc);
    length >>= 1n;
  } while (length !== 0n);
  return crc ^ crcB;
}
