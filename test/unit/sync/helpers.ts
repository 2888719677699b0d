import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { OssClient } from '../../../src/sync/ossClient';
import type { OssCredentials } from '../../../src/sync/signer';
import { sampleLogsDir, type Emulator } from '../../emulator';
import { bucket } from '../oss/helpers';

/** The lean client pointed at the emulated OSS, signing on the emulator's clock. */
export function leanClient(
  emulator: Emulator,
  credentials: OssCredentials = emulator.credentials,
  readTimeoutMs = 10_000,
): OssClient {
  return new OssClient({
    target: { bucket, region: 'cn-hangzhou', endpoint: emulator.oss.endpoint },
    credentials: () => Promise.resolve(credentials),
    now: () => emulator.clock.now(),
    readTimeoutMs,
  });
}

/** The TFRecords of a sample run's event file (scripts/makeSampleLogs.py): length, CRC, event, CRC each. */
export function sampleRecords(run: string): Buffer[] {
  const folder = path.join(sampleLogsDir() ?? '', run);
  const name = readdirSync(folder).find((entry) => entry.includes('tfevents'));
  if (!name) throw new Error(`no event file in ${folder}`);
  const data = readFileSync(path.join(folder, name));
  const records: Buffer[] = [];
  for (let at = 0; at < data.length;) {
    const size = 8 + 4 + Number(data.readBigUInt64LE(at)) + 4;
    records.push(data.subarray(at, at + size));
    at += size;
  }
  return records;
}
