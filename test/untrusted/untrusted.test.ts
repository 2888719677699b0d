import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { UNTRUSTED_WORKSPACE_SETTINGS } from '../runner/untrusted';
import { emulator, signedInFresh } from '../integration/support';

// The runner opens this suite's workspace untrusted, with a .vscode/settings.json that tries to send the user's
// signed requests elsewhere (UNTRUSTED_WORKSPACE_SETTINGS).
const FREE_JOB = 'dlc9s5e3m7h1q2x6'; // llm-pretrain-7b, no board in the seed
const BUCKET = 'oss://pai-emulator-demo.oss-cn-hangzhou-internal.aliyuncs.com';

describe('in an untrusted workspace', () => {
  const config = () => vscode.workspace.getConfiguration('paiTensorboard');

  it('is untrusted, and VS Code hides every hostile value of its settings file from the extension', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const file = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, '.vscode', 'settings.json');
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), UNTRUSTED_WORKSPACE_SETTINGS);
    for (const key of Object.keys(UNTRUSTED_WORKSPACE_SETTINGS)) {
      assert.equal(
        config().inspect(key.replace('paiTensorboard.', ''))?.workspaceValue,
        undefined,
        `${key} is read from the workspace`,
      );
    }
  });

  it("ignores the workspace's values for every setting that decides where signed requests go", () => {
    assert.equal(config().get('endpoint'), process.env.PAI_EMULATOR_ENDPOINT);
    assert.equal(config().get('regionId'), 'cn-hangzhou');
    assert.equal(config().get('workspaceId'), '86923');
    assert.deepEqual(config().get('pathMappings'), []);
  });

  it('ignores every new-board setting, the shared-link lifetime, the framing and the automatic stops of the workspace', () => {
    assert.equal(config().get('newBoard.maxRunningTimeMinutes'), 240);
    assert.equal(config().get('newBoard.cpu'), null);
    assert.equal(config().get('newBoard.memory'), null);
    assert.equal(config().get('newBoard.accessibility'), 'PRIVATE');
    assert.equal(config().get('newBoard.priority'), '1');
    assert.equal(config().get('newBoard.quotaId'), '');
    assert.equal(config().get('newBoard.mountPath'), '');
    assert.deepEqual(config().get('newBoard.tensorboardSpec'), {});
    assert.deepEqual(config().get('newBoard.dataSources'), []);
    assert.equal(config().get('sharedLinkLifetimeHours'), 24);
    assert.equal(config().get('boardFraming'), 'auto');
    assert.equal(config().get('idleStopMinutes'), 60);
    assert.equal(config().get('stopAfterJobEndsMinutes'), 30);
    assert.equal(config().get('maxRunningTimeLimitMinutes'), 10_080);
  });

  it("creates boards with the user's settings only: none of the workspace's values reaches a request", async () => {
    const ui = await signedInFresh(300);
    try {
      // A job board, and a folder board (which would carry the mount path).
      ui.type('tb-untrusted-job');
      await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', FREE_JOB);
      ui.pick(/OSS or NAS folder/).type(`${BUCKET}/untrusted/run1/`, 'tb-untrusted-folder');
      await vscode.commands.executeCommand('paiTensorboard.createBoard');
      const requests = await emulator().requests();
      const creates = requests.filter((r) => r.operation === 'CreateTensorboard');
      const defaults = {
        WorkspaceId: '86923',
        MaxRunningTimeMinutes: 240,
        Accessibility: 'PRIVATE',
        Priority: '1',
        SummaryRelativePath: '/',
      };
      assert.deepEqual(
        creates.map((r) => r.body),
        [
          { ...defaults, DisplayName: 'tb-untrusted-job', JobId: FREE_JOB, SourceType: 'job', SourceId: FREE_JOB },
          {
            ...defaults,
            DisplayName: 'tb-untrusted-folder',
            DataSourceType: 'OSS',
            Uri: `${BUCKET}/untrusted/run1/`,
            // The folder as the board's one data source, so that its run is named after it (no mount path here).
            TensorboardDataSources: [
              {
                SourceType: 'datasource',
                DataSourceType: 'OSS',
                Uri: `${BUCKET}/untrusted/run1/`,
                SummaryPath: '/',
                Name: 'run1',
                DirectoryName: 'run1',
              },
            ],
          },
        ],
      );
      assert.ok(
        !ui.messages.some((m) => m.severity === 'warning'),
        `asked to accept settings: ${JSON.stringify(ui.messages)}`,
      );
      const links = requests.filter((r) => r.operation === 'GetTensorboardSharedUrl');
      assert.ok(links.length > 0, 'no shared link was asked for');
      assert.ok(
        links.every((r) => r.query.ExpireTimeSeconds === String(24 * 3600)),
        JSON.stringify(links.map((r) => r.query)),
      );
      const sent = JSON.stringify(requests);
      for (const hostile of [
        'attacker',
        '525600',
        '"Cpu"',
        '"Memory"',
        'PUBLIC',
        '"9"',
        'quota-',
        'mountpath',
        '"TensorboardSpec"',
        '"DataSources"',
        '"QuotaId"',
        String(168 * 3600),
      ]) {
        assert.ok(!sent.includes(hostile), `${hostile} reached a request`);
      }
    } finally {
      ui.restore();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it("signs and sends requests only to the user's endpoint and workspace", async () => {
    const ui = await signedInFresh(500);
    try {
      await vscode.commands.executeCommand('paiTensorboard.refresh');
      await vscode.commands.executeCommand('paiTensorboard.stopAllRunning');
      const lists = (await emulator().requests()).filter((r) => r.operation === 'ListTensorboards');
      assert.ok(lists.length > 0, 'no request reached the emulator');
      assert.ok(lists.every((r) => r.query.WorkspaceId === '86923'));
    } finally {
      ui.restore();
    }
  });
});
