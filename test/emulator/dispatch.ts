import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from './clock';
import type { ControlAnswer } from './controlRoutes';
import { ApiError, errorBody, invalidParameter, newRequestId, type GuessedError } from './errors';
import { badGatewayHtml, faultError, type FaultQueue, keyFieldOf, truncatedJson } from './faults';
import type { Gateway, IncomingApiRequest } from './gateway';
import type { InstanceMetadata, PlainAnswer } from './metadata';
import { credentialsUri } from './metadata';
import type { OidcSigner } from './oidc';
import { operations, type ServiceSettings } from './operations';
import { BoardPages } from './pages';
import { route } from './router';
import { answerSts, isStsRequest, stsActionOf, stsHostId, type RoleSession } from './sts';
import type { Fault, IssuedCredentials, PageRequest, RecordedRequest } from './types';
import type { RoleRecord, World } from './world';

const maxBodyBytes = 1024 * 1024;
const maxPageRequests = 10_000;
const redactedHeaders = new Set(['authorization', 'x-acs-security-token', 'x-aliyun-ecs-metadata-token']);
const redactedParams = new Set(['Signature', 'SecurityToken', 'OIDCToken']);
const redact = (entries: Iterable<[string, string]>, names: ReadonlySet<string>): Record<string, string> =>
  Object.fromEntries([...entries].map(([name, value]) => [name, names.has(name) ? '***' : value]));

/** What the request dispatch reads and calls of the emulator's control plane (server.ts). */
export interface DispatchHost {
  readonly clock: Clock;
  readonly requests: RecordedRequest[];
  readonly pageRequests: PageRequest[];
  world(): World;
  readonly gateway: Gateway;
  readonly guessed: GuessedError;
  readonly settings: ServiceSettings;
  readonly faultQueue: FaultQueue<Fault>;
  readonly pages: BoardPages;
  readonly metadata: InstanceMetadata;
  readonly oidc: OidcSigner;
  /** Holds a request for a delay fault: false when reset or stop ends it first. */
  hold(ms: number): Promise<boolean>;
  /** `/__emulator/*`: the control routes. */
  control(method: string, rawPath: string, body: Buffer): ControlAnswer;
  issueRoleSession(
    role: RoleRecord,
    sessionName: string,
    durationSeconds: number,
    source: IssuedCredentials['source'],
  ): RoleSession;
  /** After a create or start: the boards' TensorBoards start when they turn Running. */
  startAppsWhenRunning(): void;
  /** Before a page: the TensorBoards of boards stopped meanwhile end first. */
  endStoppedBoards(): Promise<void>;
  /** After an API or control call. */
  afterCall(): void;
}

/**
 * One request to the PAI-DLC side, from bytes to answer: board pages, control routes, instance metadata and the
 * credentials URI, STS, and the OpenAPI itself (gateway checks, faults, operations). Every request is recorded with
 * its secrets redacted. The state it works on belongs to the control plane (`DispatchHost`).
 */
export class ApiDispatch {
  constructor(private readonly host: DispatchHost) {}

  async dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = request.url ?? '/';
    const queryAt = url.indexOf('?');
    const rawPath = queryAt < 0 ? url : url.slice(0, queryAt);
    const rawQuery = queryAt < 0 ? '' : url.slice(queryAt + 1);
    if (BoardPages.isPage(rawPath)) {
      const pages = this.host.pageRequests;
      if (pages.length >= maxPageRequests) pages.splice(0, pages.length - maxPageRequests + 1);
      const page: PageRequest = {
        at: this.host.clock.now(),
        method: request.method ?? 'GET',
        path: rawPath,
        fromBrowser: /Chrome\//.test(request.headers['user-agent'] ?? ''),
      };
      pages.push(page);
      response.once('close', () => {
        if (!response.headersSent) return;
        page.status = response.statusCode;
        page.answeredAt = this.host.clock.now();
      });
      // Boards stopped by the last API call lose their TensorBoard before any page of theirs is served again.
      await this.host.endStoppedBoards();
      await this.host.pages.handle(request, response, rawPath, () => readBody(request));
      return;
    }
    const body = await readBody(request);

    if (rawPath.startsWith('/__emulator/')) {
      const answer = this.host.control(request.method ?? 'GET', rawPath, body);
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.json));
      this.host.afterCall();
      return;
    }
    const method = request.method ?? 'GET';
    const incoming: IncomingApiRequest = {
      method,
      rawPath,
      query: [...new URLSearchParams(rawQuery)],
      headers: headerMap(request),
      body,
    };
    const plain =
      this.host.metadata.handle(method, rawPath, incoming.headers) ??
      credentialsUri(method, rawPath, incoming.query, this.host.world(), this.host.clock.now(), (role, name, seconds) =>
        this.host.issueRoleSession(role, name, seconds, 'uri'),
      );
    if (plain) {
      this.record(incoming, plain.operation).status = plain.status;
      this.sendPlain(response, plain);
      return;
    }
    if (isStsRequest(rawPath, incoming)) {
      this.serveSts(response, incoming);
      return;
    }
    await this.serveApi(request, response, incoming);
    this.host.afterCall();
  }

  /** Records a request, secrets redacted; the caller fills in the outcome. */
  private record(incoming: IncomingApiRequest, operation?: RecordedRequest['operation']): RecordedRequest {
    const query = new Map<string, string>();
    for (const [key, value] of incoming.query) if (!query.has(key)) query.set(key, value);
    const record: RecordedRequest = {
      operation,
      method: incoming.method,
      path: incoming.rawPath,
      query: redact(query, redactedParams),
      body: recordableBody(incoming.body, incoming.headers['content-type']),
      headers: redact(Object.entries(incoming.headers) as Array<[string, string]>, redactedHeaders),
      status: 0,
      at: this.host.clock.now(),
    };
    if (operation === undefined) delete record.operation;
    this.host.requests.push(record);
    return record;
  }

  private sendPlain(response: ServerResponse, answer: PlainAnswer): void {
    response.writeHead(answer.status, { 'content-type': answer.contentType });
    response.end(answer.body);
  }

  private serveSts(response: ServerResponse, incoming: IncomingApiRequest): void {
    const record = this.record(incoming, stsActionOf(incoming) ?? 'AssumeRole');
    const requestId = newRequestId();
    try {
      const answer = answerSts(incoming, {
        world: this.host.world(),
        gateway: this.host.gateway,
        oidc: this.host.oidc,
        now: this.host.clock.now(),
        issue: (role, sessionName, seconds, action) =>
          this.host.issueRoleSession(role, sessionName, seconds, action === 'AssumeRole' ? 'sts' : 'oidc'),
      });
      record.status = 200;
      this.sendJson(response, 200, JSON.stringify({ RequestId: requestId, ...answer }), requestId);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      record.status = error.status;
      record.code = error.code;
      this.sendJson(response, error.status, JSON.stringify(errorBody(error, requestId, stsHostId, 'Sts')), requestId);
    }
  }

  private async serveApi(
    request: IncomingMessage,
    response: ServerResponse,
    incoming: IncomingApiRequest,
  ): Promise<void> {
    const { method, rawPath, headers, body } = incoming;
    const query = new Map<string, string>();
    for (const [key, value] of incoming.query) if (!query.has(key)) query.set(key, value);
    const record = this.record(incoming);
    const requestId = newRequestId();

    try {
      const found = route(method, rawPath);
      if (!found)
        throw new ApiError(404, 'InvalidApi.NotFound', 'Specified api is not found, please check your url and method.');
      record.operation = found.operation;
      this.host.gateway.checkVersion(headers);
      const key = this.host.gateway.authenticate(incoming);
      record.accessKeyId = key.accessKeyId;
      const world = this.host.world();
      const caller = world.callerOf(key);

      const fault = this.host.faultQueue.take(found.operation, found.id);
      if (fault) record.fault = fault.kind;
      if (fault?.kind === 'drop') {
        request.socket.destroy();
        return;
      }
      if (fault?.kind === 'htmlBadGateway') {
        record.status = 502;
        response.writeHead(502, { 'content-type': 'text/html' });
        response.end(badGatewayHtml);
        return;
      }
      const asError = fault && faultError(fault);
      if (asError) throw asError;
      if (fault?.kind === 'delay' && !(await this.host.hold(fault.delayMs ?? 30_000))) {
        // Ended by reset() or stop(): the connection goes, as the old service's would, without an answer.
        request.socket.destroy();
        return;
      }

      let parsedBody: unknown;
      if (found.operation === 'CreateTensorboard' && body.length > 0) {
        try {
          parsedBody = JSON.parse(body.toString('utf8')) as unknown;
        } catch {
          throw invalidParameter('body', 'is not valid JSON.');
        }
      }
      const answer = {
        RequestId: requestId,
        ...operations[found.operation]({
          world,
          now: this.host.clock.now(),
          caller,
          route: found,
          query,
          body: parsedBody,
          contentType: headers['content-type'],
          settings: this.host.settings,
          guessed: this.host.guessed,
        }),
      };
      if (fault?.kind === 'missingField')
        delete (answer as Record<string, unknown>)[fault.field ?? keyFieldOf[found.operation]];
      const text = fault?.kind === 'malformedJson' ? truncatedJson(answer) : JSON.stringify(answer);
      record.status = 200;
      if (found.operation === 'CreateTensorboard' || found.operation === 'StartTensorboard')
        this.host.startAppsWhenRunning();
      this.sendJson(response, 200, text, requestId);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      record.status = error.status;
      record.code = error.code;
      const hostId = `pai-dlc.${this.host.world().regionId}.aliyuncs.com`;
      this.sendJson(
        response,
        error.status,
        JSON.stringify(errorBody(error, requestId, hostId)),
        requestId,
        error.headers,
      );
    }
  }

  private sendJson(
    response: ServerResponse,
    status: number,
    text: string,
    requestId: string,
    headers: Record<string, string> = {},
  ): void {
    if (response.destroyed) return;
    response.writeHead(status, {
      'content-type': 'application/json;charset=utf-8',
      'x-acs-request-id': requestId,
      ...headers,
    });
    response.end(text);
  }

  /** An emulator bug: answer like the service's InternalError, and say so on stderr. */
  crash(response: ServerResponse, error: unknown): void {
    process.stderr.write(`[emulator] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    const requestId = newRequestId();
    const body = errorBody(
      new ApiError(500, 'InternalError', 'The emulator failed on this request.'),
      requestId,
      'emulator',
    );
    if (!response.headersSent && !response.destroyed) this.sendJson(response, 500, JSON.stringify(body), requestId);
    else response.destroy();
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) request.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function headerMap(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** An urlencoded body with its secret parameters (an OIDC token) replaced by `***`, the rest byte for byte. */
function redactForm(text: string): string {
  return text
    .split('&')
    .map((pair) => {
      const name = [...new URLSearchParams(pair).keys()][0] ?? '';
      return redactedParams.has(name) ? `${pair.split('=')[0]}=***` : pair;
    })
    .join('&');
}

function recordableBody(body: Buffer, contentType: string | undefined): unknown {
  if (body.length === 0) return undefined;
  const text = body.toString('utf8');
  if (contentType?.startsWith('application/x-www-form-urlencoded')) return redactForm(text);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
