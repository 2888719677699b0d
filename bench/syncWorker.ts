// The memory row's sync engine, in a process of its own (bench/sync.ts spawns it with --expose-gc): it syncs the
// folder it is given to the emulator's OSS with the extension's planner, runner and lean client, back to back, and
// prints its memory before and at its peak, sampled every 20 ms, as one JSON line.
import { SyncRunner } from '../src/sync/executor';
import { LocalFolder } from '../src/sync/localFolder';
import { OssClient } from '../src/sync/ossClient';
import { SyncPlanner } from '../src/sync/planner';

interface Input {
  folder: string;
  endpoint: string;
  credentials: { accessKeyId: string; accessKeySecret: string };
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as Input;
  const local = new LocalFolder(input.folder);
  const planner = new SyncPlanner(local, { prefix: 'bench/memory/', intervalMs: 1, settleMs: 0 });
  const oss = new OssClient({
    target: { bucket: 'pai-emulator-demo', region: 'cn-hangzhou', endpoint: input.endpoint },
    credentials: () => Promise.resolve(input.credentials),
  });
  const runner = new SyncRunner(planner, local, oss, Date.now);
  const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  for (let i = 0; i < 3; i++) collect();
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 20);
  const started = Date.now();
  let uploaded = 0;
  for (let tick = 0; tick < 100_000; tick++) {
    const reports = await runner.tick();
    for (const { step, outcome } of reports) {
      if (outcome.kind === 'append' && step.kind === 'append') uploaded += outcome.nextPosition - step.position;
      else if (outcome.kind === 'uploaded') uploaded += outcome.size;
      else if (outcome.kind === 'failed' || outcome.kind === 'uncertain') throw new Error(JSON.stringify(outcome));
    }
    const status = planner.status(Date.now());
    if (reports.length === 0 && status.files > 0 && status.inSync === status.files) break;
    if (reports.length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
  }
  clearInterval(sampler);
  const last = process.memoryUsage();
  peakRss = Math.max(peakRss, last.rss);
  peakHeap = Math.max(peakHeap, last.heapUsed);
  process.stdout.write(
    `${JSON.stringify({
      baselineRss: baseline.rss,
      peakRss,
      baselineHeap: baseline.heapUsed,
      peakHeap,
      ms: Date.now() - started,
      uploaded,
    })}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
