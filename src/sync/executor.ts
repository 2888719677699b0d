import { HttpFailure } from '../api/http';
import { crc64, crc64Combine } from './crc64';
import type { ObjectHead, OssClient, SlicedBody } from './ossClient';
import { OssRequestError } from './ossClient';
import { fingerprintOf, type FolderView, type Outcome, type Step, type SyncPlanner } from './planner';

/** What the runner needs of OSS: the lean client, or a fake in a test. */
export type OssOperations = Pick<
  OssClient,
  'head' | 'append' | 'put' | 'delete' | 'initiateMultipart' | 'uploadPart' | 'completeMultipart' | 'abortMultipart'
>;

export interface RunnerOptions {
  /** Part size of multipart uploads (default 8 MiB; OSS's minimum is 100 KB). */
  partBytes?: number;
  /** Parts of one multipart upload in flight at once (default 4). */
  partsInFlight?: number;
  /**
   * Bytes read from disk at a time, for a request's body and when a file's prefix is checked against OSS's CRC64
   * (default 1 MiB). A body is sent as it is read, at most one slice ahead of the socket, so a sync holds about
   * 2 slices per request in flight, whatever the size of its files.
   */
  readChunkBytes?: number;
}

/** A body read from disk slice by slice as the socket takes it, and the CRC64 of what was read. */
interface ReadBody extends SlicedBody {
  /** After the body was sent in full: the CRC64 of its bytes, following `crcBefore`. */
  crc(): bigint;
}

export interface StepReport {
  step: Step;
  outcome: Outcome;
}

/**
 * Runs the planner's steps against OSS and reports each outcome back: one `tick` per interval. Every answer that
 * carries OSS's CRC64 is checked against the bytes sent; a request without an answer leaves the file's state
 * unknown, so the planner asks OSS (HEAD) before sending anything more for it, and no byte is sent twice or lost.
 */
export class SyncRunner {
  constructor(
    private readonly planner: SyncPlanner,
    private readonly view: FolderView,
    private readonly oss: OssOperations,
    private readonly now: () => number,
    private readonly options: RunnerOptions = {},
  ) {}

  async tick(): Promise<StepReport[]> {
    const steps = await this.planner.plan(this.now());
    return Promise.all(
      steps.map(async (step) => {
        const outcome = await this.run(step).catch(classify);
        this.planner.settle(step, outcome, this.now());
        return { step, outcome };
      }),
    );
  }

  private async run(step: Step): Promise<Outcome> {
    switch (step.kind) {
      case 'head': {
        const head = await this.oss.head(step.key);
        if (!head) return { kind: 'head', head: undefined };
        return {
          kind: 'head',
          head: plain(head),
          localPrefixCrc: await this.prefixCrc(step.path, head.size),
          fingerprint: await fingerprintOf(this.view, step.path, head.size),
        };
      }
      case 'append': {
        const end = step.end;
        const body = this.body(step.path, step.position, end, step.crcBefore);
        const answer = await this.oss.append(step.key, step.position, body);
        const expected = body.crc();
        if (answer.nextPosition !== end || (answer.crc64 !== undefined && answer.crc64 !== expected)) {
          return { kind: 'uncertain', reason: `OSS's object ${step.key} is not what was sent` };
        }
        const fingerprint = await fingerprintOf(this.view, step.path, answer.nextPosition);
        if (fingerprint === undefined) return { kind: 'uncertain', reason: `${step.path} shrank` };
        return { kind: 'append', nextPosition: answer.nextPosition, crc64: expected, fingerprint };
      }
      case 'put': {
        const body = this.body(step.path, 0, step.size, 0n);
        const answer = await this.oss.put(step.key, body);
        return this.uploaded(step, step.size, body.crc(), answer.crc64);
      }
      case 'multipart':
        return this.multipart(step);
      case 'delete':
        await this.oss.delete(step.key);
        return { kind: 'deleted' };
    }
  }

  private async uploaded(step: Step, size: number, sent: bigint, answered: bigint | undefined): Promise<Outcome> {
    if (answered !== undefined && answered !== sent)
      return { kind: 'uncertain', reason: `OSS's object ${step.key} is not what was sent` };
    const fingerprint = await fingerprintOf(this.view, step.path, size);
    if (fingerprint === undefined) return { kind: 'uncertain', reason: `${step.path} shrank` };
    return { kind: 'uploaded', size, crc64: sent, fingerprint };
  }

  /**
   * Parts of `partBytes`, up to `partsInFlight` at once, each read from disk as it is sent; the whole object's CRC64
   * is combined from the parts' own. A file that shrank meanwhile fails its part (nothing half-written stays: the
   * upload is aborted) and the planner asks OSS again.
   */
  private async multipart(step: Extract<Step, { kind: 'multipart' }>): Promise<Outcome> {
    const partBytes = Math.max(100 * 1024, this.options.partBytes ?? 8 * 1024 * 1024);
    const count = Math.max(1, Math.ceil(step.size / partBytes));
    const uploadId = await this.oss.initiateMultipart(step.key);
    try {
      const parts: Array<{ partNumber: number; etag: string; crc: bigint; size: number }> = [];
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < count) {
          const index = next++;
          const start = index * partBytes;
          const end = Math.min(step.size, start + partBytes);
          const body = this.body(step.path, start, end, 0n);
          const etag = await this.oss.uploadPart(step.key, uploadId, index + 1, body);
          parts[index] = { partNumber: index + 1, etag, crc: body.crc(), size: end - start };
        }
      };
      const workers = Math.min(count, Math.max(1, this.options.partsInFlight ?? 4));
      const results = await Promise.allSettled(Array.from({ length: workers }, worker));
      const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failure) {
        next = count;
        throw failure.reason;
      }
      const crc = parts.reduce((whole, part) => crc64Combine(whole, part.crc, part.size), 0n);
      const answer = await this.oss.completeMultipart(step.key, uploadId, parts);
      return this.uploaded(step, step.size, crc, answer.crc64);
    } catch (error) {
      await this.oss.abortMultipart(step.key, uploadId).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Bytes [start, end) of a file, read `readChunkBytes` at a time while the request sends them. The file must still
   * hold them: one that shrank fails the request (the server never gets the length it was promised).
   */
  private body(path: string, start: number, end: number, crcBefore: bigint): ReadBody {
    const chunk = this.chunkBytes();
    const view = this.view;
    let crc: bigint | undefined;
    return {
      length: end - start,
      crc: () => {
        if (crc === undefined) throw new Error(`${path} was not read in full`);
        return crc;
      },
      slices: async function* () {
        let running = crcBefore;
        crc = undefined;
        for (let at = start; at < end;) {
          const bytes = await view.read(path, at, Math.min(end, at + chunk));
          if (bytes.length === 0) throw new Error(`${path} shrank while it was read`);
          running = crc64(bytes, running);
          at += bytes.length;
          // Known before the last slice goes: the answer may come as soon as the socket has sent it.
          if (at >= end) crc = running;
          yield bytes;
        }
        if (start === end) crc = running;
      },
    };
  }

  private chunkBytes(): number {
    return Math.max(64 * 1024, this.options.readChunkBytes ?? 1024 * 1024);
  }

  /** The CRC64 of the file's first `length` bytes, read in chunks; undefined when it is shorter. */
  private async prefixCrc(path: string, length: number): Promise<bigint | undefined> {
    const chunk = this.chunkBytes();
    let crc = 0n;
    for (let start = 0; start < length; start += chunk) {
      const bytes = await this.view.read(path, start, Math.min(length, start + chunk));
      if (bytes.length !== Math.min(length, start + chunk) - start) return undefined;
      crc = crc64(bytes, crc);
    }
    return crc;
  }
}

function plain(head: ObjectHead): { size: number; type: string; crc64?: bigint } {
  return { size: head.size, type: head.type, ...(head.crc64 === undefined ? {} : { crc64: head.crc64 }) };
}

/** A failed request as the planner needs to know it. */
export function classify(error: unknown): Outcome {
  if (error instanceof OssRequestError) {
    const said = `${error.code}: ${error.message}${error.requestId ? ` (RequestId ${error.requestId})` : ''}`;
    if (error.throttled) return { kind: 'throttled', reason: said };
    // A 409 says OSS holds something else than thought; a 5xx may or may not have been applied.
    if (error.status === 409 || error.status >= 500) return { kind: 'uncertain', reason: said };
    return { kind: 'failed', reason: said };
  }
  if (error instanceof HttpFailure) return { kind: 'uncertain', reason: error.message };
  return { kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
}
