// @ts-check
// The panel's own script: remembers which board it shows (for restoring after a reload) and forwards button clicks.
// Its buttons and messages are those of src/panel/messages.ts; test/unit/panel/messages.test.ts runs this script to
// check that they agree.
(function () {
  const vscode = acquireVsCodeApi();
  const id = document.body.dataset.tensorboardId;
  /** What the page kept before a reload of the webview: its board, and the frame URL it was told to show. */
  const saved = vscode.getState();
  if (id) vscode.setState({ tensorboardId: id });
  /** @type {Record<string, import('../src/panel/messages').PanelMessageType>} */
  const messages = {
    'open-in-browser': 'openInBrowser',
    reload: 'reload',
    start: 'start',
    'sign-in': 'signIn',
    'create-again': 'createAgain',
    'restart-board': 'restart',
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
  relayBridge(vscode, frame);
  /** The "Blank?" hint shows when the frame has not loaded in time. */
  const watchBlank = () => {
    if (!hint || !frame || !hint.hidden || loaded()) return;
    const late = setTimeout(() => (hint.hidden = false), Number(hint.dataset.afterMs));
    frame.addEventListener('load', () => clearTimeout(late));
  };
  const frameUrl = document.body.dataset.frameUrl;
  if (frameUrl && frame instanceof HTMLIFrameElement) {
    // The board's app was still starting: the extension posts `showFrame` once it answers, and the page frames it
    // without reloading (#23). Only this page's own URL, from the extension (never from the frame), is taken; the
    // webview's state keeps it, so a reloaded webview frames it at once.
    /** @param {unknown} data */
    const show = (data) => {
      if (typeof data !== 'object' || data === null) return;
      const message = /** @type {Record<string, unknown>} */ (data);
      if (message.type !== 'showFrame' || message.url !== frameUrl || frame.src) return;
      if (hint) {
        hint.textContent = typeof message.hint === 'string' ? message.hint : '';
        hint.hidden = message.hintNow !== true;
      }
      document.getElementById('pending')?.remove();
      frame.hidden = false;
      frame.src = frameUrl;
      vscode.setState({ tensorboardId: id, frameUrl, hint: message.hint, hintNow: message.hintNow });
      watchBlank();
    };
    addEventListener('message', (event) => {
      if (event.source !== frame.contentWindow) show(event.data);
    });
    if (saved && saved.frameUrl === frameUrl) show({ ...saved, type: 'showFrame', url: frameUrl });
  } else watchBlank();
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

/**
 * The board's bridge (media/bridge.js in its frame) posts here. Taken only from that frame's window, from its
 * origin and with this panel's secret, and passed on field by field: the extension checks each again
 * (src/panel/bridgeMessages.ts). Keys are dispatched on this document, where VS Code's webview host forwards them.
 * @param {{ postMessage(message: unknown): void }} vscode
 * @param {HTMLElement | null} frame
 */
function relayBridge(vscode, frame) {
  const secret = document.body.dataset.bridgeSecret;
  const origin = document.body.dataset.frameOrigin;
  if (!secret || !origin || !(frame instanceof HTMLIFrameElement)) return;
  /** @param {unknown} value */
  const text = (value) => (typeof value === 'string' ? value : '');
  window.addEventListener('message', (event) => {
    if (event.source !== frame.contentWindow || event.origin !== origin) return;
    const data = event.data;
    if (typeof data !== 'object' || data === null || data.pai !== 'bridge' || data.secret !== secret) return;
    switch (data.type) {
      case 'open':
        vscode.postMessage({ type: 'bridgeOpen', url: text(data.url) });
        return;
      case 'download':
        if (data.failed === true) vscode.postMessage({ type: 'bridgeDownloadFailed', name: text(data.name) });
        else
          vscode.postMessage({
            type: 'bridgeDownload',
            name: text(data.name),
            data: text(data.data),
            ...(typeof data.source === 'string' ? { source: data.source } : {}),
          });
        return;
      case 'view':
        vscode.postMessage({
          type: 'bridgeView',
          search: text(data.search),
          hash: text(data.hash),
          storage: typeof data.storage === 'object' && data.storage !== null ? data.storage : {},
        });
        return;
      case 'key': {
        const init = {
          key: text(data.key),
          code: text(data.code),
          keyCode: Number(data.keyCode) || 0,
          ctrlKey: data.ctrlKey === true,
          shiftKey: data.shiftKey === true,
          altKey: data.altKey === true,
          metaKey: data.metaKey === true,
          repeat: data.repeat === true,
          bubbles: true,
          cancelable: true,
        };
        // keyCode is not in KeyboardEventInit, but VS Code reads it: it is set on the event itself.
        const key = new KeyboardEvent('keydown', init);
        Object.defineProperty(key, 'keyCode', { value: init.keyCode });
        Object.defineProperty(key, 'which', { value: init.keyCode });
        document.dispatchEvent(key);
        return;
      }
    }
  });
}
