/**
 * The TensorBoard panel's HTML: one frame of the board, a thin bar with "Open in Browser" (downloads and some
 * links do not work inside webviews, and a board whose proxy forbids framing shows blank), and nothing else.
 * Pure, so the CSP and escaping are unit-tested without VS Code.
 */
export interface BoardHtmlInput {
  readonly tensorboardId: string;
  readonly displayName: string;
  /** The URL to frame; already checked to be https, or http on loopback. */
  readonly url: string;
  readonly cspSource: string;
  readonly styleUri: string;
  readonly scriptUri: string;
  readonly nonce: string;
  readonly labels: { readonly openInBrowser: string; readonly reload: string; readonly blankHint: string };
  /** The display language of the labels (VS Code's `env.language`, e.g. `zh-cn`); `en` when absent. */
  readonly lang?: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export function boardHtml(input: BoardHtmlInput): string {
  const origin = new URL(input.url).origin;
  const csp = [
    "default-src 'none'",
    `frame-src ${origin}`,
    `style-src ${input.cspSource}`,
    `script-src 'nonce-${input.nonce}'`,
  ].join('; ');
  const e = escapeHtml;
  return `<!DOCTYPE html>
<html lang="${e(input.lang ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${e(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${e(input.styleUri)}">
<title>${e(input.displayName)}</title>
</head>
<body data-tensorboard-id="${e(input.tensorboardId)}">
<div class="bar">
<span class="name">${e(input.displayName)}</span>
<span class="hint">${e(input.labels.blankHint)}</span>
<button type="button" id="reload">${e(input.labels.reload)}</button>
<button type="button" id="open-in-browser">${e(input.labels.openInBrowser)}</button>
</div>
<iframe id="board" src="${e(input.url)}" title="${e(input.displayName)}" sandbox="allow-scripts allow-same-origin allow-forms allow-popups allow-downloads"></iframe>
<script nonce="${e(input.nonce)}" src="${e(input.scriptUri)}"></script>
</body>
</html>`;
}

/** A message page for a board that cannot be framed (not running, or a URL the extension will not frame). */
export function messageHtml(input: { tensorboardId: string; title: string; message: string; cspSource: string; styleUri: string; scriptUri: string; nonce: string; openInBrowser?: string; lang?: string }): string {
  const e = escapeHtml;
  const csp = `default-src 'none'; style-src ${input.cspSource}; script-src 'nonce-${input.nonce}'`;
  return `<!DOCTYPE html>
<html lang="${e(input.lang ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${e(csp)}">
<link rel="stylesheet" href="${e(input.styleUri)}">
<title>${e(input.title)}</title>
</head>
<body class="message" data-tensorboard-id="${e(input.tensorboardId)}">
<h2>${e(input.title)}</h2>
<p>${e(input.message)}</p>
${input.openInBrowser ? `<button type="button" id="open-in-browser">${e(input.openInBrowser)}</button>` : ''}
<script nonce="${e(input.nonce)}" src="${e(input.scriptUri)}"></script>
</body>
</html>`;
}
