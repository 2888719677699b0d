import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { isAdjustable, ManualClock, systemClock, type Clock } from './clock';
import { handleControl } from './controlRoutes';
import { ApiError, errorBody, guessedErrors, invalidParameter, newRequestId, type GuessedError } from './errors';
import { badGatewayHtml, faultError, FaultQueue, keyFieldOf, truncatedJson } from './faults';
import { Gateway, type IncomingApiRequest } from './gateway';
import { defaultTimings, forceStatus, settle, type BoardRecord } from './lifecycle';
import { credentialsUri, InstanceMetadata, type PlainAnswer } from './metadata';
import { operations, type ServiceSettings } from './operations';
import { OssEmulator } from './oss/server';
import { BoardPages } from './pages';
import { findTensorboard, RealBoards, type RealBoardsState, type Upstream } from './realBoards';
import { route } from './router';
import { loadSeed, type LoadedSeed, type Seed } from './seed';
import { Storage } from './storage';
import { OidcSigner } from './oidc';
import { answerSts, isStsRequest, stsActionOf, stsHostId, type RoleSession } from './sts';
import { createTestCertificate, type TestCertificate } from './tls';
import type {
  PageSwitches,
  BoardStatusName,
  JobEndName,
  Emulator,
  EmulatorOptions,
  EmulatorState,
  Fault,
  IssuedCredentials,
  OidcToken,
  OidcTokenRequest,
  RecordedRequest,
  StsCredentials,
  Timings,
} from './types';
import { boardToWire, jobToWire } from './wire';
import { World, type RoleRecord } from './world';

const maxBodyBytes = 1024 * 1024;
/** How often TensorBoards of boards that stopped meanwhile are ended, while there are any. */
const reapIntervalMs = 2_000;
const redactedHeaders = new Set(['authorization', 'x-acs-security-token', 'x-aliyun-ecs-metadata-token']);
const redactedParams = new Set(['Signature', 'SecurityToken', 'OIDCToken']);
const redact = (entries: Iterable<[string, string]>, names: ReadonlySet<string>): Record<string, string> =>
  Object.fromEntries([...entries].map(([name, value]) => [name, names.has(name) ? '***' : value]));

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = new EmulatorServer(options);
  await emulator.listen(options.port ?? 0);
  return emulator;
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

function listenOn(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

class EmulatorServer implements Emulator {
  readonly clock: Clock;
  readonly requests: RecordedRequest[] = [];
  private readonly server: Server;
  /** The optional https listener (`options.https`) and its certificate. */
  private readonly httpsServer: Server | undefined;
  private readonly certificate: TestCertificate | undefined;
  private httpsOrigin: string | undefined;
  private readonly issued: IssuedCredentials[] = [];
  private readonly oidc = new OidcSigner();
  private readonly metadata: InstanceMetadata;
  private readonly sockets = new Set<Socket>();
  /** Requests held by a delay fault; stop() and reset() end them. */
  private readonly held = new Set<() => void>();
  private readonly faultQueue = new FaultQueue();
  private readonly guessed: GuessedError;
  private readonly gateway: Gateway;
  private readonly pages: BoardPages;
  private readonly settings: ServiceSettings;
  private seedSource: Seed | string | undefined;
  private world: World;
  private readonly storage: Storage;
  private readonly realBoardProcesses: RealBoards;
  private reaper: NodeJS.Timeout | undefined;
  /** By board: the timer that starts its TensorBoard when it turns Running (see `startAppsWhenRunning`). */
  private readonly appStarts = new Map<string, NodeJS.Timeout>();
  private readonly pageSwitches: PageSwitches;
  /** Every secret any world of this emulator has known, resets included: what must never leak into the client's files. */
  private readonly knownSecrets = new Set<string>();
  private origin = 'http://127.0.0.1:0';
  /** OSS on a loopback port of its own, over the same storage folder (oss/server.ts). */
  readonly oss: OssEmulator;

  constructor(private readonly options: EmulatorOptions) {
    this.clock = options.clock ?? systemClock;
    this.seedSource = options.seed;
    this.storage = new Storage(options.storageRoot);
    this.realBoardProcesses = new RealBoards(findTensorboard(options.tensorboard));
    this.world = this.remember(this.newWorld(loadSeed(options.seed)));
    this.oss = new OssEmulator({
      storageRoot: this.storage.root,
      clock: this.clock,
      world: () => this.world,
      options: options.oss,
    });
    this.guessed = guessedErrors(options.errorOverrides);
    this.gateway = new Gateway(() => this.world, this.clock, this.guessed);
    this.settings = {
      timings: { ...defaultTimings, ...options.timings },
      boardQuota: options.boardQuota ?? 5,
      quotaScope: options.quotaScope ?? 'account',
      statusCase: options.statusCase ?? 'capitalized',
      requireJsonContentType: options.requireJsonContentType ?? false,
      defaultMaxRunningTimeMinutes: options.defaultMaxRunningTimeMinutes,
      pageOrigin: this.origin,
      shareSecret: randomBytes(32).toString('hex'),
    };
    this.pageSwitches = this.initialPageSwitches();
    this.pages = new BoardPages(
      () => this.world,
      () => this.clock.now(),
      () => ({
        origin: this.origin,
        timings: this.settings.timings,
        shareSecret: this.settings.shareSecret,
        ...this.pageSwitches,
      }),
      (board) => this.upstreamOf(board),
    );
    this.metadata = new InstanceMetadata(
      () => this.world,
      () => this.clock.now(),
      () => ({
        tokenRequired: options.metadataTokenRequired ?? false,
        credentialSeconds: options.instanceCredentialSeconds ?? 21600,
      }),
      (role, sessionName, seconds) => this.issueRoleSession(role, sessionName, seconds, 'metadata'),
    );
    const handler = (request: IncomingMessage, response: ServerResponse): void => {
      this.dispatch(request, response).catch((error: unknown) => this.crash(response, error));
    };
    this.server = this.track(createServer(handler));
    if (options.https) {
      this.certificate = createTestCertificate();
      this.httpsServer = this.track(
        createHttpsServer({ cert: this.certificate.cert, key: this.certificate.key }, handler),
      );
    }
  }

  private track(server: Server): Server {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return server;
  }

  async listen(port: number): Promise<void> {
    this.origin = `http://127.0.0.1:${await listenOn(this.server, port)}`;
    this.settings.pageOrigin = this.origin;
    if (this.httpsServer) this.httpsOrigin = `https://127.0.0.1:${await listenOn(this.httpsServer, 0)}`;
    await this.oss.listen(this.options.ossPort ?? 0);
  }

  get httpsEndpoint(): string | undefined {
    return this.httpsOrigin;
  }

  get caCertPath(): string | undefined {
    return this.certificate?.certPath;
  }

  get stsEndpoint(): string | undefined {
    return this.httpsOrigin === undefined ? undefined : new URL(this.httpsOrigin).host;
  }

  get endpoint(): string {
    return this.origin;
  }

  get regionId(): string {
    return this.world.regionId;
  }

  get workspaceId(): string {
    return this.world.defaultWorkspaceId;
  }

  get storageRoot(): string {
    return this.storage.root;
  }

  get credentials(): { accessKeyId: string; accessKeySecret: string } {
    return { accessKeyId: this.world.demoKey.accessKeyId, accessKeySecret: this.world.demoKey.accessKeySecret };
  }

  issueStsCredentials(ttlMs = 60 * 60_000): StsCredentials {
    const issued = this.world.issueSts(this.clock.now(), ttlMs);
    this.recordIssued({ ...issued, source: 'control', issuedAt: this.clock.now() });
    return issued;
  }

  /** A token of a seeded OIDC provider (default: the first), signed as its issuer would, to put in a token file. */
  issueOidcToken(request: OidcTokenRequest = {}): OidcToken {
    const providers = [...this.world.oidcProviders.values()];
    const provider =
      request.providerArn === undefined ? providers[0] : this.world.oidcProviders.get(request.providerArn);
    if (!provider)
      throw new Error(
        request.providerArn === undefined ? 'the seed has no OIDC provider' : `no OIDC provider ${request.providerArn}`,
      );
    const now = this.clock.now();
    const expiresAt = now + (request.ttlMs ?? 3600_000);
    const token = this.oidc.sign({
      iss: request.issuer ?? provider.issuerUrl,
      aud: request.audience ?? provider.clientIds[0]!,
      sub: request.subject ?? 'system:serviceaccount:default:pai-tensorboard',
      iat: Math.floor(now / 1000),
      exp: Math.floor(expiresAt / 1000),
    });
    this.knownSecrets.add(token);
    return { token, providerArn: provider.arn, issuer: provider.issuerUrl, expiresAt };
  }

  private issueRoleSession(
    role: RoleRecord,
    sessionName: string,
    durationSeconds: number,
    source: IssuedCredentials['source'],
  ): RoleSession {
    const now = this.clock.now();
    const issued = this.world.issueSts(now, durationSeconds * 1000, role.actsAsUserId);
    this.recordIssued({ ...issued, source, issuedAt: now, roleArn: role.arn, sessionName });
    return issued;
  }

  private recordIssued(issued: IssuedCredentials): void {
    this.issued.push(issued);
    this.knownSecrets.add(issued.accessKeySecret).add(issued.securityToken);
  }

  secrets(): string[] {
    return [...this.knownSecrets];
  }

  issuedCredentials(): IssuedCredentials[] {
    return this.issued.map((issued) => ({ ...issued }));
  }

  private newWorld(seed: LoadedSeed): World {
    this.storage.fill(seed);
    return new World(seed, this.clock.now());
  }

  /** The board's TensorBoard, started if it has none; undefined when there are no real ones. */
  private upstreamOf(board: BoardRecord): Upstream | undefined {
    if (!this.realBoardProcesses.status.available) return undefined;
    const logs = this.storage.logsOf(board, this.world) ?? { kind: 'folder', folder: this.storage.emptyFolder() };
    const upstream = this.realBoardProcesses.upstream(board.tensorboardId, board.displayName, logs);
    this.reaper ??= setInterval(() => void this.endStoppedBoards(), reapIntervalMs).unref();
    return upstream;
  }

  /**
   * A board's TensorBoard starts when the board turns Running, whoever looks at it first and whenever: as a real
   * board's app starts with its pod, and answers once it has started (503 until then). The first page visit still
   * starts it where no timer did (a test's manual clock, which does not move by itself). Called after each create
   * and start, the calls that put a board in Creating.
   */
  private startAppsWhenRunning(): void {
    if (!this.realBoardProcesses.status.available || this.clock instanceof ManualClock) return;
    const now = this.clock.now();
    for (const board of this.world.boards.values()) {
      if (board.status !== 'Creating' || this.appStarts.has(board.tensorboardId)) continue;
      const id = board.tensorboardId;
      const dueMs = board.statusSince + this.settings.timings[board.creatingTiming] - now;
      const timer = setTimeout(
        () => {
          this.appStarts.delete(id);
          const current = this.world.boards.get(id);
          if (!current) return;
          settle(current, this.clock.now(), this.settings.timings);
          if (current.status === 'Running') this.upstreamOf(current);
          // A timer may fire a little before the wall clock says it is due: then it is set again.
          else if (current.status === 'Creating') this.startAppsWhenRunning();
        },
        Math.max(0, dueMs) + 1,
      );
      timer.unref();
      this.appStarts.set(id, timer);
    }
  }

  private forgetAppStarts(): void {
    for (const timer of this.appStarts.values()) clearTimeout(timer);
    this.appStarts.clear();
  }

  /** Ends the TensorBoard of every board that is no longer Running (or no longer exists). */
  private endStoppedBoards(): Promise<void> {
    const now = this.clock.now();
    const running = (id: string): boolean => {
      const board = this.world.boards.get(id);
      if (board) settle(board, now, this.settings.timings);
      return board?.status === 'Running';
    };
    const ended = this.realBoardProcesses.endUnless(running);
    if (this.realBoardProcesses.count === 0 && this.reaper) {
      clearInterval(this.reaper);
      this.reaper = undefined;
    }
    return ended;
  }

  realBoards(): RealBoardsState {
    return this.realBoardProcesses.state();
  }

  private remember(world: World): World {
    for (const secret of world.secrets()) this.knownSecrets.add(secret);
    return world;
  }

  setTimings(timings: Partial<Timings>): void {
    Object.assign(this.settings.timings, timings);
  }

  timings(): Timings {
    return { ...this.settings.timings };
  }

  injectFault(fault: Fault): void {
    this.faultQueue.inject(fault);
  }

  clearFaults(): void {
    this.faultQueue.clear();
  }

  faults(): Fault[] {
    return this.faultQueue.pending();
  }

  /** The board proxy's behaviour: login for TensorboardUrl, framing limits, the share cookie. */
  setPageSwitches(switches: Partial<PageSwitches>): PageSwitches {
    Object.assign(this.pageSwitches, switches);
    return { ...this.pageSwitches };
  }

  private initialPageSwitches(): PageSwitches {
    return {
      tensorboardUrlNeedsLogin: this.options.tensorboardUrlNeedsLogin ?? true,
      frameLimits: this.options.frameLimits ?? false,
      shareCookie: this.options.shareCookie ?? false,
      boardPageDown: false,
    };
  }

  reset(seed?: Seed | string): void {
    if (seed !== undefined) this.seedSource = seed;
    // A request held from the last world must not land in the new one, where it would change a later test's state.
    this.releaseHeld();
    Object.assign(this.pageSwitches, this.initialPageSwitches());
    this.world = this.remember(this.newWorld(loadSeed(this.seedSource)));
    this.forgetAppStarts();
    void this.realBoardProcesses.endUnless(() => false);
    this.requests.length = 0;
    this.faultQueue.clear();
    this.oss.reset();
    this.gateway.forgetNonces();
    this.metadata.forget();
    this.pages.forgetSessions();
    this.settings.timings = { ...defaultTimings, ...this.options.timings };
  }

  boards(): Array<Record<string, unknown>> {
    const now = this.clock.now();
    const view = { now, statusCase: this.settings.statusCase, pageOrigin: this.origin };
    return [...this.world.boards.values()].map((board) => {
      settle(board, now, this.settings.timings);
      return boardToWire(board, view);
    });
  }

  jobs(): Array<Record<string, unknown>> {
    const now = this.clock.now();
    return [...this.world.jobs.values()].map((job) => jobToWire(job, this.world, now, true));
  }

  endJob(jobId: string, status: JobEndName): void {
    const job = this.world.jobs.get(jobId);
    if (!job) throw new Error(`no job ${jobId}`);
    Object.assign(job, { endsAt: this.clock.now(), endsAs: status, finishedAt: undefined });
  }

  setBoardStatus(tensorboardId: string, status: BoardStatusName, reason?: { code: string; message: string }): void {
    const board = this.world.boards.get(tensorboardId);
    if (!board) throw new Error(`no board ${tensorboardId}`);
    settle(board, this.clock.now(), this.settings.timings);
    forceStatus(board, status, this.clock.now(), reason);
  }

  advanceClock(ms: number): void {
    if (!isAdjustable(this.clock)) throw new Error('this emulator runs on a clock that cannot be moved');
    this.clock.advance(ms);
  }

  state(): EmulatorState {
    return {
      now: this.clock.now(),
      endpoint: this.endpoint,
      httpsEndpoint: this.httpsEndpoint,
      stsEndpoint: this.stsEndpoint,
      caCertPath: this.caCertPath,
      regionId: this.regionId,
      workspaceId: this.workspaceId,
      timings: this.timings(),
      faults: this.faults(),
      boards: this.boards(),
      jobs: this.jobs(),
      realBoards: this.realBoards(),
    };
  }

  private releaseHeld(): void {
    for (const release of this.held) release();
    this.held.clear();
  }

  async stop(): Promise<void> {
    this.releaseHeld();
    const servers = [this.server, ...(this.httpsServer ? [this.httpsServer] : [])];
    const closed = servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
    for (const socket of this.sockets) socket.destroy();
    for (const server of servers) server.closeAllConnections();
    if (this.reaper) clearInterval(this.reaper);
    this.reaper = undefined;
    this.forgetAppStarts();
    await Promise.all([...closed, this.oss.stop(), this.realBoardProcesses.endUnless(() => false)]);
    this.certificate?.dispose();
    this.storage.dispose();
  }

  private async dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = request.url ?? '/';
    const queryAt = url.indexOf('?');
    const rawPath = queryAt < 0 ? url : url.slice(0, queryAt);
    const rawQuery = queryAt < 0 ? '' : url.slice(queryAt + 1);
    if (BoardPages.isPage(rawPath)) {
      // Boards stopped by the last API call lose their TensorBoard before any page of theirs is served again.
      await this.endStoppedBoards();
      await this.pages.handle(request, response, rawPath, () => readBody(request));
      return;
    }
    const body = await readBody(request);

    if (rawPath.startsWith('/__emulator/')) {
      const answer = handleControl(this, request.method ?? 'GET', rawPath, body);
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.json));
      if (this.realBoardProcesses.count > 0) void this.endStoppedBoards();
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
      this.metadata.handle(method, rawPath, incoming.headers) ??
      credentialsUri(method, rawPath, incoming.query, this.world, this.clock.now(), (role, name, seconds) =>
        this.issueRoleSession(role, name, seconds, 'uri'),
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
    if (this.realBoardProcesses.count > 0) void this.endStoppedBoards();
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
      at: this.clock.now(),
    };
    if (operation === undefined) delete record.operation;
    this.requests.push(record);
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
        world: this.world,
        gateway: this.gateway,
        oidc: this.oidc,
        now: this.clock.now(),
        issue: (role, sessionName, seconds, action) =>
          this.issueRoleSession(role, sessionName, seconds, action === 'AssumeRole' ? 'sts' : 'oidc'),
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
      this.gateway.checkVersion(headers);
      const key = this.gateway.authenticate(incoming);
      record.accessKeyId = key.accessKeyId;
      const caller = this.world.callerOf(key);

      const fault = this.faultQueue.take(found.operation, found.id);
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
      if (fault?.kind === 'delay' && !(await this.hold(fault.delayMs ?? 30_000))) {
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
          world: this.world,
          now: this.clock.now(),
          caller,
          route: found,
          query,
          body: parsedBody,
          contentType: headers['content-type'],
          settings: this.settings,
          guessed: this.guessed,
        }),
      };
      if (fault?.kind === 'missingField')
        delete (answer as Record<string, unknown>)[fault.field ?? keyFieldOf[found.operation]];
      const text = fault?.kind === 'malformedJson' ? truncatedJson(answer) : JSON.stringify(answer);
      record.status = 200;
      if (found.operation === 'CreateTensorboard' || found.operation === 'StartTensorboard')
        this.startAppsWhenRunning();
      this.sendJson(response, 200, text, requestId);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      record.status = error.status;
      record.code = error.code;
      const hostId = `pai-dlc.${this.world.regionId}.aliyuncs.com`;
      this.sendJson(
        response,
        error.status,
        JSON.stringify(errorBody(error, requestId, hostId)),
        requestId,
        error.headers,
      );
    }
  }

  /** Resolves true after `ms`, or false at once when the emulator is reset or stopped first. */
  private hold(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const release = (): void => {
        clearTimeout(timer);
        this.held.delete(release);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.held.delete(release);
        resolve(true);
      }, ms);
      this.held.add(release);
    });
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
  private crash(response: ServerResponse, error: unknown): void {
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
