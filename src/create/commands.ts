import * as vscode from 'vscode';
import { showInformation, showWarning } from '../base/notify';
import { createBoard, readyToCreate } from './createFlow';
import { summaryUriForFolder } from './folderSource';
import { askJobId, pickSource } from './pickSource';
import { isJobId } from './jobIds';
import { jobIdInEditor } from './jobContext';
import { boardPhase } from '../boards/status';
import type { PanelServices } from '../panel/boardPanels';
import { ActionFailed } from '../base/reportError';
import { followUp } from '../boards/followUp';
import { boardName } from '../boards/status';
import { sourceOfBoard } from './duplicates';
import type { Tensorboard } from '../api';
import type { SyncServices } from '../sync/syncServices';

/**
 * "PAI: Create TensorBoard…": pick a source, then the common flow. Given a board (a deleted board's panel, Create
 * Again), the board's own source instead of the pick.
 */
export async function createBoardCommand(services: PanelServices, again?: unknown): Promise<void> {
  const previous = isBoard(again) ? sourceOfBoard(again) : undefined;
  if (previous) {
    await createBoard(services, previous);
    return;
  }
  // The job pickers list the workspace's jobs: signed out, they would offer none, and say nothing of why.
  if (!(await readyToCreate(services))) return;
  const source = await pickSource(services);
  if (source) await createBoard(services, source);
}

function isBoard(value: unknown): value is Tensorboard {
  const board = value as Partial<Tensorboard> | undefined;
  return typeof board?.tensorboardId === 'string' && Array.isArray(board.tensorboardDataSources);
}

/** "PAI: Create TensorBoard for Job": from the editor, a hover link (which passes the ID), or typed. */
export async function createBoardForJob(services: PanelServices, jobIdArg?: unknown): Promise<void> {
  const jobId =
    (typeof jobIdArg === 'string' && isJobId(jobIdArg) ? jobIdArg : undefined) ??
    jobIdInEditor(vscode.window.activeTextEditor) ??
    (await askJobId());
  if (!jobId) return;
  // Before GetJob: signed out, it fails as "could not find the job", and the offer to sign in never comes.
  if (!(await readyToCreate(services))) return;
  let job;
  try {
    job = await services.connection.client().getJob(jobId, { needDetail: false });
  } catch (error) {
    throw new ActionFailed(
      vscode.l10n.t('Could not find DLC job {0} in {1}', jobId, services.connection.regionId),
      error,
    );
  }
  await createBoard(services, { kind: 'job', jobId, job });
}

/** Explorer › "Create PAI TensorBoard for this Folder". */
export async function createBoardForFolder(services: PanelServices & SyncServices, folder?: unknown): Promise<void> {
  const uri =
    folder instanceof vscode.Uri
      ? folder
      : (
          await vscode.window.showOpenDialog({
            canSelectFolders: true,
            canSelectFiles: false,
            openLabel: vscode.l10n.t('Create TensorBoard'),
          })
        )?.[0];
  if (!uri) return;
  const summaryUri = await summaryUriForFolder(services, uri);
  if (summaryUri) await createBoard(services, { kind: 'uri', uri: summaryUri });
}

/** "PAI: Sync a Log Folder to OSS…": the sync runs, and a board over it is one click away. */
export async function syncFolderCommand(services: PanelServices & SyncServices, folder?: unknown): Promise<void> {
  const uri = await services.syncs.get().syncFolder(folder instanceof vscode.Uri ? folder : undefined);
  if (!uri) return;
  const create = vscode.l10n.t('Create TensorBoard');
  const choice = await showInformation(vscode.l10n.t('The folder syncs to {0}.', uri), create);
  if (choice === create && (await readyToCreate(services))) await createBoard(services, { kind: 'uri', uri });
}

/** "PAI: Stop All Running TensorBoards", after a confirmation that names how many. */
export async function stopAllRunning(services: PanelServices): Promise<void> {
  await services.boards.refresh();
  const running = services.boards.boards.filter((b) => boardPhase(b.status) === 'running');
  if (running.length === 0) {
    void showInformation(vscode.l10n.t('No TensorBoard is running in this workspace.'));
    return;
  }
  const stop = vscode.l10n.t('Stop All');
  const choice = await showWarning(
    running.length === 1
      ? vscode.l10n.t('Stop the running TensorBoard?')
      : vscode.l10n.t('Stop {0} running TensorBoards?', running.length),
    { modal: true, detail: running.map(boardName).join('\n') },
    stop,
  );
  if (choice !== stop) return;
  const results = await Promise.allSettled(
    running.map((b) =>
      services.connection.client().stopTensorboard(b.tensorboardId, { workspaceId: services.connection.workspaceId }),
    ),
  );
  const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [[running[i]!, r.reason] as const] : []));
  await Promise.all(
    running.filter((_, i) => results[i]!.status === 'fulfilled').map((board) => followUp(services, board)),
  );
  if (failed.length > 0) {
    throw new ActionFailed(
      vscode.l10n.t('Could not stop {0}', failed.map(([b]) => boardName(b)).join(', ')),
      failed[0]![1],
    );
  }
  void showInformation(
    running.length === 1
      ? vscode.l10n.t('Stopped the TensorBoard "{0}".', boardName(running[0]!))
      : vscode.l10n.t('Stopped {0} TensorBoards.', running.length),
  );
}
