import { createHash } from 'node:crypto';
import type { Agent, IncomingHttpHeaders } from 'node:http';
import { exchange, freshConnectionAgent, HttpFailure, type HttpAnswer } from '../api/http';
import { isLoopbackHost } from '../net/safeUrl';
import { parseCrc64 } from './crc64';
import { canonicalUri, signV4, type OssCredentials, type QueryParam } from './signer';

/**
 * The few OSS operations the sync needs, V4-signed over the project's bounded HTTP step (src/api/http.ts): put,
 * append, head, get, delete, list, multipart. Answers are small fixed XML, read with a few patterns. Where OSS sends
 * a fact in a header (the next append position, the object's CRC64), the error carries it too: ali-oss hides those.
 */

export interface OssTarget {
  bucket: string;
  /** `cn-hangzhou`, never `oss-cn-hangzhou`. */
  region: string;
  /**
   * The `-internal` endpoint, for a client inside the region's network (PAI-DSW, ECS): yes, no, or asked at the
   * first request (internalEndpoint.ts), then with a fall-back to the public endpoint when it cannot connect.
   * An `endpoint` override wins.
   */
  internal?: boolean | (() => Promise<boolean>);
  /**
   * Where to connect instead of `https://<bucket>.oss-<region>.aliyuncs.com`: http only on this machine's loopback
   * (the emulator), which is then sent the bucket's virtual host in `Host`, as ali-oss does.
   */
  endpoint?: string;
}

export interface OssClientOptions {
  target: OssTarget;
  /** Asked before every request, so temporary credentials can be renewed in between. */
  credentials: () => Promise<OssCredentials>;
  /**
   * Told when OSS refuses the credentials as expired or unknown (an STS rotation the source has not seen yet): the
   * source starts afresh, and the request is signed and sent once more, never more than once.
   */
  refreshCredentials?: () => void | Promise<void>;
  now?: () => number;
  agent?: Agent;
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
}

/**
 * The bytes of an object or part as slices read from disk, so a multi-GB file never sits in memory: `slices` starts
 * a fresh read each time it is called (a request that never reached the server is sent again), and must yield
 * exactly `length` bytes. Such a body goes without Content-MD5 (that would mean reading it twice): the CRC64 of
 * OSS's answer, checked by the runner against the bytes read, stands in for it.
 */
export interface SlicedBody {
  length: number;
  slices: () => AsyncIterable<Uint8Array>;
}

export type OssBody = Uint8Array | SlicedBody;

function isBytes(body: OssBody): body is Uint8Array {
  return body instanceof Uint8Array;
}

export type ObjectType = 'Normal' | 'Appendable' | 'Multipart' | 'Symlink';

export interface ObjectHead {
  size: number;
  type: ObjectType;
  crc64?: bigint;
  etag?: string;
  lastModified?: string;
}

export interface ListedObject {
  key: string;
  size: number;
  type: string;
  etag: string;
  lastModified: string;
}

export interface ListPage {
  objects: ListedObject[];
  prefixes: string[];
  nextContinuationToken?: string;
}

/** An error answer from OSS. */
export class OssRequestError extends Error {
  override readonly name = 'OssRequestError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | undefined,
    readonly ec: string | undefined,
    /** From `x-oss-next-append-position` (a 409 PositionNotEqualToLength). */
    readonly nextAppendPosition: number | undefined,
    /** Whether the request may succeed if sent again later (throttling, 5xx). */
    readonly retryable: boolean,
  ) {
    super(message);
  }

  /** The credentials were refused as expired or unknown: a rotation of temporary credentials, or a revoked key. */
  get credentialsRefused(): boolean {
    return this.status === 403 && /^(SecurityTokenExpired|InvalidAccessKeyId|InvalidSecurityToken)$/.test(this.code);
  }

  /** OSS asked the client to slow down. */
  get throttled(): boolean {
    return this.status === 503 || this.status === 429 || this.code === 'SlowDown' || this.code === 'Throttling';
  }
}

const maxAnswerBytes = 64 * 1024 * 1024;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function element(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return match ? unescapeXml(match[1]) : undefined;
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_entity, name: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (name in named) return named[name];
    return String.fromCodePoint(
      name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10),
    );
  });
}

function position(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

/** Where a client's requests go: the bucket's origin and the service's, with the `Host` sent to a loopback one. */
interface Route {
  origin: URL;
  host?: string;
  serviceOrigin: URL;
  serviceHost?: string;
  /** The public route, for an internal endpoint the client chose by itself: taken when it cannot connect. */
  fallback?: Route;
}

export class OssClient {
  private route: Promise<Route>;
  private readonly agent: Agent;
  private readonly now: () => number;

  constructor(private readonly options: OssClientOptions) {
    const { bucket, region, internal, endpoint } = options.target;
    if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket))
      throw new RangeError(`"${bucket}" is not an OSS bucket name.`);
    const regional = (inside: boolean): Route => {
      const service = `oss-${region}${inside ? '-internal' : ''}.aliyuncs.com`;
      return { origin: new URL(`https://${bucket}.${service}`), serviceOrigin: new URL(`https://${service}`) };
    };
    if (endpoint === undefined) {
      if (typeof internal === 'function') {
        const outside = regional(false);
        // Asked at the first request; a probe that fails means the public endpoint.
        this.route = Promise.resolve()
          .then(internal)
          .then(
            (inside) => (inside ? { ...regional(true), fallback: outside } : outside),
            () => outside,
          );
      } else {
        this.route = Promise.resolve(regional(internal === true));
      }
    } else {
      const override = new URL(endpoint);
      const service = `oss-${region}.aliyuncs.com`;
      if (override.protocol === 'https:' && !override.username && !override.password) {
        // An https override names the endpoint (an accelerated or a private one): buckets are its subdomains.
        this.route = Promise.resolve({
          origin: new URL(`https://${bucket}.${override.host}`),
          serviceOrigin: new URL(`https://${override.host}`),
        });
      } else if (override.protocol === 'http:' && isLoopbackHost(override.hostname)) {
        this.route = Promise.resolve({
          origin: override,
          serviceOrigin: override,
          host: `${bucket}.${service}`,
          serviceHost: service,
        });
      } else {
        throw new RangeError("An OSS endpoint must be https://, or http:// on this machine's loopback.");
      }
    }
    // A rejected route is never left unobserved: every request awaits it.
    this.route.catch(() => undefined);
    this.agent =
      options.agent ?? freshConnectionAgent(endpoint === undefined || new URL(endpoint).protocol === 'https:');
    this.now = options.now ?? Date.now;
  }

  /** The host the bucket's requests go to now (`<bucket>.oss-<region>[-internal].aliyuncs.com`, or the override's). */
  async bucketHost(): Promise<string> {
    return (await this.route).origin.host;
  }

  /** The buckets the credentials can see, in every region (ListBuckets is a service-level request). */
  async listBuckets(): Promise<Array<{ name: string; region: string }>> {
    const xml = (await this.send('GET', undefined, [['max-keys', '1000']], undefined, {}, true)).body.toString('utf8');
    return [...xml.matchAll(/<Bucket>([\s\S]*?)<\/Bucket>/g)].flatMap(([, block]) => {
      const name = element(block, 'Name');
      const location = element(block, 'Region') ?? element(block, 'Location')?.replace(/^oss-/, '');
      return name && location ? [{ name, region: location }] : [];
    });
  }

  async put(key: string, body: OssBody, contentType = 'application/octet-stream'): Promise<{ crc64?: bigint }> {
    const answer = await this.send('PUT', key, [], body, { 'content-type': contentType });
    return { crc64: parseCrc64(header(answer.headers, 'x-oss-hash-crc64ecma')) };
  }

  /** AppendObject at `at`: the position after it and the CRC64 of the whole object. */
  async append(key: string, at: number, body: OssBody): Promise<{ nextPosition: number; crc64?: bigint }> {
    const answer = await this.send(
      'POST',
      key,
      [
        ['append', null],
        ['position', String(at)],
      ],
      body,
      {},
    );
    const next = position(header(answer.headers, 'x-oss-next-append-position'));
    if (next === undefined)
      throw new OssRequestError(
        answer.status,
        'MalformedAnswer',
        'The append answer has no next position.',
        undefined,
        undefined,
        undefined,
        true,
      );
    return { nextPosition: next, crc64: parseCrc64(header(answer.headers, 'x-oss-hash-crc64ecma')) };
  }

  /** The object's size, type and CRC64; undefined when there is none. */
  async head(key: string): Promise<ObjectHead | undefined> {
    try {
      const { headers } = await this.send('HEAD', key, [], undefined, {});
      return {
        size: Number(header(headers, 'content-length') ?? 0),
        type: (header(headers, 'x-oss-object-type') ?? 'Normal') as ObjectType,
        crc64: parseCrc64(header(headers, 'x-oss-hash-crc64ecma')),
        etag: header(headers, 'etag'),
        lastModified: header(headers, 'last-modified'),
      };
    } catch (error) {
      if (error instanceof OssRequestError && error.status === 404 && error.code === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async get(key: string, range?: { start: number; end: number }): Promise<Buffer> {
    const headers: Record<string, string> = range
      ? { range: `bytes=${range.start}-${range.end}`, 'x-oss-range-behavior': 'standard' }
      : {};
    return (await this.send('GET', key, [], undefined, headers)).body;
  }

  /** Succeeds for a missing key too, as OSS does. */
  async delete(key: string): Promise<void> {
    await this.send('DELETE', key, [], undefined, {});
  }

  async list(
    options: { prefix?: string; delimiter?: string; continuationToken?: string; maxKeys?: number } = {},
  ): Promise<ListPage> {
    const query: QueryParam[] = [
      ['list-type', '2'],
      ['encoding-type', 'url'],
      ['max-keys', String(options.maxKeys ?? 1000)],
      ...(options.prefix ? ([['prefix', options.prefix]] as QueryParam[]) : []),
      ...(options.delimiter ? ([['delimiter', options.delimiter]] as QueryParam[]) : []),
      ...(options.continuationToken ? ([['continuation-token', options.continuationToken]] as QueryParam[]) : []),
    ];
    const xml = (await this.send('GET', undefined, query, undefined, {})).body.toString('utf8');
    const decode = (text: string | undefined): string => decodeURIComponent((text ?? '').replace(/\+/g, '%20'));
    const objects = [...xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)].map(([, block]) => ({
      key: decode(element(block, 'Key')),
      size: Number(element(block, 'Size') ?? 0),
      type: element(block, 'Type') ?? 'Normal',
      etag: element(block, 'ETag') ?? '',
      lastModified: element(block, 'LastModified') ?? '',
    }));
    const prefixes = [...xml.matchAll(/<CommonPrefixes>([\s\S]*?)<\/CommonPrefixes>/g)].map(([, block]) =>
      decode(element(block, 'Prefix')),
    );
    const truncated = element(xml, 'IsTruncated') === 'true';
    return {
      objects,
      prefixes,
      ...(truncated ? { nextContinuationToken: element(xml, 'NextContinuationToken') } : {}),
    };
  }

  async initiateMultipart(key: string, contentType = 'application/octet-stream'): Promise<string> {
    const xml = (
      await this.send('POST', key, [['uploads', null]], undefined, { 'content-type': contentType })
    ).body.toString('utf8');
    const uploadId = element(xml, 'UploadId');
    if (!uploadId)
      throw new OssRequestError(
        200,
        'MalformedAnswer',
        'The answer names no UploadId.',
        undefined,
        undefined,
        undefined,
        true,
      );
    return uploadId;
  }

  /** The part's ETag, which CompleteMultipartUpload needs back. */
  async uploadPart(key: string, uploadId: string, partNumber: number, body: OssBody): Promise<string> {
    const answer = await this.send(
      'PUT',
      key,
      [
        ['partNumber', String(partNumber)],
        ['uploadId', uploadId],
      ],
      body,
      {},
    );
    const etag = header(answer.headers, 'etag');
    if (!etag)
      throw new OssRequestError(
        200,
        'MalformedAnswer',
        'The part answer has no ETag.',
        undefined,
        undefined,
        undefined,
        true,
      );
    return etag;
  }

  async completeMultipart(
    key: string,
    uploadId: string,
    parts: ReadonlyArray<{ partNumber: number; etag: string }>,
  ): Promise<{ crc64?: bigint }> {
    const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload>\n' +
      parts
        .map(
          ({ partNumber, etag }) => `<Part><PartNumber>${partNumber}</PartNumber><ETag>${escape(etag)}</ETag></Part>\n`,
        )
        .join('') +
      '</CompleteMultipartUpload>';
    const answer = await this.send('POST', key, [['uploadId', uploadId]], Buffer.from(xml), {
      'content-type': 'application/xml',
    });
    return { crc64: parseCrc64(header(answer.headers, 'x-oss-hash-crc64ecma')) };
  }

  async abortMultipart(key: string, uploadId: string): Promise<void> {
    await this.send('DELETE', key, [['uploadId', uploadId]], undefined, {});
  }

  private async send(
    method: string,
    key: string | undefined,
    query: QueryParam[],
    body: OssBody | undefined,
    headers: Record<string, string>,
    service = false,
  ): Promise<HttpAnswer> {
    try {
      return await this.sendOnce(method, key, query, body, headers, service);
    } catch (error) {
      const refresh = this.options.refreshCredentials;
      if (!refresh || !(error instanceof OssRequestError) || !error.credentialsRefused) throw error;
      // Refused before anything was applied (OSS checks the signature first): safe to send again, once.
      await refresh();
      return this.sendOnce(method, key, query, body, headers, service);
    }
  }

  private async sendOnce(
    method: string,
    key: string | undefined,
    query: QueryParam[],
    body: OssBody | undefined,
    headers: Record<string, string>,
    service: boolean,
  ): Promise<HttpAnswer> {
    const { region } = this.options.target;
    const bucket = service ? undefined : this.options.target.bucket;
    const all: Record<string, string> = { ...headers };
    if (body !== undefined && isBytes(body)) all['content-md5'] = createHash('md5').update(body).digest('base64');
    const signed = signV4(
      { method, bucket, key, query, headers: all },
      await this.options.credentials(),
      region,
      this.now(),
    );
    const search = query
      .map(([name, value]) =>
        value === null ? encodeURIComponent(name) : `${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
      )
      .join('&');
    const route = await this.route;
    const sendTo = (to: Route): Promise<HttpAnswer> =>
      exchange({
        origin: service ? to.serviceOrigin : to.origin,
        path: `${canonicalUri(undefined, key ?? '')}${search ? `?${search}` : ''}`,
        method,
        headers: {
          ...all,
          ...signed,
          ...hostHeader(service ? to.serviceHost : to.host),
          'content-length': String(body?.length ?? 0),
        },
        body: body === undefined ? '' : isBytes(body) ? body : body.slices(),
        agent: this.agent,
        connectTimeoutMs: this.options.connectTimeoutMs ?? 10_000,
        readTimeoutMs: this.options.readTimeoutMs ?? 60_000,
        maxBodyBytes: maxAnswerBytes,
      });
    let answer: HttpAnswer;
    try {
      answer = await sendTo(route);
    } catch (error) {
      // The internal endpoint, chosen by the client itself, cannot be reached (no such name outside the region's
      // network, nothing listening): nothing was sent, so the request goes to the public endpoint, and so do the next.
      if (!route.fallback || !(error instanceof HttpFailure) || error.progress.connected) throw error;
      this.route = Promise.resolve(route.fallback);
      answer = await sendTo(route.fallback);
    }
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw this.errorOf(answer);
  }

  private errorOf(answer: HttpAnswer): OssRequestError {
    const encoded = header(answer.headers, 'x-oss-err');
    const xml =
      answer.body.length > 0
        ? answer.body.toString('utf8')
        : encoded
          ? Buffer.from(encoded, 'base64').toString('utf8')
          : '';
    const code = element(xml, 'Code') ?? `HTTP${answer.status}`;
    const retryable = answer.status >= 500 || answer.status === 429 || code === 'RequestTimeTooSkewed';
    return new OssRequestError(
      answer.status,
      code,
      element(xml, 'Message') ?? `OSS answered ${answer.status}.`,
      header(answer.headers, 'x-oss-request-id') ?? element(xml, 'RequestId'),
      header(answer.headers, 'x-oss-ec') ?? element(xml, 'EC'),
      position(header(answer.headers, 'x-oss-next-append-position')),
      retryable,
    );
  }
}

/** The virtual host sent to a loopback endpoint (the emulator), as ali-oss does; nothing for a real one. */
function hostHeader(host: string | undefined): Record<string, string> {
  return host === undefined ? {} : { host };
}
