import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sampleLogsDir, ShiftedClock, startEmulator, type Emulator } from '../emulator';
import { Run } from './run';

/** A job of the emulator's seed, named in the test workspace's train.log for tests that look a job up from a file. */
export const WORKSPACE_JOB_ID = 'dlc1a9r0uhfn24cl';

/** The emulator's bucket folder that the sample workspace's `logs` folder is (paiTensorboard.pathMappings of `npm start`). */
export const WORKSPACE_LOGS_URI = 'oss://pai-emulator-demo.oss-cn-hangzhou-internal.aliyuncs.com/experiments/logs/';

/** Where `npm run setup:vscode` installs code-server. */
export function codeServerEntry(root: string): string {
  return path.join(root, '.vscode-test/code-server/node_modules/code-server/out/node/entry.js');
}

/**
 * The user settings of the test VS Code: the emulator as the extension's endpoint, and a quiet workbench.
 * Shared by the code-server runners and the @vscode/test-electron one.
 */
export function testSettings(emulator: Emulator): Record<string, unknown> {
  return {
    'paiTensorboard.endpoint': emulator.endpoint,
    'paiTensorboard.regionId': emulator.regionId,
    'paiTensorboard.workspaceId': emulator.workspaceId,
    'paiTensorboard.ossEndpoint': emulator.oss.endpoint,
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    // One Explorer row per folder (logs, then run1), not `logs/run1` compacted into one.
    'explorer.compactFolders': false,
    'window.restoreWindows': 'none',
    'chat.commandCenter.enabled': false,
    // VS Code's own https patch passes the system CAs as \`ca\`, which replaces Node's store and so drops the
    // emulator's test CA given by NODE_EXTRA_CA_CERTS (STS of RamRoleArn profiles is https only).
    'http.proxySupport': 'off',
    'http.systemCertificates': false,
  };
}

/**
 * The environment the extension host sees: the emulator's demo credentials the way the Alibaba Cloud SDKs read them,
 * and its endpoint for tests that drive it through `EmulatorControl`.
 */
export function testEnvironment(emulator: Emulator): Record<string, string> {
  return {
    ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
    ALIBABA_CLOUD_REGION_ID: emulator.regionId,
    PAI_EMULATOR_ENDPOINT: emulator.endpoint,
    // The extension's instance-role requests go to the emulator, never to 100.100.100.200 (the Sign In list probes it).
    PAI_TENSORBOARD_TEST_IMDS: emulator.endpoint,
    // @alicloud/credentials speaks only https to STS: the extension host, a child of code-server, trusts the
    // emulator's test certificate from its start.
    ...(emulator.caCertPath ? { NODE_EXTRA_CA_CERTS: emulator.caCertPath } : {}),
  };
}

/** Variables of the runner's environment that must not reach the test VS Code: a real cloud login, a parent editor. */
export const LEAKY_VARIABLES = /^(ALIBABA_CLOUD_|ALICLOUD_|ALIYUN_|VSCODE_|ELECTRON_|XDG_)/;

export function cleanEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !LEAKY_VARIABLES.test(key)) env[key] = value;
  }
  return env;
}

/**
 * Writes the user settings.json of a fresh user-data folder, and the extension's settings also into the remote
 * machine's settings (`Machine/settings.json`). code-server applies machine-scoped settings from the user file at
 * first, but once anything writes a user setting the web client drops them from the remote's view; the machine file
 * keeps them, as on a real remote machine.
 */
export function writeSettings(userDataDir: string, settings: Record<string, unknown>): void {
  const write = (file: string, values: Record<string, unknown>) => {
    mkdirSync(path.dirname(path.join(userDataDir, file)), { recursive: true });
    writeFileSync(path.join(userDataDir, file), `${JSON.stringify(values, null, 2)}\n`);
  };
  write('User/settings.json', settings);
  write(
    'Machine/settings.json',
    Object.fromEntries(Object.entries(settings).filter(([key]) => key.startsWith('paiTensorboard.'))),
  );
}

/** A fresh workspace folder for one run: a training run's log folder (the sample run1's event file and a log that names a job). */
export function createWorkspace(folder: string): void {
  mkdirSync(path.join(folder, 'logs/run1'), { recursive: true });
  const samples = sampleLogsDir();
  if (samples) cpSync(path.join(samples, 'run1'), path.join(folder, 'logs/run1'), { recursive: true });
  writeFileSync(
    path.join(folder, 'logs/run1/train.log'),
    [
      `[2026-11-20 09:14:02] Submitted PAI-DLC job ${WORKSPACE_JOB_ID}`,
      `[2026-11-20 09:18:40] job ${WORKSPACE_JOB_ID}: Running`,
      '[2026-11-20 09:19:03] epoch 1/90 loss=6.912 top1=0.001',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(folder, 'train.py'),
    'from torch.utils.tensorboard import SummaryWriter\n\nwriter = SummaryWriter("logs/run1")\n',
  );
}

/** What every runner prepares: a fresh folder for the run, the workspace in it, and the emulator. */
export interface RunFolder {
  /** The run's own folder under the OS temp folder: HOME, TMPDIR, XDG_*, user data, extensions, workspace. */
  readonly dataDir: string;
  readonly workspaceFolder: string;
  readonly userDataDir: string;
  readonly emulator: Emulator;
  /** A folder inside dataDir, created if missing. */
  dir(name: string, mode?: number): string;
}

export interface RunOptions {
  /**
   * Real TensorBoards behind the emulator's board pages, where installed (`npm start`); else its placeholder page,
   * which the integration tests read (one that needs a board's data turns the emulator's `realBoards` switch on).
   */
  readonly realBoards?: boolean;
}

/**
 * Creates the run's folder and workspace and starts the emulator, all undone by `run`'s teardown. The folder is
 * removed unless PAI_TEST_KEEP=1; when the run failed, the server's log and VS Code's logs are first copied to
 * test-results/<run name>/. The emulator's OSS storage holds the workspace's `logs` folder at WORKSPACE_LOGS_URI.
 */
export async function prepareRun(run: Run, root: string, options: RunOptions = {}): Promise<RunFolder> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pai-vscode-'));
  run.defer('data folder', () => {
    if (process.env.PAI_TEST_KEEP === '1') console.log(`[${run.name}] kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  });
  run.defer('logs of a failed run', () => {
    if (run.failed) keepLogs(dataDir, path.join(root, 'test-results', run.name));
  });
  const dir = (name: string, mode?: number): string => {
    const folder = path.join(dataDir, name);
    mkdirSync(folder, { recursive: true, mode });
    return folder;
  };
  const workspaceFolder = dir('workspace');
  createWorkspace(workspaceFolder);
  const storageRoot = dir('storage');
  const mapped = path.join(storageRoot, 'oss/pai-emulator-demo/experiments/logs');
  mkdirSync(path.dirname(mapped), { recursive: true });
  symlinkSync(path.join(workspaceFolder, 'logs'), mapped, 'dir');
  // Real time that tests can move forward (expiring STS tokens, clock skew, max running time).
  // https too: the STS of RamRoleArn profiles (the library speaks only https to STS).
  const emulator = await startEmulator({
    port: 0,
    clock: new ShiftedClock(),
    https: true,
    storageRoot,
    // Without real boards, the placeholder page; a test may still turn its real TensorBoard on (`realBoards` switch).
    realBoardPages: options.realBoards ?? false,
  });
  run.defer('emulator', () => emulator.stop());
  return { dataDir, workspaceFolder, userDataDir: dir('user-data'), emulator, dir };
}

export interface TestHost extends RunFolder {
  readonly root: string;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** An absolute path on the server as the browser workbench names it. */
  remoteUri(absolutePath: string): string;
  /** The workbench URL with the workspace open and VS Code's `payload` (extensionDevelopmentPath and so on). */
  workbenchUrl(payload: Array<[string, string]>): string;
}

/** A code-server that its starter ends: `stop()`, and in any case when the runner's process exits. */
export interface CodeServer extends TestHost {
  /** The `.vsix` installed into its extensions folder, if it was started with one. */
  readonly vsix?: string;
  /** Ends the server's process group (server, extension host, pty host, watcher); safe to call twice. */
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** Installed into the server's extensions folder before it starts, the way a user installs the packaged extension. */
  readonly vsix?: string;
  /** More environment for the server and its extension host. */
  readonly extraEnv?: Record<string, string>;
  /** The name its start-up line is printed under (default `code-server`). */
  readonly label?: string;
  /** Workspace trust on, and the workspace left untrusted (Restricted Mode), instead of trust turned off. */
  readonly untrusted?: boolean;
}

/**
 * A folder for another code-server of the same run, `<dataDir>/<name>`: its own HOME, TMPDIR, XDG_*, user data and
 * extensions, the same workspace and emulator.
 */
export function subFolder(folder: RunFolder, name: string): RunFolder {
  const dataDir = folder.dir(name);
  const dir = (child: string, mode?: number): string => {
    const sub = path.join(dataDir, child);
    mkdirSync(sub, { recursive: true, mode });
    return sub;
  };
  return {
    dataDir,
    workspaceFolder: folder.workspaceFolder,
    emulator: folder.emulator,
    userDataDir: dir('user-data'),
    dir,
  };
}

/**
 * Prepares the run (`prepareRun`), then starts code-server on a free loopback port with the test settings and the
 * emulator's credentials in its environment, in its own process group, ended by `run`'s teardown.
 */
export async function startTestHost(
  run: Run,
  root: string,
  extraEnv: Record<string, string> = {},
  options: RunOptions = {},
): Promise<TestHost> {
  if (!existsSync(codeServerEntry(root)))
    throw new Error(`code-server is not installed (${codeServerEntry(root)}): run npm run setup:vscode`);
  const folder = await prepareRun(run, root, options);
  const server = await launchCodeServer(root, folder, { extraEnv, label: run.name });
  run.defer('code-server', () => server.stop());
  return server;
}

/**
 * Starts code-server in `folder` (a run's folder, or a `subFolder` of it) with the test settings and the emulator's
 * credentials, and, given a `.vsix`, that extension installed first. The caller ends it with `stop()`.
 */
export async function launchCodeServer(
  root: string,
  folder: RunFolder,
  options: CodeServerOptions = {},
): Promise<CodeServer> {
  const entry = codeServerEntry(root);
  if (!existsSync(entry)) throw new Error(`code-server is not installed (${entry}): run npm run setup:vscode`);
  const { dataDir, workspaceFolder, userDataDir, emulator, dir } = folder;
  const trust = options.untrusted
    ? {
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.banner': 'never',
      }
    : {};
  writeSettings(userDataDir, { ...testSettings(emulator), ...trust });

  const env = {
    ...cleanEnvironment(),
    HOME: dir('home'),
    TMPDIR: dir('tmp'),
    XDG_CONFIG_HOME: dir('config'),
    XDG_DATA_HOME: dir('data'),
    XDG_CACHE_HOME: dir('cache'),
    XDG_RUNTIME_DIR: dir('runtime', 0o700),
    EXTENSIONS_GALLERY: '{}',
    ...testEnvironment(emulator),
    ...options.extraEnv,
  };
  const extensionsDir = dir('extensions');
  if (options.vsix) installVsix(entry, options.vsix, { extensionsDir, userDataDir, env });
  const serverLog = path.join(dataDir, 'code-server.log');
  const args = [
    entry,
    '--bind-addr',
    '127.0.0.1:0',
    '--auth',
    'none',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    // Its port proxy (/proxy/<port>/) stays on: that is how a board panel's frame reaches the extension host's
    // loopback board proxy in a remote window, as vscode.env.asExternalUri tells the extension.
    '--ignore-last-opened',
    ...(options.untrusted ? [] : ['--disable-workspace-trust']),
  ];
  // Its own process group, so that the server, extension host, pty host and file watcher end together.
  const server = spawn(process.execPath, args, {
    cwd: workspaceFolder,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forget = Run.killOnExit(server.pid!);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= stopGroup(server).then(() => {
      forget();
    }));
  let url: string;
  try {
    url = await listening(server, serverLog);
  } catch (error) {
    await stop();
    throw error;
  }
  console.log(
    `[${options.label ?? 'code-server'}] code-server ${url} (pid ${server.pid}), data in ${dataDir}, emulator ${emulator.endpoint}`,
  );

  const remoteUri = (absolutePath: string): string => `vscode-remote://${new URL(url).host}${absolutePath}`;
  return {
    ...folder,
    root,
    url,
    vsix: options.vsix,
    remoteUri,
    workbenchUrl: (payload) =>
      `${url}/?folder=${encodeURIComponent(workspaceFolder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
    stop,
  };
}

/** `code-server --install-extension file.vsix --force` into the given extensions folder; throws with its output on failure. */
function installVsix(
  entry: string,
  vsix: string,
  { extensionsDir, userDataDir, env }: { extensionsDir: string; userDataDir: string; env: Record<string, string> },
): void {
  if (!existsSync(vsix)) throw new Error(`no .vsix at ${vsix}: run npm run package`);
  const args = [
    entry,
    '--install-extension',
    vsix,
    '--force',
    '--extensions-dir',
    extensionsDir,
    '--user-data-dir',
    userDataDir,
  ];
  const result = spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0 || !/successfully installed/.test(result.stdout)) {
    throw new Error(
      `installing ${vsix} failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`,
    );
  }
}

function keepLogs(dataDir: string, resultsDir: string): void {
  mkdirSync(resultsDir, { recursive: true });
  const serverLog = path.join(dataDir, 'code-server.log');
  if (existsSync(serverLog)) {
    copyFileSync(serverLog, path.join(resultsDir, 'code-server.log'));
    console.log(`server log kept: ${path.join(resultsDir, 'code-server.log')}`);
  }
  const logsDir = path.join(dataDir, 'user-data/logs');
  if (existsSync(logsDir)) {
    rmSync(path.join(resultsDir, 'vscode-logs'), { recursive: true, force: true });
    cpSync(logsDir, path.join(resultsDir, 'vscode-logs'), { recursive: true });
    console.log(`VS Code logs kept: ${path.join(resultsDir, 'vscode-logs')}`);
  }
}

/** Waits for `HTTP server listening on http://127.0.0.1:PORT/` and returns the URL; copies all output to `logFile`. */
function listening(server: ChildProcess, logFile: string): Promise<string> {
  const log = createWriteStream(logFile);
  server.stdout!.pipe(log);
  server.stderr!.pipe(log);
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`code-server did not start within 30 s; its log: ${logFile}`)),
      30_000,
    );
    server.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    server.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code ?? signal}) before listening; its log: ${logFile}`));
    });
  });
}

/** SIGTERM to the whole group, SIGKILL after 5 s. */
async function stopGroup(child: ChildProcess): Promise<void> {
  const pgid = child.pid!;
  const signal = (name: NodeJS.Signals | 0): boolean => {
    try {
      process.kill(-pgid, name);
      return true;
    } catch {
      return false; // the group is gone
    }
  };
  if (!signal('SIGTERM')) return;
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (!signal(0)) return;
  }
  signal('SIGKILL');
}
