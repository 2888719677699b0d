import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Tensorboard } from '../api';
import { executeCommand } from '../base/commandCalls';
import { showInformation, showWarning } from '../base/notify';
import { ActionFailed, TransientFailure } from '../base/reportError';
import { readSettings } from '../base/settings';
import { boardFrom } from '../boards/pickBoard';
import { boardName, boardPhase } from '../boards/status';
import { safeHttpUrl } from '../net/safeUrl';
import type { PanelServices } from '../panel/boardPanels';
import { waitUntilAnswers } from '../panel/probe';
import { BoardSession, BoardTimeoutError } from './boardSession';
import type { Series } from './dataApi';
import { listSeries, writeScalars } from './exportScalars';
import { writeToFile, type FileSink } from './fileSink';
import { formatOf } from './scalarsFile';

/**
 * Export Board Data…: the scalars of the series the user picks (all by default), read from the board's own data API
 * with its shared link, into one CSV or JSON file the user names.
 */
export async function exportBoardData(services: PanelServices, arg?: unknown): Promise<void> {
  // From the panel's title bar (whose argument is not a board), the panel's board.
  const panelBoard = arg === undefined || typeof arg === 'object' ? services.panels.active?.tensorboardId : undefined;
  const board = await boardFrom(services, panelBoard ?? arg, ['running', 'stopped', 'failed']);
  if (!board) return;
  const name = boardName(board);
  if (boardPhase(board.status) !== 'running') {
    const start = vscode.l10n.t('Start');
    const choice = await showWarning(
      vscode.l10n.t('TensorBoard "{0}" is not running, so its data cannot be read. Start it, then export again.', name),
      start,
    );
    if (choice === start) await executeCommand('paiTensorboard.startBoard', board.tensorboardId);
    return;
  }

  // Cancel works at every step: each progress notification's Cancel aborts the request in flight.
  const reading = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading "{0}"…', name), cancellable: true },
    (_, token) => withAbort(token, (signal) => readBoard(services, board, signal)),
  );
  if (!reading) return;
  const { session, all } = reading;
  if (all.length === 0) {
    void showInformation(vscode.l10n.t('TensorBoard "{0}" has no scalars to export.', name));
    return;
  }
  const picked = await vscode.window.showQuickPick(
    all.map((series) => ({ label: series.tag, description: series.run, picked: true, series })),
    { title: vscode.l10n.t('Export the scalars of "{0}"', name), canPickMany: true, matchOnDescription: true },
  );
  if (!picked?.length) return;
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export Board Data'),
    defaultUri: vscode.Uri.joinPath(
      vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(tmpdir()),
      `${fileSafe(name)}-scalars.csv`,
    ),
    filters: { CSV: ['csv'], JSON: ['json'] },
  });
  if (!target) return;

  const series = picked.map((item) => item.series);
  const format = formatOf(target.path);
  let rows: number | undefined;
  try {
    rows = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Exporting "{0}"', name),
        cancellable: true,
      },
      (progress, token) =>
        withAbort(token, (signal) =>
          writeFile(target, (sink) =>
            writeScalars(session, series, format, sink, {
              signal,
              onSeries: (one: Series, index, total) =>
                progress.report({
                  message: `${one.run} / ${one.tag} (${index + 1}/${total})`,
                  increment: 100 / total,
                }),
            }),
          ),
        ),
    );
  } catch (error) {
    throw new ActionFailed(vscode.l10n.t('Could not export the data of "{0}"', name), forUser(error));
  }
  if (rows === undefined) return;
  const open = vscode.l10n.t('Open');
  const choice = await showInformation(
    vscode.l10n.t('Exported {0} values of {1} series from "{2}".', rows, picked.length, name),
    open,
  );
  if (choice === open) await vscode.commands.executeCommand('vscode.open', target);
}

/**
 * The board's page through its shared link (the open panel's, else a fresh one), once it answers, and its series.
 * Undefined when cancelled.
 */
async function readBoard(
  services: PanelServices,
  board: Tensorboard,
  signal: AbortSignal,
): Promise<{ session: BoardSession; all: Series[] } | undefined> {
  const link = safeHttpUrl((await sharedLink(services, board)) ?? '');
  if (!link) {
    void showWarning(
      vscode.l10n.t('PAI-DLC gave no URL for "{0}" yet. Try again when it is running.', boardName(board)),
    );
    return undefined;
  }
  if (signal.aborted) return undefined;
  const answering = await waitUntilAnswers(link, { isCancelled: () => signal.aborted });
  if (signal.aborted) return undefined;
  try {
    if (!answering.ready) throw new Error(answering.problem ?? `HTTP ${answering.status}`);
    const session = await BoardSession.open(link, { signal });
    return { session, all: await listSeries(session, signal) };
  } catch (error) {
    if (signal.aborted) return undefined;
    throw new ActionFailed(vscode.l10n.t('Could not read the data of "{0}"', boardName(board)), forUser(error));
  }
}

/** Runs `work` with a signal that the progress notification's Cancel aborts; undefined once cancelled. */
async function withAbort<T>(
  token: vscode.CancellationToken,
  work: (signal: AbortSignal) => Promise<T | undefined>,
): Promise<T | undefined> {
  const abort = new AbortController();
  const listener = token.onCancellationRequested(() => abort.abort());
  if (token.isCancellationRequested) abort.abort();
  try {
    // `work` resolves undefined itself once cancelled; a file it finished is kept.
    return await work(abort.signal);
  } catch (error) {
    if (abort.signal.aborted) return undefined;
    throw error;
  } finally {
    listener.dispose();
  }
}

/** A board that stalled: said in the user's language, with Retry (it may answer in a moment). */
function forUser(error: unknown): unknown {
  if (!(error instanceof BoardTimeoutError)) return error;
  return new TransientFailure(
    vscode.l10n.t(
      'The board gave no full answer within {0} seconds ({1}). It may be busy: Retry in a moment, or open it in the browser to check it.',
      Math.round(error.deadlineMs / 1000),
      error.path,
    ),
  );
}

async function sharedLink(services: PanelServices, board: Tensorboard): Promise<string | undefined> {
  const shown = services.panels.get(board.tensorboardId);
  if (shown?.showing === 'running' && shown.currentUrl) return shown.currentUrl;
  try {
    const expireTimeSeconds = readSettings().sharedLinkLifetimeHours * 3600;
    const { url } = await services.connection.client().getTensorboardSharedUrl(board.tensorboardId, {
      expireTimeSeconds,
      workspaceId: services.connection.workspaceId,
    });
    return url;
  } catch (error) {
    services.log.warn(
      `No shared link for ${board.tensorboardId}, exporting through its TensorboardUrl: ${String(error)}`,
    );
    return board.url;
  }
}

/**
 * Streams into the file the user chose: straight to disk where the extension host sees it as a file, else through a
 * temporary file that VS Code's file system then copies (a virtual workspace). Nothing is left after a cancel.
 */
async function writeFile<T>(
  target: vscode.Uri,
  write: (sink: FileSink) => Promise<T | undefined>,
): Promise<T | undefined> {
  if (target.scheme === 'file') return writeToFile(target.fsPath, write);
  const folder = await mkdtemp(path.join(tmpdir(), 'pai-export-'));
  try {
    const file = path.join(folder, 'export');
    const result = await writeToFile(file, write);
    if (result !== undefined) await vscode.workspace.fs.copy(vscode.Uri.file(file), target, { overwrite: true });
    return result;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** A board's name as a file name: no path separators or characters that file systems refuse. */
function fileSafe(name: string): string {
  return name.replace(/[\\/:*?"<>|\s]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'tensorboard';
}
