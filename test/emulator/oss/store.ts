import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { crc64Update } from './crc64';
import { OssError } from './errors';

/**
 * Objects of the emulated OSS, kept as plain files in the emulator's storage folder: `<root>/oss/<bucket>/<key>`,
 * the folder an emulated board's real TensorBoard reads for `oss://<bucket>.<endpoint>/<key>` (storage.ts). What a
 * file cannot hold (object type, ETag, CRC, content type, user metadata) is kept in memory beside it; a file that
 * changed behind the emulator's back (a test, the seed) counts as a Normal object with a computed ETag and CRC.
 */

export type ObjectType = 'Normal' | 'Appendable' | 'Multipart';

export interface ObjectInfo {
  key: string;
  size: number;
  type: ObjectType;
  /** Quoted, as in the ETag header. */
  etag: string;
  crc64: bigint;
  contentType: string;
  lastModifiedMs: number;
  meta: Record<string, string>;
}

interface SideRecord {
  type: ObjectType;
  etag: string;
  crc64: bigint;
  contentType: string;
  lastModifiedMs: number;
  meta: Record<string, string>;
  /** The file's size and mtime when this record was made: a different file is no longer this object. */
  size: number;
  mtimeMs: number;
}

interface Upload {
  bucket: string;
  key: string;
  contentType: string;
  meta: Record<string, string>;
  /** Each part is a file of its own under `<root>/.oss-tmp/<uploadId>/`, never held in memory past its request. */
  parts: Map<number, { file: string; size: number; etag: string; crc64: bigint }>;
  initiatedMs: number;
}

/** An appendable object may grow to 5 GB (oss.md §3.1). */
export const maxAppendableBytes = 5 * 1024 ** 3;
export const minPartBytes = 100 * 1024;

function md5Etag(data: Buffer): string {
  return `"${createHash('md5').update(data).digest('hex').toUpperCase()}"`;
}

/** An opaque ETag for appendable and multipart objects: not the MD5, as on OSS. */
function opaqueEtag(): string {
  return `"${randomBytes(16).toString('hex').toUpperCase()}"`;
}

function invalidName(key: string, why: string): OssError {
  return new OssError(400, 'InvalidObjectName', `The specified object is not valid. ${why}`, '0016-00000003', [
    ['ObjectName', key],
  ]);
}

export class ObjectStore {
  private readonly side = new Map<string, SideRecord>();
  private readonly uploads = new Map<string, Upload>();

  constructor(
    private readonly root: string,
    private readonly now: () => number,
  ) {}

  bucketFolder(bucket: string): string {
    return path.join(this.root, 'oss', bucket);
  }

  /** Buckets that have a folder (the seed makes `pai-emulator-demo`'s). */
  folderBuckets(): string[] {
    const folder = path.join(this.root, 'oss');
    if (!existsSync(folder)) return [];
    return readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
      .map((entry) => entry.name);
  }

  forget(): void {
    this.side.clear();
    for (const uploadId of this.uploads.keys()) this.dropParts(uploadId);
    this.uploads.clear();
  }

  /**
   * The file of a key. OSS keys are any UTF-8 of 1–1023 bytes not starting with `/` or `\`; a folder holds fewer:
   * empty, `.` and `..` segments, and a NUL, are refused here with InvalidObjectName (an emulator limit, README).
   */
  fileOf(bucket: string, key: string): string {
    const bytes = Buffer.byteLength(key);
    if (bytes < 1 || bytes > 1023) throw invalidName(key, 'The key must be 1 to 1023 bytes long.');
    if (key.startsWith('/') || key.startsWith('\\')) throw invalidName(key, 'The key must not start with / or \\.');
    const segments = key.replace(/\/$/, '').split('/');
    if (
      segments.some((segment) => segment === '' || segment === '.' || segment === '..') ||
      key.includes('\0') ||
      key.includes('\\')
    ) {
      throw invalidName(
        key,
        'The emulator keeps objects as files: empty, "." and ".." segments, "\\" and NUL cannot be stored.',
      );
    }
    return path.join(this.bucketFolder(bucket), ...segments);
  }

  head(bucket: string, key: string): ObjectInfo | undefined {
    const file = this.fileOf(bucket, key);
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return undefined;
    }
    const isMarker = key.endsWith('/');
    if (stat.isDirectory() !== isMarker) return undefined;
    const id = `${bucket}/${key}`;
    const record = this.side.get(id);
    if (record && record.size === (isMarker ? 0 : stat.size) && (isMarker || record.mtimeMs === stat.mtimeMs)) {
      return { key, size: record.size, ...this.publicOf(record) };
    }
    if (isMarker && !record) return undefined; // a folder with no marker object is only a common prefix
    const data = isMarker ? Buffer.alloc(0) : readFileSync(file);
    const fresh: SideRecord = {
      type: 'Normal',
      etag: md5Etag(data),
      crc64: crc64Update(0n, data),
      contentType: 'application/octet-stream',
      lastModifiedMs: Math.floor(stat.mtimeMs / 1000) * 1000,
      meta: {},
      size: data.length,
      mtimeMs: stat.mtimeMs,
    };
    this.side.set(id, fresh);
    return { key, size: data.length, ...this.publicOf(fresh) };
  }

  read(bucket: string, key: string): Buffer {
    return key.endsWith('/') ? Buffer.alloc(0) : readFileSync(this.fileOf(bucket, key));
  }

  put(
    bucket: string,
    key: string,
    data: Buffer,
    contentType: string,
    meta: Record<string, string>,
    type: ObjectType = 'Normal',
  ): ObjectInfo {
    const file = this.fileOf(bucket, key);
    this.makeParent(file, key);
    if (key.endsWith('/')) {
      mkdirSync(file, { recursive: true });
    } else {
      if (existsSync(file) && statSync(file).isDirectory()) throw this.conflict(key);
      // Written beside and renamed, so a TensorBoard reading the folder never sees half an object.
      const temporary = path.join(this.root, '.oss-tmp', randomBytes(8).toString('hex'));
      mkdirSync(path.dirname(temporary), { recursive: true });
      const fd = openSync(temporary, 'w');
      try {
        writeSync(fd, data);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, file);
    }
    return this.remember(bucket, key, file, {
      type,
      etag: type === 'Normal' ? md5Etag(data) : opaqueEtag(),
      crc64: crc64Update(0n, data),
      contentType,
      meta,
    });
  }

  /** AppendObject's rules (oss.md §3.1): create at 0, append at the length, else 409 with the next position. */
  append(
    bucket: string,
    key: string,
    position: number,
    data: Buffer,
    contentType: string,
    meta: Record<string, string>,
  ): ObjectInfo {
    const existing = this.head(bucket, key);
    if (!existing) {
      if (position !== 0) throw this.positionMismatch(0);
      return this.put(bucket, key, data, contentType, meta, 'Appendable');
    }
    if (existing.type !== 'Appendable') {
      throw new OssError(409, 'ObjectNotAppendable', 'The object is not appendable.', '0026-00000015');
    }
    if (position !== existing.size) throw this.positionMismatch(existing.size, existing.crc64);
    if (existing.size + data.length > maxAppendableBytes) {
      throw new OssError(400, 'InvalidArgument', 'The appendable object would exceed 5 GB.', '0026-00000017');
    }
    const file = this.fileOf(bucket, key);
    const fd = openSync(file, 'a');
    try {
      writeSync(fd, data);
    } finally {
      closeSync(fd);
    }
    return this.remember(bucket, key, file, {
      type: 'Appendable',
      etag: opaqueEtag(),
      crc64: crc64Update(existing.crc64, data),
      contentType: existing.contentType,
      meta: existing.meta,
    });
  }

  /** Whether the key was there; OSS answers 204 either way. */
  delete(bucket: string, key: string): boolean {
    const info = this.head(bucket, key);
    this.side.delete(`${bucket}/${key}`);
    if (!info) return false;
    const file = this.fileOf(bucket, key);
    if (key.endsWith('/')) {
      // A marker's folder goes only when empty: other objects may live below it.
      if (readdirSync(file).length === 0) rmSync(file, { recursive: true });
    } else {
      rmSync(file);
    }
    return true;
  }

  /** Every object of the bucket, keys in byte order, markers included (folders without one are not objects). */
  list(bucket: string): ObjectInfo[] {
    const keys: string[] = [];
    const seen = new Set<string>();
    const walk = (folder: string, prefix: string, depth: number): void => {
      if (depth > 32) return;
      let entries;
      try {
        entries = readdirSync(folder, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const full = path.join(folder, entry.name);
        let stat;
        try {
          stat = statSync(full); // follows symlinks: npm start's workspace logs folder is one
        } catch {
          continue;
        }
        const key = `${prefix}${entry.name}`;
        if (stat.isDirectory()) {
          const id = `${stat.dev}:${stat.ino}`;
          if (seen.has(id)) continue;
          seen.add(id);
          if (this.side.has(`${bucket}/${key}/`)) keys.push(`${key}/`);
          walk(full, `${key}/`, depth + 1);
        } else if (stat.isFile()) {
          keys.push(key);
        }
      }
    };
    walk(this.bucketFolder(bucket), '', 0);
    keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return keys.flatMap((key) => {
      const info = this.head(bucket, key);
      return info ? [info] : [];
    });
  }

  initiate(bucket: string, key: string, contentType: string, meta: Record<string, string>): string {
    this.fileOf(bucket, key);
    const uploadId = randomBytes(16).toString('hex').toUpperCase();
    this.uploads.set(uploadId, { bucket, key, contentType, meta, parts: new Map(), initiatedMs: this.now() });
    return uploadId;
  }

  uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    data: Buffer,
  ): { etag: string; crc64: bigint } {
    const upload = this.upload(bucket, key, uploadId);
    const etag = md5Etag(data);
    const file = path.join(this.partsFolder(uploadId), String(partNumber));
    mkdirSync(path.dirname(file), { recursive: true });
    const fd = openSync(file, 'w');
    try {
      writeSync(fd, data);
    } finally {
      closeSync(fd);
    }
    const crc64 = crc64Update(0n, data);
    upload.parts.set(partNumber, { file, size: data.length, etag, crc64 });
    return { etag, crc64 };
  }

  /** CompleteMultipartUpload: the listed parts, ascending, each but the last at least 100 KB (oss.md §3). */
  complete(
    bucket: string,
    key: string,
    uploadId: string,
    listed: ReadonlyArray<{ partNumber: number; etag: string }>,
  ): ObjectInfo {
    const upload = this.upload(bucket, key, uploadId);
    if (listed.length === 0)
      throw new OssError(400, 'MalformedXML', 'The XML you provided was not well-formed.', '0042-00000206');
    const chosen: Array<{ file: string; size: number }> = [];
    listed.forEach(({ partNumber, etag }, index) => {
      if (index > 0 && partNumber <= listed[index - 1].partNumber) {
        throw new OssError(400, 'InvalidPartOrder', 'The list of parts was not in ascending order.', '0042-00000209');
      }
      const part = upload.parts.get(partNumber);
      if (!part || part.etag.replace(/"/g, '').toUpperCase() !== etag.replace(/"/g, '').toUpperCase()) {
        throw new OssError(
          400,
          'InvalidPart',
          "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
          '0042-00000210',
          [
            ['PartNumber', String(partNumber)],
            ['ETag', etag],
          ],
        );
      }
      if (index < listed.length - 1 && part.size < minPartBytes) {
        throw new OssError(
          400,
          'EntityTooSmall',
          'Your proposed upload is smaller than the minimum allowed size.',
          '0042-00000213',
          [
            ['PartNumber', String(partNumber)],
            ['MinSizeAllowed', String(minPartBytes)],
          ],
        );
      }
      chosen.push(part);
    });
    const file = this.fileOf(bucket, key);
    this.makeParent(file, key);
    if (existsSync(file) && statSync(file).isDirectory()) throw this.conflict(key);
    // The parts are copied a slice at a time into a file beside the object, then renamed over it: a 2 GiB upload
    // needs 1 MiB of memory here, and a TensorBoard reading the folder never sees half an object.
    const temporary = path.join(this.root, '.oss-tmp', randomBytes(8).toString('hex'));
    const slice = Buffer.alloc(1024 * 1024);
    let crc = 0n;
    const out = openSync(temporary, 'w');
    try {
      for (const part of chosen) {
        const input = openSync(part.file, 'r');
        try {
          for (let at = 0; at < part.size;) {
            const read = readSync(input, slice, 0, Math.min(slice.length, part.size - at), at);
            if (read === 0) break;
            writeSync(out, slice, 0, read);
            crc = crc64Update(crc, slice.subarray(0, read));
            at += read;
          }
        } finally {
          closeSync(input);
        }
      }
    } finally {
      closeSync(out);
    }
    renameSync(temporary, file);
    this.dropParts(uploadId);
    this.uploads.delete(uploadId);
    return this.remember(bucket, key, file, {
      type: 'Multipart',
      etag: opaqueEtag(),
      crc64: crc,
      contentType: upload.contentType,
      meta: upload.meta,
    });
  }

  abort(bucket: string, key: string, uploadId: string): void {
    this.upload(bucket, key, uploadId);
    this.dropParts(uploadId);
    this.uploads.delete(uploadId);
  }

  private partsFolder(uploadId: string): string {
    return path.join(this.root, '.oss-tmp', `upload-${uploadId}`);
  }

  private dropParts(uploadId: string): void {
    rmSync(this.partsFolder(uploadId), { recursive: true, force: true });
  }

  private upload(bucket: string, key: string, uploadId: string): Upload {
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.bucket !== bucket || upload.key !== key) {
      throw new OssError(
        404,
        'NoSuchUpload',
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
        '0042-00000002',
        [['UploadId', uploadId]],
      );
    }
    return upload;
  }

  private positionMismatch(length: number, crc?: bigint): OssError {
    return new OssError(409, 'PositionNotEqualToLength', 'Position is not equal to file length', '0026-00000016', [], {
      'x-oss-next-append-position': String(length),
      ...(crc === undefined ? {} : { 'x-oss-hash-crc64ecma': crc.toString() }),
    });
  }

  private conflict(key: string): OssError {
    return invalidName(key, 'The emulator keeps objects as files, and a file and a folder cannot share a name.');
  }

  private makeParent(file: string, key: string): void {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
    } catch {
      throw this.conflict(key); // a segment of the key is a file already
    }
  }

  private remember(
    bucket: string,
    key: string,
    file: string,
    record: Omit<SideRecord, 'size' | 'mtimeMs' | 'lastModifiedMs'>,
  ): ObjectInfo {
    const stat = statSync(file);
    const size = key.endsWith('/') ? 0 : stat.size;
    const full: SideRecord = { ...record, size, mtimeMs: stat.mtimeMs, lastModifiedMs: this.now() };
    this.side.set(`${bucket}/${key}`, full);
    return { key, size, ...this.publicOf(full) };
  }

  private publicOf(record: SideRecord): Omit<ObjectInfo, 'key' | 'size'> {
    const { type, etag, crc64, contentType, lastModifiedMs, meta } = record;
    return { type, etag, crc64, contentType, lastModifiedMs, meta };
  }
}
