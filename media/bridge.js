// @ts-check
// The bridge: served by the extension's loopback proxy from the board's own origin and added as the first script of
// TensorBoard's page (src/panel/bridgeInject.ts). It runs in the board's frame, never in the panel, and talks to the
// panel's page (media/board.js) by postMessage only, with the panel's secret; the extension checks every message
// again (src/panel/bridgeMessages.ts). What it does:
// - links leaving the board (another origin, a target other than the frame, window.open) go to VS Code, which opens
//   http(s) ones in the user's browser;
// - downloads (a[download] clicks, also programmatic clicks on detached anchors; blob:, data: and same-origin URLs)
//   go to VS Code's save dialog;
// - keys with a modifier, and function keys, reach VS Code (F1, Ctrl+Shift+P, Ctrl+P, Ctrl+Tab…);
// - TensorBoard's view (query, hash, localStorage) is reported as it changes, and the saved localStorage is put back
//   before TensorBoard starts, in a new origin (a new proxy port) where it is empty.
(function (config) {
  if (!config || window.parent === window) return;
  const secret = String(config.secret);
  /** The panel's page: the only window the bridge writes to. */
  const panelOrigin = (location.ancestorOrigins && location.ancestorOrigins[0]) || '*';
  /** @param {Record<string, unknown>} message */
  function post(message) {
    window.parent.postMessage({ ...message, pai: 'bridge', secret }, panelOrigin);
  }

  // The saved localStorage, where this origin has none; TensorBoard's settings pane closed unless the user opened it.
  try {
    const saved = config.storage || {};
    for (const key of Object.keys(saved)) {
      if (localStorage.getItem(key) === null && typeof saved[key] === 'string') localStorage.setItem(key, saved[key]);
    }
    const settingsKey = '_tb_global_settings';
    let settings = {};
    try {
      settings = JSON.parse(localStorage.getItem(settingsKey) || '{}') || {};
    } catch {
      settings = {};
    }
    if (typeof settings === 'object' && !('timeSeriesSettingsPaneOpened' in settings)) {
      localStorage.setItem(settingsKey, JSON.stringify({ ...settings, timeSeriesSettingsPaneOpened: false }));
    }
  } catch {
    // No localStorage in this frame: TensorBoard starts with its defaults.
  }

  // ---- Downloads ----
  /** @type {Map<string, Blob>} */
  const blobs = new Map();
  const createObjectURL = URL.createObjectURL.bind(URL);
  URL.createObjectURL = function (object) {
    const url = createObjectURL(object);
    if (object instanceof Blob) blobs.set(url, object);
    return url;
  };
  const revokeObjectURL = URL.revokeObjectURL.bind(URL);
  URL.revokeObjectURL = function (url) {
    // Kept a moment: a page often revokes right after click(), before the bridge has read it.
    setTimeout(() => blobs.delete(url), 60_000);
    revokeObjectURL(url);
  };

  /** @param {ArrayBuffer} buffer */
  function base64(buffer) {
    const bytes = new Uint8Array(buffer);
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + 0x8000)));
    }
    return btoa(text);
  }

  /** @param {string} url */
  async function read(url) {
    if (url.startsWith('blob:')) {
      const blob = blobs.get(url);
      if (blob) return blob.arrayBuffer();
    }
    if (url.startsWith('data:')) {
      const comma = url.indexOf(',');
      const meta = url.slice(5, comma);
      const body = url.slice(comma + 1);
      if (/;base64$/i.test(meta)) {
        const binary = atob(decodeURIComponent(body));
        const bytes = new Uint8Array(binary.length);
        for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
        return bytes.buffer;
      }
      return new TextEncoder().encode(decodeURIComponent(body)).buffer;
    }
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`${response.status}`);
    return response.arrayBuffer();
  }

  /** The proxy's token, the first segment of the page's path: every URL of the board is below it. */
  const tokenPrefix = `/${location.pathname.split('/')[1] || ''}/`;
  /** Where TensorBoard's page is (the board's root, below the token), as it loaded. */
  const boardRoot = location.pathname.replace(/[^/]*$/, '');
  /**
   * A URL of this origin that would leave the proxy's token (TensorBoard's Time Series "Download data" link is an
   * absolute `/experiment/…` path, which behind a path prefix misses the board), under the board's root instead, as
   * TensorBoard's own requests are; any other URL as it is. It stays in this origin, below the token.
   * @param {string} url
   */
  function underBoard(url) {
    try {
      const target = new URL(url, location.href);
      if (!/^https?:$/.test(target.protocol) || target.origin !== location.origin) return url;
      if (target.pathname.startsWith(tokenPrefix)) return url;
      return `${location.origin}${boardRoot}${target.pathname.slice(1)}${target.search}${target.hash}`;
    } catch {
      return url;
    }
  }

  /** @param {HTMLAnchorElement} anchor */
  function download(anchor) {
    const url = underBoard(anchor.href);
    const name = anchor.getAttribute('download') || '';
    read(url).then(
      (buffer) => {
        const source = /^https?:/.test(url) ? url : undefined;
        post({ type: 'download', name, data: base64(buffer), ...(source ? { source } : {}) });
      },
      () => post({ type: 'download', name, data: '', failed: true }),
    );
  }

  /** @param {string} url */
  function leavesBoard(url) {
    try {
      return new URL(url, location.href).origin !== location.origin;
    } catch {
      return false;
    }
  }

  /** @param {HTMLAnchorElement} anchor */
  function handled(anchor) {
    if (!anchor.href) return false;
    const sameOrigin = !leavesBoard(anchor.href);
    const isData = /^(blob|data):/i.test(anchor.href);
    if (anchor.hasAttribute('download') && (sameOrigin || isData)) {
      download(anchor);
      return true;
    }
    const target = (anchor.getAttribute('target') || '').toLowerCase();
    if ((target && target !== '_self') || (!sameOrigin && !isData)) {
      post({ type: 'open', url: underBoard(anchor.href) });
      return true;
    }
    const within = underBoard(anchor.href);
    if (within !== anchor.href) {
      location.assign(within);
      return true;
    }
    return false;
  }

  document.addEventListener(
    'click',
    (event) => {
      if (event.defaultPrevented || event.button !== 0) return;
      const path = event.composedPath();
      const anchor = path.find((node) => node instanceof HTMLAnchorElement || node instanceof SVGAElement);
      if (!(anchor instanceof HTMLAnchorElement)) return;
      if (handled(anchor)) event.preventDefault();
    },
    true,
  );
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () {
    // A detached anchor's click never reaches the document's listener.
    if (!this.isConnected && handled(this)) return;
    click.call(this);
  };
  window.open = function (url) {
    if (url !== undefined && url !== null && String(url) !== '')
      post({ type: 'open', url: new URL(String(url), location.href).href });
    return null;
  };

  // ---- Keys ----
  const editing = /^(a|c|v|x|z|y)$/i;
  window.addEventListener(
    'keydown',
    (event) => {
      const fn = /^F([1-9]|1[0-9]|2[0-4])$/.test(event.key);
      const modified = event.ctrlKey || event.metaKey || event.altKey;
      if (!fn && !modified) return;
      if (modified && !event.altKey && editing.test(event.key)) return;
      if (['Control', 'Shift', 'Alt', 'Meta'].includes(event.key)) return;
      post({
        type: 'key',
        key: event.key,
        code: event.code,
        keyCode: event.keyCode,
        ctrlKey: event.ctrlKey,
        shiftKey: event.shiftKey,
        altKey: event.altKey,
        metaKey: event.metaKey,
        repeat: event.repeat,
      });
      // The browser's own Ctrl+P (print) and Ctrl+S (save page) would cover the editor's.
      if ((event.ctrlKey || event.metaKey) && /^(p|s)$/i.test(event.key)) event.preventDefault();
    },
    true,
  );

  // ---- The view ----
  let last = '';
  function report() {
    /** @type {Record<string, string>} */
    const storage = {};
    try {
      for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i);
        if (key !== null) storage[key] = localStorage.getItem(key) || '';
      }
    } catch {
      // No localStorage: the URL only.
    }
    const view = { search: location.search, hash: location.hash, storage };
    const text = JSON.stringify(view);
    if (text === last) return;
    last = text;
    post({ type: 'view', ...view });
  }
  window.addEventListener('hashchange', report);
  window.addEventListener('popstate', report);
  window.addEventListener('pagehide', report);
  for (const method of /** @type {const} */ (['pushState', 'replaceState'])) {
    const original = history[method];
    history[method] = function (...args) {
      const result = original.apply(this, /** @type {any} */ (args));
      setTimeout(report, 0);
      return result;
    };
  }
  // localStorage has no event in the window that writes it: looked at now and then.
  setInterval(report, 2000);
  window.addEventListener('load', report);
})(/*PAI_BRIDGE_CONFIG*/ null);
