// What the benchmark and its payload inside the extension host say to each other over loopback HTTP.

/** The payload's file, compiled: out/bench/payload.js, given to VS Code as `extensionTestsPath`. */
export const PAYLOAD_FILE = 'out/bench/payload.js';

/** The environment variable that tells the payload where the benchmark listens. */
export const CONTROL_VARIABLE = 'PAI_BENCH_CONTROL';

export type Instruction =
  /** Waits `quietMs` (start-up activity settles), then times `await getExtension(id).activate()`. */
  | { op: 'activate'; id: string; quietMs: number }
  /** After activation: times `require` of the extension's lazy bundle (dist/app.js), where there is one. */
  | { op: 'lazyLoad'; id: string }
  /** process.memoryUsage() of the extension host, after garbage collection when `gc` and a collector is available. */
  | { op: 'memory'; gc: boolean }
  /** Runs a command and waits for it. */
  | { op: 'command'; id: string; args?: unknown[] }
  /** Sets one of the extension's settings (`paiTensorboard.<key>`) in the user settings, and waits for it. */
  | { op: 'setting'; key: string; value: unknown }
  /** Nothing to do yet: ask again (keeps the long poll shorter than Node's HTTP time-outs). */
  | { op: 'wait' }
  /** The payload returns, and VS Code ends the extension tests. */
  | { op: 'exit' };

export interface ActivateResult {
  readonly wasActive: boolean;
  readonly isActive: boolean;
  readonly ms: number;
}

export interface LazyLoadResult {
  /** False: the extension is one bundle (no dist/app.js), all of it loaded at activation. */
  readonly exists: boolean;
  /** Whether the host had loaded dist/app.js already (at activation, or since) before the timed `require`. */
  readonly alreadyLoaded: boolean;
  readonly ms: number;
  /** Then `require` of dist/vendor.js (the signing and credentials libraries), when the build has one. */
  readonly vendor?: { readonly alreadyLoaded: boolean; readonly ms: number };
}

export interface MemoryResult {
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly rss: number;
  readonly external: number;
  /** How garbage was collected before the sample: `global.gc`, the V8 flag set at run time, or `none`. */
  readonly collector: string;
}

export type Reply =
  | { kind: 'ready'; vscodeVersion: string; pid: number }
  | { kind: 'idle' }
  | { kind: 'result'; ok: true; value: unknown }
  | { kind: 'result'; ok: false; error: string };
