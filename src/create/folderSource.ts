import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { parseMounts, summaryUriFor } from './mounts';
import { mapResolved, resolveMappings } from './pathMappings';
import type { PanelServices } from '../panel/boardPanels';
import { addPathMapping, readSettings } from '../base/settings';
import { showInformation, showWarning } from '../base/notify';
import type { SyncServices } from '../sync/syncServices';
import { parseDataUri } from './dataUris';
import { askUri } from './pickSource';

/**
 * Where a local folder's summaries live in the cloud: (a) a `pathMappings` entry, else (b) the NAS or OSS mount the
 * folder is on (as in PAI-DSW), else (c) offer a sync to OSS, or ask where a copy is.
 */
export async function summaryUriForFolder(
  services: PanelServices & SyncServices,
  folder: vscode.Uri,
): Promise<string | undefined> {
  const settings = readSettings();
  const workspaceFolders = (vscode.workspace.workspaceFolders ?? []).map((f) => ({ name: f.name, path: f.uri.fsPath }));
  const { mappings, problems } = resolveMappings(settings.pathMappings, {
    workspaceFolders,
    home: os.homedir(),
    region: services.connection.regionId,
  });
  for (const problem of problems)
    services.log.warn(`paiTensorboard.pathMappings[${problem.index}] is ignored: ${problem.reason}`);
  const mapped = mapResolved(folder.fsPath, mappings);
  if (mapped) {
    services.log.info(`${folder.fsPath} maps to ${mapped.uri} (pathMappings)`);
    return mapped.uri;
  }

  let mountReason: string | undefined;
  try {
    const mount = summaryUriFor(
      folder.fsPath,
      parseMounts(await readFile(services.testSeams.mountsFile() ?? '/proc/mounts', 'utf8')),
    );
    if (mount.ok) {
      services.log.info(`${folder.fsPath} is on ${mount.mount.device}: ${mount.uri}`);
      return mount.uri;
    }
    mountReason = mount.reason;
  } catch {
    mountReason = undefined; // no mount table here (not Linux): nothing to explain
  }
  if (mountReason) services.log.info(`${folder.fsPath}: ${mountReason}`);

  return askWhere(services, folder);
}

/**
 * The folder is neither mapped nor on a mount: say so, and offer to sync it to OSS (the board then shows it live), or
 * to type where a copy already is. A typed OSS folder must hold event files (one listing) before a board is made
 * for it, and once it does it may become the folder's path mapping.
 */
async function askWhere(services: PanelServices & SyncServices, folder: vscode.Uri): Promise<string | undefined> {
  const sync = {
    label: `$(cloud-upload) ${vscode.l10n.t('Sync to OSS and Create Board')}`,
    detail: vscode.l10n.t('Upload the folder to a bucket while training writes it, and show it in a PAI board.'),
    sync: true,
  };
  const type = {
    label: `$(edit) ${vscode.l10n.t('Type the URI of a copy that is already there')}`,
    detail: 'oss://bucket.endpoint/path/ · nas://file-system-id.region/path/',
    sync: false,
  };
  const picked = await vscode.window.showQuickPick([sync, type], {
    title: vscode.l10n.t(
      'A PAI board reads its logs from OSS or NAS, and this folder is not in either as far as the extension can tell.',
    ),
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.sync) return services.syncs.get().syncFolder(folder);

  const relative = vscode.workspace.asRelativePath(folder, false).replace(/\\/g, '/');
  const prefix = `oss://<bucket>.oss-${services.connection.regionId}.aliyuncs.com/`;
  const uri = await askUri(
    services.connection.regionId,
    `${prefix}${relative === folder.fsPath ? '' : `${relative}/`}`,
    [6, 14],
  );
  if (!uri) return undefined;
  const location = parseDataUri(uri, { region: services.connection.regionId });
  if (!location.ok || location.type !== 'OSS') return uri;
  const holds = await services.syncs.get().holdsEventFiles(location);
  if (holds === false) {
    void showWarning(
      vscode.l10n.t(
        '{0} holds no event files, so a board over it would stay empty. Check the path, or sync the folder to OSS.',
        location.uri,
      ),
    );
    return undefined;
  }
  if (holds) {
    const remember = vscode.l10n.t('Map the Folder');
    void showInformation(
      vscode.l10n.t(
        'Map {0} to {1}, so the next right-click on it finds its board at once?',
        folder.fsPath,
        location.uri,
      ),
      remember,
    ).then((choice) =>
      choice === remember ? addPathMapping({ local: folder.fsPath, remote: location.uri }) : undefined,
    );
  }
  return uri;
}
