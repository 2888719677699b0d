import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../api/errors';
import { showError, showInformation, showWarning } from '../base/notify';
import { safeHttpUrl } from '../net/safeUrl';
import { openExternally } from './browserUrl';
import { bridgeScript } from './bridgeInject';
import { boardView, downloadName, ownSearch, type BoardView, type BridgeMessage } from './bridgeMessages';

/** globalState: each board's last view, by its ID, the most recent last. */
const VIEWS_KEY = 'paiTensorboard.boardViews';
/** Views of this many boards are kept; older ones are forgotten. */
const MAX_VIEWS = 50;

let template: string | undefined;

/** What the bridge needs of its panel, read when a message arrives. */
export interface BridgeContext {
  readonly boardName: string;
  /** The frame's URL as the webview loads it (the proxy's, below its token); undefined when not framed. */
  readonly frameUrl: string | undefined;
  /** The board's own link (its shared link): where a link within the board is opened in a browser. */
  readonly boardLink: string | undefined;
}

/**
 * One panel's side of the bridge (media/bridge.js in the board's frame, relayed by media/board.js): its secret, the
 * script the proxy serves, and what the extension does for each checked message: opens links through the safe-URL
 * rule, saves downloads through VS Code's save dialog, remembers the view per board in globalState.
 */
export class BoardBridge {
  /** Only media/board.js of this panel and the script its proxy serves know it. */
  readonly secret = randomBytes(24).toString('base64url');

  constructor(
    private readonly tensorboardId: string,
    private readonly extensionUri: vscode.Uri,
    private readonly state: vscode.Memento | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** media/bridge.js with this panel's secret and the board's saved localStorage. */
  script(): string {
    template ??= readFileSync(path.join(this.extensionUri.fsPath, 'media', 'bridge.js'), 'utf8');
    return bridgeScript(template, { secret: this.secret, storage: this.savedView()?.storage ?? {} });
  }

  /** The view the user left this board in, if any. */
  savedView(): BoardView | undefined {
    const views = this.state?.get<Record<string, unknown>>(VIEWS_KEY);
    const saved = views && Object.hasOwn(views, this.tensorboardId) ? views[this.tensorboardId] : undefined;
    return boardView(saved);
  }

  async handle(message: BridgeMessage, context: BridgeContext): Promise<void> {
    switch (message.type) {
      case 'bridgeOpen':
        await this.open(message.url, context);
        return;
      case 'bridgeDownload':
        await this.save(message.name, message.data, message.source, context);
        return;
      case 'bridgeDownloadFailed':
        void showWarning(
          vscode.l10n.t(
            'TensorBoard "{0}" could not hand over the download "{1}". Try again, or open the board in the browser.',
            context.boardName,
            message.name,
          ),
        );
        return;
      case 'bridgeView':
        await this.remember(message.view, context);
        return;
    }
  }

  /**
   * A link that leaves the board, in the user's browser: the board's own address for a page of the board (never the
   * loopback proxy's), any other http(s) URL as it is.
   */
  private async open(url: string, context: BridgeContext): Promise<void> {
    const target = safeHttpUrl(boardAddress(url, context) ?? url);
    if (!target) return;
    this.log.info(`Opening a link from TensorBoard ${this.tensorboardId} in the browser: ${new URL(target).origin}`);
    await openExternally(target);
  }

  private async save(
    given: string,
    data: Uint8Array,
    source: string | undefined,
    context: BridgeContext,
  ): Promise<void> {
    const name = downloadName(context.boardName, given, source);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(tmpdir());
    const target = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Save the download from "{0}"', context.boardName),
      defaultUri: vscode.Uri.joinPath(folder, name),
      saveLabel: vscode.l10n.t('Save'),
    });
    if (!target) return;
    try {
      await vscode.workspace.fs.writeFile(target, data);
    } catch (error) {
      this.log.error(`Could not save a download of ${this.tensorboardId}: ${errorMessage(error)}`);
      void showError(
        vscode.l10n.t(
          'Could not save "{0}": {1}. Pick another folder and download it again.',
          name,
          errorMessage(error),
        ),
      );
      return;
    }
    this.log.info(`Saved a download of ${this.tensorboardId} (${data.length} bytes)`);
    const open = vscode.l10n.t('Open');
    const choice = await showInformation(
      vscode.l10n.t('Saved "{0}" from TensorBoard "{1}".', path.posix.basename(target.path), context.boardName),
      open,
    );
    if (choice === open) await vscode.commands.executeCommand('vscode.open', target);
  }

  private async remember(view: BoardView, context: BridgeContext): Promise<void> {
    if (!this.state) return;
    const kept: BoardView = { ...view, search: ownSearch(view.search, context.boardLink) };
    const views = { ...(this.state.get<Record<string, unknown>>(VIEWS_KEY) ?? {}) };
    delete views[this.tensorboardId];
    views[this.tensorboardId] = kept;
    const ids = Object.keys(views);
    for (const old of ids.slice(0, Math.max(0, ids.length - MAX_VIEWS))) delete views[old];
    await this.state.update(VIEWS_KEY, views);
  }
}

/** The board's own address for a URL of its proxied frame; undefined for a URL elsewhere. */
export function boardAddress(url: string, context: Pick<BridgeContext, 'frameUrl' | 'boardLink'>): string | undefined {
  if (!context.frameUrl || !context.boardLink) return undefined;
  try {
    const frame = new URL(context.frameUrl);
    const link = new URL(url);
    if (link.origin !== frame.origin) return undefined;
    // The proxy's token is the frame's first path segment; what follows is the board's own path.
    const token = frame.pathname.split('/')[1] ?? '';
    const prefix = `/${token}/`;
    const rest = link.pathname.startsWith(prefix) ? link.pathname.slice(prefix.length - 1) : undefined;
    return rest === undefined ? undefined : `${new URL(context.boardLink).origin}${rest}${link.search}${link.hash}`;
  } catch {
    return undefined;
  }
}

/** The board's view, for Copy URL: the saved query and hash on the board's own link. */
export function savedViewOf(state: vscode.Memento | undefined, tensorboardId: string): BoardView | undefined {
  const views = state?.get<Record<string, unknown>>(VIEWS_KEY);
  return boardView(views && Object.hasOwn(views, tensorboardId) ? views[tensorboardId] : undefined);
}
