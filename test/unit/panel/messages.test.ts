import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { boardHtml, messageHtml } from '../../../src/panel/boardHtml';
import { messageButtons, panelMessage, type PanelMessageType } from '../../../src/panel/messages';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const assets = { tensorboardId: 'tb1', cspSource: 'c', styleUri: 's', scriptUri: 'j', nonce: 'n' };
const everyType = Object.keys(messageButtons) as PanelMessageType[];

/**
 * Runs media/board.js, as the webview would, over a page's buttons; clicks each and returns what it posted, by the
 * button's element ID, and the state it kept.
 */
function clickEveryButton(html: string): { posted: [string, unknown[]][]; state: unknown } {
  const buttons = new Map<string, (() => void)[]>();
  for (const [, id] of html.matchAll(/<button type="button" id="([^"]+)">/g)) buttons.set(id!, []);
  const tensorboardId = /data-tensorboard-id="([^"]*)"/.exec(html)?.[1];
  let sent: unknown[] = [];
  let state: unknown;
  runInNewContext(readFileSync(path.join(root, 'media', 'board.js'), 'utf8'), {
    acquireVsCodeApi: () => ({
      postMessage: (message: unknown) => sent.push(message),
      setState: (value: unknown) => (state = value),
      getState: () => state,
    }),
    document: {
      body: { dataset: { tensorboardId } },
      getElementById: (id: string) => {
        const listeners = buttons.get(id);
        return (
          listeners && {
            addEventListener: (event: string, listener: () => void) => event === 'click' && listeners.push(listener),
          }
        );
      },
    },
  });
  const posted = new Map<string, unknown[]>();
  for (const [id, listeners] of buttons) {
    sent = [];
    for (const listener of listeners) listener();
    posted.set(id, sent);
  }
  // Through JSON, as postMessage would send them: the script's objects are of another realm.
  return JSON.parse(JSON.stringify({ posted: [...posted], state })) as {
    posted: [string, unknown[]][];
    state: unknown;
  };
}

describe("the panel page's messages", () => {
  it('accepts each message the union has', () => {
    assert.deepEqual(everyType.sort(), [
      'createAgain',
      'extend',
      'openInBrowser',
      'reload',
      'restart',
      'signIn',
      'start',
    ]);
    for (const type of everyType) assert.deepEqual(panelMessage({ type }), { type });
  });

  it('ignores unknown and malformed ones', () => {
    const inherited = Object.create({ type: 'reload' }) as object;
    for (const data of [
      undefined,
      null,
      'reload',
      42,
      [],
      ['reload'],
      {},
      inherited,
      { type: 'delete' },
      { type: 'Reload' },
      { type: 'toString' },
      { type: '__proto__' },
      { type: 1 },
      { type: ['reload'] },
      { type: 'reload', url: 'https://elsewhere.example/' },
      { command: 'reload' },
    ]) {
      assert.equal(panelMessage(data), undefined, JSON.stringify(data));
    }
  });

  it('media/board.js posts, for each button the pages have, exactly its message, and every message has one', () => {
    const page = messageHtml({
      ...assets,
      title: 't',
      message: 'm',
      actions: {
        openInBrowser: 'Open in Browser',
        reload: 'Reload',
        start: 'Start',
        signIn: 'Sign In',
        createAgain: 'Create Again',
        restart: 'Restart Board',
      },
    });
    const { posted, state } = clickEveryButton(page);
    assert.deepEqual(state, { tensorboardId: 'tb1' });
    const framed = clickEveryButton(
      boardHtml({
        ...assets,
        displayName: 'b',
        url: 'https://board.example/',
        labels: { openInBrowser: 'Open', reload: 'Reload', blankHint: '', extend: 'Extend by 1 Hour' },
      }),
    );
    assert.deepEqual(framed.posted, [
      ['extend', [{ type: 'extend' }]],
      ['reload', [{ type: 'reload' }]],
      ['open-in-browser', [{ type: 'openInBrowser' }]],
    ]);
    const both = new Map([...posted, ...framed.posted]);
    assert.deepEqual([...both].sort(), everyType.map((type) => [messageButtons[type], [{ type }]]).sort());
    for (const [, messages] of both)
      for (const message of messages) assert.ok(panelMessage(message), JSON.stringify(message));
  });

  it('a board over a synced folder: the bar holds the lag line as text, and the restart button hidden until offered', () => {
    const html = (offerRestart: boolean) =>
      boardHtml({
        ...assets,
        displayName: 'b',
        url: 'https://board.example/',
        labels: { openInBrowser: 'Open', reload: 'Reload', blankHint: '', restart: 'Restart Board' },
        syncLag: { line: 'synced 2 s ago; board shows step <b>3</b> of 5', offerRestart },
      });
    assert.match(
      html(false),
      /<span class="sync-lag" id="sync-lag">synced 2 s ago; board shows step &lt;b&gt;3&lt;\/b&gt; of 5<\/span>\n<span id="sync-restart" hidden><button type="button" id="restart-board">Restart Board<\/button><\/span>/,
    );
    assert.match(html(true), /<span id="sync-restart"><button type="button" id="restart-board">/);
    assert.deepEqual(
      clickEveryButton(html(true)).posted.find(([id]) => id === 'restart-board'),
      ['restart-board', [{ type: 'restart' }]],
    );
  });

  it('a message page has a button for each action it was given, and only those', () => {
    const html = messageHtml({
      ...assets,
      title: 't',
      message: 'm',
      actions: { reload: 'Reload', openInBrowser: 'Open in Browser' },
    });
    assert.deepEqual(
      [...html.matchAll(/<button type="button" id="([^"]+)">([^<]*)</g)].map((m) => [m[1], m[2]]),
      [
        ['reload', 'Reload'],
        ['open-in-browser', 'Open in Browser'],
      ],
    );
    assert.ok(!messageHtml({ ...assets, title: 't', message: 'm' }).includes('<button'));
  });

  it("media/board.js shows the extension's Extend offer as text, and ignores one from the board's frame", () => {
    const boardWindow = {};
    const offer = { hidden: true };
    const text = { textContent: '' };
    const frame = { contentWindow: boardWindow, addEventListener: () => undefined };
    const hint = { hidden: false, dataset: {} };
    let listener: ((event: { source: unknown; data: unknown }) => void) | undefined;
    const elements: Record<string, unknown> = {
      'extend-offer': offer,
      'extend-text': text,
      board: frame,
      'blank-hint': hint,
    };
    runInNewContext(readFileSync(path.join(root, 'media', 'board.js'), 'utf8'), {
      acquireVsCodeApi: () => ({ postMessage: () => undefined, setState: () => undefined, getState: () => undefined }),
      document: { body: { dataset: { tensorboardId: 'tb1' } }, getElementById: (id: string) => elements[id] },
      window: { addEventListener: (type: string, l: typeof listener) => type === 'message' && (listener = l) },
    });
    assert.ok(listener, 'board.js does not listen for the offer');
    const markup = '<img src=x onerror=alert(1)> stops in 5 min';
    listener({ source: boardWindow, data: { type: 'extendOffer', text: 'from the board' } });
    assert.deepEqual([offer.hidden, text.textContent], [true, '']);
    listener({ source: null, data: { type: 'extendOffer', text: markup } });
    assert.deepEqual([offer.hidden, text.textContent], [false, markup]);
    listener({ source: null, data: { type: 'other', text: 'x' } });
    assert.deepEqual([offer.hidden, text.textContent], [false, markup]);
    listener({ source: null, data: { type: 'extendOffer', text: '' } });
    assert.equal(offer.hidden, true);
  });
});
