/**
 * The TensorBoard panel's HTML: one frame of the board, a thin bar with "Open in Browser" (downloads and some
 * links do not work inside webviews, and a board whose proxy forbids framing shows blank), and nothing else.
 * Pure, so the CSP and escaping are unit-tested without VS Code.
 */
import { messageButtons, type PanelMessageType } from './messages';

/** How far a board over a synced folder is behind it, as the panel's bar says it, and whether to offer a restart. */
export interface SyncLagLine {
  readonly line: string;
  readonly offerRestart: boolean;
}

export interface BoardHtmlInput extends PageAssets {
  readonly displayName: string;
  /** The URL to frame; already checked to be https, or http on loopback. */
  readonly url: string;
  readonly labels: {
    readonly openInBrowser: string;
    readonly reload: string;
    readonly blankHint: string;
    /** For a board over a synced folder: the restart offered when it does not catch up (media/board.js shows it). */
    readonly restart?: string;
    readonly extend?: string;
  };
  /** For a board over a synced folder: how far it is behind the synced files (media/board.js updates it). */
  readonly syncLag?: SyncLagLine;
  /** Why Extend is offered ("stops in 5 min"); the offer is hidden without it, and media/board.js shows it later. */
  readonly extendOffer?: string;
  /** Where its summaries come from (job IDs, data URIs), beside its name: a webview panel's tab has no tooltip. */
  readonly source?: string;
  /**
   * The hint shows at once (the probe saw framing limits on a board framed as it is), else only when the frame has
   * not loaded `blankAfterMs` after the page (media/board.js).
   */
  readonly frameFailed?: boolean;
  /**
   * The board's bridge (through the proxy): the frame's origin and the panel's secret, which media/board.js checks
   * on every message from the frame. Absent when the board is framed as it is.
   */
  readonly bridge?: { readonly secret: string; readonly frameOrigin: string };
  /** Framed as it is, without the bridge: a line that says what does not work here (links, downloads, the view). */
  readonly noBridgeNote?: string;
  /**
   * The board's app is still starting: the page says so in place of the frame, which gets `url` only when the
   * extension posts `showFrame` (media/board.js), with no reload of the page (#23).
   */
  readonly pending?: PendingNote;
}

/** What a page waiting for its board's app says in place of the frame. */
export interface PendingNote {
  readonly title: string;
  readonly message: string;
}

/** What the extension posts to a page made with `pending`, once the board's app answers. */
export interface ShowFrameMessage {
  readonly type: 'showFrame';
  /** The page's own frame URL: any other is ignored. */
  readonly url: string;
  /** The hint beside the board's name, and whether it shows at once (else after BLANK_AFTER_MS without a load). */
  readonly hint: string;
  readonly hintNow: boolean;
}

/** How long the board's frame may take to load before the panel says it may have been refused. */
export const BLANK_AFTER_MS = 15_000;

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

export interface PageAssets {
  readonly tensorboardId: string;
  readonly cspSource: string;
  readonly styleUri: string;
  readonly scriptUri: string;
  readonly nonce: string;
  /** The display language of the labels (VS Code's `env.language`, e.g. `zh-cn`); `en` when absent. */
  readonly lang?: string;
}

/**
 * The page both kinds share: nothing allowed by default, the panel's own stylesheet and nonce script, and the
 * board's ID on the body for the script to keep (the serializer restores the panel from it).
 */
function page(
  assets: PageAssets,
  extra: { frameOrigin?: string; title: string; bodyClass?: string; body: string; data?: Record<string, string> },
): string {
  const e = escapeHtml;
  const csp = [
    "default-src 'none'",
    ...(extra.frameOrigin ? [`frame-src ${extra.frameOrigin}`] : []),
    `style-src ${assets.cspSource}`,
    `script-src 'nonce-${assets.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${e(assets.lang ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${e(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${e(assets.styleUri)}">
<title>${e(extra.title)}</title>
</head>
<body${extra.bodyClass ? ` class="${extra.bodyClass}"` : ''} data-tensorboard-id="${e(assets.tensorboardId)}"${Object.entries(
    extra.data ?? {},
  )
    .map(([name, value]) => ` data-${name}="${e(value)}"`)
    .join('')}>
${extra.body}
<script nonce="${e(assets.nonce)}" src="${e(assets.scriptUri)}"></script>
</body>
</html>`;
}

/** A button that posts `type` (media/board.js finds it by its ID). */
function button(type: PanelMessageType, label: string | undefined): string {
  return label ? `<button type="button" id="${messageButtons[type]}">${escapeHtml(label)}</button>` : '';
}

export function boardHtml(input: BoardHtmlInput): string {
  const e = escapeHtml;
  return page(input, {
    frameOrigin: new URL(input.url).origin,
    title: input.displayName,
    data: {
      ...(input.bridge ? { 'bridge-secret': input.bridge.secret, 'frame-origin': input.bridge.frameOrigin } : {}),
      ...(input.pending ? { 'frame-url': input.url } : {}),
    },
    body: `<div class="bar">
<span class="name">${e(input.displayName)}</span>
${input.source ? `<span class="source" title="${e(input.source)}">${e(input.source)}</span>` : ''}
<span class="hint"${input.labels.blankHint ? ` id="blank-hint" data-after-ms="${BLANK_AFTER_MS}"` : ''}${input.frameFailed ? '' : ' hidden'}>${e(input.labels.blankHint)}</span>
${input.noBridgeNote ? `<span class="note" id="no-bridge">${e(input.noBridgeNote)}</span>` : ''}
${input.syncLag ? `<span class="sync-lag" id="sync-lag">${e(input.syncLag.line)}</span>\n<span id="sync-restart"${input.syncLag.offerRestart ? '' : ' hidden'}>${button('restart', input.labels.restart)}</span>` : ''}
${input.labels.extend ? `<span id="extend-offer"${input.extendOffer ? '' : ' hidden'}><span class="hint" id="extend-text">${e(input.extendOffer ?? '')}</span>${button('extend', input.labels.extend)}</span>` : ''}
${button('reload', input.labels.reload)}
${button('openInBrowser', input.labels.openInBrowser)}
</div>
${input.pending ? `<div class="message" id="pending"><h2>${e(input.pending.title)}</h2>\n<p>${e(input.pending.message)}</p></div>\n` : ''}<iframe id="board"${input.pending ? ' hidden' : ` src="${e(input.url)}"`} title="${e(input.displayName)}" sandbox="allow-scripts allow-same-origin allow-forms allow-popups allow-downloads"></iframe>`,
  });
}

/**
 * A message page for a board that is not shown (not running, deleted, or a URL the extension will not frame), with
 * its actions: a button for each message given a label.
 */
export function messageHtml(
  input: PageAssets & { title: string; message: string; actions?: { readonly [T in PanelMessageType]?: string } },
): string {
  const e = escapeHtml;
  const actions = input.actions ?? {};
  return page(input, {
    title: input.title,
    bodyClass: 'message',
    body: `<h2>${e(input.title)}</h2>
<p>${e(input.message)}</p>
${button('signIn', actions.signIn)}${button('start', actions.start)}${button('createAgain', actions.createAgain)}${button('reload', actions.reload)}${button('openInBrowser', actions.openInBrowser)}${button('restart', actions.restart)}`,
  });
}
