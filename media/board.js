// @ts-check
// The panel's own script: remembers which board it shows (for restoring after a reload) and forwards button clicks.
// Its buttons and messages are those of src/panel/messages.ts; test/unit/panel/messages.test.ts runs this script to
// check that they agree.
(function () {
  const vscode = acquireVsCodeApi();
  const id = document.body.dataset.tensorboardId;
  if (id) vscode.setState({ tensorboardId: id });
  /** @type {Record<string, import('../src/panel/messages').PanelMessageType>} */
  const messages = {
    'open-in-browser': 'openInBrowser',
    reload: 'reload',
    start: 'start',
    'sign-in': 'signIn',
    'create-again': 'createAgain',
    'restart-board': 'restart',
  };
  for (const [elementId, type] of Object.entries(messages)) {
    document.getElementById(elementId)?.addEventListener('click', () => vscode.postMessage({ type }));
  }
  // The "Blank?" hint, only when the board's frame has not loaded in time (a refused frame never shows the board).
  const hint = document.getElementById('blank-hint');
  const frame = document.getElementById('board');
  // A frame that loaded before this script ran has its entry already.
  const loaded = () => performance.getEntriesByType('resource').some((entry) => entry.initiatorType === 'iframe');
  if (hint && frame && hint.hidden && !loaded()) {
    const late = setTimeout(() => (hint.hidden = false), Number(hint.dataset.afterMs));
    frame.addEventListener('load', () => clearTimeout(late));
  }
  // A board over a synced folder: the extension posts how far it is behind, and whether to offer a restart. Only the
  // extension's messages count, never the framed board's; the line is text, never markup.
  const lag = document.getElementById('sync-lag');
  const restart = document.getElementById('sync-restart');
  if (lag && restart && typeof addEventListener === 'function') {
    addEventListener('message', (event) => {
      const framed = frame instanceof HTMLIFrameElement ? frame.contentWindow : null;
      if (event.source === framed || event.data?.type !== 'syncLag' || typeof event.data.line !== 'string') return;
      lag.textContent = event.data.line;
      restart.hidden = event.data.offerRestart !== true;
    });
  }
})();
