import { ShiftedClock } from './clock';
import { startEmulator } from './server';
import type { EmulatorOptions } from './types';

/**
 * `npm run emulator [-- options]`: serves the emulator on 127.0.0.1 until SIGINT/SIGTERM.
 * With --json, stdout carries exactly one JSON line for a parent process to read; logs go to stderr.
 */

const usage = `Usage: node out/test/emulator/cli.js [options]
  --port N             port on 127.0.0.1 (default 0: any free port)
  --json               print one JSON line {endpoint, regionId, workspaceId, accessKeyId, accessKeySecret, realBoards}
  --seed FILE          seed JSON (default test/emulator/seed.json)
  --create-ms N        Creating -> Running after CreateTensorboard (default 3000)
  --start-ms N         Creating -> Running after StartTensorboard (default 3000)
  --stop-ms N          Stopping -> Stopped (default 1000)
  --quota N            boards per account (default 5)
  --lowercase-status   answer board statuses in lower case ("running")
  --no-login           a board's TensorboardUrl opens without a console login
  --frame-limits       send X-Frame-Options: DENY and frame-ancestors 'none' on board pages
  --share-cookie       shared links set a session cookie and redirect
  --https              also listen on https://127.0.0.1 with a self-signed certificate (for STS clients);
                       the JSON line then has httpsEndpoint, stsEndpoint and caCertPath (for NODE_EXTRA_CA_CERTS)
  --tensorboard FILE   the tensorboard executable behind board pages (default $PAI_EMULATOR_TENSORBOARD, else the
                       venv of npm run setup:tensorboard)
  --no-tensorboard     placeholder board pages instead of real TensorBoards
  --storage DIR        the local folder standing for OSS and NAS (default: a temporary folder)
  --oss-port N         port of the emulated OSS on 127.0.0.1 (default 0: any free port); the JSON line has ossEndpoint
  --help               this text`;

interface CliArgs {
  json: boolean;
  options: EmulatorOptions;
}

function parseArgs(argv: string[]): CliArgs {
  const options: EmulatorOptions = { clock: new ShiftedClock(), timings: {} };
  let json = false;
  const number = (flag: string, value: string | undefined): number => {
    const parsed = Number(value);
    if (value === undefined || !Number.isFinite(parsed) || parsed < 0)
      throw new Error(`${flag} needs a non-negative number`);
    return parsed;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = (): string | undefined => argv[++i];
    switch (flag) {
      case '--port':
        options.port = number(flag, next());
        break;
      case '--json':
        json = true;
        break;
      case '--seed':
        options.seed = next();
        break;
      case '--create-ms':
        options.timings = { ...options.timings, createMs: number(flag, next()) };
        break;
      case '--start-ms':
        options.timings = { ...options.timings, startMs: number(flag, next()) };
        break;
      case '--stop-ms':
        options.timings = { ...options.timings, stopMs: number(flag, next()) };
        break;
      case '--quota':
        options.boardQuota = number(flag, next());
        break;
      case '--lowercase-status':
        options.statusCase = 'lower';
        break;
      case '--no-login':
        options.tensorboardUrlNeedsLogin = false;
        break;
      case '--frame-limits':
        options.frameLimits = true;
        break;
      case '--share-cookie':
        options.shareCookie = true;
        break;
      case '--https':
        options.https = true;
        break;
      case '--tensorboard':
        options.tensorboard = next();
        break;
      case '--no-tensorboard':
        options.tensorboard = false;
        break;
      case '--oss-port':
        options.ossPort = number(flag, next());
        break;
      case '--storage':
        options.storageRoot = next();
        break;
      case '--help':
        process.stderr.write(`${usage}\n`);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${flag}\n${usage}`);
    }
  }
  return { json, options };
}

async function main(): Promise<void> {
  const { json, options } = parseArgs(process.argv.slice(2));
  const emulator = await startEmulator(options);
  const { accessKeyId, accessKeySecret } = emulator.credentials;
  const { available, reason } = emulator.realBoards();
  if (json) {
    const realBoards = available ? { available } : { available, reason };
    const line = {
      endpoint: emulator.endpoint,
      ossEndpoint: emulator.oss.endpoint,
      regionId: emulator.regionId,
      workspaceId: emulator.workspaceId,
      accessKeyId,
      accessKeySecret,
      realBoards,
      ...(emulator.httpsEndpoint
        ? { httpsEndpoint: emulator.httpsEndpoint, stsEndpoint: emulator.stsEndpoint, caCertPath: emulator.caCertPath }
        : {}),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } else {
    process.stdout.write(
      [
        `PAI-DLC emulator listening at ${emulator.endpoint}`,
        `  region:            ${emulator.regionId}`,
        `  workspace ID:      ${emulator.workspaceId}`,
        `  AccessKey ID:      ${accessKeyId}`,
        `  AccessKey secret:  ${accessKeySecret}`,
        `  control API:       ${emulator.endpoint}/__emulator/state`,
        `  OSS:               ${emulator.oss.endpoint} (bucket virtual host in Host, or path style)`,
        `  OSS control API:   ${emulator.endpoint}/__emulator/oss/requests`,
        ...(emulator.httpsEndpoint
          ? [`  https (STS):       ${emulator.httpsEndpoint}, CA ${emulator.caCertPath ?? ''}`]
          : []),
        `  board pages:       ${available ? 'real TensorBoards' : `placeholder (${reason})`}`,
        `  OSS/NAS storage:   ${emulator.storageRoot}`,
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
  }
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
