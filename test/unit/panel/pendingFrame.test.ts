import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { BLANK_AFTER_MS, boardHtml, type ShowFrameMessage } from '../../../src/panel/boardHtml';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const URL_ = 'https://dlc.example/share/tb1/token/abc/';
const base = {
  tensorboardId: 'tb1',
  displayName: 'resnet',
  url: URL_,
  cspSource: 'c',
  styleUri: 's',
  scriptUri: 'j',
  nonce: 'n',
  labels: { openInBrowser: 'Open in Browser', reload: 'Reload', blankHint: 'Blank? Open it in the browser.' },
  pending: { title: 'Opening TensorBoard "<b>"…', message: 'Its page is starting.' },
};

/**
 * media/board.js over the page `boardHtml` made with `pending`: its frame, hint and waiting text as that HTML has
 * them, the webview's state as a reload would find it, and the page's clock the test's.
 */
function runPendingPage(html: string, saved?: unknown) {
  const dataset = Object.fromEntries(
    [...html.matchAll(/ data-([a-z-]+)="([^"]*)"/g)].map(([, name, value]) => [
      name!.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()),
      value!.replace(/&amp;/g, '&'),
    ]),
  );
  class HTMLIFrameElement {
    src = / id="board" src="([^"]*)"/.exec(html)?.[1] ?? '';
    hidden = / id="board" hidden/.test(html);
    readonly contentWindow = { name: 'the board' };
    readonly loads: (() => void)[] = [];
    addEventListener(event: string, listener: () => void) {
      if (event === 'load') this.loads.push(listener);
    }
  }
  const frame = new HTMLIFrameElement();
  const hint = { hidden: /id="blank-hint"[^>]* hidden/.test(html), textContent: '', dataset: { afterMs: '15000' } };
  let pendingShown = /id="pending"/.test(html);
  const listeners: ((event: { source: unknown; data: unknown }) => void)[] = [];
  const timers: number[] = [];
  const states: unknown[] = [];
  const elements: Record<string, unknown> = {
    'blank-hint': hint,
    board: frame,
    pending: pendingShown ? { remove: () => (pendingShown = false) } : undefined,
  };
  runInNewContext(readFileSync(path.join(root, 'media', 'board.js'), 'utf8'), {
    HTMLIFrameElement,
    acquireVsCodeApi: () => ({
      postMessage: () => undefined,
      setState: (state: unknown) => states.push(state),
      getState: () => saved,
    }),
    document: { body: { dataset }, getElementById: (id: string) => elements[id] },
    performance: { getEntriesByType: () => [] },
    setTimeout: (_callback: () => void, ms: number) => timers.push(ms),
    clearTimeout: () => undefined,
    addEventListener: (event: string, listener: (event: { source: unknown; data: unknown }) => void) => {
      if (event === 'message') listeners.push(listener);
    },
  });
  return {
    frame,
    hint,
    timers,
    states,
    pendingShown: () => pendingShown,
    /** A message as the extension posts it (`source` null), or from the board's own frame. */
    post: (data: unknown, source: unknown = null) => listeners.forEach((listener) => listener({ source, data })),
  };
}

const show: ShowFrameMessage = { type: 'showFrame', url: URL_, hint: 'Blank? Open it in the browser.', hintNow: false };

describe("a board panel's page ready before the board's app answers (#23)", () => {
  it('says the app is starting and holds a frame without an address, allowed only the coming one', () => {
    const html = boardHtml(base);
    assert.match(html, /<h2>Opening TensorBoard &quot;&lt;b&gt;&quot;…<\/h2>\n<p>Its page is starting\.<\/p>/);
    assert.match(html, /<iframe id="board" hidden title="resnet"/);
    assert.doesNotMatch(html, /<iframe[^>]* src=/);
    assert.match(html, / data-frame-url="https:\/\/dlc\.example\/share\/tb1\/token\/abc\/"/);
    assert.match(html, /frame-src https:\/\/dlc\.example;/);
    assert.doesNotMatch(boardHtml({ ...base, pending: undefined }), /data-frame-url|id="pending"/);
  });

  it('frames the board when the extension posts its URL, without a new page', () => {
    const page = runPendingPage(boardHtml(base));
    assert.deepEqual([page.frame.src, page.frame.hidden, page.pendingShown()], ['', true, true]);
    page.post(show);
    assert.deepEqual([page.frame.src, page.frame.hidden, page.pendingShown()], [URL_, false, false]);
    // The "Blank?" hint waits for the frame's load from now on, as on a page made with its frame.
    assert.deepEqual([page.hint.hidden, page.hint.textContent, page.timers], [true, show.hint, [BLANK_AFTER_MS]]);
  });

  it("shows a queued job's hint at once, as text", () => {
    const page = runPendingPage(boardHtml(base));
    page.post({ ...show, hint: 'Job <i>dlc1</i> is Queuing', hintNow: true });
    assert.deepEqual([page.hint.hidden, page.hint.textContent], [false, 'Job <i>dlc1</i> is Queuing']);
  });

  it('takes no URL but its own, and nothing from the framed board', () => {
    const page = runPendingPage(boardHtml(base));
    page.post({ ...show, url: 'https://evil.example/' });
    page.post({ ...show, type: 'syncLag' });
    page.post(show, page.frame.contentWindow);
    assert.deepEqual([page.frame.src, page.frame.hidden, page.pendingShown()], ['', true, true]);
  });

  it('frames the board at once after the webview reloads, from the state it kept', () => {
    const first = runPendingPage(boardHtml(base));
    first.post(show);
    const reloaded = runPendingPage(boardHtml(base), first.states.at(-1));
    assert.deepEqual([reloaded.frame.src, reloaded.frame.hidden], [URL_, false]);
    // Another page (a newer link) does not take the old one's URL.
    const other = runPendingPage(
      boardHtml({ ...base, url: 'https://dlc.example/share/tb1/token/new/' }),
      first.states.at(-1),
    );
    assert.equal(other.frame.src, '');
  });
});
