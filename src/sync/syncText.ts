import * as vscode from 'vscode';
import type { NextStep, SyncView } from './syncManager';
import { ossUriOf } from './syncTarget';

/** How a sync is worded wherever it shows: the status bar, the quick pick, the sidebar, the first upload's progress. */

export function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

export function progressOf(view: SyncView): string {
  return vscode.l10n.t(
    '{0} of {1} files, {2} MB sent, {3} MB queued',
    view.files - view.queued,
    view.files,
    megabytes(view.bytesUploaded),
    megabytes(view.queuedBytes),
  );
}

export function stateOf(view: SyncView): string {
  if (view.stoppedBecause === 'folderGone') return vscode.l10n.t('stopped: the folder is gone');
  return { running: vscode.l10n.t('syncing'), paused: vscode.l10n.t('paused'), stopped: vscode.l10n.t('stopped') }[
    view.state
  ];
}

export function summaryOf(view: SyncView): string {
  return `${view.spec.folder} → ${ossUriOf(view.spec)} (${stateOf(view)})`;
}

export function nextStepText(next: NextStep, ramAction = 'oss:PutObject'): string {
  switch (next) {
    case 'permission':
      return vscode.l10n.t('Ask for the RAM permission {0} on the bucket and its prefix.', ramAction);
    case 'bucket':
      return vscode.l10n.t('The bucket does not exist: stop this sync and start one to an existing bucket.');
    case 'region':
      return vscode.l10n.t("The bucket is in another region: stop this sync and pick a bucket in the board's region.");
    case 'signIn':
      return vscode.l10n.t('Sign in again: the credentials were refused.');
    case 'retrying':
      return vscode.l10n.t('The sync tries again by itself.');
  }
}

export function detailOf(view: SyncView): string {
  const parts = [
    vscode.l10n.t('{0} files and {1} MB uploaded', view.filesUploaded, megabytes(view.bytesUploaded)),
    vscode.l10n.t('{0} queued', view.queued),
    ...(view.lagMs === undefined ? [] : [vscode.l10n.t('lag {0} s', Math.round(view.lagMs / 1000))]),
    ...(view.lastUploadAt === undefined
      ? []
      : [vscode.l10n.t('last upload {0}', new Date(view.lastUploadAt).toLocaleTimeString())]),
  ];
  const error = view.lastError
    ? `\n${vscode.l10n.t('Last error: {0}', `${view.lastError.path} ${view.lastError.reason}`)} ${nextStepText(view.lastError.next, view.lastError.ramAction)}`
    : '';
  return `${parts.join(' · ')}${error}`;
}
