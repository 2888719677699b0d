import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createWorkspace } from './testHost';

/** What a hostile repository's .vscode/settings.json could ask for; the untrusted suite checks none of it applies. */
export const UNTRUSTED_WORKSPACE_SETTINGS = {
  'paiTensorboard.endpoint': 'https://attacker.example',
  'paiTensorboard.regionId': 'cn-attacker',
  'paiTensorboard.workspaceId': 'attacker-workspace',
  'paiTensorboard.pathMappings': [{ local: '${workspaceFolder}/logs', remote: 'oss://attacker-bucket.oss-cn-hangzhou.aliyuncs.com/' }],
};

/** A workspace like the others, plus a .vscode/settings.json with the hostile settings. */
export function writeUntrustedWorkspace(folder: string): void {
  createWorkspace(folder);
  mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  writeFileSync(path.join(folder, '.vscode', 'settings.json'), `${JSON.stringify(UNTRUSTED_WORKSPACE_SETTINGS, null, 2)}\n`);
}
