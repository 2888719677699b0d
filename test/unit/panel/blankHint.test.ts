import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { BLANK_AFTER_MS, boardHtml } from '../../../src/panel/boardHtml';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const base = {
  tensorboardId: 'tb1',
  displayName: 'resnet',
  url: 'https://dlc.example/share/tb1/token/abc/',
  cspSource: 'c',
  styleUri: 's',
  scriptUri: 'j',
  nonce: 'n',
  labels: { openInBrowser: 'Open in Browser', reload: 'Reload', blankHint: 'Blank? Open it in the browser.' },
};
const HINT =
  /<span class="hint" id="blank-hint" data-after-ms="(\d+)"( hidden)?>Blank\? Open it in the browser\.<\/span>/;

/** media/board.js run over a board page whose hint and frame are as `html` has them; the page's clock is the test's. */
function runPage(html: string, frameLoadedAlready = false) {
  const [, afterMs, hidden] = HINT.exec(html) ?? [];
  const hint = afterMs ? { hidden: hidden !== undefined, dataset: { afterMs } } : undefined;
  const loadListeners: (() => void)[] = [];
  const timers = new Map<number, { ms: number; callback: () => void }>();
  let next = 0;
  const elements: Record<string, unknown> = {
    'blank-hint': hint,
    board: {
      addEventListener: (event: string, listener: () => void) => event === 'load' && loadListeners.push(listener),
    },
  };
  runInNewContext(readFileSync(path.join(root, 'media', 'board.js'), 'utf8'), {
    acquireVsCodeApi: () => ({ postMessage: () => undefined, setState: () => undefined, getState: () => undefined }),
    document: { body: { dataset: { tensorboardId: 'tb1' } }, getElementById: (id: string) => elements[id] },
    performance: { getEntriesByType: () => (frameLoadedAlready ? [{ initiatorType: 'iframe' }] : []) },
    setTimeout: (callback: () => void, ms: number) => (timers.set(++next, { ms, callback }), next),
    clearTimeout: (handle: number) => timers.delete(handle),
  });
  return {
    hint,
    delays: () => [...timers.values()].map((t) => t.ms),
    load: () => loadListeners.forEach((listener) => listener()),
    timePasses: () => [...timers.values()].forEach((t) => t.callback()),
  };
}

describe('the "Blank?" hint of a board panel', () => {
  it('is hidden while the board is shown: the frame loaded before its deadline', () => {
    const html = boardHtml(base);
    assert.match(html, HINT);
    const page = runPage(html);
    assert.deepEqual(page.delays(), [BLANK_AFTER_MS]);
    page.load();
    page.timePasses();
    assert.equal(page.hint?.hidden, true);
  });

  it('shows when the frame has not loaded by its deadline', () => {
    const page = runPage(boardHtml(base));
    assert.equal(page.hint?.hidden, true);
    page.timePasses();
    assert.equal(page.hint?.hidden, false);
  });

  it('stays hidden when the frame loaded before the page script ran', () => {
    const page = runPage(boardHtml(base), true);
    assert.deepEqual(page.delays(), []);
    assert.equal(page.hint?.hidden, true);
  });

  it('shows at once when the probe saw framing limits on a board framed as it is', () => {
    const html = boardHtml({ ...base, frameFailed: true });
    assert.equal(HINT.exec(html)?.[2], undefined, 'the hint is hidden');
    assert.equal(runPage(html).hint?.hidden, false);
  });

  it("names the board's source beside its name, as text", () => {
    const html = boardHtml({ ...base, source: 'oss://b/<x>"/' });
    assert.match(
      html,
      /<span class="name">resnet<\/span>\n<span class="source" title="oss:\/\/b\/&lt;x&gt;&quot;\/">oss:\/\/b\/&lt;x&gt;&quot;\/<\/span>/,
    );
    assert.doesNotMatch(boardHtml(base), /class="source"/);
  });
});
