import http from 'node:http';
import OSS from 'ali-oss';
import type { Emulator } from '../../emulator';
import { canonicalUri, signV4, type OssCredentials, type QueryParam } from '../../../src/sync/signer';

export const bucket = 'pai-emulator-demo';
/** The Host ali-oss sends to an IP endpoint for this bucket (oss.md §1). */
export const bucketHost = `${bucket}.oss-cn-hangzhou.aliyuncs.com`;

export interface AliOssError extends Error {
  status: number;
  code: string;
  requestId?: string;
  ecCode?: string;
  hostId?: string;
}

/** ali-oss 6.23.0 pointed at the emulated OSS, V4 unless told otherwise. */
export function aliOss(emulator: Emulator, options: Partial<OSS.Options> = {}): OSS {
  return new OSS({
    endpoint: emulator.oss.endpoint,
    region: 'oss-cn-hangzhou',
    bucket,
    authorizationV4: true,
    ...emulator.credentials,
    ...options,
    // Without a refresh function ali-oss warns on the console about every client made with a token.
    ...(options.stsToken
      ? { refreshSTSToken: () => Promise.reject(new Error('no refresh in tests')), refreshSTSTokenInterval: 3_600_000 }
      : {}),
  });
}

export async function failure(call: Promise<unknown>): Promise<AliOssError> {
  try {
    await call;
  } catch (error) {
    return error as AliOssError;
  }
  throw new Error('expected the call to fail');
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: Buffer;
  text: string;
}

/** A V4-signed request over fetch (src/sync/signer.ts, held to ali-oss in signer.test.ts), so a test sees every header. */
export async function rawOss(
  emulator: Emulator,
  method: string,
  key: string | undefined,
  options: {
    query?: QueryParam[];
    body?: Buffer | string;
    headers?: Record<string, string>;
    credentials?: OssCredentials;
    nowMs?: number;
  } = {},
): Promise<RawAnswer> {
  const query = options.query ?? [];
  const headers = { ...options.headers };
  const signed = signV4(
    { method, bucket, key, query, headers },
    options.credentials ?? emulator.credentials,
    'cn-hangzhou',
    options.nowMs ?? emulator.clock.now(),
  );
  const search = query
    .map(([name, value]) =>
      value === null ? encodeURIComponent(name) : `${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
    )
    .join('&');
  const path = `${canonicalUri(undefined, key ?? '')}${search ? `?${search}` : ''}`;
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${emulator.oss.endpoint}${path}`,
      { method, headers: { ...headers, ...signed, host: bucketHost } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          const answerHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers))
            if (typeof value === 'string') answerHeaders.set(name, value);
          resolve({ status: response.statusCode ?? 0, headers: answerHeaders, body, text: body.toString('utf8') });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}
