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
})();
