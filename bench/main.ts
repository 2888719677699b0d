// `npm run bench`: packages the extension, then measures it installed from its .vsix in real VS Codes (code-server)
// against the local PAI-DLC emulator, and prints one table. Every figure is measured in this run.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { signIn } from '../test/e2e/steps';
import { launchBrowser } from '../test/runner/browser';
import { projectRoot } from '../test/runner/manifest';
import type { Tally } from '../test/runner/protocol';
import { Run } from '../test/runner/run';
import { prepareRun } from '../test/runner/testHost';
import { measureFreshStart } from './freshStart';
import { startBenchHost, type BenchHost } from './host';
import { measureCharts, measureProvisioning, measureSideBySide } from './provisioning';
import { measureSidebar } from './sidebar';
import { measureSync, syncBenchOptions } from './sync';
import { checkActivationEvents, checkStartup, measureActivation, measureSizes, type Context } from './startup';
import { PROFILES, startRelay, type ProfileName } from './relay';
import { printTable, type Row } from './table';

/**
 * How much to measure. `full` (the default) gives the figures. PAI_BENCH_QUICK=1: fewer samples, no 60 s provisioning
 * and no `npm start` on a fresh clone, to try the benchmark itself out (about 4 minutes). `--smoke` (CI): one sample
 * of every part but the fresh clone, no targets, so a bench that no longer builds or runs turns CI red.
 */
type Mode = 'full' | 'quick' | 'smoke';
const MODE: Mode = process.argv.includes('--smoke') ? 'smoke' : process.env.PAI_BENCH_QUICK === '1' ? 'quick' : 'full';
const SAMPLES = {
  full: {
    activation: 5,
    provisioning: [
      { createMs: 5_000, runs: 5 },
      { createMs: 60_000, runs: 3 },
    ],
    /** One run of each waiter, in turns, per provisioning time: spread over pai-python-sdk's 5 s poll interval. */
    sideBySideMs: [5_000, 6_250, 7_500, 8_750],
    charts: 5,
    refreshes: 5,
    idleSeconds: 30,
    freshStart: true,
  },
  quick: {
    activation: 2,
    provisioning: [{ createMs: 5_000, runs: 2 }],
    sideBySideMs: [5_000, 7_500],
    charts: 2,
    refreshes: 2,
    idleSeconds: 10,
    freshStart: false,
  },
  smoke: {
    activation: 1,
    provisioning: [{ createMs: 1_000, runs: 1 }],
    sideBySideMs: [1_000],
    charts: 1,
    refreshes: 1,
    idleSeconds: 1,
    freshStart: false,
  },
}[MODE];
const TIMEOUT_MS = 45 * 60_000;
/** The log folder sync's rows (sync.ts); `--sync-only` runs them alone, `--sync-size=<MiB>` sets the upload's size. */
const SYNC = syncBenchOptions(MODE, process.argv);
/**
 * `--network=loopback|wan|both` (default both): the profiles of the relay between the editor side and the emulator
 * under which the provisioning and first-chart rows are measured (relay.ts).
 */
/** `--create-only`: the create flow's rows alone (provisioning, side by side, first chart), under `--network`. */
const CREATE_ONLY = process.argv.includes('--create-only');
const NETWORK = process.argv.find((arg) => arg.startsWith('--network='))?.slice('--network='.length) ?? 'both';
const NETWORKS: ProfileName[] = NETWORK === 'both' ? ['loopback', 'wan'] : [NETWORK as ProfileName];
if (!NETWORKS.every((name) => name in PROFILES)) throw new Error(`--network must be loopback, wan or both: ${NETWORK}`);

async function main(): Promise<number> {
  const root = projectRoot;
  const resultsDir = path.join(root, 'test-results/bench');
  mkdirSync(resultsDir, { recursive: true });
  const run = new Run('bench');
  const tally: Tally = { passed: 0, failed: 0 };
  const rows: Row[] = [];
  const started = Date.now();

  /** One part of the benchmark: its rows, or one ERROR row saying why it could not be measured. */
  const part = async (name: string, measure: () => Promise<Row[]> | Row[]): Promise<void> => {
    const partStarted = Date.now();
    console.log(`[bench] ${name}…`);
    try {
      rows.push(...(await measure()));
      tally.passed += 1;
    } catch (error) {
      tally.failed += 1;
      const message = error instanceof Error ? error.message : String(error);
      console.error(`[bench] ${name} failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
      rows.push({ figure: name, measured: `not measured: ${message.split('\n')[0]}`, target: '', ok: undefined });
    }
    console.log(`[bench] ${name}: ${((Date.now() - partStarted) / 1000).toFixed(0)} s`);
  };

  const code = await run.execute(TIMEOUT_MS, tally, async () => {
    try {
      if (SYNC.only) return await measureSync(SYNC, part);
      let vsix = '';
      await part('bundle and .vsix sizes', () => {
        const sizes = measureSizes(root);
        vsix = sizes.vsix;
        return sizes.rows;
      });
      if (!vsix) return;
      const folder = await prepareRun(run, root, { realBoards: true });
      // Every request of the editor side (the extension host's API calls and page probes, the browser's board pages)
      // goes through the relay, which the emulator gives out as its endpoint and page origin.
      const relay = await startRelay(Number(new URL(folder.emulator.endpoint).port));
      run.defer('network relay', () => relay.close());
      folder.emulator.advertise(relay.origin);
      const browser = await launchBrowser(run);
      const context: Context = { root, folder, browser, resultsDir, vsix };

      if (!CREATE_ONLY) {
        await part('activation at start-up', async () => [checkActivationEvents(root), await checkStartup(context)]);
        await part('activate() time', () => measureActivation(context, SAMPLES.activation));
      }

      // A signed-in VS Code with the payload in its extension host, for the create flow, then a fresh one for the
      // sidebar, so that its heap is measured from a host that has loaded no boards.
      const signedIn = async (name: string): Promise<BenchHost> => {
        const host = await startBenchHost(root, folder, name, { ...context, withPayload: true });
        run.defer(`bench VS Code ${name}`, () => host.close());
        await signIn(host.workbench);
        return host;
      };
      let host: BenchHost | undefined;
      await part('signed-in VS Code for the create flow', async () => {
        host = await signedIn('create');
        return [];
      });
      if (host) {
        for (const network of NETWORKS) {
          relay.profile = PROFILES[network];
          const under = (name: string, measure: () => Promise<Row[]>) =>
            part(`${name} [${network}]`, async () =>
              (await measure()).map((row) => ({ ...row, figure: `${row.figure} [${network}]` })),
            );
          for (const { createMs, runs } of SAMPLES.provisioning) {
            await under(`provisioning ${createMs / 1000} s`, () => measureProvisioning(context, host!, createMs, runs));
          }
          await under('side by side with a pai-python-sdk-style waiter', () =>
            measureSideBySide(context, host!, SAMPLES.sideBySideMs),
          );
          await under('first chart, direct and through the proxy', () => measureCharts(context, host!, SAMPLES.charts));
        }
        relay.profile = PROFILES.loopback;
        await host.close();
      }
      if (CREATE_ONLY) return;
      await part('sidebar with 1,000 boards', async () => {
        const sidebarHost = await signedIn('sidebar');
        try {
          return await measureSidebar(context, sidebarHost, {
            refreshes: SAMPLES.refreshes,
            idleSeconds: SAMPLES.idleSeconds,
          });
        } finally {
          await sidebarHost.close();
        }
      });
      // Minutes (code-server and TensorBoard installed into the clone): left out of the quick run and the smoke.
      if (SAMPLES.freshStart) await part('npm start on a fresh clone', () => measureFreshStart(root, resultsDir));
      await measureSync(SYNC, part);
    } finally {
      console.log(
        `\n[bench] measured in ${((Date.now() - started) / 60_000).toFixed(1)} min on ${new Date().toISOString()}\n`,
      );
      // A smoke's single samples say nothing of the targets: only a part that could not be measured fails it.
      const shown = MODE === 'smoke' ? rows.map((row) => (row.ok === undefined ? row : { ...row, ok: null })) : rows;
      printTable(shown);
      const json = path.join(resultsDir, 'bench.json');
      writeFileSync(
        json,
        `${JSON.stringify({ mode: MODE, measuredAt: new Date().toISOString(), minutes: (Date.now() - started) / 60_000, rows: shown }, null, 2)}\n`,
      );
      console.log(`[bench] rows as JSON: ${path.relative(root, json)}`);
      // The closing line counts targets, not parts: a part measured but off its target is a miss.
      const met = shown.filter((row) => row.ok === true).length;
      const missed = shown.filter((row) => row.ok === false).length;
      const unmeasured = shown.filter((row) => row.ok === undefined).length;
      console.log(`\n[bench] ${MODE}: targets: ${met} met, ${missed} missed, ${unmeasured} not measured`);
      tally.passed = MODE === 'smoke' ? rows.length - unmeasured : met;
      tally.failed = missed + unmeasured;
      console.log('');
    }
  });
  return code;
}

void main().then((code) => process.exit(code));
