/**
 * The emulator's own CRC-64/XZ (`x-oss-hash-crc64ecma`), independent of src/sync/crc64.ts, so the two check each
 * other (reference oss.md §5). `crc64Reference` is the textbook BigInt loop, too slow for a GiB (a few MB/s); the
 * store uses `crc64Update`, a byte-at-a-time table over two 32-bit halves, checked against it in the unit tests.
 */

const poly = 0xc96c5795d7870f42n;
const ones = 0xffffffffffffffffn;

const table: bigint[] = [];
for (let index = 0n; index < 256n; index++) {
  let crc = index;
  for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  table.push(crc);
}

/** The CRC of the bytes `previous` was the CRC of, followed by `data`, one BigInt step per byte. */
export function crc64Reference(previous: bigint, data: Uint8Array): bigint {
  let crc = previous ^ ones;
  for (const byte of data) crc = table[Number((crc ^ BigInt(byte)) & 0xffn)] ^ (crc >> 8n);
  return crc ^ ones;
}

const high = Uint32Array.from(table, (entry) => Number(entry >> 32n));
const low = Uint32Array.from(table, (entry) => Number(entry & 0xffffffffn));

/** The same CRC, fast enough for the bench's GiB: the 64-bit register as two unsigned 32-bit numbers. */
export function crc64Update(previous: bigint, data: Uint8Array): bigint {
  let hi = Number((previous ^ ones) >> 32n) >>> 0;
  let lo = Number((previous ^ ones) & 0xffffffffn) >>> 0;
  for (let i = 0; i < data.length; i++) {
    const entry = (lo ^ data[i]) & 0xff;
    lo = (((hi & 0xff) << 24) | (lo >>> 8)) ^ low[entry];
    hi = (hi >>> 8) ^ high[entry];
  }
  return ((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)) ^ ones;
}
