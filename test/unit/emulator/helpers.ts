import { randomBytes } from 'node:crypto';
import { apiVersion, buildStringToSign, contentMd5, signString, type Emulator } from '../../emulator';

/** pop-core ships no types for ROAClient (reference §6.1): the little these tests use. */
export interface PopError extends Error {
  code: string;
  statusCode: number;
  result: Record<string, unknown>;
}

export interface RoaClient {
  request(
    method: string,
    path: string,
    query?: Record<string, string | number | boolean>,
    body?: string,
    headers?: Record<string, string>,
    opts?: Record<string, unknown>,
  ): Promise<unknown>;
}

const { ROAClient } = require('@alicloud/pop-core') as {
  ROAClient: new (config: Record<string, unknown>) => RoaClient;
};

export function popClient(
  emulator: Emulator,
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string } = emulator.credentials,
): RoaClient {
  return new ROAClient({ endpoint: emulator.endpoint, apiVersion, ...credentials });
}

/** What pop-core's `credentialsProvider` asks for before every request. */
export interface PopCredentialsProvider {
  getCredentials(): Promise<{ accessKeyId: string; accessKeySecret: string; securityToken?: string }>;
}

/** A ROAClient that asks a provider before every request, as src/api/transport.ts builds it. */
export function popClientWithProvider(endpoint: string, credentialsProvider: PopCredentialsProvider): RoaClient {
  return new ROAClient({ endpoint, apiVersion, credentialsProvider });
}

/** The error pop-core threw, or a failure when the call succeeded. */
export async function popFailure(call: Promise<unknown>): Promise<PopError> {
  try {
    await call;
  } catch (error) {
    return error as PopError;
  }
  throw new Error('expected the call to fail');
}

/** pop-core's `date` header format, for a moved emulator clock. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
  json(): Record<string, unknown>;
}

export interface SignedOptions {
  query?: Record<string, string>;
  body?: unknown;
  credentials?: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
  /** Defaults to the emulator's clock. */
  dateMs?: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * A request signed like pop-core does (with the emulator's own signer), over fetch, so a test can
 * see the status, headers and raw body that pop-core hides.
 */
export async function signedFetch(
  emulator: Emulator,
  method: string,
  path: string,
  options: SignedOptions = {},
): Promise<RawAnswer> {
  const credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string } =
    options.credentials ?? emulator.credentials;
  const { accessKeyId, accessKeySecret, securityToken } = credentials;
  const body = options.body === undefined ? '' : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    accept: 'application/json',
    date: httpDate(options.dateMs ?? emulator.clock.now()),
    'x-acs-signature-nonce': randomBytes(16).toString('hex'),
    'x-acs-version': apiVersion,
    'x-acs-signature-method': 'HMAC-SHA1',
    'x-acs-signature-version': '1.0',
    'content-md5': contentMd5(body),
    ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(securityToken ? { 'x-acs-accesskey-id': accessKeyId, 'x-acs-security-token': securityToken } : {}),
    ...options.headers,
  };
  const query = Object.entries(options.query ?? {});
  const signature = signString(buildStringToSign({ method, headers, path, query }), accessKeySecret);
  headers.authorization = `acs ${accessKeyId}:${signature}`;
  const search = query.length ? `?${new URLSearchParams(query).toString()}` : '';
  const response = await fetch(`${emulator.endpoint}${path}${search}`, {
    method,
    headers,
    body: body === '' ? undefined : body,
    redirect: 'manual',
    signal: options.signal,
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as Record<string, unknown>,
  };
}

/** A signed call that must succeed; its JSON body. */
export async function api(
  emulator: Emulator,
  method: string,
  path: string,
  options: SignedOptions = {},
): Promise<Record<string, unknown>> {
  const answer = await signedFetch(emulator, method, path, options);
  if (answer.status !== 200) throw new Error(`${method} ${path} answered ${answer.status}: ${answer.text}`);
  return answer.json();
}

export async function createBoard(
  emulator: Emulator,
  body: Record<string, unknown> = {},
  options: SignedOptions = {},
): Promise<string> {
  const created = await api(emulator, 'POST', '/api/v1/tensorboards', {
    ...options,
    body: {
      WorkspaceId: emulator.workspaceId,
      JobId: 'dlc1a9r0uhfn24cl',
      SummaryRelativePath: '/output/runs/',
      ...body,
    },
  });
  return String(created.TensorboardId);
}

export async function boardStatus(emulator: Emulator, id: string): Promise<string> {
  return String((await api(emulator, 'GET', `/api/v1/tensorboards/${id}`)).Status);
}

/** Signs in on the emulator's login page, as a browser would, and returns the console session cookie (`name=value`). */
export async function consoleLogin(
  emulator: Emulator,
  redirect: string,
): Promise<{ cookie: string; answer: Response }> {
  const answer = await fetch(`${emulator.endpoint}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ redirect }).toString(),
  });
  return { cookie: (answer.headers.get('set-cookie') ?? '').split(';')[0], answer };
}

/** A page visit that does not follow redirects, with an optional cookie. */
export function visit(url: string, cookie?: string): Promise<Response> {
  return fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
}
