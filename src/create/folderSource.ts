import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { parseMounts, summaryUriFor } from './mounts';
import { mapResolved, resolveMappings } from './pathMappings';
import type { PanelServices } from '../panel/boardPanels';
import { readSettings } from '../base/settings';
import { askUri } from './pickSource';

/**
 * Where a local folder's summaries live in the cloud: (a) a `pathMappings` entry, else (b) the NAS or OSS mount the
 * folder is on (as in PAI-DSW), else (c) ask, with the folder's path inside the workspace prefilled.
 */
export async function summaryUriForFolder(services: PanelServices, folder: vscode.Uri): Promise<string | undefined> {
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

  const relative = vscode.workspace.asRelativePath(folder, false).replace(/\\/g, '/');
  const prefix = `oss://<bucket>.oss-${services.connection.regionId}.aliyuncs.com/`;
  return askUri(services.connection.regionId, `${prefix}${relative === folder.fsPath ? '' : `${relative}/`}`, [6, 14]);
}
