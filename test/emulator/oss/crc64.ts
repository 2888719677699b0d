/**
 * The emulator's own CRC-64/XZ (`x-oss-hash-crc64ecma`), written with BigInt and independent of src/sync/crc64.ts,
 * so the two check each other (reference oss.md §5).
 */

const poly = 0xc96c5795d7870f42n;
const ones = 0xffffffffffffffffn;

const table: bigint[] = [];
for (let index = 0n; index < 256n; index++) {
  let crc = index;
  for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  table.push(crc);
}

/** The CRC of the bytes `previous` was the CRC of, followed by `data`. */
export function crc64Update(previous: bigint, data: Uint8Array): bigint {
  let crc = previous ^ ones;
  for (const byte of data) crc = table[Number((crc ^ BigInt(byte)) & 0xffn)] ^ (crc >> 8n);
  return crc ^ ones;
}
