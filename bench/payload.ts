// Runs inside the extension host of a benchmark's VS Code as its `extensionTestsPath`, beside the UI that the
// benchmark drives: asks the benchmark (PAI_BENCH_CONTROL, loopback) what to do, and answers with what it measured.
// Imports nothing from the extension: it sees it only through the `vscode` API, as any other extension would.
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as vscode from 'vscode';
import {
  CONTROL_VARIABLE,
  type ActivateResult,
  type Instruction,
  type LazyLoadResult,
  type MemoryResult,
  type Reply,
} from './protocol';

export async function run(): Promise<void> {
  const control = process.env[CONTROL_VARIABLE];
  if (!control) throw new Error(`${CONTROL_VARIABLE} is not set: this payload runs under npm run bench`);
  let reply: Reply = { kind: 'ready', vscodeVersion: vscode.version, pid: process.pid };
  for (;;) {
    const instruction = (await post(`${control}/next`, reply)) as Instruction;
    if (instruction.op === 'exit') return;
    if (instruction.op === 'wait') {
      reply = { kind: 'idle' };
      continue;
    }
    try {
      reply = { kind: 'result', ok: true, value: await perform(instruction) };
    } catch (error) {
      reply = {
        kind: 'result',
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      };
    }
  }
}

async function perform(instruction: Exclude<Instruction, { op: 'exit' | 'wait' }>): Promise<unknown> {
  switch (instruction.op) {
    case 'activate':
      return activate(instruction.id, instruction.quietMs);
    case 'lazyLoad':
      return lazyLoad(instruction.id);
    case 'memory':
      return memory(instruction.gc);
    case 'command':
      await vscode.commands.executeCommand(instruction.id, ...(instruction.args ?? []));
      return null;
    case 'setting':
      await vscode.workspace
        .getConfiguration('paiTensorboard')
        .update(instruction.key, instruction.value, vscode.ConfigurationTarget.Global);
      return null;
  }
}

/**
 * The wall time of `Extension.activate()` as the extension host runs it: reading and compiling dist/extension.js,
 * calling its `activate()`, and awaiting what it returns (VS Code's own "activation time" covers the same three).
 */
async function activate(id: string, quietMs: number): Promise<ActivateResult> {
  const extension = vscode.extensions.getExtension(id);
  if (!extension) throw new Error(`extension ${id} is not installed`);
  await new Promise((resolve) => setTimeout(resolve, quietMs));
  const wasActive = extension.isActive;
  const started = performance.now();
  await extension.activate();
  const ms = performance.now() - started;
  return { wasActive, isActive: extension.isActive, ms };
}

/**
 * What the first API call waits for after activation: loading the lazy bundles, `require` of
 * `<extensionPath>/dist/app.js`, then of `dist/vendor.js` (the first signed call's), each timed (Node's module
 * cache is the host's, so the extension then finds them loaded).
 */
function lazyLoad(id: string): LazyLoadResult {
  const extension = vscode.extensions.getExtension(id);
  if (!extension?.isActive) throw new Error(`extension ${id} is not active: activate it first`);
  const timed = (file: string) => {
    const alreadyLoaded = require.cache[require.resolve(file)] !== undefined;
    const started = performance.now();
    require(file);
    return { alreadyLoaded, ms: performance.now() - started };
  };
  const file = path.join(extension.extensionPath, 'dist', 'app.js');
  if (!existsSync(file)) return { exists: false, alreadyLoaded: true, ms: 0 };
  const app = timed(file);
  const vendor = path.join(extension.extensionPath, 'dist', 'vendor.js');
  return { exists: true, ...app, ...(existsSync(vendor) ? { vendor: timed(vendor) } : {}) };
}

function collector(): { collect?: () => void; name: string } {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return { collect: exposed, name: 'global.gc' };
  try {
    // Node accepts --expose-gc at run time; a new context then sees `gc`.
    v8.setFlagsFromString('--expose-gc');
    const collect = vm.runInNewContext('gc') as unknown;
    if (typeof collect === 'function')
      return { collect: collect as () => void, name: "v8.setFlagsFromString('--expose-gc')" };
  } catch {
    // no collector: the sample is taken as it is
  }
  return { name: 'none' };
}

async function memory(gc: boolean): Promise<MemoryResult> {
  const { collect, name } = gc ? collector() : { name: 'none' };
  if (collect) {
    // Three passes, each followed by a turn of the event loop, so that what one pass finalised the next one frees.
    for (let i = 0; i < 3; i++) {
      collect();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const { heapUsed, heapTotal, rss, external } = process.memoryUsage();
  return { heapUsed, heapTotal, rss, external, collector: collect ? name : 'none' };
}

function post(url: string, body: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (error) {
            reject(error);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}
