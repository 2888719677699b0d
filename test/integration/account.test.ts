import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';
import { calls, updateUserSetting } from './flowSupport';
import { emulator, eventually, extensionServices, signedInFresh, type Ui } from './support';

const REGIONAL_HOST = /^pai-dlc\.[a-z0-9-]+\.aliyuncs\.com$/;

/**
 * Sends what the extension addresses to a region's own endpoint (pai-dlc.<region>.aliyuncs.com) to the emulator
 * instead, with its Host header kept, so the emulator records where the request was meant to go. Any other
 * destination goes where it was going. Needs the endpoint setting cleared, else every request goes to the emulator.
 */
function routeRegionalHostsToEmulator(): { restore(): void } {
  const real = https.request;
  const target = new URL(process.env.PAI_EMULATOR_ENDPOINT!);
  const patched = (options: https.RequestOptions, ...rest: unknown[]) => {
    const host = options.hostname ?? '';
    if (typeof options !== 'object' || !REGIONAL_HOST.test(host))
      return (real as (...a: unknown[]) => http.ClientRequest)(options, ...rest);
    return http.request({
      ...options,
      protocol: 'http:',
      hostname: target.hostname,
      port: target.port,
      agent: undefined,
      headers: { ...options.headers, host },
    });
  };
  (https as { request: unknown }).request = patched;
  return { restore: () => void ((https as { request: unknown }).request = real) };
}

describe('choosing the region and workspace', () => {
  let services: Services;
  let ui: Ui;
  const config = () => vscode.workspace.getConfiguration('paiTensorboard');
  let userRegion: string | undefined;
  let userWorkspace: string | undefined;
  let userEndpoint: string | undefined;

  before(async () => {
    services = await extensionServices();
    userRegion = config().inspect<string>('regionId')?.globalValue;
    userWorkspace = config().inspect<string>('workspaceId')?.globalValue;
    userEndpoint = config().inspect<string>('endpoint')?.globalValue;
  });
  beforeEach(async () => {
    ui = await signedInFresh(500);
  });
  afterEach(async () => {
    ui.restore();
    await updateUserSetting('regionId', userRegion);
    await updateUserSetting('workspaceId', userWorkspace);
    await updateUserSetting('endpoint', userEndpoint);
  });

  /** The user setting as this window reads it once it has arrived (a remote window applies it a moment later). */
  async function userSetting(key: string, expected: string | undefined): Promise<string | undefined> {
    return eventually(
      () => config().inspect<string>(key)?.globalValue,
      (v) => v === expected,
    );
  }

  /** Lists the boards again and returns the hosts the listing was sent to. */
  async function hostsOfNextList(): Promise<string[]> {
    await emulator().clearRequests();
    await vscode.commands.executeCommand('paiTensorboard.refresh');
    return (await calls('ListTensorboards')).map((r) => r.headers.host ?? '');
  }

  describe('the region', () => {
    let routing: { restore(): void };
    beforeEach(async () => {
      routing = routeRegionalHostsToEmulator();
      // Empty: unset, as the extension reads it (see updateUserSetting).
      await updateUserSetting('endpoint', '');
    });
    afterEach(async () => {
      await updateUserSetting('endpoint', userEndpoint);
      routing.restore();
    });

    it('sends the next signed request to the chosen region and keeps the choice in the user settings', async () => {
      assert.deepEqual(await hostsOfNextList(), ['pai-dlc.cn-hangzhou.aliyuncs.com']);
      let offered: readonly vscode.QuickPickItem[] = [];
      ui.dismissPick((items) => (offered = items)).pick(/^cn-shanghai$/);
      await vscode.commands.executeCommand('paiTensorboard.selectRegion');
      assert.equal(offered.find((i) => i.label === 'cn-hangzhou')?.description, 'current');
      assert.ok(offered.some((i) => i.label === 'Other region…'));
      // The first pick was dismissed: nothing changed.
      assert.equal(config().inspect('regionId')?.globalValue, userRegion);
      assert.equal(await vscode.commands.executeCommand('paiTensorboard.selectRegion'), 'cn-shanghai');
      assert.equal(await userSetting('regionId', 'cn-shanghai'), 'cn-shanghai');
      assert.equal(services.connection.regionId, 'cn-shanghai');
      assert.deepEqual(await hostsOfNextList(), ['pai-dlc.cn-shanghai.aliyuncs.com']);
    });

    it('takes a region typed under "Other region…", and refuses one that is not a region ID', async () => {
      ui.pick(/Other region/).type('Hangzhou');
      await vscode.commands.executeCommand('paiTensorboard.selectRegion');
      assert.match(
        ui.last('error')?.text ?? '',
        /rejected by the extension: A region ID looks like cn-hangzhou or ap-southeast-1\./,
      );
      ui.pick(/Other region/).type(undefined);
      await vscode.commands.executeCommand('paiTensorboard.selectRegion');
      assert.equal(config().inspect('regionId')?.globalValue, userRegion);
      assert.deepEqual(await hostsOfNextList(), ['pai-dlc.cn-hangzhou.aliyuncs.com']);

      ui.pick(/Other region/).type(' me-central-1 ');
      await vscode.commands.executeCommand('paiTensorboard.selectRegion');
      assert.deepEqual(ui.inputPrompts.at(-1), 'Region ID, for example cn-hangzhou');
      assert.equal(await userSetting('regionId', 'me-central-1'), 'me-central-1');
      assert.deepEqual(await hostsOfNextList(), ['pai-dlc.me-central-1.aliyuncs.com']);
    });
  });

  describe('the workspace', () => {
    it("offers the workspaces of the user's recent jobs and lists the chosen one's boards from then on", async () => {
      let offered: readonly vscode.QuickPickItem[] = [];
      ui.dismissPick((items) => (offered = items)).pick(/emulator-sandbox/);
      await vscode.commands.executeCommand('paiTensorboard.selectWorkspace');
      assert.deepEqual(
        offered.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator).map((i) => [i.label, i.description]),
        [
          ['emulator-workspace', '86923'],
          ['emulator-sandbox', '86924'],
          ['Enter a workspace ID…', undefined],
        ],
      );
      const [jobs] = await calls('ListJobs');
      assert.equal(jobs?.query.FromAllWorkspaces, 'true');
      assert.equal(
        config().inspect('workspaceId')?.globalValue,
        userWorkspace,
        'a dismissed pick changed the workspace',
      );

      await emulator().clearRequests();
      assert.equal(await vscode.commands.executeCommand('paiTensorboard.selectWorkspace'), '86924');
      assert.equal(await userSetting('workspaceId', '86924'), '86924');
      await services.boards.refresh();
      const [list] = await calls('ListTensorboards');
      assert.equal(list?.query.WorkspaceId, '86924');
      // The seed's boards are all in 86923: the sandbox has none.
      assert.deepEqual(await services.tree.getChildren(), []);
    });

    it('takes a typed workspace ID, and refuses one that cannot be an ID', async () => {
      ui.pick(/Enter a workspace ID/).type('86 923');
      await vscode.commands.executeCommand('paiTensorboard.selectWorkspace');
      assert.match(
        ui.last('error')?.text ?? '',
        /rejected by the extension: A workspace ID is letters, digits, dashes or underscores\./,
      );
      ui.pick(/Enter a workspace ID/).type(undefined);
      await vscode.commands.executeCommand('paiTensorboard.selectWorkspace');
      assert.equal(config().inspect('workspaceId')?.globalValue, userWorkspace);

      ui.pick(/Enter a workspace ID/).type('86924');
      await vscode.commands.executeCommand('paiTensorboard.selectWorkspace');
      assert.equal(await userSetting('workspaceId', '86924'), '86924');
      await emulator().clearRequests();
      await services.boards.refresh();
      assert.equal((await calls('ListTensorboards'))[0]?.query.WorkspaceId, '86924');
    });
  });
});
