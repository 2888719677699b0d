import { HttpFailure } from '../../../src/api/http';
import { crc64 } from '../../../src/sync/crc64';
import type { OssOperations } from '../../../src/sync/executor';
import { OssRequestError, type ObjectHead, type OssBody } from '../../../src/sync/ossClient';
import type { FolderView, LocalFile } from '../../../src/sync/planner';

/** A log folder in memory: files with bytes and an mtime the test sets. */
export class FakeFolder implements FolderView {
  readonly files = new Map<string, { data: Buffer; mtimeMs: number }>();
  reads = 0;

  constructor(private readonly clock: { now(): number }) {}

  write(path: string, data: Buffer | string): void {
    this.files.set(path, { data: Buffer.from(data), mtimeMs: this.clock.now() });
  }

  append(path: string, data: Buffer | string): void {
    const file = this.files.get(path);
    this.write(path, Buffer.concat([file?.data ?? Buffer.alloc(0), Buffer.from(data)]));
  }

  list(): Promise<LocalFile[]> {
    return Promise.resolve(
      [...this.files].map(([path, file]) => ({ path, size: file.data.length, mtimeMs: file.mtimeMs })),
    );
  }

  read(path: string, start: number, end: number): Promise<Buffer> {
    this.reads += 1;
    return Promise.resolve(Buffer.from(this.files.get(path)?.data.subarray(start, end) ?? Buffer.alloc(0)));
  }
}

export type FakeFault = 'throttle' | 'internalError' | 'dropBefore' | 'dropAfterCommit' | 'forbidden';

/** OSS in memory, with AppendObject's rules and faults armed per operation. */
export class FakeOss implements OssOperations {
  readonly objects = new Map<string, { data: Buffer; type: 'Normal' | 'Appendable' | 'Multipart' }>();
  readonly calls: string[] = [];
  private readonly faults: Array<{ operation: string; fault: FakeFault }> = [];
  private readonly uploads = new Map<string, Buffer[]>();

  arm(operation: string, fault: FakeFault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push({ operation, fault });
  }

  private async call<T>(operation: string, what: string, apply: () => T): Promise<T> {
    this.calls.push(what);
    const index = this.faults.findIndex((armed) => armed.operation === operation);
    const fault = index < 0 ? undefined : this.faults.splice(index, 1)[0].fault;
    await Promise.resolve();
    if (fault === 'throttle')
      throw new OssRequestError(503, 'SlowDown', 'Please reduce your request rate.', 'R', undefined, undefined, true);
    if (fault === 'internalError')
      throw new OssRequestError(
        500,
        'InternalError',
        'We encountered an internal error.',
        'R',
        undefined,
        undefined,
        true,
      );
    if (fault === 'forbidden')
      throw new OssRequestError(
        403,
        'AccessDenied',
        'You have no right to access this object.',
        'R',
        undefined,
        undefined,
        false,
      );
    if (fault === 'dropBefore')
      throw new HttpFailure('network', 'socket hang up', { connected: true, staleSocket: false, code: 'ECONNRESET' });
    const result = apply();
    if (fault === 'dropAfterCommit')
      throw new HttpFailure('network', 'socket hang up', { connected: true, staleSocket: false, code: 'ECONNRESET' });
    return result;
  }

  head(key: string): Promise<ObjectHead | undefined> {
    return this.call('head', `head ${key}`, () => {
      const object = this.objects.get(key);
      return object && { size: object.data.length, type: object.type, crc64: crc64(object.data) };
    });
  }

  async append(key: string, at: number, sent: OssBody): Promise<{ nextPosition: number; crc64?: bigint }> {
    const body = await bytesOf(sent);
    return this.call('append', `append ${key} @${at} +${body.length}`, () => {
      const object = this.objects.get(key) ?? { data: Buffer.alloc(0), type: 'Appendable' as const };
      if (object.type !== 'Appendable')
        throw new OssRequestError(
          409,
          'ObjectNotAppendable',
          'The object is not appendable.',
          'R',
          undefined,
          undefined,
          false,
        );
      if (at !== object.data.length)
        throw new OssRequestError(
          409,
          'PositionNotEqualToLength',
          'Position is not equal to file length',
          'R',
          undefined,
          object.data.length,
          false,
        );
      const data = Buffer.concat([object.data, body]);
      this.objects.set(key, { data, type: 'Appendable' });
      return { nextPosition: data.length, crc64: crc64(data) };
    });
  }

  async put(key: string, sent: OssBody): Promise<{ crc64?: bigint }> {
    const body = await bytesOf(sent);
    return this.call('put', `put ${key} ${body.length}`, () => {
      this.objects.set(key, { data: Buffer.from(body), type: 'Normal' });
      return { crc64: crc64(body) };
    });
  }

  delete(key: string): Promise<void> {
    return this.call('delete', `delete ${key}`, () => void this.objects.delete(key));
  }

  initiateMultipart(key: string): Promise<string> {
    return this.call('initiate', `initiate ${key}`, () => {
      const id = `U${this.uploads.size + 1}`;
      this.uploads.set(id, []);
      return id;
    });
  }

  async uploadPart(key: string, uploadId: string, partNumber: number, sent: OssBody): Promise<string> {
    const body = await bytesOf(sent);
    return this.call('part', `part ${key} #${partNumber} ${body.length}`, () => {
      this.uploads.get(uploadId)![partNumber - 1] = Buffer.from(body);
      return `"E${partNumber}"`;
    });
  }

  completeMultipart(key: string, uploadId: string): Promise<{ crc64?: bigint }> {
    return this.call('complete', `complete ${key}`, () => {
      const data = Buffer.concat(this.uploads.get(uploadId)!);
      this.uploads.delete(uploadId);
      this.objects.set(key, { data, type: 'Multipart' });
      return { crc64: crc64(data) };
    });
  }

  abortMultipart(key: string, uploadId: string): Promise<void> {
    return this.call('abort', `abort ${key}`, () => void this.uploads.delete(uploadId));
  }

  /** Calls since the last look, and forgets them. */
  take(): string[] {
    return this.calls.splice(0);
  }
}

/** A body as the fake server receives it: a sliced one read through to its end, as a socket would. */
export async function bytesOf(body: OssBody): Promise<Buffer> {
  if (body instanceof Uint8Array) return Buffer.from(body);
  const slices: Buffer[] = [];
  try {
    for await (const slice of body.slices()) slices.push(Buffer.from(slice));
  } catch (error) {
    // As exchange() reports a slice source that failed: the request went out incomplete.
    throw new HttpFailure('body', `the body could not be read: ${String(error)}`, {
      connected: true,
      staleSocket: false,
    });
  }
  const bytes = Buffer.concat(slices);
  if (bytes.length !== body.length) throw new Error(`the body promised ${body.length} bytes and gave ${bytes.length}`);
  return bytes;
}
