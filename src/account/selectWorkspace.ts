import * as vscode from 'vscode';
import { errorMessage } from '../api/errors';
import type { AccountServices } from './connection';
import { updateSetting } from '../base/settings';

interface WorkspaceItem extends vscode.QuickPickItem {
  readonly workspaceId?: string;
}

/** Workspaces seen in the user's recent jobs across all workspaces; the API has no workspace listing of its own here. */
async function recentWorkspaces(services: AccountServices): Promise<WorkspaceItem[]> {
  const { jobs } = await services.connection.client().listJobs({
    fromAllWorkspaces: true,
    showOwn: true,
    startTime: new Date(services.now() - 90 * 86_400_000).toISOString(),
    pageSize: 100,
    sortBy: 'GmtCreateTime',
    order: 'desc',
  });
  const seen = new Map<string, WorkspaceItem>();
  for (const job of jobs) {
    if (job.workspaceId && !seen.has(job.workspaceId)) {
      seen.set(job.workspaceId, {
        workspaceId: job.workspaceId,
        label: job.workspaceName || job.workspaceId,
        description: job.workspaceId,
        detail: vscode.l10n.t('Last job: {0}', job.displayName ?? job.jobId),
      });
    }
  }
  return [...seen.values()];
}

export async function selectWorkspace(services: AccountServices): Promise<string | undefined> {
  const typeIt: WorkspaceItem = { label: vscode.l10n.t('Enter a workspace ID…'), alwaysShow: true };
  // showQuickPick shows a busy picker until the jobs arrive; a failed listing still leaves the typed route.
  const items = recentWorkspaces(services).then(
    (found): WorkspaceItem[] => [...found, { label: '', kind: vscode.QuickPickItemKind.Separator }, typeIt],
    (error: unknown): WorkspaceItem[] => {
      services.log.warn(`Could not list recent jobs for workspaces: ${errorMessage(error)}`);
      return [typeIt];
    },
  );
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Select the PAI Workspace'),
    placeHolder: vscode.l10n.t('Workspaces of your recent jobs'),
  });
  if (!picked) return undefined;
  let workspaceId = picked.workspaceId;
  if (!workspaceId) {
    const typed = await vscode.window.showInputBox({
      title: vscode.l10n.t('Select the PAI Workspace'),
      prompt: vscode.l10n.t('Workspace ID (a number, shown in the PAI console)'),
      value: services.connection.workspaceId,
      validateInput: (v) =>
        /^[\w-]{1,64}$/.test(v.trim())
          ? undefined
          : vscode.l10n.t('A workspace ID is letters, digits, dashes or underscores.'),
    });
    if (!typed) return undefined;
    workspaceId = typed.trim();
  }
  await updateSetting('workspaceId', workspaceId);
  services.log.info(`Workspace set to ${workspaceId}`);
  return workspaceId;
}
