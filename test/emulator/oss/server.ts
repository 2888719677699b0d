import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Clock } from '../clock';
import { FaultQueue } from '../faults';
import { Listeners } from '../listeners';
import type { World } from '../world';
import { authenticate, checkPayloadHash, type ReceivedParam } from './auth';
import { errorXml, newOssRequestId, OssError, ossGuessDefaults, type OssGuess, type OssGuessKey } from './errors';
import { ObjectStore, type ObjectInfo } from './store';
import { contentsNode, isoMs, parseCompleteParts, xmlDocument, type XmlNode } from './xml';

/**
 * The emulated OSS (reference oss.md): its own loopback port, the same storage folder as the emulated boards, the
 * keys of the PAI-DLC emulator's world (the demo user and every STS credential it hands out). Requests address a
 * bucket as OSS clients do with an IP endpoint: the bucket in `Host` (`<bucket>.oss-<region>.aliyuncs.com`, what
 * ali-oss sends), or path style `/<bucket>/<key>` when Host is the IP.
 */

export type OssOperation =
  | 'ListBuckets'
  | 'GetBucketLocation'
  | 'GetBucketInfo'
  | 'ListObjectsV2'
  | 'PutObject'
  | 'AppendObject'
  | 'HeadObject'
  | 'GetObject'
  | 'DeleteObject'
  | 'InitiateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload';

/** Billed as PUT-type requests; the rest as GET-type (oss.md §6). Only 2xx and 3xx answers are billed. */
const putTyped = new Set<OssOperation>([
  'PutObject',
  'AppendObject',
  'DeleteObject',
  'ListObjectsV2',
  'InitiateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
]);

export type OssFaultKind =
  /** 503 SlowDown (guessed, `errorOverrides.throttling`). */
  | 'throttling'
  | 'internalError'
  /** Holds the request `delayMs`, then serves it. */
  | 'delay'
  /** Reads the whole request, applies nothing, closes the connection without an answer. */
  | 'drop'
  /** Closes the connection after the first chunk of the body has arrived: nothing is applied. */
  | 'dropMidBody'
  /** Applies the request, then closes the connection without an answer: the client cannot tell it worked. */
  | 'dropAfterCommit';

export interface OssFault {
  kind: OssFaultKind;
  /** Only this operation; any when absent. */
  operation?: OssOperation;
  /** How many matching requests (default 1). */
  times?: number;
  delayMs?: number;
}

export interface OssBucketSpec {
  name: string;
  /** Default: the world's region. */
  region?: string;
}

export interface OssOptions {
  /** Buckets besides every folder under `<storageRoot>/oss/` (default: `pai-emulator-demo`, the seed's). */
  buckets?: OssBucketSpec[];
  /** Accept V1 signatures (default true; V1 is closed to new accounts since 2025, oss.md §0). */
  acceptV1?: boolean;
  /** V4 canonical form of an empty query value: `k` (Go SDK v2, ali-oss's sub-resources), `k=` (ali-oss's other queries) or either (default). */
  emptyQueryValue?: 'either' | 'bare' | 'equals';
  /** Largest PutObject, UploadPart or AppendObject body (default 64 MiB; OSS allows 5 GB). */
  maxBodyBytes?: number;
  errorOverrides?: Partial<Record<OssGuessKey, Partial<OssGuess>>>;
}

export interface OssRecordedRequest {
  operation?: OssOperation;
  method: string;
  /** As received, not decoded. */
  path: string;
  bucket?: string;
  key?: string;
  query: Record<string, string>;
  /** `authorization` and `x-oss-security-token` redacted. */
  headers: Record<string, string>;
  /** The AccessKey ID whose signature (and STS token) the emulator accepted. */
  accessKeyId?: string;
  /** Body bytes received. */
  bytes: number;
  /** 0 when no answer was sent (a dropped connection). */
  status: number;
  code?: string;
  fault?: OssFaultKind;
  at: number;
}

interface Addressed {
  bucket?: string;
  key?: string;
  /** The region of an `*.aliyuncs.com` Host; undefined for an IP. */
  hostRegion?: string;
  hostId: string;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

const defaultBucket = 'pai-emulator-demo';
const xmlType = 'application/xml';
const maxXmlBytes = 1024 * 1024;

export interface OssEmulatorDeps {
  storageRoot: string;
  clock: Clock;
  world: () => World;
  options?: OssOptions;
}

export class OssEmulator {
  readonly requests: OssRecordedRequest[] = [];
  /** Body bytes of every request, counted as they arrive (not when the body is complete). */
  bodyBytesReceived = 0;
  private readonly listeners = new Listeners();
  private readonly server = this.listeners.track(
    createServer((request, response) => {
      this.dispatch(request, response).catch((error: unknown) => this.crash(response, error));
    }),
  );
  private readonly faultQueue = new FaultQueue<OssFault>();
  private readonly store: ObjectStore;
  private readonly options: OssOptions;
  private readonly startedAt: number;
  private origin = 'http://127.0.0.1:0';

  constructor(private readonly deps: OssEmulatorDeps) {
    this.options = deps.options ?? {};
    this.store = new ObjectStore(deps.storageRoot, () => deps.clock.now());
    this.startedAt = deps.clock.now();
  }

  async listen(port = 0): Promise<void> {
    this.origin = `http://127.0.0.1:${await this.listeners.listen(this.server, port)}`;
  }

  /** `http://127.0.0.1:PORT`: give it to a client as its endpoint, and the bucket's virtual host as `Host`. */
  get endpoint(): string {
    return this.origin;
  }

  /** The world's region, where the default bucket lives (`cn-hangzhou`). */
  get regionId(): string {
    return this.deps.world().regionId;
  }

  /** The local file an object is kept in (the folder emulated boards read). */
  fileOf(bucket: string, key: string): string {
    return this.store.fileOf(bucket, key);
  }

  injectFault(fault: OssFault): void {
    this.faultQueue.inject(fault);
  }

  clearFaults(): void {
    this.faultQueue.clear();
  }

  faults(): OssFault[] {
    return this.faultQueue.pending();
  }

  /** Billed requests so far (2xx/3xx), by OSS's two request classes. */
  billed(): { put: number; get: number } {
    const billed = this.requests.filter(
      (request) => request.operation && request.status >= 200 && request.status < 400,
    );
    const put = billed.filter((request) => putTyped.has(request.operation as OssOperation)).length;
    return { put, get: billed.length - put };
  }

  /** Forgets requests, faults, uploads in progress and object records (the files stay, as the storage folder does). */
  reset(): void {
    this.listeners.releaseHeld();
    this.requests.length = 0;
    this.faultQueue.clear();
    this.store.forget();
  }

  async stop(): Promise<void> {
    await this.listeners.close();
  }

  private buckets(): Map<string, string> {
    const region = this.deps.world().regionId;
    const buckets = new Map<string, string>();
    for (const spec of this.options.buckets ?? [{ name: defaultBucket }]) buckets.set(spec.name, spec.region ?? region);
    for (const name of this.store.folderBuckets()) if (!buckets.has(name)) buckets.set(name, region);
    return buckets;
  }

  private guess(key: OssGuessKey, message: string, ec: string): OssError {
    const chosen = { ...ossGuessDefaults[key], ...this.options.errorOverrides?.[key] };
    return new OssError(chosen.status, chosen.code, message, ec);
  }

  private async dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = request.url ?? '/';
    const queryAt = url.indexOf('?');
    const rawPath = queryAt < 0 ? url : url.slice(0, queryAt);
    const query = parseQuery(queryAt < 0 ? '' : url.slice(queryAt + 1));
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const method = request.method ?? 'GET';
    const record: OssRecordedRequest = {
      method,
      path: rawPath,
      query: Object.fromEntries(query.map(({ name, value }) => [name, value])),
      headers: Object.fromEntries(
        Object.entries(headers).map(([name, value]) => [
          name,
          name === 'authorization' || name === 'x-oss-security-token' ? '***' : value,
        ]),
      ),
      bytes: 0,
      status: 0,
      at: this.deps.clock.now(),
    };
    this.requests.push(record);
    const requestId = newOssRequestId();
    let hostId = headers['host'] ?? '';
    try {
      const addressed = this.address(headers['host'] ?? '', rawPath);
      hostId = addressed.hostId;
      record.bucket = addressed.bucket;
      record.key = addressed.key;
      const operation = operationOf(method, addressed, query);
      record.operation = operation;
      const buckets = this.buckets();
      const bucketRegion = addressed.bucket === undefined ? undefined : buckets.get(addressed.bucket);
      // The endpoint of another region does not know the bucket's keys: it answers before any signature check.
      if (
        addressed.bucket !== undefined &&
        bucketRegion !== undefined &&
        addressed.hostRegion !== undefined &&
        addressed.hostRegion !== bucketRegion
      ) {
        throw new OssError(
          403,
          'AccessDenied',
          'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
          '0003-00000001',
          [
            ['Bucket', addressed.bucket],
            ['Endpoint', `oss-${bucketRegion}.aliyuncs.com`],
          ],
        );
      }
      const world = this.deps.world();
      record.accessKeyId = authenticate(
        { method, headers, query, bucket: addressed.bucket, key: addressed.key },
        {
          nowMs: this.deps.clock.now(),
          region: bucketRegion ?? addressed.hostRegion,
          findKey: (id) => world.keys.get(id),
          isSomeToken: (token) => [...world.keys.values()].some((key) => key.sts?.securityToken === token),
          acceptV1: this.options.acceptV1 ?? true,
          emptyQueryValue: this.options.emptyQueryValue ?? 'either',
          guess: (key, message, ec) => this.guess(key, message, ec),
        },
      );
      if (addressed.bucket !== undefined && bucketRegion === undefined) {
        throw new OssError(404, 'NoSuchBucket', 'The specified bucket does not exist.', '0015-00000101', [
          ['BucketName', addressed.bucket],
        ]);
      }
      const fault = this.faultQueue.take(operation);
      if (fault) record.fault = fault.kind;
      if (fault?.kind === 'throttling')
        throw this.guess('throttling', 'Please reduce your request rate.', '0000-00000000');
      if (fault?.kind === 'internalError') {
        throw new OssError(
          500,
          'InternalError',
          'We encountered an internal error. Please try again.',
          '0000-00000001',
        );
      }
      if (fault?.kind === 'delay' && !(await this.listeners.hold(fault.delayMs ?? 30_000))) return;
      if (fault?.kind === 'dropMidBody') {
        await firstChunk(request);
        request.socket.destroy();
        return;
      }
      const limit =
        operation === 'PutObject' || operation === 'AppendObject' || operation === 'UploadPart'
          ? (this.options.maxBodyBytes ?? 64 * 1024 * 1024)
          : maxXmlBytes;
      const body = await readBody(request, limit, (bytes) => (this.bodyBytesReceived += bytes));
      record.bytes = body.length;
      if (body.length > limit)
        throw this.guess(
          'entityTooLarge',
          'Your proposed upload exceeds the maximum allowed object size.',
          '0042-00000213',
        );
      if (fault?.kind === 'drop') {
        request.socket.destroy();
        return;
      }
      const md5 = headers['content-md5'];
      if (md5 !== undefined && md5 !== createHash('md5').update(body).digest('base64')) {
        throw new OssError(
          400,
          'InvalidDigest',
          'The Content-MD5 you specified did not match what we received.',
          '0016-00000901',
          [['CalculatedDigest', createHash('md5').update(body).digest('base64')]],
        );
      }
      checkPayloadHash(headers, body);
      const answer = this.operate(operation, addressed, query, headers, body, buckets);
      if (fault?.kind === 'dropAfterCommit') {
        request.socket.destroy();
        return;
      }
      record.status = answer.status;
      this.send(response, answer, requestId, method === 'HEAD');
    } catch (error) {
      if (!(error instanceof OssError)) throw error;
      record.status = error.status;
      record.code = error.code;
      // The request body may still be arriving: drained, so the answer is read and the connection stays usable.
      request.resume();
      const xml = errorXml(error, requestId, hostId);
      const extra = { ...error.headers, 'x-oss-ec': error.ec };
      if (method === 'HEAD') {
        this.send(
          response,
          { status: error.status, headers: { ...extra, 'x-oss-err': Buffer.from(xml).toString('base64') } },
          requestId,
          true,
        );
      } else {
        this.send(
          response,
          { status: error.status, headers: { ...extra, 'content-type': xmlType }, body: xml },
          requestId,
          false,
        );
      }
    }
  }

  /** oss.md §1's emulator rule. */
  private address(host: string, rawPath: string): Addressed {
    const name = host.replace(/:\d+$/, '').toLowerCase();
    const decodedPath = safeDecode(rawPath);
    if (name.endsWith('.aliyuncs.com')) {
      const labels = name.split('.');
      const serviceLevel = labels[0] === '' || /^oss-/.test(labels[0]);
      const endpointLabel = serviceLevel ? (labels[0] === '' ? labels[1] : labels[0]) : labels[1];
      const hostRegion = endpointLabel?.replace(/^oss-/, '').replace(/-internal$/, '');
      if (serviceLevel) {
        if (decodedPath !== '/') {
          throw new OssError(
            403,
            'SecondLevelDomainForbidden',
            'Please use virtual hosted style to access.',
            '0003-00000002',
          );
        }
        return { hostRegion, hostId: name.replace(/^\./, '') };
      }
      const key = decodedPath.slice(1);
      return { bucket: labels[0], key: key === '' ? undefined : key, hostRegion, hostId: name };
    }
    const match = /^\/([^/]+)(?:\/(.*))?$/.exec(decodedPath);
    if (!match) return { hostId: name };
    return { bucket: match[1], key: match[2] ? match[2] : undefined, hostId: name };
  }

  private operate(
    operation: OssOperation,
    addressed: Addressed,
    query: readonly ReceivedParam[],
    headers: Record<string, string>,
    body: Buffer,
    buckets: Map<string, string>,
  ): Answer {
    const bucket = addressed.bucket ?? '';
    const key = addressed.key ?? '';
    const param = (name: string): string | undefined => query.find((entry) => entry.name === name)?.value;
    const meta = Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('x-oss-meta-')));
    const contentType = headers['content-type'] ?? 'application/octet-stream';
    const world = this.deps.world();
    const owner: XmlNode = [
      'Owner',
      [
        ['ID', world.demoKey.userId],
        ['DisplayName', world.demoKey.userId],
      ],
    ];
    switch (operation) {
      case 'ListBuckets': {
        const prefix = param('prefix') ?? '';
        const nodes: XmlNode[] = [...buckets]
          .filter(([name]) => name.startsWith(prefix))
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([name, region]) => ['Bucket', this.bucketFields(name, region)]);
        return xml(['ListAllMyBucketsResult', [owner, ['Buckets', nodes]]]);
      }
      case 'GetBucketLocation':
        return xml(['LocationConstraint', `oss-${buckets.get(bucket)}`]);
      case 'GetBucketInfo':
        return xml([
          'BucketInfo',
          [
            [
              'Bucket',
              [
                ...this.bucketFields(bucket, buckets.get(bucket) ?? ''),
                owner,
                ['AccessControlList', [['Grant', 'private']]],
              ],
            ],
          ],
        ]);
      case 'ListObjectsV2':
        return this.listV2(bucket, param, owner);
      case 'PutObject': {
        if (headers['x-oss-forbid-overwrite'] === 'true' && this.store.head(bucket, key)) {
          throw new OssError(
            409,
            'FileAlreadyExists',
            'The object you specified already exists and can not be overwritten.',
            '0016-00000602',
          );
        }
        const info = this.store.put(bucket, key, body, contentType, meta);
        return {
          status: 200,
          headers: { etag: info.etag, 'x-oss-hash-crc64ecma': info.crc64.toString(), 'content-md5': md5Base64(body) },
        };
      }
      case 'AppendObject': {
        const positionText = param('position');
        if (positionText === undefined)
          throw this.guess('missingPosition', 'The position parameter is required for AppendObject.', '0016-00000501');
        if (!/^\d+$/.test(positionText)) {
          throw new OssError(400, 'InvalidArgument', 'Position is not a valid number.', '0016-00000502', [
            ['ArgumentName', 'position'],
            ['ArgumentValue', positionText],
          ]);
        }
        const info = this.store.append(bucket, key, Number(positionText), body, contentType, meta);
        return {
          status: 200,
          headers: {
            etag: info.etag,
            'x-oss-next-append-position': String(info.size),
            'x-oss-hash-crc64ecma': info.crc64.toString(),
          },
        };
      }
      case 'HeadObject':
      case 'GetObject': {
        const info = this.store.head(bucket, key);
        if (!info) {
          throw new OssError(404, 'NoSuchKey', 'The specified key does not exist.', '0026-00000001', [['Key', key]]);
        }
        const objectHeaders = objectHeadersOf(info);
        if (operation === 'HeadObject')
          return { status: 200, headers: { ...objectHeaders, 'content-length': String(info.size) } };
        return this.getObject(bucket, info, objectHeaders, headers);
      }
      case 'DeleteObject':
        this.store.delete(bucket, key);
        return { status: 204 };
      case 'InitiateMultipartUpload': {
        const uploadId = this.store.initiate(bucket, key, contentType, meta);
        return xml([
          'InitiateMultipartUploadResult',
          [
            ['Bucket', bucket],
            ['Key', key],
            ['UploadId', uploadId],
          ],
        ]);
      }
      case 'UploadPart': {
        const numberText = param('partNumber') ?? '';
        const partNumber = Number(numberText);
        if (!/^\d+$/.test(numberText) || partNumber < 1 || partNumber > 10000) {
          throw new OssError(
            400,
            'InvalidArgument',
            'Part number must be an integer between 1 and 10000, inclusive.',
            '0042-00000201',
            [
              ['ArgumentName', 'partNumber'],
              ['ArgumentValue', numberText],
            ],
          );
        }
        const part = this.store.uploadPart(bucket, key, param('uploadId') ?? '', partNumber, body);
        return { status: 200, headers: { etag: part.etag, 'x-oss-hash-crc64ecma': part.crc64.toString() } };
      }
      case 'CompleteMultipartUpload': {
        const parts = parseCompleteParts(body.toString('utf8'));
        if (!parts)
          throw new OssError(
            400,
            'MalformedXML',
            'The XML you provided was not well-formed or did not validate against our published schema.',
            '0042-00000206',
          );
        const info = this.store.complete(bucket, key, param('uploadId') ?? '', parts);
        const answer = xml([
          'CompleteMultipartUploadResult',
          [
            ['Location', `http://${addressed.hostId}/${key}`],
            ['Bucket', bucket],
            ['Key', key],
            ['ETag', info.etag],
          ],
        ]);
        return { ...answer, headers: { ...answer.headers, 'x-oss-hash-crc64ecma': info.crc64.toString() } };
      }
      case 'AbortMultipartUpload':
        this.store.abort(bucket, key, param('uploadId') ?? '');
        return { status: 204 };
    }
  }

  private bucketFields(name: string, region: string): XmlNode[] {
    return [
      ['CreationDate', isoMs(this.startedAt)],
      ['ExtranetEndpoint', `oss-${region}.aliyuncs.com`],
      ['IntranetEndpoint', `oss-${region}-internal.aliyuncs.com`],
      ['Location', `oss-${region}`],
      ['Name', name],
      ['Region', region],
      ['StorageClass', 'Standard'],
    ];
  }

  /** oss.md §3.2: prefix, delimiter, start-after, continuation-token (opaque), max-keys 1..1000 (100), encoding-type=url. */
  private listV2(bucket: string, param: (name: string) => string | undefined, owner: XmlNode): Answer {
    const prefix = param('prefix') ?? '';
    const delimiter = param('delimiter') ?? '';
    const startAfter = param('start-after');
    const token = param('continuation-token');
    const maxKeysText = param('max-keys') ?? '100';
    const maxKeys = Number(maxKeysText);
    if (!/^\d+$/.test(maxKeysText) || maxKeys < 1 || maxKeys > 1000) {
      throw new OssError(
        400,
        'InvalidArgument',
        'Argument max-keys must be an integer between 1 and 1000.',
        '0017-00000101',
        [
          ['ArgumentName', 'max-keys'],
          ['ArgumentValue', maxKeysText],
        ],
      );
    }
    const encoding = param('encoding-type');
    const encodeKey =
      encoding === 'url' ? (key: string): string => encodeURIComponent(key) : (key: string): string => key;
    let after = startAfter ?? '';
    if (token !== undefined) {
      const decoded = Buffer.from(token, 'base64url').toString('utf8');
      if (!decoded.startsWith('k:')) {
        throw new OssError(400, 'InvalidArgument', 'The continuation token provided is incorrect.', '0017-00000105', [
          ['ArgumentName', 'continuation-token'],
        ]);
      }
      after = decoded.slice(2);
    }
    const afterBytes = Buffer.from(after);
    const candidates = this.store
      .list(bucket)
      .filter((object) => object.key.startsWith(prefix) && Buffer.compare(Buffer.from(object.key), afterBytes) > 0);
    const contents: ObjectInfo[] = [];
    const prefixes: string[] = [];
    let last = '';
    let truncated = false;
    for (const object of candidates) {
      const common = delimiter === '' ? -1 : object.key.indexOf(delimiter, prefix.length);
      const entry = common < 0 ? object.key : object.key.slice(0, common + delimiter.length);
      if (common >= 0 && prefixes[prefixes.length - 1] === entry) continue;
      if (contents.length + prefixes.length === maxKeys) {
        truncated = true;
        break;
      }
      if (common >= 0) prefixes.push(entry);
      else contents.push(object);
      // After a common prefix, go on after every key below it: U+FFFF sorts after any key's bytes at that point.
      last = common >= 0 ? `${entry}\uffff` : entry;
    }
    const nodes: XmlNode[] = [
      ['Name', bucket],
      ['Prefix', encodeKey(prefix)],
      ['MaxKeys', maxKeys],
      ...(startAfter !== undefined ? ([['StartAfter', encodeKey(startAfter)]] as XmlNode[]) : []),
      ...(delimiter !== '' ? ([['Delimiter', encodeKey(delimiter)]] as XmlNode[]) : []),
      ...(encoding !== undefined ? ([['EncodingType', encoding]] as XmlNode[]) : []),
      ['IsTruncated', truncated],
      ...(token !== undefined ? ([['ContinuationToken', token]] as XmlNode[]) : []),
      ...(truncated ? ([['NextContinuationToken', Buffer.from(`k:${last}`).toString('base64url')]] as XmlNode[]) : []),
      ...contents.map((object) => contentsNode(object, encodeKey, param('fetch-owner') === 'true' ? owner : undefined)),
      ...prefixes.map((entry): XmlNode => ['CommonPrefixes', [['Prefix', encodeKey(entry)]]]),
      ['KeyCount', contents.length + prefixes.length],
    ];
    return xml(['ListBucketResult', nodes]);
  }

  /** oss.md §3: one range, `bytes=a-b|a-|-n`; an unsatisfiable one is ignored (200, whole object) unless `x-oss-range-behavior: standard`. */
  private getObject(
    bucket: string,
    info: ObjectInfo,
    objectHeaders: Record<string, string>,
    headers: Record<string, string>,
  ): Answer {
    const data = this.store.read(bucket, info.key);
    const standard = headers['x-oss-range-behavior'] === 'standard';
    const range = parseRange(headers['range'], data.length, standard);
    if (range === 'unsatisfiable') {
      throw new OssError(416, 'InvalidRange', 'The requested range cannot be satisfied', '0026-00000002', [
        ['RangeRequested', headers['range'] ?? ''],
        ['ActualObjectSize', String(data.length)],
      ]);
    }
    if (!range) return { status: 200, headers: { ...objectHeaders, 'accept-ranges': 'bytes' }, body: data };
    const [start, end] = range;
    return {
      status: 206,
      headers: { ...objectHeaders, 'accept-ranges': 'bytes', 'content-range': `bytes ${start}-${end}/${data.length}` },
      body: data.subarray(start, end + 1),
    };
  }

  private send(response: ServerResponse, answer: Answer, requestId: string, head: boolean): void {
    if (response.destroyed) return;
    const body = answer.body === undefined ? Buffer.alloc(0) : Buffer.from(answer.body);
    response.writeHead(answer.status, {
      server: 'AliyunOSS',
      date: new Date(this.deps.clock.now()).toUTCString(),
      'x-oss-request-id': requestId,
      'x-oss-server-time': '1',
      ...(head ? {} : { 'content-length': String(body.length) }),
      ...answer.headers,
    });
    response.end(head ? undefined : body);
  }

  private crash(response: ServerResponse, error: unknown): void {
    process.stderr.write(`[emulator oss] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    if (!response.headersSent && !response.destroyed) {
      const failure = new OssError(500, 'InternalError', 'The emulator failed on this request.', '0000-00000001');
      this.send(
        response,
        { status: 500, headers: { 'content-type': xmlType }, body: errorXml(failure, newOssRequestId(), 'emulator') },
        newOssRequestId(),
        false,
      );
    } else {
      response.destroy();
    }
  }
}

function xml(root: XmlNode): Answer {
  return { status: 200, headers: { 'content-type': xmlType }, body: xmlDocument(root) };
}

function md5Base64(data: Buffer): string {
  return createHash('md5').update(data).digest('base64');
}

function objectHeadersOf(info: ObjectInfo): Record<string, string> {
  return {
    'content-type': info.contentType,
    etag: info.etag,
    'last-modified': new Date(info.lastModifiedMs).toUTCString(),
    'x-oss-object-type': info.type,
    'x-oss-storage-class': 'Standard',
    'x-oss-hash-crc64ecma': info.crc64.toString(),
    ...(info.type === 'Appendable' ? { 'x-oss-next-append-position': String(info.size) } : {}),
    ...info.meta,
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new OssError(400, 'InvalidURI', 'Could not parse the specified URI.', '0016-00000001');
  }
}

export function parseQuery(raw: string): ReceivedParam[] {
  if (raw === '') return [];
  return raw
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.indexOf('=');
      const name = safeDecode(at < 0 ? pair : pair.slice(0, at));
      return { name, value: at < 0 ? '' : safeDecode(pair.slice(at + 1)), hadEquals: at >= 0 };
    });
}

function operationOf(method: string, addressed: Addressed, query: readonly ReceivedParam[]): OssOperation {
  const has = (name: string): boolean => query.some((entry) => entry.name === name);
  if (addressed.bucket === undefined) {
    if (method === 'GET') return 'ListBuckets';
  } else if (addressed.key === undefined) {
    if (method === 'GET' && has('location')) return 'GetBucketLocation';
    if (method === 'GET' && has('bucketInfo')) return 'GetBucketInfo';
    if (method === 'GET' && query.find((entry) => entry.name === 'list-type')?.value === '2') return 'ListObjectsV2';
  } else {
    if (method === 'PUT' && has('uploadId')) return 'UploadPart';
    if (method === 'PUT') return 'PutObject';
    if (method === 'POST' && has('append')) return 'AppendObject';
    if (method === 'POST' && has('uploads')) return 'InitiateMultipartUpload';
    if (method === 'POST' && has('uploadId')) return 'CompleteMultipartUpload';
    if (method === 'DELETE' && has('uploadId')) return 'AbortMultipartUpload';
    if (method === 'DELETE') return 'DeleteObject';
    if (method === 'HEAD') return 'HeadObject';
    if (method === 'GET' && !has('uploadId')) return 'GetObject';
  }
  throw new OssError(501, 'NotImplemented', 'The emulator does not implement this operation.', '0000-00000501', [
    ['Method', method],
  ]);
}

/** [start, end] inclusive; undefined = the whole object; 'unsatisfiable' only with the standard behaviour. */
function parseRange(
  header: string | undefined,
  size: number,
  standard: boolean,
): [number, number] | undefined | 'unsatisfiable' {
  const match = /^bytes=(\d*)-(\d*)/.exec(header?.trim() ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return standard ? 'unsatisfiable' : undefined;
    if (suffix > size && !standard) return undefined;
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Number(match[2]);
    if (start >= size) return standard ? 'unsatisfiable' : undefined;
    if (end < start) return undefined;
    if (end >= size) {
      if (!standard) return undefined;
      end = size - 1;
    }
  }
  return [start, end];
}

function readBody(request: IncomingMessage, limit: number, arrived: (bytes: number) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      arrived(chunk.length);
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    // Past the limit the rest is read and dropped, so the error answer reaches the client.
    request.on('end', () => resolve(size > limit ? Buffer.alloc(limit + 1) : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function firstChunk(request: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    request.once('data', () => resolve());
    request.once('end', () => resolve());
    request.once('error', () => resolve());
  });
}
