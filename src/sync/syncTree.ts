import path from 'node:path';
import * as vscode from 'vscode';
import type { SyncManager, SyncView } from './syncManager';
import { sizeText } from './sizeText';
import { detailOf, filesText, nextStepText, stateOf, summaryOf } from './syncText';
import { ossUriOf } from './syncTarget';

/**
 * The sidebar's "Log Folder Syncs" view: one row per sync (state in its icon, description and `contextValue`, so the
 * inline pause, resume and stop appear only where they apply), its figures as child rows. Registered by the face in
 * dist/sync.js: the view is contributed with `when: paiTensorboard.hasSyncs`, so it shows once a sync exists and the
 * activation bundle carries none of this.
 */

/** The view's id in package.json. */
export const SYNCS_VIEW_ID = 'paiTensorboard.syncs';

export class SyncNode extends vscode.TreeItem {
  constructor(
    /** The sync the row is about: the pause, resume, stop and remove commands read it. */
    readonly syncId: string,
    label: string,
    readonly children: readonly SyncNode[] = [],
  ) {
    super(label, children.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  }
}

function iconOf(view: SyncView): vscode.ThemeIcon {
  if (view.state === 'stopped')
    return new vscode.ThemeIcon(
      'circle-slash',
      view.stoppedBecause ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined,
    );
  if (view.state === 'paused') return new vscode.ThemeIcon('debug-pause');
  if (view.lastError) return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  return new vscode.ThemeIcon(view.caughtUp ? 'cloud' : 'cloud-upload');
}

function row(view: SyncView, key: string, label: string, description: string, icon: string): SyncNode {
  const node = new SyncNode(view.spec.id, label);
  node.id = `${view.spec.id}/${key}`;
  node.description = description;
  node.tooltip = `${label}: ${description}`;
  node.iconPath = new vscode.ThemeIcon(icon);
  node.contextValue = `sync.${key}`;
  return node;
}

/** The rows of one sync, its figures as children. Exported for the integration test's reading of the view. */
export function syncNodeOf(view: SyncView): SyncNode {
  const { spec } = view;
  const children = [
    row(view, 'target', vscode.l10n.t('To'), ossUriOf(spec), 'cloud'),
    row(
      view,
      'uploaded',
      vscode.l10n.t('Uploaded'),
      vscode.l10n.t('{0}, {1}', filesText(view.filesUploaded), sizeText(view.bytesUploaded)),
      'arrow-up',
    ),
    row(
      view,
      'queued',
      vscode.l10n.t('Queued'),
      vscode.l10n.t('{0} of {1}, {2}', view.queued, filesText(view.files), sizeText(view.queuedBytes)),
      'list-ordered',
    ),
    row(
      view,
      'lag',
      vscode.l10n.t('Lag'),
      view.lagMs === undefined
        ? vscode.l10n.t('none: OSS holds every write seen')
        : vscode.l10n.t('{0} s since the oldest write not in OSS', Math.round(view.lagMs / 1000)),
      'watch',
    ),
    row(
      view,
      'lastUpload',
      vscode.l10n.t('Last upload'),
      view.lastUploadAt === undefined ? vscode.l10n.t('not yet') : new Date(view.lastUploadAt).toLocaleTimeString(),
      'history',
    ),
  ];
  if (view.lastError) {
    const error = row(
      view,
      'error',
      vscode.l10n.t('Last error'),
      `${view.lastError.path ? `${view.lastError.path}: ` : ''}${view.lastError.reason}`,
      'error',
    );
    const next = nextStepText(view.lastError.next, view.lastError.ramAction);
    error.tooltip = `${view.lastError.reason}\n${next}`;
    children.push(error, row(view, 'nextStep', vscode.l10n.t('Next step'), next, 'lightbulb'));
  }
  const node = new SyncNode(spec.id, path.basename(spec.folder) || spec.folder, children);
  node.id = spec.id;
  node.description = stateOf(view);
  node.tooltip = `${summaryOf(view)}\n${detailOf(view)}`;
  node.iconPath = iconOf(view);
  node.contextValue = `sync.${view.state}`;
  return node;
}

export class SyncTreeProvider implements vscode.TreeDataProvider<SyncNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly manager: SyncManager) {
    this.subscription = manager.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(node: SyncNode): SyncNode {
    return node;
  }

  getChildren(node?: SyncNode): SyncNode[] {
    return node ? [...node.children] : this.manager.list().map(syncNodeOf);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** The sync a command from the view was run on; undefined from the palette or a keybinding. */
export function syncIdOf(arg: unknown): string | undefined {
  return arg instanceof SyncNode ? arg.syncId : undefined;
}
