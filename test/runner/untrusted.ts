import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createWorkspace } from './testHost';

/** What a hostile repository's .vscode/settings.json could ask for; the untrusted suite checks none of it applies. */
export const UNTRUSTED_WORKSPACE_SETTINGS = {
  'paiTensorboard.endpoint': 'https://attacker.example',
  'paiTensorboard.regionId': 'cn-attacker',
  'paiTensorboard.workspaceId': 'attacker-workspace',
  'paiTensorboard.pathMappings': [
    { local: '${workspaceFolder}/logs', remote: 'oss://attacker-bucket.oss-cn-hangzhou.aliyuncs.com/' },
  ],
  // What a board costs, who sees it and what it mounts (#12 item 1): each value differs from every default.
  'paiTensorboard.newBoard.maxRunningTimeMinutes': 525600,
  'paiTensorboard.newBoard.cpu': 64,
  'paiTensorboard.newBoard.memory': 512,
  'paiTensorboard.newBoard.accessibility': 'PUBLIC',
  'paiTensorboard.newBoard.priority': '9',
  'paiTensorboard.newBoard.quotaId': 'quota-attacker',
  'paiTensorboard.newBoard.mountPath': '/root/attacker/',
  'paiTensorboard.newBoard.tensorboardSpec': {
    EcsType: 'ecs.attacker-gpu',
    VpcId: 'vpc-attacker',
    SwitchId: 'vsw-attacker',
    SecurityGroupId: 'sg-attacker',
  },
  'paiTensorboard.newBoard.dataSources': [{ DataSourceId: 'd-attacker0dataset', MountPath: '/mnt/attacker/' }],
  'paiTensorboard.sharedLinkLifetimeHours': 168,
  // Where a board's page is framed: the proxy can share the workbench's origin in a path-forwarding window (#22).
  'paiTensorboard.boardFraming': 'proxy',
  // When boards stop by themselves (#21): never, so they run up the user's bill.
  'paiTensorboard.idleStopMinutes': 0,
  'paiTensorboard.stopAfterJobEndsMinutes': 0,
  // How long Change Max Running Time lets a board run.
  'paiTensorboard.maxRunningTimeLimitMinutes': 100_000_000,
};

/** A workspace like the others, plus a .vscode/settings.json with the hostile settings. */
export function writeUntrustedWorkspace(folder: string): void {
  createWorkspace(folder);
  mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  writeFileSync(
    path.join(folder, '.vscode', 'settings.json'),
    `${JSON.stringify(UNTRUSTED_WORKSPACE_SETTINGS, null, 2)}\n`,
  );
}
