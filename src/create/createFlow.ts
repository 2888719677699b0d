import * as vscode from 'vscode';
import { showError, showInformation, showWarning } from '../base/notify';
import type { CreateTensorboardRequest, Tensorboard } from '../api';
import { DlcError, isNotFound } from '../api/errors';
import { signIn } from '../account/signIn';
import { newBoard, type CreatedSource } from '../boards/boardModel';
import { selectWorkspace } from '../account/selectWorkspace';
import {
  buildCreateRequest,
  BoardRequestError,
  defaultDisplayName,
  sourceText,
  type BoardSource,
} from './boardRequest';
import { findExistingBoard, sourceKey } from './duplicates';
import { boardPhase } from '../boards/status';
import { executeCommand } from '../base/commandCalls';
import type { PanelServices } from '../panel/boardPanels';
import {
  newBoardSettingFields,
  newBoardSettingId,
  parseAdvancedSettings,
  settingFieldsOf,
  type NewBoardSetting,
} from './newBoardSettings';
import { readSettings, type SettingOrigin } from '../base/settings';
import { readNewBoardSettings, type NewBoardDefaults, type NewBoardSettings } from './newBoardSettingsRead';
import { followUp } from '../boards/followUp';
import { boardName } from '../boards/status';
import { ActionFailed } from '../base/reportError';
import { deleteBoard } from '../boards/lifecycle';
import { durationUnits } from '../boards/durationUnits';
import { formatDuration } from '../boards/time';
import { roomCandidates } from '../guard/limit';

/**
 * Step 1, ready: signed in and a workspace chosen, or the user was told what to do (and offered to do it). Resolves
 * to the workspace. The commands take this step before they ask the service about the source (a job, the recent jobs).
 */
export async function readyToCreate(services: PanelServices): Promise<string | undefined> {
  if (!(await services.connection.store.get())) {
    const signInLabel = vscode.l10n.t('Sign In');
    if (
      (await showInformation(vscode.l10n.t('Sign in to Alibaba Cloud to create a TensorBoard.'), signInLabel)) !==
      signInLabel
    )
      return undefined;
    if (!(await signIn(services.connection, services.log))) return undefined;
  }
  return services.connection.workspaceId ?? (await selectWorkspace(services));
}

/** Step 2, reuse: a board of the same source among the sidebar's; resolves to true when the user is done. */
async function reuse(services: PanelServices, source: BoardSource): Promise<boolean> {
  try {
    await services.boards.ensureLoaded();
  } catch {
    // The check only saves a duplicate; a failure to list must not stop the user from creating.
  }
  const existing = findExistingBoard(services.boards.boards, source);
  return existing !== undefined && (await offerExisting(services, existing));
}

/**
 * Step 3, confirm the settings: when a workspace (or folder) settings file sets any new-board setting, every field
 * the settings put into the request is listed with its value and the setting it came from, in a modal the user must
 * accept. Such a file may come with a cloned repository, and these fields cost money, widen who sees the board or
 * mount data. Settings from the user's own settings alone need no confirmation.
 */
async function confirmSettings(
  request: CreateTensorboardRequest,
  origins: NewBoardSettings['origins'],
): Promise<boolean> {
  const fields = settingFieldsOf(request).filter((f) => origins[f.setting] !== 'default');
  if (!fields.some((f) => origins[f.setting] === 'workspace' || origins[f.setting] === 'workspaceFolder')) return true;
  const where: Record<SettingOrigin, string> = {
    default: '',
    user: vscode.l10n.t('your user settings'),
    workspace: vscode.l10n.t("this workspace's settings"),
    workspaceFolder: vscode.l10n.t("this folder's settings"),
  };
  const detail = fields
    .map((f) =>
      vscode.l10n.t(
        '{0}: {1}, from {2} ({3})',
        f.field,
        f.value,
        newBoardSettingId(f.setting),
        where[origins[f.setting]],
      ),
    )
    .join('\n');
  const create = vscode.l10n.t('Create with These Settings');
  const choice = await showWarning(
    vscode.l10n.t(
      "This workspace's settings change what the new TensorBoard costs, who can see it or what it mounts. It will be created with:",
    ),
    { modal: true, detail },
    create,
  );
  return choice === create;
}

/** Step 4, confirm: the name, with the defaults it will get spelt out. */
async function confirmName(source: BoardSource, defaults: NewBoardDefaults): Promise<string | undefined> {
  const summary = [
    vscode.l10n.t('stops after {0} min', defaults.maxRunningTimeMinutes),
    defaults.accessibility,
    vscode.l10n.t('priority {0}', defaults.priority),
    defaults.cpu ? vscode.l10n.t('{0} vCPU', defaults.cpu) : undefined,
    defaults.memory ? vscode.l10n.t('{0} GB', defaults.memory) : undefined,
    defaults.quotaId ? vscode.l10n.t('quota {0}', defaults.quotaId) : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Create TensorBoard'),
    prompt: vscode.l10n.t(
      'Name of the new TensorBoard for {0} ({1}; change the defaults in Settings › PAI TensorBoard)',
      sourceText(source),
      summary,
    ),
    value: defaultDisplayName(source),
    ignoreFocusOut: true,
    validateInput: (v) =>
      v.trim() && v.trim().length <= 64 ? undefined : vscode.l10n.t('Enter a name of 1 to 64 characters.'),
  });
}

/** A source or setting that cannot make a board: said, with Open Settings when a setting is at fault. */
function refuse(error: BoardRequestError): undefined {
  const setting = error.field.startsWith('paiTensorboard.')
    ? error.field
    : Object.hasOwn(newBoardSettingFields, error.field)
      ? newBoardSettingId(error.field as NewBoardSetting)
      : undefined;
  const openSettings = vscode.l10n.t('Open Settings');
  void showError(
    vscode.l10n.t('Cannot create the TensorBoard: {0}', error.message),
    ...(setting ? [openSettings] : []),
  ).then(
    (choice) => choice === openSettings && vscode.commands.executeCommand('workbench.action.openSettings', setting),
  );
  return undefined;
}

/** The creates under way in this window, by source key: the extension host is one per window. */
const inFlight = new WeakMap<PanelServices, Map<string, Promise<Tensorboard | undefined>>>();

/**
 * From what the user pointed at to a running board in an editor panel: reuse an existing board of the same source,
 * otherwise confirm, create (making room when the account's board limit is reached), wait with a cancellable
 * progress notification, and open it. A second create for a source whose create is still under way (a double click,
 * the hover link and the palette) sends nothing: it waits for the first and resolves to the same board.
 */
export function createBoard(services: PanelServices, source: BoardSource): Promise<Tensorboard | undefined> {
  const key = sourceKey(source);
  if (key === undefined) return createBoardOnce(services, source);
  let creates = inFlight.get(services);
  if (!creates) inFlight.set(services, (creates = new Map()));
  const running = creates.get(key);
  if (running) {
    void showInformation(
      vscode.l10n.t(
        'A TensorBoard for this source is already being created in this window. It opens when it is ready.',
      ),
    );
    // The first create reports its own failure; the one that joined it stays quiet.
    return running.catch(() => undefined);
  }
  const started = createBoardOnce(services, source);
  creates.set(key, started);
  const done = () => {
    if (creates.get(key) === started) creates.delete(key);
  };
  started.then(done, done);
  return started;
}

async function createBoardOnce(services: PanelServices, source: BoardSource): Promise<Tensorboard | undefined> {
  const workspaceId = await readyToCreate(services);
  if (!workspaceId) return undefined;
  if (await reuse(services, source)) return undefined;
  const settings = readNewBoardSettings();
  const build = (displayName?: string) =>
    buildCreateRequest(source, settings.defaults, {
      workspaceId,
      displayName,
      region: services.connection.regionId,
      advanced: parseAdvancedSettings(settings.advanced),
    });
  // Built once before asking anything, so a wrong setting or source is said before the user names the board.
  let request: CreateTensorboardRequest;
  try {
    request = build();
  } catch (error) {
    if (error instanceof BoardRequestError) return refuse(error);
    throw error;
  }
  if (!(await confirmSettings(request, settings.origins))) return undefined;
  const displayName = await confirmName(source, settings.defaults);
  if (displayName === undefined) return undefined;
  request = build(displayName);

  const tensorboardId = await sendCreate(services, request);
  if (!tensorboardId) return undefined;
  services.log.info(`Created ${tensorboardId} (${request.displayName})`);
  services.boards.rememberSource(tensorboardId, createdSource(request));
  services.guard.seen(tensorboardId);
  // The sidebar shows the new board at once, from what was sent, until the first poll answers.
  services.boards.showAccepted(
    newBoard(tensorboardId, {
      displayName: request.displayName ?? tensorboardId,
      gmtCreateTime: new Date(services.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      workspaceId: request.workspaceId,
      jobId: request.jobId ?? '',
      dataSourceId: request.dataSourceId ?? '',
      summaryRelativePath: request.summaryRelativePath ?? '',
      maxRunningTimeMinutes: request.maxRunningTimeMinutes,
    }),
  );
  return waitAndOpen(services, tensorboardId, request.displayName ?? tensorboardId);
}

/** What the service will not echo back about a folder board: its URI, for the sidebar's row and the duplicate check. */
function createdSource(request: CreateTensorboardRequest): CreatedSource | undefined {
  return request.uri
    ? { uri: request.uri, dataSourceType: request.dataSourceType, summaryRelativePath: request.summaryRelativePath }
    : undefined;
}

/** Step 4, create: making room when the account's board limit is reached. */
async function sendCreate(services: PanelServices, request: CreateTensorboardRequest): Promise<string | undefined> {
  let stopped: Tensorboard | undefined;
  for (;;) {
    try {
      const created = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Creating TensorBoard "{0}"…', request.displayName ?? ''),
        },
        () => services.connection.client().createTensorboard(request),
      );
      return created.tensorboardId;
    } catch (error) {
      if (error instanceof DlcError && error.code === 'TensorboardLimitExceeded') {
        const room = await makeRoom(services, stopped);
        stopped = typeof room === 'object' ? room : undefined;
        if (room) continue;
      }
      throw new ActionFailed(vscode.l10n.t('Could not create the TensorBoard'), error);
    }
  }
}

/**
 * On the account's board limit: the account's boards, least recently seen first (never the one in the active panel),
 * each with when it was last seen; a running one is stopped, a stopped one deleted after the sidebar's confirmation.
 * When a stop did not make room (the service may count stopped boards), says so and offers to delete that board.
 */
async function makeRoom(
  services: PanelServices,
  stoppedBefore: Tensorboard | undefined,
): Promise<Tensorboard | boolean> {
  if (stoppedBefore) {
    const remove = vscode.l10n.t('Delete "{0}"…', boardName(stoppedBefore));
    const choice = await showWarning(
      vscode.l10n.t(
        'Stopping "{0}" did not make room: stopped TensorBoards count against the limit too. Delete it?',
        boardName(stoppedBefore),
      ),
      remove,
    );
    if (choice !== remove) return false;
    await services.boards.whenSettled(stoppedBefore.tensorboardId);
    return deleteForRoom(services, stoppedBefore);
  }
  await services.boards.refresh();
  const now = services.guard.now();
  const units = durationUnits();
  const candidates = roomCandidates(
    services.boards.boards.filter((b) => ['running', 'stopped', 'failed'].includes(boardPhase(b.status))),
    services.guard.read(),
    { now, idleMinutes: readSettings().idleStopMinutes, activeId: services.panels.active?.tensorboardId },
  );
  const picked = await vscode.window.showQuickPick(
    candidates.map(({ board, seenAt, idle }) => ({
      board,
      label: boardName(board),
      description: board.status,
      detail:
        seenAt === undefined
          ? vscode.l10n.t('never opened from this editor')
          : idle
            ? vscode.l10n.t('last seen {0} ago, idle', formatDuration(now - seenAt, units))
            : vscode.l10n.t('last seen {0} ago', formatDuration(now - seenAt, units)),
    })),
    {
      title: vscode.l10n.t('Your account has reached its TensorBoard limit: stop or delete a board to make room'),
      placeHolder: vscode.l10n.t('Least recently seen first'),
    },
  );
  if (!picked) return false;
  const board = picked.board;
  if (boardPhase(board.status) !== 'running') return deleteForRoom(services, board);
  try {
    await services.connection
      .client()
      .stopTensorboard(board.tensorboardId, { workspaceId: services.connection.workspaceId });
  } catch (error) {
    throw new ActionFailed(vscode.l10n.t('Could not make room for a new TensorBoard'), error);
  }
  await followUp(services, board);
  return board;
}

/** Deletes through the sidebar's command, with its confirmation; whether the board is gone. */
async function deleteForRoom(services: PanelServices, board: Tensorboard): Promise<boolean> {
  await deleteBoard(services, board.tensorboardId);
  return services.boards.isRemoved(board.tensorboardId);
}

async function offerExisting(services: PanelServices, existing: Tensorboard): Promise<boolean> {
  const open = vscode.l10n.t('Open Existing');
  const create = vscode.l10n.t('Create New');
  const choice = await showInformation(
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
async function openExisting(services: PanelServices, board: Tensorboard): Promise<void> {
  const phase = boardPhase(board.status);
  if (phase === 'running') {
    await services.panels.open(board);
    return;
  }
  if (phase === 'stopped' || phase === 'failed') {
    try {
      await services.connection
        .client()
        .startTensorboard(board.tensorboardId, { workspaceId: services.connection.workspaceId });
    } catch (error) {
      throw new ActionFailed(vscode.l10n.t('Could not start {0}', boardName(board)), error);
    }
    services.boards.showAccepted({ ...board, status: 'Starting' });
  }
  await waitAndOpen(services, board.tensorboardId, boardName(board));
}

/**
 * Step 5, wait and open: waits, with a cancellable notification, until the board model sees the board run (it polls
 * the board, so the sidebar, the panel and the count follow each poll), then shows it. Its panel opens at once with
 * a "starting" page, so the webview is ready by the time the board is, and it follows the board after the wait too.
 */
async function waitAndOpen(
  services: PanelServices,
  tensorboardId: string,
  name: string,
): Promise<Tensorboard | undefined> {
  services.panels.openStarting(tensorboardId, name);
  let result;
  try {
    result = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Starting TensorBoard "{0}"', name),
        cancellable: true,
      },
      (progress, token) =>
        services.boards.whenSettled(tensorboardId, {
          token,
          onProgress: (board) => progress.report({ message: board.status }),
        }),
    );
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw new ActionFailed(vscode.l10n.t('Lost track of TensorBoard "{0}"', name), error);
  }
  switch (result.outcome) {
    case 'running':
      await services.panels.open(result.board);
      return result.board;
    case 'failed': {
      const showLogs = vscode.l10n.t('Show Logs');
      const reason =
        [result.reasonCode, result.reasonMessage].filter(Boolean).join(': ') || vscode.l10n.t('no reason given');
      services.log.error(`TensorBoard ${tensorboardId} failed: ${reason}`);
      void showError(vscode.l10n.t('TensorBoard "{0}" failed to start: {1}', name, reason), showLogs).then(
        (choice) => choice === showLogs && services.log.show(true),
      );
      return undefined;
    }
    case 'stopped':
      void showWarning(
        vscode.l10n.t('TensorBoard "{0}" stopped before it was ready. Start it again from the sidebar.', name),
      );
      return undefined;
    case 'cancelled': {
      const stop = vscode.l10n.t('Stop');
      const remove = vscode.l10n.t('Delete');
      void showInformation(
        // Short enough for one line of a toast, where VS Code cuts longer text off behind an expand chevron.
        vscode.l10n.t('"{0}" keeps starting; its panel shows it when it runs.', name),
        stop,
        remove,
      ).then((choice) => {
        // Through the sidebar's commands: the same confirmation for Delete, and their errors reported the same way.
        if (choice === stop) void executeCommand('paiTensorboard.stopBoard', tensorboardId);
        else if (choice === remove) void executeCommand('paiTensorboard.deleteBoard', tensorboardId);
      });
      return undefined;
    }
    case 'timeout':
      void showWarning(
        vscode.l10n.t(
          'TensorBoard "{0}" is still not running after 15 minutes. It keeps starting in PAI-DLC; its panel and the sidebar follow it.',
          name,
        ),
      );
      return undefined;
  }
}
