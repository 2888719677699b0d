// `npm run bench`: packages the extension, then measures it installed from its .vsix in real VS Codes (code-server)
// against the local PAI-DLC emulator, and prints one table. Every figure is measured in this run.
import { mkdirSync } from 'node:fs';
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
import { checkActivationEvents, checkStartup, measureActivation, measureSizes, type Context } from './startup';
import { printTable, type Row } from './table';

/**
 * PAI_BENCH_QUICK=1: fewer samples, no 60 s provisioning and no `npm start` on a fresh clone, to try the benchmark
 * itself out (about 4 minutes).
 */
const QUICK = process.env.PAI_BENCH_QUICK === '1';
const ACTIVATION_SAMPLES = QUICK ? 2 : 5;
const PROVISIONING = QUICK
  ? [{ createMs: 5_000, runs: 2 }]
  : [
      { createMs: 5_000, runs: 5 },
      { createMs: 60_000, runs: 3 },
    ];
/** One run of each waiter, in turns, per provisioning time: spread over pai-python-sdk's 5 s poll interval. */
const SIDE_BY_SIDE_MS = QUICK ? [5_000, 7_500] : [5_000, 6_250, 7_500, 8_750];
const REFRESHES = QUICK ? 2 : 5;
const IDLE_S = QUICK ? 10 : 30;
const TIMEOUT_MS = 30 * 60_000;

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
      let vsix = '';
      await part('bundle and .vsix sizes', () => {
        const sizes = measureSizes(root);
        vsix = sizes.vsix;
        return sizes.rows;
      });
      if (!vsix) return;
      const folder = await prepareRun(run, root, { realBoards: true });
      const browser = await launchBrowser(run);
      const context: Context = { root, folder, browser, resultsDir, vsix };

      await part('activation at start-up', async () => [checkActivationEvents(root), await checkStartup(context)]);
      await part('activate() time', () => measureActivation(context, ACTIVATION_SAMPLES));

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
        for (const { createMs, runs } of PROVISIONING) {
          await part(`provisioning ${createMs / 1000} s`, () => measureProvisioning(context, host!, createMs, runs));
        }
        await part('side by side with a pai-python-sdk-style waiter', () =>
          measureSideBySide(context, host!, SIDE_BY_SIDE_MS),
        );
        await part('first chart, direct and through the proxy', () => measureCharts(context, host!, QUICK ? 2 : 5));
        await host.close();
      }
      await part('sidebar with 1,000 boards', async () => {
        const sidebarHost = await signedIn('sidebar');
        try {
          return await measureSidebar(context, sidebarHost, { refreshes: REFRESHES, idleSeconds: IDLE_S });
        } finally {
          await sidebarHost.close();
        }
      });
      // Minutes (code-server and TensorBoard installed into the clone): left out of the quick run.
      if (!QUICK) await part('npm start on a fresh clone', () => measureFreshStart(root, resultsDir));
    } finally {
      console.log(
        `\n[bench] measured in ${((Date.now() - started) / 60_000).toFixed(1)} min on ${new Date().toISOString()}\n`,
      );
      printTable(rows);
      // The closing line counts targets, not parts: a part measured but off its target is a miss.
      const met = rows.filter((row) => row.ok === true).length;
      const missed = rows.filter((row) => row.ok === false).length;
      const unmeasured = rows.filter((row) => row.ok === undefined).length;
      console.log(`\n[bench] targets: ${met} met, ${missed} missed, ${unmeasured} not measured`);
      tally.passed = met;
      tally.failed = missed + unmeasured;
      console.log('');
    }
  });
  return code;
}

void main().then((code) => process.exit(code));
