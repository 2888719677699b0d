import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Timer } from '../../src/core/pendingPoller';
import type { Services } from '../../src/services';
import { defaultSeedPath, type Seed } from '../emulator/seed';
import type { RecordedRequest } from '../emulator/types';
import { FakeTimer } from '../unit/core/fakeTimer';
import { emulator, eventually } from './support';

/** The requests of one operation the emulator has recorded since the last clear. */
export async function calls(operation: string): Promise<RecordedRequest[]> {
  return (await emulator().requests()).filter((r) => r.operation === operation);
}

/** The emulator's default seed as an object, for a test to extend and hand to `reset`. */
export function defaultSeed(): Seed {
  return JSON.parse(readFileSync(defaultSeedPath(), 'utf8')) as Seed;
}

/**
 * The emulator reset to `seed`. A seed given to reset stays the emulator's seed for later resets, so a test that
 * uses one calls `resetToDefaultSeed` after it.
 */
export async function resetToSeed(seed: Seed): Promise<void> {
  await emulator().reset(seed);
  await emulator().setClock(Date.now());
}

export async function resetToDefaultSeed(): Promise<void> {
  await resetToSeed(defaultSeed());
}

/** The waits' timer (create, start) replaced by a fake that fires only when the test advances it. */
export function fakeWaitTimer(services: Services): FakeTimer & { restore(): void } {
  const real: Timer = services.timer;
  const fake = Object.assign(new FakeTimer(), { restore: () => void (services.timer = real) });
  services.timer = fake;
  return fake;
}

/**
 * The Cancel button of the next progress notification whose title matches: the notification shows as usual, and its
 * task gets a token that `cancel()` cancels, as a click on the button would. `started` resolves when the task begins.
 */
export function cancellableProgress(title: RegExp): { readonly started: Promise<void>; cancel(): void; restore(): void } {
  const window = vscode.window as unknown as Record<string, unknown>;
  const real = vscode.window.withProgress;
  const source = new vscode.CancellationTokenSource();
  let begin: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (begin = resolve));
  window.withProgress = <R>(options: vscode.ProgressOptions, task: (progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken) => Thenable<R>) =>
    real.call(vscode.window, options, (progress, token) => {
      if (!title.test(options.title ?? '')) return task(progress, token);
      token.onCancellationRequested(() => source.cancel());
      begin();
      return task(progress, source.token);
    });
  return {
    started,
    cancel: () => source.cancel(),
    restore: () => {
      window.withProgress = real;
      source.dispose();
    },
  };
}

/**
 * Sets (or, with undefined, clears) a user setting and waits until this window reads it. The test's remote window
 * keeps user settings in two files, the local user's and the remote machine's (which wins). One update writes to one
 * of them (the remote one while it has the setting, or for a machine-scoped setting), and a local copy may linger
 * a moment, so the update is repeated until the value reads as wanted.
 */
export async function updateUserSetting(key: string, value: unknown): Promise<void> {
  const config = () => vscode.workspace.getConfiguration('paiTensorboard');
  const reads = () => isDeepStrictEqual(config().inspect(key)?.globalValue, value);
  for (let attempt = 0; attempt < 3; attempt++) {
    await config().update(key, value, vscode.ConfigurationTarget.Global);
    // Whether eventually() returns false or throws at its deadline, that means: not yet.
    if (await eventually(reads, Boolean, 3_000).catch(() => false)) return;
  }
  throw new Error(`paiTensorboard.${key} reads ${JSON.stringify(config().inspect(key)?.globalValue)}, not ${JSON.stringify(value)}`);
}
