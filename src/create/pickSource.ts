import * as vscode from 'vscode';
import { showError } from '../base/notify';
import type { Job } from '../api';
import { errorMessage } from '../api/errors';
import { describe } from '../base/describe';
import type { BoardSource } from './boardRequest';
import { datasetIdProblem, parseDataUri } from './dataUris';
import { isJobId } from './jobIds';
import { ageOf } from '../boards/time';
import type { PanelServices } from '../panel/boardPanels';
import { durationUnits } from '../boards/durationUnits';

type Kind = 'job' | 'jobs' | 'uri' | 'dataset';

/** The palette's first step: what the board should show. */
export async function pickSource(services: PanelServices): Promise<BoardSource | undefined> {
  const kinds: (vscode.QuickPickItem & { source: Kind })[] = [
    {
      source: 'job',
      label: `$(server-process) ${vscode.l10n.t('A DLC job')}`,
      detail: vscode.l10n.t("Pick one of the workspace's recent jobs, or type a job ID."),
    },
    {
      source: 'jobs',
      label: `$(split-horizontal) ${vscode.l10n.t('Several DLC jobs, compared')}`,
      detail: vscode.l10n.t('One board with a run per job.'),
    },
    {
      source: 'uri',
      label: `$(folder) ${vscode.l10n.t('An OSS or NAS folder')}`,
      detail: 'oss://bucket.endpoint/path/ · nas://file-system-id.region/path/',
    },
    {
      source: 'dataset',
      label: `$(database) ${vscode.l10n.t('A PAI dataset')}`,
      detail: vscode.l10n.t(
        'A dataset ID (from the PAI console, AI Asset Management › Datasets) and the summary folder inside it.',
      ),
    },
  ];
  const kind = await vscode.window.showQuickPick(kinds, {
    title: vscode.l10n.t('Create TensorBoard: what should it show?'),
    ignoreFocusOut: true,
  });
  switch (kind?.source) {
    case 'job': {
      const job = await pickJob(services);
      return job && { kind: 'job', jobId: job.jobId, job: job.job };
    }
    case 'jobs': {
      const jobs = await pickJobs(services);
      return jobs && { kind: 'jobs', jobs };
    }
    case 'uri': {
      const uri = await askUri(services.connection.regionId);
      return uri ? { kind: 'uri', uri } : undefined;
    }
    case 'dataset':
      return askDataset();
    default:
      return undefined;
  }
}

interface JobItem extends vscode.QuickPickItem {
  readonly job?: Job;
}

async function recentJobItems(services: PanelServices): Promise<JobItem[]> {
  const { jobs } = await services.connection.client().listJobs({
    workspaceId: services.connection.workspaceId,
    // The API's own default is the last 7 days; a month covers the runs people still compare.
    startTime: new Date(services.now() - 30 * 86_400_000).toISOString(),
    sortBy: 'GmtCreateTime',
    order: 'desc',
    pageSize: 50,
  });
  const now = services.now();
  const units = durationUnits();
  return jobs.map((job) => ({
    job,
    label: job.displayName || job.jobId,
    description: `${job.jobId} · ${job.status}`,
    detail: [
      ageOf(job.gmtCreateTime, now, units) && vscode.l10n.t('{0} ago', ageOf(job.gmtCreateTime, now, units)!),
      job.jobType,
      job.username,
    ]
      .filter(Boolean)
      .join(' · '),
  }));
}

async function pickJob(services: PanelServices): Promise<{ jobId: string; job?: Job } | undefined> {
  const typeIt: JobItem = { label: `$(edit) ${vscode.l10n.t('Enter a job ID…')}`, alwaysShow: true };
  const items = recentJobItems(services).then(
    (found) => [typeIt, { label: '', kind: vscode.QuickPickItemKind.Separator }, ...found],
    (error: unknown) => {
      services.log.warn(`Could not list recent jobs: ${errorMessage(error)}`);
      return [typeIt];
    },
  );
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Create TensorBoard for a DLC job'),
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.job) return { jobId: picked.job.jobId, job: picked.job };
  const typed = await askJobId();
  return typed ? { jobId: typed } : undefined;
}

export async function askJobId(value?: string): Promise<string | undefined> {
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Create TensorBoard for a DLC job'),
    prompt: vscode.l10n.t('DLC job ID, for example dlc1a9r0uhfn24cl or dlc-20210126170216-mtl37ge7gkvdz'),
    value,
    ignoreFocusOut: true,
    validateInput: (v) =>
      isJobId(v.trim())
        ? undefined
        : vscode.l10n.t('A DLC job ID looks like dlc1a9r0uhfn24cl or dlc-20210126170216-mtl37ge7gkvdz.'),
  });
  return typed?.trim();
}

async function pickJobs(services: PanelServices): Promise<{ jobId: string; displayName?: string }[] | undefined> {
  let items: JobItem[];
  try {
    items = await recentJobItems(services);
  } catch (error) {
    void showError(vscode.l10n.t("Could not list the workspace's jobs: {0}", describe(error)));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Compare DLC jobs in one TensorBoard'),
    placeHolder: vscode.l10n.t('Select two or more jobs'),
    canPickMany: true,
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!picked || picked.length === 0) return undefined;
  return picked.flatMap((item) =>
    item.job ? [{ jobId: item.job.jobId, displayName: item.job.displayName || undefined }] : [],
  );
}

export async function askUri(
  region: string,
  value?: string,
  valueSelection?: [number, number],
): Promise<string | undefined> {
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Create TensorBoard for an OSS or NAS folder'),
    prompt: vscode.l10n.t('The folder that holds the summaries (event files)'),
    placeHolder: `oss://bucket.oss-${region}.aliyuncs.com/logs/run1/`,
    value,
    valueSelection,
    ignoreFocusOut: true,
    validateInput: (v) => {
      const check = parseDataUri(v, { region });
      return check.ok ? undefined : check.reason;
    },
  });
  return typed?.trim();
}

async function askDataset(): Promise<BoardSource | undefined> {
  const title = vscode.l10n.t('Create TensorBoard for a PAI dataset');
  const dataSourceId = await vscode.window.showInputBox({
    title,
    // The DLC API this extension calls lists no datasets (ListDatasets belongs to PAI's AI workspace API), so the
    // prompt says where the ID is shown.
    prompt: vscode.l10n.t(
      'Dataset ID, for example d-k2x8vq3m9r1tzw: in the PAI console, AI Asset Management › Datasets lists each dataset with its ID',
    ),
    ignoreFocusOut: true,
    validateInput: (v) => datasetIdProblem(v.trim()),
  });
  if (!dataSourceId) return undefined;
  const summaryRelativePath = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('The summary folder inside the dataset'),
    value: '/',
    ignoreFocusOut: true,
    validateInput: (v) =>
      v.trim().startsWith('/') ? undefined : vscode.l10n.t('Start the folder with /, for example /logs/run1/.'),
  });
  if (summaryRelativePath === undefined) return undefined;
  return { kind: 'dataset', dataSourceId: dataSourceId.trim(), summaryRelativePath: summaryRelativePath.trim() };
}
