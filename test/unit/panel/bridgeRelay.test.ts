import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { bridgeMessage } from '../../../src/panel/bridgeMessages';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const SECRET = 'panel-secret';
const ORIGIN = 'http://41234.cs.localhost:8080';

/**
 * Runs media/board.js as the webview would, with a board frame whose window is `frameWindow`, and returns a function
 * that delivers a message event to it, plus what the page passed to the extension and dispatched on its document.
 */
function panelPage() {
  const frameWindow = { name: 'the board' };
  const listeners: ((event: unknown) => void)[] = [];
  const posted: unknown[] = [];
  const dispatched: { type: string; init: Record<string, unknown>; keyCode?: number }[] = [];
  class FakeIframe {
    contentWindow = frameWindow;
    addEventListener() {}
  }
  const frame = new FakeIframe();
  class FakeKeyboardEvent {
    constructor(
      readonly type: string,
      readonly init: Record<string, unknown>,
    ) {}
  }
  runInNewContext(readFileSync(path.join(root, 'media', 'board.js'), 'utf8'), {
    acquireVsCodeApi: () => ({
      postMessage: (message: unknown) => posted.push(message),
      setState: () => {},
      getState: () => undefined,
    }),
    HTMLIFrameElement: FakeIframe,
    KeyboardEvent: FakeKeyboardEvent,
    performance: { getEntriesByType: () => [] },
    window: {
      addEventListener: (type: string, listener: (event: unknown) => void) =>
        type === 'message' && listeners.push(listener),
    },
    document: {
      body: { dataset: { tensorboardId: 'tb1', bridgeSecret: SECRET, frameOrigin: ORIGIN } },
      getElementById: (id: string) => (id === 'board' ? frame : null),
      dispatchEvent: (event: FakeKeyboardEvent & { keyCode?: number }) =>
        dispatched.push({ type: event.type, init: event.init, keyCode: event.keyCode }),
    },
    Object,
    Number,
  });
  const deliver = (data: unknown, source: unknown = frameWindow, origin = ORIGIN) => {
    for (const listener of listeners) listener({ data, source, origin });
  };
  return { deliver, posted, dispatched, frameWindow };
}

describe("the panel page's relay of the bridge (media/board.js), under a hostile board", () => {
  const open = { pai: 'bridge', secret: SECRET, type: 'open', url: 'https://www.tensorflow.org/' };

  it('passes on a message from the frame, with its origin and the secret, field by field', () => {
    const { deliver, posted } = panelPage();
    deliver({ ...open, command: 'paiTensorboard.signOut' });
    assert.deepEqual(JSON.parse(JSON.stringify(posted)), [{ type: 'bridgeOpen', url: 'https://www.tensorflow.org/' }]);
  });

  it('drops messages from another window, another origin, without the secret, or of an unknown kind', () => {
    const { deliver, posted, dispatched } = panelPage();
    deliver(open, { name: 'a nested frame' });
    deliver(open, undefined, 'http://41235.cs.localhost:8080');
    deliver({ ...open, secret: 'guessed' });
    deliver({ ...open, secret: undefined });
    deliver({ ...open, pai: undefined });
    deliver({ ...open, type: 'openInBrowser' });
    deliver({ ...open, type: 'reload' });
    deliver('open https://www.tensorflow.org/');
    deliver(null);
    assert.deepEqual(posted, []);
    assert.deepEqual(dispatched, []);
  });

  it('what it passes on of a forged or oversized message, the extension rejects', () => {
    const { deliver, posted } = panelPage();
    deliver({ ...open, url: 'command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D' });
    deliver({ ...open, url: 'javascript:alert(1)' });
    deliver({ pai: 'bridge', secret: SECRET, type: 'download', name: '../x', data: 'A'.repeat(45 * 1024 * 1024) });
    deliver({ pai: 'bridge', secret: SECRET, type: 'download', name: 'x', data: 'not base64!' });
    deliver({ pai: 'bridge', secret: SECRET, type: 'view', search: 'x', hash: '', storage: {} });
    deliver({ pai: 'bridge', secret: SECRET, type: 'view', search: '', hash: '', storage: { 'a b': '1' } });
    assert.equal(posted.length, 6);
    for (const message of JSON.parse(JSON.stringify(posted)) as unknown[])
      assert.equal(bridgeMessage(message), undefined, JSON.stringify(message).slice(0, 100));
  });

  it("re-dispatches a key on the panel's own document, where VS Code's webview host forwards it", () => {
    const { deliver, dispatched, posted } = panelPage();
    deliver({ pai: 'bridge', secret: SECRET, type: 'key', key: 'F1', code: 'F1', keyCode: 112, ctrlKey: 'yes' });
    assert.equal(dispatched.length, 1);
    assert.equal(dispatched[0]?.type, 'keydown');
    assert.equal(dispatched[0]?.init.key, 'F1');
    assert.equal(dispatched[0]?.init.ctrlKey, false);
    assert.equal(dispatched[0]?.keyCode, 112);
    assert.deepEqual(posted, []);
  });
});
