import * as vscode from 'vscode';
import type { App } from './app';
import { BOARD_VIEW_TYPE, BOARDS_VIEW_ID, commandIds } from './base/commandIds';
import { registerJobHover } from './create/jobHover';
import { trackJobIdAtCursor } from './create/jobContext';
import { contextValue } from './base/contextKeys';
import type { Services } from './services';
import type { TreeNode } from './boards/boardNodes';

/**
 * What VS Code loads at activation: the registrations of the commands, the sidebar, the panel serializer and the
 * job-ID hover, nothing else. The extension itself (the API client, zod, pop-core, the credentials library, the board
 * model, the views' logic, the proxy) is dist/app.js, loaded at the first command, the first time the sidebar asks for
 * its rows, or the first panel VS Code restores. In test mode only, activation resolves to the services, so
 * integration tests can reach the running instance; otherwise nothing is exported, since any extension can read
 * another's exports.
 */
export function activate(context: vscode.ExtensionContext): Promise<Services> | undefined {
  const treeChanged = new vscode.EventEmitter<TreeNode | undefined>();
  const view = vscode.window.createTreeView<TreeNode>(BOARDS_VIEW_ID, {
    treeDataProvider: {
      onDidChangeTreeData: treeChanged.event,
      getTreeItem: (node) => node,
      getChildren: async (node) => (await app()).getChildren(node),
    },
    showCollapseAll: false,
  });
  let loading: Promise<App> | undefined;
  let loaded: App | undefined;
  const app = (): Promise<App> =>
    (loading ??= Promise.resolve().then(() => {
      // Kept out of this bundle by esbuild.mjs: dist/app.js beside it.
      const { startApp } = require('./app.js') as typeof import('./app');
      return (loaded = startApp(context, { view, treeChanged, contextValue }));
    }));
  context.subscriptions.push(
    treeChanged,
    view,
    ...commandIds.map((id) =>
      vscode.commands.registerCommand(id, async (...args: unknown[]) => (await app()).run(id, args)),
    ),
    vscode.window.registerWebviewPanelSerializer(BOARD_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => (await app()).restorePanel(panel, state),
    }),
    // Before the app is loaded no board is known, and a hover is no reason to load it.
    registerJobHover((jobId) => loaded?.runningBoardOf(jobId)),
    trackJobIdAtCursor(),
  );
  return context.extensionMode === vscode.ExtensionMode.Test ? app().then((loaded) => loaded.services) : undefined;
}

export function deactivate(): void {}
