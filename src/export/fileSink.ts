import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import type { TextSink } from './exportScalars';

/** A file written as a stream, waiting for the disk when its buffer is full: memory stays bounded. */
export class FileSink implements TextSink {
  private readonly stream: WriteStream;
  private failure: Error | undefined;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
    this.stream.on('error', (error) => (this.failure = error));
  }

  /** The bytes written but not yet handed to the disk. */
  get buffered(): number {
    return this.stream.writableLength;
  }

  async write(chunk: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (!chunk || this.stream.write(chunk)) return;
    // One listener at a time: `once` rejects on the stream's error itself (a race with a second `once` of 'error'
    // would leave that listener behind at every full buffer, growing with the file).
    await once(this.stream, 'drain');
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    if (this.failure) throw this.failure;
    this.stream.end();
    await once(this.stream, 'finish');
  }

  /** Closes and removes the partial file (a cancelled or failed export leaves nothing behind). */
  async discard(): Promise<void> {
    if (!this.stream.closed) {
      const closed = once(this.stream, 'close').catch(() => undefined);
      this.stream.destroy();
      await closed;
    }
    await rm(this.path, { force: true });
  }
}

/**
 * Writes the file at `path` through a sink: closed when `write` resolves to a result, removed when it resolves
 * undefined (a cancel) or fails (a board that stalled past its deadline), so no half-written file is left.
 */
export async function writeToFile<T>(
  path: string,
  write: (sink: FileSink) => Promise<T | undefined>,
): Promise<T | undefined> {
  const sink = new FileSink(path);
  try {
    const result = await write(sink);
    if (result === undefined) {
      await sink.discard();
      return undefined;
    }
    await sink.close();
    return result;
  } catch (error) {
    await sink.discard();
    throw error;
  }
}
