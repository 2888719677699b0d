import assert from 'node:assert/strict';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';
import { extensionServices, signedInFresh, useEndpoint, type ShownMessage, type Ui } from './support';

/**
 * Issue 22, finding 2: every notification that quotes a board's name, the service's failure reason, its error code or
 * its RequestId shows them as text. VS Code makes `[label](command:…)` in a notification a link that runs the command
 * on click; here each of those four carries one, through a front that stands between the extension and the emulator
 * and rewrites what the service says.
 */

const RUNNING = 'tb4k8lc5xfu36opt';
const STOPPED = 'tb9w3n6c1r8m2qxd';

/** A link that would type a command into the terminal, if it were one. */
const link = (label: string) =>
  `[${label}](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%5Cn%22%7D)`;
const HOSTILE = {
  name: link('name'),
  reason: `Mount failed ${link('reason')}`,
  code: link('code'),
  requestId: link('id'),
};

/** What VS Code would render as a link in a notification: `[label](target)`. */
const PARSED_LINK = /\[[^\]]*\]\(/;

interface Front {
  readonly endpoint: string;
  /** Requests (`METHOD /path?query`) answered with the service's error, in hostile words. */
  failing: RegExp[];
  close(): Promise<void>;
}

/** Forwards to the emulator, names every board HOSTILE.name and every failure reason HOSTILE.reason. */
async function hostileFront(emulatorEndpoint: string): Promise<Front> {
  const target = new URL(emulatorEndpoint);
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (front.failing.some((failing) => failing.test(`${request.method} ${request.url}`))) {
        const body = JSON.stringify({ Code: HOSTILE.code, Message: HOSTILE.reason, RequestId: HOSTILE.requestId });
        response.writeHead(400, { 'content-type': 'application/json' }).end(body);
        return;
      }
      // The Host header goes on as signed; the answer comes back unencoded, so it can be rewritten.
      const headers = { ...request.headers };
      delete headers['accept-encoding'];
      const forwarded = httpRequest(
        { host: target.hostname, port: target.port, method: request.method, path: request.url, headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            let text = Buffer.concat(parts).toString('utf8');
            if (/json/.test(String(answer.headers['content-type']))) text = JSON.stringify(hostile(JSON.parse(text)));
            response.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? '' });
            response.end(text);
          });
        },
      );
      forwarded.on('error', () => response.destroy());
      forwarded.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const front: Front = {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    failing: [],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return front;
}

function hostile(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hostile);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (key === 'DisplayName' && typeof field === 'string') out[key] = HOSTILE.name;
    else if (key === 'ReasonMessage' && typeof field === 'string') out[key] = HOSTILE.reason;
    else if (key === 'ReasonCode' && typeof field === 'string') out[key] = HOSTILE.code;
    else out[key] = hostile(field);
  }
  return out;
}

describe('notifications quote the service as text, never as a link (#22)', () => {
  let ui: Ui;
  let services: Services;
  let front: Front;
  let emulatorEndpoint: string;

  before(async () => {
    services = await extensionServices();
    emulatorEndpoint = vscode.workspace.getConfiguration('paiTensorboard').get<string>('endpoint')!;
    front = await hostileFront(process.env.PAI_EMULATOR_ENDPOINT!);
    // Seen by the extension before the first test: a change it hears of later resets its boards mid-test.
    await useEndpoint(front.endpoint);
  });
  after(async () => {
    await useEndpoint(emulatorEndpoint);
    await front.close();
  });
  beforeEach(async () => {
    front.failing = [];
    ui = await signedInFresh(500);
  });
  afterEach(async () => {
    ui.restore();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** The messages shown since `from`: at least one, each quoting the hostile text of `what`, none with a link. */
  function assertInert(from: number, what: (keyof typeof HOSTILE)[]): ShownMessage[] {
    const shown = ui.messages.slice(from);
    assert.ok(shown.length > 0, 'no message was shown');
    const all = shown.map((m) => [m.text, m.detail ?? '', ...m.buttons].join('\n')).join('\n');
    for (const key of what) {
      // The label survives: the text is shown, only made inert.
      const label = /^\[([^\]]*)\]/.exec(HOSTILE[key].replace(/^Mount failed /, ''))![1]!;
      assert.ok(all.includes(`[${label}]`), `no message quotes the ${key}: ${all}`);
    }
    for (const message of shown)
      assert.doesNotMatch([message.text, message.detail ?? ''].join('\n'), PARSED_LINK, 'a link in a notification');
    return shown;
  }

  it('Copied the URL of a board with a hostile name', async () => {
    const from = ui.messages.length;
    await vscode.commands.executeCommand('paiTensorboard.copyBoardUrl', RUNNING);
    const [copied] = assertInert(from, ['name']);
    assert.match(copied?.text ?? '', /^Copied the URL of/);
  });

  for (const [action, id, path] of [
    ['stop', RUNNING, 'stop'],
    ['start', STOPPED, 'start'],
  ] as const) {
    it(`Could not ${action}: the name, code and RequestId`, async () => {
      front.failing = [new RegExp(`^PUT /api/v1/tensorboards/${id}/${path}\\b`)];
      const from = ui.messages.length;
      ui.press(undefined);
      await vscode.commands.executeCommand(`paiTensorboard.${action}Board`, id);
      // The service's message goes to the log only; its code and RequestId are shown.
      const [failed] = assertInert(from, ['name', 'code', 'requestId']);
      assert.match(failed?.text ?? '', new RegExp(`^Could not ${action}`));
    });
  }

  it('Delete: the confirmation, then Could not delete', async () => {
    front.failing = [new RegExp(`^DELETE /api/v1/tensorboards/${STOPPED}\\b`)];
    const from = ui.messages.length;
    ui.press('Delete', undefined);
    await vscode.commands.executeCommand('paiTensorboard.deleteBoard', STOPPED);
    const [confirm, failed] = assertInert(from, ['name', 'code', 'requestId']);
    assert.match(confirm?.text ?? '', /^Delete the TensorBoard/);
    assert.match(failed?.text ?? '', /^Could not delete/);
  });

  it('a change that went through but could not be reloaded', async () => {
    // The sidebar's item, as a click gives it: the command has its board and loads it only after the stop.
    await services.boards.refresh();
    const item = ((await services.tree.getChildren()) as { board?: { tensorboardId: string } }[]).find(
      (node) => node.board?.tensorboardId === RUNNING,
    );
    assert.ok(item, 'no sidebar item for the running board');
    front.failing = [new RegExp(`^GET /api/v1/tensorboards/${RUNNING}(\\?|$)`)];
    const from = ui.messages.length;
    await vscode.commands.executeCommand('paiTensorboard.stopBoard', item);
    const [warning] = assertInert(from, ['name', 'code', 'requestId']);
    assert.match(warning?.text ?? '', /accepted the change to/);
  });

  it('Could not create, with the service error', async () => {
    front.failing = [/^POST \/api\/v1\/tensorboards(\?|$)/];
    const from = ui.messages.length;
    ui.pick(/A PAI dataset/).type('d-doesnotexist0', '/logs/', 'tb-hostile');
    ui.press(undefined);
    await vscode.commands.executeCommand('paiTensorboard.createBoard');
    const [failed] = assertInert(from, ['code', 'requestId']);
    assert.match(failed?.text ?? '', /^Could not create/);
  });

  it('failed to start, with the reason code and message', async () => {
    const from = ui.messages.length;
    ui.pick(/A PAI dataset/).type('d-doesnotexist0', '/logs/', 'tb-hostile');
    ui.press(undefined);
    await vscode.commands.executeCommand('paiTensorboard.createBoard');
    const shown = assertInert(from, ['reason', 'code']);
    assert.match(shown.at(-1)?.text ?? '', /failed to start/);
  });
});
