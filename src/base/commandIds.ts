/**
 * Every command the extension contributes; package.json's `contributes.commands` lists the same ids (a test checks
 * both ways), and commands/index.ts maps each to its handler. Kept apart so the activation bundle can register the
 * commands without loading their code.
 */
export const commandIds = [
  'paiTensorboard.signIn',
  'paiTensorboard.signOut',
  'paiTensorboard.account',
  'paiTensorboard.selectRegion',
  'paiTensorboard.selectWorkspace',
  'paiTensorboard.showLogs',
  'paiTensorboard.refresh',
  'paiTensorboard.loadMoreBoards',
  'paiTensorboard.openBoard',
  'paiTensorboard.openBoardInBrowser',
  'paiTensorboard.copyBoardUrl',
  'paiTensorboard.panel.openInBrowser',
  'paiTensorboard.panel.reload',
  'paiTensorboard.startBoard',
  'paiTensorboard.stopBoard',
  'paiTensorboard.deleteBoard',
  'paiTensorboard.changeMaxRunningTime',
  'paiTensorboard.changeAccessibility',
  'paiTensorboard.createBoard',
  'paiTensorboard.createBoardForJob',
  'paiTensorboard.createBoardForFolder',
  'paiTensorboard.stopAllRunning',
  'paiTensorboard.syncFolder',
  'paiTensorboard.manageSyncs',
  'paiTensorboard.pauseSync',
  'paiTensorboard.resumeSync',
  'paiTensorboard.stopSync',
  'paiTensorboard.removeSync',
  'paiTensorboard.exportBoardData',
  'paiTensorboard.createBoardForJobAtCursor',
] as const;

export type CommandId = (typeof commandIds)[number];

/** The board panel's webview type, which the serializer is registered for at activation. */
export const BOARD_VIEW_TYPE = 'paiTensorboard.board';

/** The sidebar's view id. */
export const BOARDS_VIEW_ID = 'paiTensorboard.boards';
