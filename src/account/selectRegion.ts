import * as vscode from 'vscode';
import { isRegionId, PAI_DLC_REGIONS } from '../api/endpoint';
import type { AccountServices } from './connection';
import { updateSetting } from '../base/settings';

export async function selectRegion(services: AccountServices): Promise<string | undefined> {
  const current = services.connection.regionId;
  const other = vscode.l10n.t('Other region…');
  const items: vscode.QuickPickItem[] = [
    ...PAI_DLC_REGIONS.map((region) => ({
      label: region,
      description: region === current ? vscode.l10n.t('current') : undefined,
    })),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: other, alwaysShow: true },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Select the PAI-DLC Region'),
    placeHolder: current,
  });
  if (!picked) return undefined;
  let region = picked.label;
  if (region === other) {
    const typed = await vscode.window.showInputBox({
      title: vscode.l10n.t('Select the PAI-DLC Region'),
      prompt: vscode.l10n.t('Region ID, for example cn-hangzhou'),
      value: current,
      validateInput: (v) =>
        isRegionId(v.trim()) ? undefined : vscode.l10n.t('A region ID looks like cn-hangzhou or ap-southeast-1.'),
    });
    if (!typed) return undefined;
    region = typed.trim();
  }
  await updateSetting('regionId', region);
  services.log.info(`Region set to ${region}`);
  return region;
}
