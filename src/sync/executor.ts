import { HttpFailure } from '../api/http';
import { crc64 } from './crc64';
import type { ObjectHead, OssClient } from './ossClient';
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
  /** Bytes read at a time when a file's prefix is checked against OSS's CRC64 (default 4 MiB). */
  readChunkBytes?: number;
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
        const bytes = await this.view.read(step.path, step.position, step.end);
        if (bytes.length === 0) return { kind: 'uncertain', reason: `${step.path} shrank while it was read` };
        const answer = await this.oss.append(step.key, step.position, bytes);
        const expected = crc64(bytes, step.crcBefore);
        if (
          answer.nextPosition !== step.position + bytes.length ||
          (answer.crc64 !== undefined && answer.crc64 !== expected)
        ) {
          return { kind: 'uncertain', reason: `OSS's object ${step.key} is not what was sent` };
        }
        const fingerprint = await fingerprintOf(this.view, step.path, answer.nextPosition);
        if (fingerprint === undefined) return { kind: 'uncertain', reason: `${step.path} shrank` };
        return { kind: 'append', nextPosition: answer.nextPosition, crc64: expected, fingerprint };
      }
      case 'put': {
        const bytes = await this.view.read(step.path, 0, step.size);
        const answer = await this.oss.put(step.key, bytes);
        return this.uploaded(step, bytes.length, crc64(bytes), answer.crc64);
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

  private async multipart(step: Extract<Step, { kind: 'multipart' }>): Promise<Outcome> {
    const partBytes = Math.max(100 * 1024, this.options.partBytes ?? 8 * 1024 * 1024);
    const uploadId = await this.oss.initiateMultipart(step.key);
    try {
      const parts: Array<{ partNumber: number; etag: string }> = [];
      let crc = 0n;
      let size = 0;
      for (let start = 0; start < step.size; start += partBytes) {
        const bytes = await this.view.read(step.path, start, Math.min(step.size, start + partBytes));
        if (bytes.length === 0) break;
        parts.push({
          partNumber: parts.length + 1,
          etag: await this.oss.uploadPart(step.key, uploadId, parts.length + 1, bytes),
        });
        crc = crc64(bytes, crc);
        size += bytes.length;
        if (bytes.length < partBytes) break;
      }
      const answer = await this.oss.completeMultipart(step.key, uploadId, parts);
      return this.uploaded(step, size, crc, answer.crc64);
    } catch (error) {
      await this.oss.abortMultipart(step.key, uploadId).catch(() => undefined);
      throw error;
    }
  }

  /** The CRC64 of the file's first `length` bytes, read in chunks; undefined when it is shorter. */
  private async prefixCrc(path: string, length: number): Promise<bigint | undefined> {
    const chunk = this.options.readChunkBytes ?? 4 * 1024 * 1024;
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
    if (error.throttled) return { kind: 'throttled' };
    const said = `${error.code}: ${error.message}${error.requestId ? ` (RequestId ${error.requestId})` : ''}`;
    // A 409 says OSS holds something else than thought; a 5xx may or may not have been applied.
    if (error.status === 409 || error.status >= 500) return { kind: 'uncertain', reason: said };
    return { kind: 'failed', reason: said };
  }
  if (error instanceof HttpFailure) return { kind: 'uncertain', reason: error.message };
  return { kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
}
