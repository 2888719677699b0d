import * as vscode from 'vscode';
import type { CreateTensorboardRequest, Tensorboard } from '../api';
import { DlcError, errorMessage } from '../api/errors';
import { buildCreateRequest, BoardRequestError, defaultDisplayName, type BoardSource } from '../core/boardRequest';
import { findExistingBoard } from '../core/duplicates';
import { boardPhase } from '../core/status';
import { waitUntilRunning } from '../core/waiter';
import type { Services } from '../services';
import { readSettings } from '../settings';
import { boardName } from '../ui/pickBoard';
import { reportError } from '../ui/reportError';

/** How far back the duplicate check looks: the same window as the sidebar. */
async function recentBoards(services: Services, workspaceId: string): Promise<Tensorboard[]> {
  const { tensorboards } = await services.connection.client().listTensorboards({
    workspaceId,
    startTime: new Date(services.now() - readSettings().boardWindowDays * 86_400_000).toISOString(),
    sortBy: 'GmtCreateTime',
    order: 'desc',
    pageSize: 100,
  });
  return tensorboards;
}

/** Signed in and a workspace chosen, or the user was told what to do (and offered to do it). */
async function ready(services: Services): Promise<string | undefined> {
  if (!(await services.connection.store.get())) {
    const signIn = vscode.l10n.t('Sign In');
    if ((await vscode.window.showInformationMessage(vscode.l10n.t('Sign in to Alibaba Cloud to create a TensorBoard.'), signIn)) !== signIn) return undefined;
    if (!(await vscode.commands.executeCommand<boolean>('paiTensorboard.signIn'))) return undefined;
  }
  const workspaceId = services.connection.workspaceId ?? (await vscode.commands.executeCommand<string | undefined>('paiTensorboard.selectWorkspace'));
  return workspaceId;
}

/** The one confirm step: the name, with the defaults it will get spelt out. */
async function confirmName(source: BoardSource): Promise<string | undefined> {
  const defaults = readSettings().newBoard;
  const summary = [
    vscode.l10n.t('stops after {0} min', defaults.maxRunningTimeMinutes),
    defaults.accessibility,
    vscode.l10n.t('priority {0}', defaults.priority),
    defaults.cpu ? vscode.l10n.t('{0} vCPU', defaults.cpu) : undefined,
    defaults.memory ? vscode.l10n.t('{0} GB', defaults.memory) : undefined,
    defaults.quotaId ? vscode.l10n.t('quota {0}', defaults.quotaId) : undefined,
  ].filter(Boolean).join(' · ');
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Create TensorBoard'),
    prompt: vscode.l10n.t('Name of the new TensorBoard ({0}; change the defaults in Settings › PAI TensorBoard)', summary),
    value: defaultDisplayName(source),
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() && v.trim().length <= 64 ? undefined : vscode.l10n.t('Enter a name of 1 to 64 characters.')),
  });
}

/**
 * From what the user pointed at to a running board in an editor panel: reuse an existing board of the same source,
 * otherwise confirm, create (making room when the account's board limit is reached), wait with a cancellable
 * progress notification, and open it.
 */
export async function createBoard(services: Services, source: BoardSource): Promise<Tensorboard | undefined> {
  const workspaceId = await ready(services);
  if (!workspaceId) return undefined;
  try {
    const existing = findExistingBoard(await recentBoards(services, workspaceId), source);
    if (existing && (await offerExisting(services, existing))) return existing;
  } catch (error) {
    // The check only saves a duplicate; a failure to list must not stop the user from creating.
    services.log.warn(`Duplicate check skipped: ${errorMessage(error)}`);
  }
  const displayName = await confirmName(source);
  if (displayName === undefined) return undefined;

  let request: CreateTensorboardRequest;
  try {
    const settings = readSettings();
    request = buildCreateRequest(source, settings.newBoard, {
      workspaceId,
      displayName,
      region: services.connection.regionId,
      advanced: settings.advanced,
    });
  } catch (error) {
    if (error instanceof BoardRequestError) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot create the TensorBoard: {0}', error.message));
      return undefined;
    }
    throw error;
  }

  const tensorboardId = await sendCreate(services, request);
  if (!tensorboardId) return undefined;
  services.log.info(`Created ${tensorboardId} (${request.displayName})`);
  return waitAndOpen(services, tensorboardId, request.displayName ?? tensorboardId);
}

async function sendCreate(services: Services, request: CreateTensorboardRequest): Promise<string | undefined> {
  for (;;) {
    try {
      const created = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Creating TensorBoard "{0}"…', request.displayName ?? '') },
        () => services.connection.client().createTensorboard(request),
      );
      return created.tensorboardId;
    } catch (error) {
      if (error instanceof DlcError && error.code === 'TensorboardLimitExceeded' && (await makeRoom(services))) continue;
      await reportError(services.log, vscode.l10n.t('Could not create the TensorBoard'), error);
      return undefined;
    }
  }
}

/** On the account's board limit: offer to stop the oldest running board or delete the oldest stopped one. */
async function makeRoom(services: Services): Promise<boolean> {
  const boards = await recentBoards(services, services.connection.workspaceId ?? '');
  const oldest = (phase: 'running' | 'stopped') =>
    boards.filter((b) => boardPhase(b.status) === phase).sort((a, b) => a.gmtCreateTime.localeCompare(b.gmtCreateTime))[0];
  const stopped = oldest('stopped');
  const running = oldest('running');
  const actions: [string, () => Promise<unknown>][] = [];
  if (stopped) actions.push([vscode.l10n.t('Delete "{0}"', boardName(stopped)), () => services.connection.client().deleteTensorboard(stopped.tensorboardId, { workspaceId: services.connection.workspaceId })]);
  if (running) actions.push([vscode.l10n.t('Stop "{0}"', boardName(running)), () => services.connection.client().stopTensorboard(running.tensorboardId, { workspaceId: services.connection.workspaceId })]);
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Your account has reached its TensorBoard limit (5 by default). Stop or delete a board to make room.'),
    ...actions.map(([label]) => label),
  );
  const action = actions.find(([label]) => label === choice);
  if (!action) return false;
  try {
    await action[1]();
    services.boards.refresh();
    return true;
  } catch (error) {
    await reportError(services.log, vscode.l10n.t('Could not make room for a new TensorBoard'), error);
    return false;
  }
}

async function offerExisting(services: Services, existing: Tensorboard): Promise<boolean> {
  const open = vscode.l10n.t('Open Existing');
  const create = vscode.l10n.t('Create New');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('A TensorBoard for this source already exists: "{0}" ({1}).', boardName(existing), existing.status),
    open,
    create,
  );
  if (choice === undefined) return true;
  if (choice !== open) return false;
  await openExisting(services, existing);
  return true;
}

/** Opens a board, starting it first when it is stopped, and waiting when it is not running yet. */
async function openExisting(services: Services, board: Tensorboard): Promise<void> {
  const phase = boardPhase(board.status);
  if (phase === 'running') {
    await services.panels.open(board);
    return;
  }
  if (phase === 'stopped' || phase === 'failed') {
    try {
      await services.connection.client().startTensorboard(board.tensorboardId, { workspaceId: services.connection.workspaceId });
    } catch (error) {
      await reportError(services.log, vscode.l10n.t('Could not start {0}', boardName(board)), error);
      return;
    }
  }
  await waitAndOpen(services, board.tensorboardId, boardName(board));
}

/**
 * A steady poll while the user waits: a board is seen running at most this late, at one GetTensorboard per
 * interval (pai-python-sdk polls every 5 s; 2 s keeps the wait short and the rate at the budget of one call per 2 s).
 */
const WAIT_POLL_MS = 2_000;

/**
 * Waits, with a cancellable notification, until the board runs, then shows it. Its panel opens at once with a
 * "starting" page, so the webview is ready by the time the board is; the sidebar shows each poll's state.
 */
async function waitAndOpen(services: Services, tensorboardId: string, name: string): Promise<Tensorboard | undefined> {
  const watch = services.boards.watch(tensorboardId);
  services.panels.openStarting(tensorboardId, name);
  const result = await Promise.resolve(vscode.window
    .withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Starting TensorBoard "{0}"', name), cancellable: true },
      (progress, token) =>
        waitUntilRunning({
          poll: () => services.connection.client().getTensorboard(tensorboardId, { workspaceId: services.connection.workspaceId }),
          signal: token,
          firstDelayMs: WAIT_POLL_MS,
          maxDelayMs: WAIT_POLL_MS,
          factor: 1,
          onProgress: (board) => {
            progress.report({ message: board.status });
            void services.boards.show(board).catch(() => undefined);
          },
        }),
    )
    .then(undefined, async (error: unknown) => {
      await reportError(services.log, vscode.l10n.t('Lost track of TensorBoard "{0}"', name), error);
      return undefined;
    }))
    .finally(() => watch.dispose());
  if (!result) return undefined;
  if (result.outcome !== 'running') void services.panels.refresh(tensorboardId);
  switch (result.outcome) {
    case 'running':
      await services.panels.open(result.board);
      return result.board;
    case 'failed': {
      const showLogs = vscode.l10n.t('Show Logs');
      const reason = [result.reasonCode, result.reasonMessage].filter(Boolean).join(': ') || vscode.l10n.t('no reason given');
      services.log.error(`TensorBoard ${tensorboardId} failed: ${reason}`);
      const choice = await vscode.window.showErrorMessage(vscode.l10n.t('TensorBoard "{0}" failed to start: {1}', name, reason), showLogs);
      if (choice === showLogs) services.log.show(true);
      return undefined;
    }
    case 'stopped':
      void vscode.window.showWarningMessage(vscode.l10n.t('TensorBoard "{0}" stopped before it was ready. Start it again from the sidebar.', name));
      return undefined;
    case 'cancelled':
      void vscode.window.showInformationMessage(vscode.l10n.t('Stopped waiting. TensorBoard "{0}" keeps starting in PAI-DLC; open it from the sidebar when it runs.', name));
      return undefined;
    case 'timeout':
      void vscode.window.showWarningMessage(vscode.l10n.t('TensorBoard "{0}" is still not running after 15 minutes. It keeps starting in PAI-DLC; check it in the sidebar.', name));
      return undefined;
  }
}
