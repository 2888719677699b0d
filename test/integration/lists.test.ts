import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';
import { calls, defaultSeed, resetToDefaultSeed, resetToSeed } from './flowSupport';
import { emulator, extensionServices, signedInFresh, type Ui } from './support';

/** More boards than the sidebar's page (50) holds, besides the seed's two. */
const EXTRA_BOARDS = 55;

type Node = vscode.TreeItem & { board?: { tensorboardId: string } };

describe('the sidebar beyond its first page', () => {
  let services: Services;
  let ui: Ui;

  before(async () => {
    services = await extensionServices();
  });
  beforeEach(async () => {
    const seed = defaultSeed();
    for (let i = 0; i < EXTRA_BOARDS; i++) {
      const n = String(i).padStart(2, '0');
      // Older than the seed's two boards and ordered by number, so the list's order is known: bulk-00 newest.
      seed.tensorboards!.push({
        tensorboardId: `tbbulk0000000${n}`,
        displayName: `bulk-${n}`,
        status: 'Stopped',
        userId: '1157703270994901',
        workspaceId: '86923',
        createdMinutesAgo: 20_000 + i,
        finishedMinutesAgo: 19_000,
        jobId: 'dlc7yq2c8kd0hx1m',
      });
    }
    await resetToSeed(seed);
    ui = await signedInFresh(500);
  });
  afterEach(async () => {
    ui.restore();
    await resetToDefaultSeed();
  });

  async function rows(): Promise<Node[]> {
    return (await services.tree.getChildren()) as Node[];
  }

  const allIds = () => [
    'tb4k8lc5xfu36opt',
    'tb9w3n6c1r8m2qxd',
    ...Array.from({ length: EXTRA_BOARDS }, (_, i) => `tbbulk0000000${String(i).padStart(2, '0')}`),
  ];

  it('shows the first page with a Load More row, which loads the next page after it', async () => {
    await services.boards.refresh();
    let shown = await rows();
    assert.equal(shown.length, 51);
    assert.deepEqual(
      shown.slice(0, 50).map((n) => n.board?.tensorboardId),
      allIds().slice(0, 50),
    );
    const more = shown[50]!;
    assert.equal(more.label, 'Load more (50 of 57 shown)');
    assert.equal(more.command?.command, 'paiTensorboard.loadMoreBoards');
    const [first] = await calls('ListTensorboards');
    assert.equal(first?.query.PageNumber, '1');
    assert.equal(first?.query.PageSize, '50');

    await emulator().clearRequests();
    await vscode.commands.executeCommand(more.command!.command, ...(more.command!.arguments ?? []));
    const pages = await calls('ListTensorboards');
    assert.deepEqual(
      pages.map((r) => [r.query.PageNumber, r.query.PageSize, r.query.WorkspaceId]),
      [['2', '50', '86923']],
    );
    shown = await rows();
    assert.deepEqual(
      shown.map((n) => n.board?.tensorboardId),
      allIds(),
      'not every board once, newest first',
    );
  });

  it('says when the next page cannot be loaded, and keeps what it shows', async () => {
    await services.boards.refresh();
    await emulator().injectFault({ kind: 'internalError', operation: 'ListTensorboards', times: 20 });
    await vscode.commands.executeCommand('paiTensorboard.loadMoreBoards');
    const error = ui.last('error');
    assert.match(error?.text ?? '', /^Could not load more TensorBoards: /);
    assert.ok(error?.buttons.includes('Retry'), JSON.stringify(error));
    const shown = await rows();
    assert.equal(shown.length, 51);
    assert.equal(shown[50]!.label, 'Load more (50 of 57 shown)');
  });
});
