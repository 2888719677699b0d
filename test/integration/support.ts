import { connect } from 'node:net';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';
import { EmulatorControl } from '../emulator/control';
import { extensionId, readManifest } from '../runner/manifest';

/** The running extension's services (exported in test mode only). Types only from src: values come from the bundle. */
export async function extensionServices(): Promise<Services> {
  const extension = vscode.extensions.getExtension<Services>(extensionId(readManifest()));
  if (!extension) throw new Error('the extension is not loaded');
  const services = await extension.activate();
  if (!services) throw new Error('the extension exported no services: is it running in test mode?');
  return services;
}

export function emulator(): EmulatorControl {
  return new EmulatorControl(process.env.PAI_EMULATOR_ENDPOINT!);
}

/** The emulator back to its seed, on real time, with no faults: every test starts from here. */
export async function resetEmulator(): Promise<EmulatorControl> {
  const control = emulator();
  await control.reset();
  await control.setClock(Date.now());
  return control;
}

/**
 * Sets the endpoint in the user settings, as a user would, and returns once the extension has seen it: VS Code tells
 * the extension host of a change some time after `update` resolves, at times after a test's next steps.
 */
export async function useEndpoint(endpoint: string): Promise<void> {
  const config = () => vscode.workspace.getConfiguration('paiTensorboard');
  if (config().get('endpoint') === endpoint) return;
  // The extension's own listener was registered first, so it has dropped its client when this one runs.
  const seen = new Promise<void>((resolve) => {
    const subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('paiTensorboard.endpoint') && config().get('endpoint') === endpoint) {
        subscription.dispose();
        resolve();
      }
    });
  });
  await config().update('endpoint', endpoint, vscode.ConfigurationTarget.Global);
  await seen;
}

/**
 * The emulator back to its seed with short board timings, signed in from the environment as a user would, and the
 * requests of that sign-in forgotten. Returns the Ui that answers the test's prompts from here on.
 */
export async function signedInFresh(boardTimingMs: number): Promise<Ui> {
  const control = await resetEmulator();
  await control.setTimings({ createMs: boardTimingMs, startMs: boardTimingMs, stopMs: boardTimingMs });
  const ui = new Ui().pick(/environment variables/);
  if ((await vscode.commands.executeCommand('paiTensorboard.signIn')) !== true) {
    ui.restore();
    throw new Error(`sign-in from the environment failed: ${JSON.stringify(ui.messages)}`);
  }
  await control.clearRequests();
  return ui;
}

/**
 * Reads until `ok` holds and returns that value, for effects VS Code applies asynchronously (files it flushes, events
 * it fires). Throws when it does not hold within `timeoutMs`, naming `what` was awaited and the value last read.
 */
export async function eventually<T>(
  read: () => T | Promise<T>,
  ok: (value: T) => boolean,
  what = 'the condition',
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; last saw ${preview(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A value as a failure message shows it: JSON, a shared link's token left out, long text cut in the middle. */
function preview(value: unknown): string {
  const text = (typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))).replace(
    /\/token\/[^/"'\s]+/g,
    '/token/…',
  );
  return text.length <= 600 ? text : `${text.slice(0, 300)} … ${text.slice(-300)}`;
}

/** Whether something accepts connections on this loopback port, as a browser's request to it would find. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED' ? resolve(false) : reject(error),
    );
  });
}

/** The emulator's demo key, as the runner hands it to the test VS Code. */
export function demoKey(): { accessKeyId: string; accessKeySecret: string } {
  return {
    accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID!,
    accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET!,
  };
}

type Answer<T> = T | ((items: T extends string ? never : readonly vscode.QuickPickItem[]) => T);

export interface ShownMessage {
  readonly severity: 'info' | 'warning' | 'error';
  readonly text: string;
  readonly detail?: string;
  readonly buttons: readonly string[];
}

/**
 * Answers the extension's prompts in order, as a user would, and records every message it shows. The extension and
 * these tests share one `vscode` API object (same extension folder), so replacing its functions reaches the bundle.
 */
/** Every message any Ui saw during the run, for the final search for secrets. */
export const shownMessages: ShownMessage[] = [];

export class Ui {
  readonly messages: ShownMessage[] = [];
  readonly quickPickTitles: string[] = [];
  readonly inputPrompts: string[] = [];
  /** What each input box held when it opened (undefined: empty). */
  readonly inputValues: (string | undefined)[] = [];
  readonly opened: string[] = [];
  private readonly picks: ((
    items: readonly vscode.QuickPickItem[],
  ) => vscode.QuickPickItem | vscode.QuickPickItem[] | undefined)[] = [];
  private readonly inputs: (string | undefined)[] = [];
  private readonly buttons: (string | undefined)[] = [];
  private readonly originals: [object, string, unknown][] = [];

  constructor() {
    const window = vscode.window as unknown as Record<string, unknown>;
    this.replace(
      window,
      'showQuickPick',
      async (
        items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>,
        options?: vscode.QuickPickOptions,
      ) => {
        this.quickPickTitles.push(options?.title ?? options?.placeHolder ?? '');
        const resolved = await items;
        const answer = this.picks.shift();
        if (!answer)
          throw new Error(`unexpected quick pick "${options?.title}": ${resolved.map((i) => i.label).join(' | ')}`);
        return answer(resolved);
      },
    );
    this.replace(window, 'showInputBox', async (options?: vscode.InputBoxOptions) => {
      this.inputPrompts.push(options?.prompt ?? '');
      this.inputValues.push(options?.value);
      if (this.inputs.length === 0) throw new Error(`unexpected input box "${options?.prompt}"`);
      const value = this.inputs.shift();
      const problem = value !== undefined ? await options?.validateInput?.(value) : undefined;
      if (problem)
        throw new Error(
          `input "${value}" rejected by the extension: ${typeof problem === 'string' ? problem : problem.message}`,
        );
      return value;
    });
    for (const [name, severity] of [
      ['showInformationMessage', 'info'],
      ['showWarningMessage', 'warning'],
      ['showErrorMessage', 'error'],
    ] as const) {
      this.replace(window, name, async (text: string, ...rest: unknown[]) => {
        const options =
          typeof rest[0] === 'object' && rest[0] !== null && !('title' in rest[0])
            ? (rest.shift() as vscode.MessageOptions)
            : undefined;
        const buttons = rest.map((b) => (typeof b === 'string' ? b : (b as vscode.MessageItem).title));
        const message = { severity, text, detail: options?.detail, buttons };
        this.messages.push(message);
        shownMessages.push(message);
        return this.buttons.shift();
      });
    }
    this.replace(vscode.env as unknown as Record<string, unknown>, 'openExternal', async (uri: vscode.Uri) => {
      this.opened.push(uri.toString(true));
      return true;
    });
  }

  /** The next quick pick: chooses the first item whose label matches. */
  pick(label: RegExp): this {
    this.picks.push((items) => {
      const found = items.find((i) => label.test(i.label));
      if (!found) throw new Error(`no item matches ${label} among ${items.map((i) => i.label).join(' | ')}`);
      return found;
    });
    return this;
  }

  /** The next (multi-select) quick pick: chooses every item whose label matches. */
  pickMany(label: RegExp): this {
    this.picks.push((items) => items.filter((i) => label.test(i.label)));
    return this;
  }

  /** The next quick pick: its items are returned to the test through `seen`, and it is dismissed. */
  dismissPick(seen?: (items: readonly vscode.QuickPickItem[]) => void): this {
    this.picks.push((items) => {
      seen?.(items);
      return undefined;
    });
    return this;
  }

  type(...values: (string | undefined)[]): this {
    this.inputs.push(...values);
    return this;
  }

  /** Which button the next messages get (undefined: dismissed). */
  press(...buttons: (string | undefined)[]): this {
    this.buttons.push(...buttons);
    return this;
  }

  last(severity?: ShownMessage['severity']): ShownMessage | undefined {
    return [...this.messages].reverse().find((m) => !severity || m.severity === severity);
  }

  private replace(target: Record<string, unknown>, name: string, value: unknown): void {
    this.originals.push([target, name, target[name]]);
    target[name] = value;
  }

  restore(): void {
    for (const [target, name, value] of this.originals.reverse()) (target as Record<string, unknown>)[name] = value;
  }
}

export type { Answer };
