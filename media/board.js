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
    extend: 'extend',
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
  // Extend, offered by the extension near the board's max running time: its text is set as text, never markup, and a
  // message from the board's frame (a neighbour in this webview) is not the extension's.
  const offer = document.getElementById('extend-offer');
  const offerText = document.getElementById('extend-text');
  if (offer && offerText && typeof window !== 'undefined') {
    window.addEventListener('message', (event) => {
      if (frame && 'contentWindow' in frame && event.source === frame.contentWindow) return;
      const data = event.data;
      if (typeof data !== 'object' || data === null || data.type !== 'extendOffer') return;
      const text = typeof data.text === 'string' ? data.text : '';
      offerText.textContent = text;
      offer.hidden = !text;
    });
  }
})();
