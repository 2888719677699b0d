import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isAdjustable, ManualClock, systemClock, type Clock } from './clock';
import { handleControl, type ControlAnswer } from './controlRoutes';
import { ApiDispatch, type DispatchHost } from './dispatch';
import { guessedErrors, type GuessedError } from './errors';
import { FaultQueue } from './faults';
import { Gateway } from './gateway';
import { defaultTimings, forceStatus, settle, type BoardRecord } from './lifecycle';
import { Listeners } from './listeners';
import { InstanceMetadata } from './metadata';
import type { ServiceSettings } from './operations';
import { OssEmulator } from './oss/server';
import { BoardPages } from './pages';
import { findTensorboard, RealBoards, type RealBoardsState, type Upstream } from './realBoards';
import { loadSeed, type LoadedSeed, type Seed } from './seed';
import { Storage } from './storage';
import { OidcSigner } from './oidc';
import type { RoleSession } from './sts';
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
  PageRequest,
  RecordedRequest,
  StsCredentials,
  Timings,
} from './types';
import { boardToWire, jobToWire } from './wire';
import { World, type RoleRecord } from './world';

/** How often TensorBoards of boards that stopped meanwhile are ended, while there are any. */
const reapIntervalMs = 2_000;

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = new EmulatorServer(options);
  await emulator.listen(options.port ?? 0);
  return emulator;
}

/**
 * The emulator's control plane: its listeners, world, clock, timings, faults, real TensorBoards and the credentials
 * it issued, and the controls tests drive it by. Requests are answered by `ApiDispatch` (dispatch.ts).
 */
class EmulatorServer implements Emulator, DispatchHost {
  readonly clock: Clock;
  readonly requests: RecordedRequest[] = [];
  readonly pageRequests: PageRequest[] = [];
  private readonly listeners = new Listeners();
  private readonly server: Server;
  /** The optional https listener (`options.https`) and its certificate. */
  private readonly httpsServer: Server | undefined;
  private readonly certificate: TestCertificate | undefined;
  private httpsOrigin: string | undefined;
  private readonly issued: IssuedCredentials[] = [];
  readonly oidc = new OidcSigner();
  readonly metadata: InstanceMetadata;
  readonly faultQueue = new FaultQueue();
  readonly guessed: GuessedError;
  readonly gateway: Gateway;
  readonly pages: BoardPages;
  readonly settings: ServiceSettings;
  private readonly dispatch = new ApiDispatch(this);
  private seedSource: Seed | string | undefined;
  private currentWorld: World;
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
    this.currentWorld = this.remember(this.newWorld(loadSeed(options.seed)));
    this.oss = new OssEmulator({
      storageRoot: this.storage.root,
      clock: this.clock,
      world: () => this.currentWorld,
      options: options.oss,
    });
    this.guessed = guessedErrors(options.errorOverrides);
    this.gateway = new Gateway(() => this.currentWorld, this.clock, this.guessed);
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
      () => this.currentWorld,
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
      () => this.currentWorld,
      () => this.clock.now(),
      () => ({
        tokenRequired: options.metadataTokenRequired ?? false,
        credentialSeconds: options.instanceCredentialSeconds ?? 21600,
      }),
      (role, sessionName, seconds) => this.issueRoleSession(role, sessionName, seconds, 'metadata'),
    );
    const handler = (request: IncomingMessage, response: ServerResponse): void => {
      this.dispatch.dispatch(request, response).catch((error: unknown) => this.dispatch.crash(response, error));
    };
    this.server = this.listeners.track(createServer(handler));
    if (options.https) {
      this.certificate = createTestCertificate();
      this.httpsServer = this.listeners.track(
        createHttpsServer({ cert: this.certificate.cert, key: this.certificate.key }, handler),
      );
    }
  }

  async listen(port: number): Promise<void> {
    this.origin = `http://127.0.0.1:${await this.listeners.listen(this.server, port)}`;
    this.settings.pageOrigin = this.origin;
    if (this.httpsServer) this.httpsOrigin = `https://127.0.0.1:${await this.listeners.listen(this.httpsServer, 0)}`;
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

  advertise(origin: string): void {
    this.origin = origin.replace(/\/$/, '');
    this.settings.pageOrigin = this.origin;
  }

  get regionId(): string {
    return this.currentWorld.regionId;
  }

  get workspaceId(): string {
    return this.currentWorld.defaultWorkspaceId;
  }

  get storageRoot(): string {
    return this.storage.root;
  }

  get credentials(): { accessKeyId: string; accessKeySecret: string } {
    return {
      accessKeyId: this.currentWorld.demoKey.accessKeyId,
      accessKeySecret: this.currentWorld.demoKey.accessKeySecret,
    };
  }

  issueStsCredentials(ttlMs = 60 * 60_000): StsCredentials {
    const issued = this.currentWorld.issueSts(this.clock.now(), ttlMs);
    this.recordIssued({ ...issued, source: 'control', issuedAt: this.clock.now() });
    return issued;
  }

  /** A token of a seeded OIDC provider (default: the first), signed as its issuer would, to put in a token file. */
  issueOidcToken(request: OidcTokenRequest = {}): OidcToken {
    const providers = [...this.currentWorld.oidcProviders.values()];
    const provider =
      request.providerArn === undefined ? providers[0] : this.currentWorld.oidcProviders.get(request.providerArn);
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

  issueRoleSession(
    role: RoleRecord,
    sessionName: string,
    durationSeconds: number,
    source: IssuedCredentials['source'],
  ): RoleSession {
    const now = this.clock.now();
    const issued = this.currentWorld.issueSts(now, durationSeconds * 1000, role.actsAsUserId);
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
    if (!this.realBoardProcesses.status.available || !this.pageSwitches.realBoards) return undefined;
    const logs = this.storage.logsOf(board, this.currentWorld) ?? {
      kind: 'folder',
      folder: this.storage.emptyFolder(),
    };
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
  startAppsWhenRunning(): void {
    if (!this.realBoardProcesses.status.available || !this.pageSwitches.realBoards) return;
    if (this.clock instanceof ManualClock) return;
    const now = this.clock.now();
    for (const board of this.currentWorld.boards.values()) {
      if (board.status !== 'Creating' || this.appStarts.has(board.tensorboardId)) continue;
      const id = board.tensorboardId;
      const dueMs = board.statusSince + this.settings.timings[board.creatingTiming] - now;
      const timer = setTimeout(
        () => {
          this.appStarts.delete(id);
          const current = this.currentWorld.boards.get(id);
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
  endStoppedBoards(): Promise<void> {
    const now = this.clock.now();
    const running = (id: string): boolean => {
      const board = this.currentWorld.boards.get(id);
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
      realBoards: this.options.realBoardPages ?? true,
    };
  }

  reset(seed?: Seed | string): void {
    if (seed !== undefined) this.seedSource = seed;
    // A request held from the last world must not land in the new one, where it would change a later test's state.
    this.listeners.releaseHeld();
    Object.assign(this.pageSwitches, this.initialPageSwitches());
    this.currentWorld = this.remember(this.newWorld(loadSeed(this.seedSource)));
    this.forgetAppStarts();
    void this.realBoardProcesses.endUnless(() => false);
    this.requests.length = 0;
    this.pageRequests.length = 0;
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
    return [...this.currentWorld.boards.values()].map((board) => {
      settle(board, now, this.settings.timings);
      return boardToWire(board, view);
    });
  }

  jobs(): Array<Record<string, unknown>> {
    const now = this.clock.now();
    return [...this.currentWorld.jobs.values()].map((job) => jobToWire(job, this.currentWorld, now, true));
  }

  endJob(jobId: string, status: JobEndName): void {
    const job = this.currentWorld.jobs.get(jobId);
    if (!job) throw new Error(`no job ${jobId}`);
    Object.assign(job, { endsAt: this.clock.now(), endsAs: status, finishedAt: undefined });
  }

  setBoardStatus(tensorboardId: string, status: BoardStatusName, reason?: { code: string; message: string }): void {
    const board = this.currentWorld.boards.get(tensorboardId);
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

  async stop(): Promise<void> {
    if (this.reaper) clearInterval(this.reaper);
    this.reaper = undefined;
    this.forgetAppStarts();
    await Promise.all([this.listeners.close(), this.oss.stop(), this.realBoardProcesses.endUnless(() => false)]);
    this.certificate?.dispose();
    this.storage.dispose();
  }

  world(): World {
    return this.currentWorld;
  }

  hold(ms: number): Promise<boolean> {
    return this.listeners.hold(ms);
  }

  control(method: string, rawPath: string, body: Buffer): ControlAnswer {
    return handleControl(this, method, rawPath, body);
  }

  afterCall(): void {
    if (this.realBoardProcesses.count > 0) void this.endStoppedBoards();
  }
}
