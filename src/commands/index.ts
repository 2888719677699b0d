import * as vscode from 'vscode';
import type { Services } from '../services';
import { accountMenu, showLogs, signInCommand, signOutCommand } from './account';
import { copyBoardUrl, openBoard, openBoardInBrowser, openPanelInBrowser, reloadPanel } from './boardLinks';
import { deleteBoard, startBoard, stopBoard } from './boardLifecycle';
import { changeAccessibility, changeMaxRunningTime } from './boardSettings';
import { createBoardCommand, createBoardForFolder, createBoardForJob, stopAllRunning } from './createBoard';
import { selectRegion } from './selectRegion';
import { selectWorkspace } from './selectWorkspace';

type CommandHandler = (services: Services, ...args: unknown[]) => unknown;

/** Every command the extension contributes, by id. package.json's `contributes.commands` lists the same ids. */
export const commands: Record<string, CommandHandler> = {
  'paiTensorboard.signIn': signInCommand,
  'paiTensorboard.signOut': signOutCommand,
  'paiTensorboard.account': accountMenu,
  'paiTensorboard.selectRegion': selectRegion,
  'paiTensorboard.selectWorkspace': selectWorkspace,
  'paiTensorboard.showLogs': showLogs,
  'paiTensorboard.refresh': (services) => services.boards.refresh(),
  'paiTensorboard.loadMoreBoards': (services) => services.boards.loadMore(),
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
};

export function registerCommands(services: Services): vscode.Disposable[] {
  return Object.entries(commands).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => handler(services, ...args)),
  );
}
