import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';
import type { RecordedRequest } from '../emulator/types';
import { updateUserSetting } from './flowSupport';
import { readManifest } from '../runner/manifest';
import { emulator, eventually, extensionServices, signedInFresh, type Ui } from './support';

const SEEDED_JOB = 'dlc1a9r0uhfn24cl'; // has a running board in the seed
const FREE_JOB = 'dlc9s5e3m7h1q2x6'; // llm-pretrain-7b, no board yet
const OTHER_JOB = 'dlc4n8w1r6t2v9b3'; // xgboost-ctr
const SANDBOX_JOB = 'dlc3v7b1m5k9c2x8'; // sandbox-smoke-test, in workspace 86924
const SEEDED_BOARD = 'tb4k8lc5xfu36opt'; // SEEDED_JOB's board
const BUCKET = 'oss://pai-emulator-demo.oss-cn-hangzhou-internal.aliyuncs.com';

const NEW_BOARD_KEYS = [
  'maxRunningTimeMinutes',
  'cpu',
  'memory',
  'accessibility',
  'priority',
  'quotaId',
  'mountPath',
  'tensorboardSpec',
  'dataSources',
].map((k) => `newBoard.${k}`);

describe('creating a TensorBoard', () => {
  let services: Services;
  let ui: Ui;
  let workspaceFolder: vscode.Uri;
  let userWorkspace: string | undefined;

  before(async () => {
    services = await extensionServices();
    workspaceFolder = vscode.workspace.workspaceFolders![0]!.uri;
    userWorkspace = vscode.workspace.getConfiguration('paiTensorboard').inspect<string>('workspaceId')?.globalValue;
  });
  beforeEach(async () => {
    ui = await signedInFresh(500);
  });
  afterEach(async () => {
    ui.restore();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace
      .getConfiguration('paiTensorboard')
      .update('pathMappings', undefined, vscode.ConfigurationTarget.Global);
    delete process.env.PAI_TENSORBOARD_MOUNTS_FILE;
    const config = vscode.workspace.getConfiguration('paiTensorboard');
    await updateUserSetting('workspaceId', userWorkspace);
    for (const key of NEW_BOARD_KEYS) {
      for (const target of [vscode.ConfigurationTarget.Workspace, vscode.ConfigurationTarget.Global]) {
        if (
          config.inspect(key)?.[target === vscode.ConfigurationTarget.Global ? 'globalValue' : 'workspaceValue'] !==
          undefined
        )
          await config.update(key, undefined, target);
      }
    }
  });

  async function created(): Promise<RecordedRequest[]> {
    return (await emulator().requests()).filter((r) => r.operation === 'CreateTensorboard');
  }

  function openTabs(): string[] {
    return vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
  }

  it('from the palette: picks a recent job, creates its board with the defaults, waits, and opens it', async () => {
    ui.pick(/A DLC job/)
      .pick(/llm-pretrain-7b/)
      .type('tb-llm-pretrain-7b');
    await vscode.commands.executeCommand('paiTensorboard.createBoard');
    const [create] = await created();
    assert.ok(create, 'no CreateTensorboard reached the service');
    assert.deepEqual(create.body, {
      WorkspaceId: '86923',
      DisplayName: 'tb-llm-pretrain-7b',
      MaxRunningTimeMinutes: 240,
      Accessibility: 'PRIVATE',
      Priority: '1',
      JobId: FREE_JOB,
      SourceType: 'job',
      SourceId: FREE_JOB,
      SummaryRelativePath: '/',
    });
    const jobs = (await emulator().requests()).find((r) => r.operation === 'ListJobs');
    assert.equal(jobs?.query.WorkspaceId, '86923');
    assert.deepEqual(openTabs(), ['tb-llm-pretrain-7b']);
    const gets = (await emulator().requests()).filter((r) => r.operation === 'GetTensorboard');
    assert.ok(gets.length >= 1 && gets.length <= 4, `${gets.length} GetTensorboard calls while waiting about a second`);
  });

  it('offers the existing board of the same job instead of a duplicate', async () => {
    ui.press('Open Existing');
    await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', SEEDED_JOB);
    assert.match(ui.last('info')?.text ?? '', /already exists: "resnet50-imagenet" \(Running\)/);
    assert.equal((await created()).length, 0);
    assert.deepEqual(openTabs(), ['resnet50-imagenet']);
  });

  it('joins a second create for the same job to the one under way instead of sending another', async () => {
    // Two names ready: without the join both creates would ask, and both would be sent.
    ui.type('tb-first', 'tb-second');
    await Promise.all([
      vscode.commands.executeCommand('paiTensorboard.createBoardForJob', FREE_JOB),
      vscode.commands.executeCommand('paiTensorboard.createBoardForJob', FREE_JOB),
    ]);
    const creates = await created();
    assert.equal(creates.length, 1, `${creates.length} CreateTensorboard calls for one job`);
    assert.equal((creates[0]!.body as Record<string, unknown>).DisplayName, 'tb-first');
    assert.ok(
      ui.messages.some((m) => /already being created/.test(m.text)),
      JSON.stringify(ui.messages),
    );
    assert.deepEqual(openTabs(), ['tb-first']);
    // Once it is done, the next create for that job is a create again (here: offered the existing board).
    ui.press('Open Existing');
    await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', FREE_JOB);
    assert.match(ui.last('info')?.text ?? '', /already exists: "tb-first"/);
    assert.equal((await created()).length, 1);
  });

  it("lists every field this workspace's settings put into the request, with its setting, and creates only when accepted", async () => {
    const config = vscode.workspace.getConfiguration('paiTensorboard');
    await config.update('newBoard.cpu', 64, vscode.ConfigurationTarget.Workspace);
    await config.update('newBoard.accessibility', 'PUBLIC', vscode.ConfigurationTarget.Workspace);
    await config.update(
      'newBoard.tensorboardSpec',
      { EcsType: 'ecs.gn6i-c4g1.xlarge' },
      vscode.ConfigurationTarget.Workspace,
    );
    await config.update('newBoard.memory', 16, vscode.ConfigurationTarget.Global);
    ui.press(undefined);
    await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', FREE_JOB);
    assert.equal((await created()).length, 0, 'created although the settings were not accepted');
    assert.deepEqual(ui.inputPrompts, [], 'asked for a name before the settings were accepted');

    ui.press('Create with These Settings').type('tb-ws');
    await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', FREE_JOB);
    const warning = ui.last('warning');
    assert.match(warning?.text ?? '', /This workspace's settings change what the new TensorBoard costs/);
    assert.deepEqual(warning?.detail?.split('\n'), [
      "Cpu: 64, from paiTensorboard.newBoard.cpu (this workspace's settings)",
      'Memory: 16, from paiTensorboard.newBoard.memory (your user settings)',
      "Accessibility: PUBLIC, from paiTensorboard.newBoard.accessibility (this workspace's settings)",
      `TensorboardSpec: {"EcsType":"ecs.gn6i-c4g1.xlarge"}, from paiTensorboard.newBoard.tensorboardSpec (this workspace's settings)`,
    ]);
    const body = (await created())[0]?.body as Record<string, unknown>;
    assert.equal(body.Cpu, 64);
    assert.equal(body.Memory, 16);
    assert.equal(body.Accessibility, 'PUBLIC');
    // The documented PascalCase key reaches the wire (it used to be stripped into `TensorboardSpec: {}`).
    assert.deepEqual(body.TensorboardSpec, { EcsType: 'ecs.gn6i-c4g1.xlarge' });
  });

  it('refuses a wrong key in a settings object, naming the setting, before asking anything or sending', async () => {
    await vscode.workspace
      .getConfiguration('paiTensorboard')
      .update('newBoard.tensorboardSpec', { EcsTyp: 'ecs.g6.large' }, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', FREE_JOB);
    const error = ui.last('error');
    assert.match(
      error?.text ?? '',
      /Cannot create the TensorBoard: The setting paiTensorboard\.newBoard\.tensorboardSpec has an unknown key "EcsTyp"\. TensorboardSpec takes EcsType/,
    );
    assert.deepEqual(error?.buttons, ['Open Settings']);
    assert.deepEqual(ui.inputPrompts, []);
    assert.equal((await created()).length, 0);
  });

  it('from the job ID under the cursor in an editor', async () => {
    const document = await vscode.workspace.openTextDocument({
      content: `epoch 3 done\nsubmitted ${OTHER_JOB} to the queue\n`,
    });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(1, 14, 1, 14);
    ui.type('tb-xgboost-ctr');
    await vscode.commands.executeCommand('paiTensorboard.createBoardForJob');
    const [create] = await created();
    assert.equal((create?.body as Record<string, unknown>)?.JobId, OTHER_JOB);
    assert.ok(openTabs().includes('tb-xgboost-ctr'));
  });

  it('offers a hover link on a job ID in any text', async () => {
    const document = await vscode.workspace.openTextDocument({
      content: `[worker-0] job dlc-20210126170216-mtl37ge7gkvdz finished\n`,
      language: 'log',
    });
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      new vscode.Position(0, 20),
    );
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(
      text,
      /Create PAI TensorBoard for dlc-20210126170216-mtl37ge7gkvdz\]\(command:paiTensorboard\.createBoardForJob\?/,
    );
    const none = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      new vscode.Position(0, 3),
    );
    assert.ok(
      !none.some((h) => h.contents.some((c) => (typeof c === 'string' ? c : c.value).includes('PAI TensorBoard'))),
    );
  });

  it("a job's hover opens the job's running board instead of offering to create another", async () => {
    const document = await vscode.workspace.openTextDocument({ content: `resumed ${SEEDED_JOB} at step 900\n` });
    const hoverText = async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        document.uri,
        new vscode.Position(0, 12),
      );
      return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    };
    await services.boards.refresh();
    const open = await hoverText();
    assert.match(open, new RegExp(`Open PAI TensorBoard of ${SEEDED_JOB}\\]\\(command:paiTensorboard\\.openBoard\\?`));
    assert.ok(open.includes(encodeURIComponent(JSON.stringify([SEEDED_BOARD]))), open);
    assert.doesNotMatch(open, /Create PAI TensorBoard/);
    await emulator().setBoardStatus(SEEDED_BOARD, 'Stopped');
    await services.boards.refresh();
    assert.match(
      await hoverText(),
      new RegExp(`Create PAI TensorBoard for ${SEEDED_JOB}\\]\\(command:paiTensorboard\\.createBoardForJob\\?`),
    );
  });

  it("the editor's context menu offers the create only with a job ID under the cursor, under a PAI title", async () => {
    const manifest = readManifest();
    const entries = manifest.contributes.menus?.['editor/context'] ?? [];
    const entry = entries.find((e) => e.command.startsWith('paiTensorboard.'));
    assert.equal(entry?.command, 'paiTensorboard.createBoardForJobAtCursor');
    assert.equal(entry?.when, 'editorTextFocus && paiTensorboard.jobIdAtCursor');
    const title = manifest.contributes.commands?.find((c) => c.command === entry?.command)?.title;
    assert.equal(title, 'Create PAI TensorBoard for This Job');
    const atCursor = () => services.contextValue('paiTensorboard.jobIdAtCursor');
    const document = await vscode.workspace.openTextDocument({ content: `epoch 3 done\nsubmitted ${OTHER_JOB}\n` });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 3, 0, 3);
    assert.equal(await eventually(atCursor, (v) => v === false, 'the key off on plain text'), false);
    editor.selection = new vscode.Selection(1, 14, 1, 14);
    assert.equal(await eventually(atCursor, (v) => v === true, 'the key on at the job ID'), true);
    ui.type('tb-from-menu');
    await vscode.commands.executeCommand('paiTensorboard.createBoardForJobAtCursor');
    assert.equal(((await created())[0]?.body as Record<string, unknown>)?.JobId, OTHER_JOB);
    editor.selection = new vscode.Selection(1, 2, 1, 2);
    assert.equal(await eventually(atCursor, (v) => v === false, 'the key off again'), false);
  });

  it("Create Again from a deleted board's panel creates a board of the same source, without asking for it", async () => {
    const STOPPED_BOARD = 'tb9w3n6c1r8m2qxd'; // a board of dataset d-k2x8vq3m9r1tzw, folder /logs/
    await services.boards.refresh();
    const board = services.boards.get(STOPPED_BOARD)!;
    ui.press('Delete');
    await vscode.commands.executeCommand('paiTensorboard.deleteBoard', STOPPED_BOARD);
    await emulator().clearRequests();
    const picks = ui.quickPickTitles.length;
    ui.type('tb-again');
    // What the panel's Create Again button runs: the create, given the board the panel showed.
    await vscode.commands.executeCommand('paiTensorboard.createBoard', board);
    assert.deepEqual(ui.quickPickTitles.slice(picks), []);
    const body = (await created())[0]?.body as Record<string, unknown>;
    assert.equal(body?.DataSourceId, 'd-k2x8vq3m9r1tzw');
    assert.equal(body?.SummaryRelativePath, '/logs/');
    assert.equal(body?.DisplayName, 'tb-again');
  });

  it("says in the panel that a queued job has written nothing yet, over the board's empty page", async () => {
    ui.type('tb-queued');
    await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', FREE_JOB); // Queuing in the seed
    const board = services.boards.boards.find((b) => b.displayName === 'tb-queued');
    assert.ok(board, JSON.stringify(ui.messages));
    const html = await eventually(
      () => services.panels.get(board.tensorboardId)?.panel.webview.html ?? '',
      (text) => /<iframe id="board"/.test(text),
      'the board framed',
      20_000,
    );
    assert.match(
      html,
      new RegExp(
        `<span class="hint" id="blank-hint" data-after-ms="\\d+">Job ${FREE_JOB} is Queuing and has written nothing yet: reload when it runs\\.</span>`,
      ),
    );
  });

  it('compares several jobs in one board', async () => {
    ui.pick(/Several DLC jobs/)
      .pickMany(/llm-pretrain-7b|xgboost-ctr/)
      .type('tb-compare');
    await vscode.commands.executeCommand('paiTensorboard.createBoard');
    const body = (await created())[0]?.body as Record<string, unknown>;
    const sources = body?.TensorboardDataSources as Record<string, string>[];
    assert.deepEqual(
      sources?.map((s) => [s.SourceType, s.Id]).sort(),
      [
        ['dlcjob', OTHER_JOB],
        ['dlcjob', FREE_JOB],
      ].sort(),
    );
  });

  it('from an OSS folder typed in the palette, refusing a malformed URI', async () => {
    ui.pick(/OSS or NAS folder/).type(`${BUCKET}/experiments/run7/`, 'tb-run7');
    await vscode.commands.executeCommand('paiTensorboard.createBoard');
    const body = (await created())[0]?.body as Record<string, unknown>;
    assert.equal(body?.DataSourceType, 'OSS');
    assert.equal(body?.Uri, `${BUCKET}/experiments/run7/`);
    ui.pick(/OSS or NAS folder/).type('s3://bucket/run');
    await vscode.commands.executeCommand('paiTensorboard.createBoard');
    // The test's input box throws when the extension's validation refuses the value; the command boundary reports it.
    assert.match(ui.last('error')?.text ?? '', /input "s3:\/\/bucket\/run" rejected by the extension/);
    assert.equal((await created()).length, 1);
  });

  it('from a folder in the Explorer with a path mapping', async () => {
    await vscode.workspace
      .getConfiguration('paiTensorboard')
      .update(
        'pathMappings',
        [{ local: '${workspaceFolder}/logs', remote: `${BUCKET}/experiments/logs/` }],
        vscode.ConfigurationTarget.Global,
      );
    ui.type('tb-run1');
    await vscode.commands.executeCommand(
      'paiTensorboard.createBoardForFolder',
      vscode.Uri.joinPath(workspaceFolder, 'logs', 'run1'),
    );
    const body = (await created())[0]?.body as Record<string, unknown>;
    assert.equal(body?.Uri, `${BUCKET}/experiments/logs/run1/`);
    assert.equal(body?.SummaryRelativePath, '/');
    // The board's one run is named after the folder, not ".".
    assert.deepEqual(
      (body?.TensorboardDataSources as Record<string, unknown>[])?.map((s) => [s.DirectoryName, s.Uri]),
      [['run1', `${BUCKET}/experiments/logs/run1/`]],
    );
    assert.ok(openTabs().includes('tb-run1'));
    // The name prompt says which folder the board will read.
    assert.match(
      ui.inputPrompts.at(-1) ?? '',
      /^Name of the new TensorBoard for oss:\/\/pai-emulator-demo\.oss-cn-hangzhou-internal\.aliyuncs\.com\/experiments\/logs\/run1\/? \(/,
    );
  });

  it('shows a folder board with its OSS folder, and offers it again instead of a duplicate', async () => {
    await vscode.workspace
      .getConfiguration('paiTensorboard')
      .update(
        'pathMappings',
        [{ local: '${workspaceFolder}/logs', remote: `${BUCKET}/experiments/logs/` }],
        vscode.ConfigurationTarget.Global,
      );
    const folder = vscode.Uri.joinPath(workspaceFolder, 'logs', 'run1');
    ui.type('tb-run1');
    await vscode.commands.executeCommand('paiTensorboard.createBoardForFolder', folder);
    const row = ((await services.tree.getChildren()) as vscode.TreeItem[]).find((n) => n.label === 'tb-run1');
    // Still starting, the row names the folder; running, it says its time left and the tooltip names the folder.
    if (row?.contextValue === 'board.running') assert.match(String(row.description), / left$|, stops in /);
    else assert.match(String(row?.description), new RegExp(`^${BUCKET}/experiments/logs/run1/ · `));
    // Escaped, so that the tooltip links nothing: `\/` for each `/`.
    assert.ok((row?.tooltip as vscode.MarkdownString).value.includes('experiments\\/logs\\/run1\\/'));
    ui.press('Open Existing');
    await vscode.commands.executeCommand('paiTensorboard.createBoardForFolder', folder);
    assert.match(ui.last('info')?.text ?? '', /already exists: "tb-run1" \(Running\)/);
    assert.equal((await created()).length, 1, 'a second board was created for the same folder');
  });

  it('from a folder on a NAS mount of this machine', async () => {
    const mounts = path.join(tmpdir(), 'mounts');
    writeFileSync(
      mounts,
      `overlay / overlay rw 0 0\n0a1b2c3d4e-xyz12.cn-hangzhou.nas.aliyuncs.com:/ ${workspaceFolder.fsPath}/logs nfs4 rw,vers=4.0 0 0\n`,
    );
    process.env.PAI_TENSORBOARD_MOUNTS_FILE = mounts;
    ui.type('tb-nas-run1');
    await vscode.commands.executeCommand(
      'paiTensorboard.createBoardForFolder',
      vscode.Uri.joinPath(workspaceFolder, 'logs', 'run1'),
    );
    const body = (await created())[0]?.body as Record<string, unknown>;
    assert.equal(body?.DataSourceType, 'NAS');
    assert.equal(body?.Uri, 'nas://0a1b2c3d4e.cn-hangzhou/run1/');
  });

  it('says why it asks for a folder it cannot map, and creates no board over an OSS folder without event files', async () => {
    process.env.PAI_TENSORBOARD_MOUNTS_FILE = path.join(tmpdir(), 'no-mounts-here');
    const folder = vscode.Uri.joinPath(workspaceFolder, 'logs', 'run1');
    ui.pick(/Type the URI of a copy/).type(`${BUCKET}/logs/run1/`);
    await vscode.commands.executeCommand('paiTensorboard.createBoardForFolder', folder);
    assert.match(ui.quickPickTitles.at(-1) ?? '', /not in either as far as the extension can tell/);
    assert.match(ui.last('warning')?.text ?? '', /logs\/run1\/ holds no event files/);
    assert.deepEqual(await created(), [], 'a board over an empty folder was created');

    ui.pick(/Type the URI of a copy/).type(`${BUCKET}/mnist/logs/run1/`, 'tb-asked');
    await vscode.commands.executeCommand('paiTensorboard.createBoardForFolder', folder);
    assert.equal(((await created())[0]?.body as Record<string, unknown>)?.Uri, `${BUCKET}/mnist/logs/run1/`);
    assert.ok(
      ui.messages.some((message) => /so the next right-click on it finds its board at once/.test(message.text)),
      'the checked folder is offered as a path mapping',
    );
  });

  it('makes room when the account has reached its board limit', async () => {
    const client = services.connection.client();
    for (const name of ['a', 'b', 'c'])
      await client.createTensorboard({
        workspaceId: '86923',
        displayName: `filler-${name}`,
        uri: `${BUCKET}/${name}/`,
        dataSourceType: 'OSS',
        summaryRelativePath: '/',
      });
    await emulator().clearRequests();
    // The stopped board is picked, and deleted after the sidebar's own confirmation.
    ui.pick(/mnist-baseline/)
      .press('Delete')
      .type('tb-after-limit');
    await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', FREE_JOB);
    assert.ok(
      ui.quickPickTitles.some((t) => /TensorBoard limit/.test(t)),
      JSON.stringify(ui.quickPickTitles),
    );
    assert.equal(ui.last('warning')?.text, 'Delete the TensorBoard "mnist-baseline <v1>"?');
    const requests = await emulator().requests();
    assert.deepEqual(
      requests
        .filter((r) => ['CreateTensorboard', 'DeleteTensorboard'].includes(r.operation ?? ''))
        .map((r) => [r.operation, r.status, r.code]),
      [
        ['CreateTensorboard', 400, 'TensorboardLimitExceeded'],
        ['DeleteTensorboard', 200, undefined],
        ['CreateTensorboard', 200, undefined],
      ],
    );
  });

  it("says why a board failed to start, with the service's reason", async () => {
    ui.pick(/A PAI dataset/).type('d-doesnotexist0', '/logs/', 'tb-missing-dataset');
    ui.press(undefined);
    await vscode.commands.executeCommand('paiTensorboard.createBoard');
    const error = ui.last('error');
    assert.match(error?.text ?? '', /failed to start: DataSourceNotFound/);
    assert.deepEqual(error?.buttons, ['Show Logs']);
    // No API this extension calls lists datasets: the prompt says where the ID is.
    assert.match(ui.inputPrompts[0] ?? '', /^Dataset ID, .*AI Asset Management › Datasets/);
  });

  it('names a job that does not exist', async () => {
    await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', 'dlc0000000000zz1');
    assert.match(ui.last('error')?.text ?? '', /Could not find DLC job dlc0000000000zz1 in cn-hangzhou/);
    assert.equal((await created()).length, 0);
  });

  it('offers to sign in first when signed out, then goes on with the create', async () => {
    await vscode.commands.executeCommand('paiTensorboard.signOut');
    await emulator().clearRequests();
    ui.press('Sign In')
      .pick(/environment variables/)
      .type('tb-after-sign-in');
    await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', FREE_JOB);
    const offer = ui.messages.find((m) => /Sign in to Alibaba Cloud to create a TensorBoard\./.test(m.text));
    assert.deepEqual(offer?.buttons, ['Sign In'], JSON.stringify(ui.messages));
    assert.equal(ui.last('error'), undefined);
    assert.equal(((await created())[0]?.body as Record<string, unknown>)?.JobId, FREE_JOB);
    assert.deepEqual(openTabs(), ['tb-after-sign-in']);
  });

  it('Sign In from a failed create signs in and goes on with that create', async () => {
    // Signed in with STS credentials that expire before the create: the service refuses them, the error offers Sign In.
    const sts = await emulator().issueStsCredentials(60_000);
    ui.pick(/Enter an AccessKey pair/).type(sts.accessKeyId, sts.accessKeySecret, sts.securityToken);
    assert.equal(await vscode.commands.executeCommand('paiTensorboard.signIn'), true);
    await emulator().advanceClock(120_000);
    await emulator().clearRequests();
    ui.press('Sign In')
      .pick(/environment variables/)
      .type('tb-resumed');
    await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', FREE_JOB);
    const failed = ui.messages.find((m) => m.severity === 'error');
    assert.match(failed?.text ?? '', /STS token has expired/);
    assert.ok(failed?.buttons.includes('Sign In'), JSON.stringify(failed));
    const [create] = await eventually(created, (c) => c.length > 0, 'the resumed CreateTensorboard', 15_000);
    assert.equal((create?.body as Record<string, unknown>)?.JobId, FREE_JOB);
    await eventually(openTabs, (tabs) => tabs.includes('tb-resumed'), 'the resumed board open', 15_000);
  });

  it('from the palette, signed out: offers to sign in before anything else, and sends nothing when declined', async () => {
    await vscode.commands.executeCommand('paiTensorboard.signOut');
    await emulator().clearRequests();
    const picks = ui.quickPickTitles.length;
    ui.press(undefined);
    await vscode.commands.executeCommand('paiTensorboard.createBoard');
    assert.match(ui.last('info')?.text ?? '', /Sign in to Alibaba Cloud to create a TensorBoard\./);
    assert.equal(ui.last('error'), undefined);
    assert.deepEqual(ui.quickPickTitles.slice(picks), []);
    assert.deepEqual(ui.inputPrompts, []);
    assert.deepEqual(await emulator().requests(), []);
  });

  it('asks for a workspace when none is chosen, keeps it, and creates the board in it', async () => {
    await updateUserSetting('workspaceId', '');
    const picks = ui.quickPickTitles.length;
    ui.pick(/emulator-sandbox/).type('tb-sandbox');
    await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', SANDBOX_JOB);
    assert.deepEqual(ui.quickPickTitles.slice(picks), ['Select the PAI Workspace']);
    const kept = await eventually(
      () => vscode.workspace.getConfiguration('paiTensorboard').inspect('workspaceId')?.globalValue,
      (v) => v === '86924',
    );
    assert.equal(kept, '86924');
    const body = (await created())[0]?.body as Record<string, unknown>;
    assert.equal(body?.WorkspaceId, '86924');
    assert.equal(body?.JobId, SANDBOX_JOB);
    assert.deepEqual(openTabs(), ['tb-sandbox']);
  });

  it('creates nothing when no workspace is chosen and the workspace pick is dismissed', async () => {
    await updateUserSetting('workspaceId', '');
    const picks = ui.quickPickTitles.length;
    ui.dismissPick();
    await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', SANDBOX_JOB);
    assert.deepEqual(ui.quickPickTitles.slice(picks), ['Select the PAI Workspace']);
    assert.deepEqual(ui.inputPrompts, []);
    assert.equal((await created()).length, 0);
    assert.equal(vscode.workspace.getConfiguration('paiTensorboard').inspect('workspaceId')?.globalValue, '');
  });

  it("starts the job's stopped board when offered and chosen, waits until it runs, and opens it", async () => {
    await emulator().setBoardStatus(SEEDED_BOARD, 'Stopped');
    ui.press('Open Existing');
    await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', SEEDED_JOB);
    const offer = ui.messages.find((m) => /already exists/.test(m.text));
    assert.match(offer?.text ?? '', /already exists: "resnet50-imagenet" \(Stopped\)/);
    assert.deepEqual(offer?.buttons, ['Open Existing', 'Create New']);
    const requests = await emulator().requests();
    assert.deepEqual(
      requests.filter((r) => r.operation === 'StartTensorboard').map((r) => [r.method, r.path, r.status]),
      [['PUT', `/api/v1/tensorboards/${SEEDED_BOARD}/start`, 200]],
    );
    assert.equal((await created()).length, 0);
    assert.deepEqual(openTabs(), ['resnet50-imagenet']);
    assert.equal(services.panels.get(SEEDED_BOARD)?.showing, 'running');
  });

  it('creates a new board for the job when "Create New" is chosen over its stopped one', async () => {
    await emulator().setBoardStatus(SEEDED_BOARD, 'Stopped');
    ui.press('Create New').type('tb-resnet-again');
    await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', SEEDED_JOB);
    const creates = await created();
    assert.equal(creates.length, 1);
    assert.equal((creates[0]!.body as Record<string, unknown>).JobId, SEEDED_JOB);
    assert.equal((creates[0]!.body as Record<string, unknown>).DisplayName, 'tb-resnet-again');
    assert.deepEqual(
      (await emulator().requests()).filter((r) => r.operation === 'StartTensorboard'),
      [],
    );
    assert.deepEqual(openTabs(), ['tb-resnet-again']);
  });

  it('from a PAI dataset: sends the dataset, its folder and the mount path as the API takes them, and opens the board', async () => {
    await vscode.workspace
      .getConfiguration('paiTensorboard')
      .update('newBoard.mountPath', '/root/data/', vscode.ConfigurationTarget.Global);
    ui.pick(/A PAI dataset/).type('d-w5t9f2j8l3sxua', '/tb/run1/', 'tb-ctr');
    await vscode.commands.executeCommand('paiTensorboard.createBoard');
    assert.deepEqual((await created())[0]?.body, {
      WorkspaceId: '86923',
      DisplayName: 'tb-ctr',
      MaxRunningTimeMinutes: 240,
      Accessibility: 'PRIVATE',
      Priority: '1',
      DataSourceId: 'd-w5t9f2j8l3sxua',
      SummaryRelativePath: '/tb/run1/',
      // Options is JSON text, not an object (reference: `{"mountpath":"/root/data/"}`).
      Options: '{"mountpath":"/root/data/"}',
    });
    assert.equal(ui.last('error'), undefined);
    assert.deepEqual(openTabs(), ['tb-ctr']);
    const board = services.boards.boards.find((b) => b.displayName === 'tb-ctr');
    assert.equal(board?.status, 'Running');
    assert.equal(services.panels.get(board!.tensorboardId)?.showing, 'running');
  });
});
