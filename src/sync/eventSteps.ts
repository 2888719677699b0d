/**
 * The newest step a folder's TensorBoard event files hold, read as TensorBoard reads them: records of
 * `length (u64 LE) · crc (u32) · Event proto · crc (u32)`, the step being the Event's field 2 (varint). Each file is
 * read once: a scanner keeps where it stopped and reads only what was appended since, a bounded chunk per pass, so a
 * multi-GB file costs its new bytes only. Pure: reading goes through the FolderView the sync already has.
 */
import type { FolderView } from './planner';
import { isEventFile } from './selection';

/**
 * The Event proto's step (field 2, varint; absent when 0, as proto3 writes it), or undefined for the record that only
 * says the file's version (field 3) and for what does not parse.
 */
export function stepOf(event: Buffer): number | undefined {
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (at >= event.length) throw new Error('truncated varint');
      const byte = event[at++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
  };
  let step = 0;
  try {
    while (at < event.length) {
      const key = varint();
      const field = Math.floor(key / 8);
      const wire = key & 7;
      if (field === 3) return undefined;
      if (field === 2 && wire === 0) step = varint();
      else if (wire === 0) varint();
      else if (wire === 1) at += 8;
      else if (wire === 2) {
        // Read before adding: `at += varint()` would add to the position before the length.
        const length = varint();
        at += length;
      } else if (wire === 5) at += 4;
      else return undefined;
    }
  } catch {
    return undefined;
  }
  return at === event.length ? step : undefined;
}

/** The whole records at the start of `bytes`: the newest step among them and how many bytes they take. */
export function scanRecords(bytes: Buffer): { consumed: number; newest?: number } {
  let at = 0;
  let newest: number | undefined;
  while (at + 12 <= bytes.length) {
    const length = Number(bytes.readBigUInt64LE(at));
    const end = at + 12 + length + 4;
    if (end > bytes.length) break;
    const step = stepOf(bytes.subarray(at + 12, at + 12 + length));
    if (step !== undefined && (newest === undefined || step > newest)) newest = step;
    at = end;
  }
  return { consumed: at, ...(newest === undefined ? {} : { newest }) };
}

interface Scanned {
  offset: number;
  size: number;
  newest?: number;
}

export class StepScanner {
  private readonly files = new Map<string, Scanned>();

  constructor(
    private readonly folder: FolderView,
    /** The most bytes read per file per pass. */
    private readonly chunkBytes = 4 * 1024 * 1024,
  ) {}

  /** The newest step of all event files of the folder, as far as read: undefined when none holds a step yet. */
  async newestStep(): Promise<number | undefined> {
    const listed = (await this.folder.list()).filter((file) => isEventFile(file.path));
    let newest: number | undefined;
    for (const file of listed) {
      let scanned = this.files.get(file.path);
      // A file that shrank was rewritten: read again from its start.
      if (!scanned || file.size < scanned.size) scanned = { offset: 0, size: 0 };
      while (scanned.offset < file.size) {
        const bytes = await this.folder.read(
          file.path,
          scanned.offset,
          Math.min(file.size, scanned.offset + this.chunkBytes),
        );
        const { consumed, newest: step } = scanRecords(bytes);
        if (step !== undefined && (scanned.newest === undefined || step > scanned.newest)) scanned.newest = step;
        if (consumed === 0) {
          // A record longer than a chunk: read it whole once, else stop at the partial record the writer is writing.
          if (bytes.length < this.chunkBytes || file.size - scanned.offset <= this.chunkBytes) break;
          const length = bytes.length >= 8 ? Number(bytes.readBigUInt64LE(0)) : 0;
          const whole = await this.folder.read(file.path, scanned.offset, scanned.offset + 12 + length + 4);
          const one = scanRecords(whole);
          if (one.consumed === 0) break;
          if (one.newest !== undefined && (scanned.newest === undefined || one.newest > scanned.newest))
            scanned.newest = one.newest;
          scanned.offset += one.consumed;
          continue;
        }
        scanned.offset += consumed;
      }
      scanned.size = file.size;
      this.files.set(file.path, scanned);
      if (scanned.newest !== undefined && (newest === undefined || scanned.newest > newest)) newest = scanned.newest;
    }
    return newest;
  }
}

/** What the board's panel says about a board over a synced folder. */
export interface BoardLag {
  /** When OSS last took bytes of the folder. */
  lastUploadAt?: number;
  /** The newest step the board's TensorBoard serves, and the newest the folder holds. */
  boardStep?: number;
  localStep?: number;
  /** Whether the board has been behind for longer than the bound, with OSS holding everything. */
  offerRestart: boolean;
}

/**
 * Follows one board over a synced folder: the board is behind while its newest step is below the folder's; when it
 * stays behind for `boundMs` although OSS holds every write, a restart is offered (a running PAI board may not see
 * objects added after it started: reference oss.md, UNCONFIRMED).
 */
export class LagWatch {
  private behindSince: number | undefined;

  constructor(private readonly boundMs: number) {}

  observe(input: {
    now: number;
    boardStep?: number;
    localStep?: number;
    lastUploadAt?: number;
    /** OSS holds every write the sync has seen. */
    inSync: boolean;
  }): BoardLag {
    const behind =
      input.localStep !== undefined && (input.boardStep === undefined || input.boardStep < input.localStep);
    if (!behind || !input.inSync) this.behindSince = undefined;
    else this.behindSince ??= input.now;
    return {
      ...(input.lastUploadAt === undefined ? {} : { lastUploadAt: input.lastUploadAt }),
      ...(input.boardStep === undefined ? {} : { boardStep: input.boardStep }),
      ...(input.localStep === undefined ? {} : { localStep: input.localStep }),
      offerRestart: this.behindSince !== undefined && input.now - this.behindSince >= this.boundMs,
    };
  }
}
