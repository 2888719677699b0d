import * as vscode from 'vscode';
import type { CommandId } from '../base/commandIds';
import type { PanelServices } from '../panel/boardPanels';
import { accountMenu, showLogs, signInCommand } from '../account/commands';
import { signOutStopping } from '../guard/signOut';
import { copyBoardUrl, openBoard, openBoardInBrowser, openPanelInBrowser, reloadPanel } from '../panel/links';
import { deleteBoard, startBoard, stopBoard } from '../boards/lifecycle';
import { changeAccessibility, changeMaxRunningTime } from '../boards/boardSettings';
import {
  createBoardCommand,
  createBoardForFolder,
  createBoardForJob,
  stopAllRunning,
  syncFolderCommand,
} from '../create/commands';
import { selectRegion } from '../account/selectRegion';
import { selectWorkspace } from '../account/selectWorkspace';
import { ActionFailed, reportError } from '../base/reportError';
import { executeCommand } from '../base/commandCalls';
import type { SyncServices } from '../sync/syncServices';
import { exportBoardData } from '../export/exportCommand';

type CommandHandler = (services: PanelServices & SyncServices, ...args: unknown[]) => unknown;

/** Commands a sign-in does not resume: signing in is what they are about. */
const accountCommands = new Set<CommandId>([
  'paiTensorboard.signIn',
  'paiTensorboard.signOut',
  'paiTensorboard.account',
]);

/** Every command the extension contributes, by id. package.json's `contributes.commands` lists the same ids. */
export const commands = {
  'paiTensorboard.signIn': signInCommand,
  'paiTensorboard.signOut': signOutStopping,
  'paiTensorboard.account': accountMenu,
  'paiTensorboard.selectRegion': selectRegion,
  'paiTensorboard.selectWorkspace': selectWorkspace,
  'paiTensorboard.showLogs': showLogs,
  'paiTensorboard.refresh': (services) => services.boards.refresh(),
  'paiTensorboard.loadMoreBoards': loadMoreBoards,
  'paiTensorboard.openBoard': openBoard,
  'paiTensorboard.openBoardInBrowser': openBoardInBrowser,
  'paiTensorboard.copyBoardUrl': copyBoardUrl,
  'paiTensorboard.panel.openInBrowser': openPanelInBrowser,
  'paiTensorboard.panel.reload': reloadPanel,
  'paiTensorboard.startBoard': startBoard,
  'paiTensorboard.stopBoard': stopBoard,
  'paiTensorboard.deleteBoard': deleteBoard,
  'paiTensorboard.changeMaxRunningTime': changeMaxRunningTime,
  'paiTensorboard.changeAccessibility': changeAccessibility,
  'paiTensorboard.createBoard': createBoardCommand,
  'paiTensorboard.createBoardForJob': createBoardForJob,
  'paiTensorboard.createBoardForFolder': createBoardForFolder,
  'paiTensorboard.stopAllRunning': stopAllRunning,
  'paiTensorboard.syncFolder': syncFolderCommand,
  'paiTensorboard.manageSyncs': (services) => services.syncs.get().manage(),
  'paiTensorboard.pauseSync': (services, node) => services.syncs.get().act('pause', node),
  'paiTensorboard.resumeSync': (services, node) => services.syncs.get().act('resume', node),
  'paiTensorboard.stopSync': (services, node) => services.syncs.get().act('stop', node),
  'paiTensorboard.removeSync': (services, node) => services.syncs.get().act('remove', node),
  'paiTensorboard.exportBoardData': exportBoardData,
  // The editor's context menu: the same command, under a title that says whose it is.
  'paiTensorboard.createBoardForJobAtCursor': (services) => createBoardForJob(services),
} satisfies Record<CommandId, CommandHandler>;

async function loadMoreBoards(services: PanelServices): Promise<void> {
  try {
    await services.boards.loadMore();
  } catch (error) {
    throw new ActionFailed(vscode.l10n.t('Could not load more TensorBoards'), error);
  }
}

/**
 * Runs a command behind one boundary: a failure its handler throws is reported with its next step (Retry runs the
 * command again with the same arguments), and nothing escapes as an unhandled rejection.
 */
export async function runCommand(
  services: PanelServices & SyncServices,
  id: CommandId,
  args: readonly unknown[],
): Promise<unknown> {
  const handler: CommandHandler = commands[id];
  try {
    return await handler(services, ...args);
  } catch (error) {
    const failure = error instanceof ActionFailed ? error : undefined;
    const again = () => vscode.commands.executeCommand(id, ...args);
    // Sign In from the failure goes on with what the user asked for (the create, the list) once signed in.
    const signInThenAgain = async () => {
      if ((await executeCommand('paiTensorboard.signIn')) === true && !accountCommands.has(id)) await again();
    };
    void reportError(
      services.log,
      failure?.what ?? vscode.l10n.t('The command failed'),
      failure?.cause ?? error,
      again,
      signInThenAgain,
    );
    return undefined;
  }
}
