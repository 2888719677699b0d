import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { crc64, crc64Combine, parseCrc64 } from '../../../src/sync/crc64';
import { startEmulator, ManualClock } from '../../emulator';
import { crc64Reference, crc64Update } from '../../emulator/oss/crc64';
import { aliOss } from '../oss/helpers';

const text = (value: string): Buffer => Buffer.from(value, 'utf8');

describe('sync: CRC-64/XZ as OSS computes it', () => {
  it("matches the reference's vectors (Go SDK's test file, and real OSS's HEAD example for \"test\")", () => {
    assert.equal(crc64(text('123456789')), 11051210869376104954n);
    assert.equal(crc64(text('This is a test of the emergency broadcast system.')), 0x27db187fc15bbc72n);
    assert.equal(crc64(text('')), 0n);
    assert.equal(crc64(text('hello')), 11177612005948864433n);
    assert.equal(crc64(text('world')), 4472352582074980600n);
    assert.equal(crc64(text('helloworld')), 10826451443916115081n);
    assert.equal(crc64(text('test')), 18020588380933092773n);
  });

  it('continues from an earlier CRC: the CRC of a‖b from the CRC of a and the bytes of b', () => {
    assert.equal(crc64(text('world'), 11177612005948864433n), 10826451443916115081n);
    const data = randomBytes(10_000);
    for (const cut of [0, 1, 4_095, 9_999, 10_000]) {
      assert.equal(crc64(data.subarray(cut), crc64(data.subarray(0, cut))), crc64(data), `cut at ${cut}`);
    }
  });

  it("agrees with the emulator's independent BigInt implementation on random data of every length up to 300 bytes", () => {
    for (let length = 0; length <= 300; length++) {
      const data = randomBytes(length);
      const previous = BigInt.asUintN(64, BigInt(`0x${randomBytes(8).toString('hex')}`));
      assert.equal(crc64(data), crc64Reference(0n, data), `length ${length}`);
      // Every alignment of the 8-byte stride, after any earlier CRC, and the emulator's fast loop too.
      assert.equal(crc64(data, previous), crc64Reference(previous, data), `length ${length} after a CRC`);
      assert.equal(crc64Update(previous, data), crc64Reference(previous, data), `emulator, length ${length}`);
    }
  });

  it('agrees with the BigInt loop on a 256 KiB + 7 slice after an earlier CRC', () => {
    const data = randomBytes(256 * 1024 + 7);
    assert.equal(crc64(data, 12345n), crc64Reference(12345n, data));
    assert.equal(crc64Update(12345n, data), crc64Reference(12345n, data));
  });

  it('agrees with the x-oss-hash-crc64ecma the emulated OSS sends to ali-oss after each append', async () => {
    const emulator = await startEmulator({ clock: new ManualClock(), tensorboard: false });
    try {
      const client = aliOss(emulator);
      let position = 0;
      let expected = 0n;
      for (const size of [1, 1000, 65_536, 3]) {
        const chunk = randomBytes(size);
        const answer = await client.append('crc/events.out.tfevents.1', chunk, { position: String(position) });
        position += size;
        expected = crc64(chunk, expected);
        assert.equal(parseCrc64((answer.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']), expected);
      }
    } finally {
      await emulator.stop();
    }
  });

  it("combines the CRCs of parts sent side by side into the whole object's, whatever their lengths", () => {
    for (const [a, b] of [
      [0, 5],
      [7, 0],
      [1, 1],
      [100, 1000],
      [12_345, 300_001],
      [2 * 1024 * 1024, 65_536],
    ]) {
      const first = randomBytes(a);
      const second = randomBytes(b);
      assert.equal(crc64Combine(crc64(first), crc64(second), b), crc64(Buffer.concat([first, second])), `${a}+${b}`);
    }
  });

  it('reads the header: unsigned decimal up to 2^64 - 1, anything else is no CRC', () => {
    assert.equal(parseCrc64('18446744073709551615'), 0xffffffffffffffffn);
    assert.equal(parseCrc64(' 42 '), 42n);
    for (const bad of [undefined, '', '-1', '18446744073709551616', '0x10', '1e3', '123456789012345678901']) {
      assert.equal(parseCrc64(bad), undefined, String(bad));
    }
  });
});
