import * as vscode from 'vscode';
import type { NextStep, SyncView } from './syncManager';
import { sizeText } from './sizeText';
import { ossUriOf } from './syncTarget';

/** How a sync is worded wherever it shows: the status bar, the quick pick, the sidebar, the first upload's progress. */

/** "1 file", "3 files": each count's own sentence, as vscode.l10n has no plural rules (zh-cn needs none). */
export function filesText(count: number): string {
  return count === 1 ? vscode.l10n.t('1 file') : vscode.l10n.t('{0} files', count);
}

export function syncsText(count: number): string {
  return count === 1 ? vscode.l10n.t('1 sync') : vscode.l10n.t('{0} syncs', count);
}

export function progressOf(view: SyncView): string {
  return vscode.l10n.t(
    'in OSS: {0} of {1}; sent {2}, queued {3}',
    view.files - view.queued,
    filesText(view.files),
    sizeText(view.bytesUploaded),
    sizeText(view.queuedBytes),
  );
}

export function stateOf(view: SyncView): string {
  if (view.stoppedBecause === 'folderGone') return vscode.l10n.t('stopped: the folder is gone');
  if (view.state === 'running' && view.lastError?.next === 'backingOff')
    return vscode.l10n.t('syncing, backing off: OSS throttles');
  if (view.state === 'running' && view.lastError?.next === 'retrying')
    return vscode.l10n.t('syncing, retrying: OSS or the network failed');
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
      return vscode.l10n.t('The sync backs off, keeps its queue and tries again by itself; nothing is lost.');
    case 'backingOff':
      return vscode.l10n.t(
        'OSS asks to slow down: the sync waits, longer each time, and keeps its queue. If it lasts, raise the sync interval setting.',
      );
  }
}

/** The status bar's text for one running sync: its trouble first, when it has one. */
export function statusTextOf(view: SyncView): string {
  if (view.lastError?.next === 'backingOff')
    return vscode.l10n.t('OSS throttles the sync: backing off, queued: {0}', filesText(view.queued));
  if (view.lastError?.next === 'retrying')
    return vscode.l10n.t('Sync retrying after an OSS or network failure, queued: {0}', filesText(view.queued));
  return progressOf(view);
}

export function detailOf(view: SyncView): string {
  const parts = [
    vscode.l10n.t('uploaded: {0}, {1}', filesText(view.filesUploaded), sizeText(view.bytesUploaded)),
    vscode.l10n.t('queued: {0}', filesText(view.queued)),
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
