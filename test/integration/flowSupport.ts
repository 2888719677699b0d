import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Timer } from '../../src/boards/timer';
import type { Services } from '../../src/services';
import { defaultSeedPath, type Seed } from '../emulator/seed';
import type { RecordedRequest } from '../emulator/types';
import { FakeTimer } from '../shared/fakeTimer';
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
export function cancellableProgress(title: RegExp): {
  readonly started: Promise<void>;
  cancel(): void;
  restore(): void;
} {
  const window = vscode.window as unknown as Record<string, unknown>;
  const real = vscode.window.withProgress;
  const source = new vscode.CancellationTokenSource();
  let begin: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (begin = resolve));
  window.withProgress = <R>(
    options: vscode.ProgressOptions,
    task: (progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken) => Thenable<R>,
  ) =>
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
 * Sets a user setting and waits until this window reads it. The test's remote window keeps user settings in two
 * files, the local user's and the remote machine's, which wins; the runner writes the extension's settings to both.
 * An update goes to the remote one while it has the setting, so an empty text (which the extension reads as unset)
 * takes effect at once, where clearing (undefined) would leave the local copy in force.
 */
export async function updateUserSetting(key: string, value: unknown): Promise<void> {
  const config = () => vscode.workspace.getConfiguration('paiTensorboard');
  await config().update(key, value, vscode.ConfigurationTarget.Global);
  const read = await eventually(
    () => config().inspect(key)?.globalValue,
    (v) => isDeepStrictEqual(v, value),
    `the setting ${key} as written`,
    10_000,
  );
  if (!isDeepStrictEqual(read, value))
    throw new Error(`paiTensorboard.${key} reads ${JSON.stringify(read)}, not ${JSON.stringify(value)}`);
}
