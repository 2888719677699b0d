import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { reportError, TransientFailure } from '../../src/base/reportError';
import type { Services } from '../../src/services';
import { calls, cancellableProgress } from './flowSupport';
import { emulator, extensionServices, signedInFresh, type Ui } from './support';

const RUNNING = 'tb4k8lc5xfu36opt'; // the seed's job board: runs run1 and run2
const STOPPED = 'tb9w3n6c1r8m2qxd';

/** One row of an export, as the board's data API gives its parts. */
type Row = [run: string, tag: string, step: number, wallTime: number, value: number | string];

/** What the board's own data API answers, read here the way TensorBoard's frontend reads it. */
async function dataApiRows(services: Services): Promise<Row[]> {
  const { url } = await services.connection
    .client()
    .getTensorboardSharedUrl(RUNNING, { expireTimeSeconds: 3600, workspaceId: services.connection.workspaceId });
  const get = async (relative: string) => {
    const answer = await fetch(new URL(relative, url));
    assert.equal(answer.status, 200, `${relative} answered ${answer.status}`);
    return (await answer.json()) as unknown;
  };
  const runs = (await get('data/runs')) as string[];
  const tags = (await get('data/plugin/scalars/tags')) as Record<string, Record<string, unknown>>;
  const rows: Row[] = [];
  for (const run of runs)
    for (const tag of Object.keys(tags[run] ?? {})) {
      const query = new URLSearchParams({ run, tag });
      const points = (await get(`data/plugin/scalars/scalars?${query}`)) as [number, number, number][];
      for (const [wallTime, step, value] of points) rows.push([run, tag, step, wallTime, value]);
    }
  return rows;
}

/** The CSV's rows, typed like the data API's (the names here hold no comma or quote). */
function csvRows(text: string): { header: string; rows: Row[] } {
  const [header = '', ...lines] = text.split('\r\n');
  assert.equal(lines.pop(), '', 'the file ends with a line break');
  return {
    header,
    rows: lines.map((line) => {
      const [run = '', tag = '', step, wallTime, value] = line.split(',');
      return [run, tag, Number(step), Number(wallTime), Number(value)];
    }),
  };
}

describe('Export Board Data', function () {
  this.timeout(60_000); // the board's real TensorBoard starts at its first page request
  let services: Services;
  let ui: Ui;
  let folder: string;
  let saveAs: vscode.Uri | undefined;
  let picks: { items: readonly (vscode.QuickPickItem & { picked?: boolean })[]; title?: string }[];
  let answerPick: (items: readonly vscode.QuickPickItem[]) => readonly vscode.QuickPickItem[] | undefined;
  const window = vscode.window as unknown as Record<string, unknown>;
  const realSaveDialog = vscode.window.showSaveDialog;

  before(async () => {
    services = await extensionServices();
  });
  beforeEach(async () => {
    ui = await signedInFresh(1_000);
    await emulator().setPageSwitches({ realBoards: true });
    await services.boards.refresh();
    folder = mkdtempSync(path.join(tmpdir(), 'export-'));
    saveAs = undefined;
    picks = [];
    answerPick = (items) => items.filter((item) => item.picked);
    // The series pick and the save dialog, answered as a user would (the Ui answers the rest).
    window.showQuickPick = async (items: readonly vscode.QuickPickItem[], options?: vscode.QuickPickOptions) => {
      picks.push({ items, title: options?.title });
      return answerPick(items);
    };
    window.showSaveDialog = async (options?: vscode.SaveDialogOptions) => {
      assert.match(options?.defaultUri?.path ?? '', /\/resnet50-imagenet-scalars\.csv$/);
      return saveAs;
    };
  });
  afterEach(async () => {
    ui.restore();
    window.showSaveDialog = realSaveDialog;
    rmSync(folder, { recursive: true, force: true });
    await emulator().reset();
  });

  it("writes every series of a board with several runs and tags to one CSV, equal to the board's data API", async () => {
    saveAs = vscode.Uri.file(path.join(folder, 'board.csv'));
    ui.press(undefined);
    await vscode.commands.executeCommand('paiTensorboard.exportBoardData', RUNNING);

    // Every series was offered, picked by default: two runs of three tags each.
    const [offered] = picks;
    assert.equal(offered?.title, 'Export the scalars of "resnet50-imagenet"');
    assert.deepEqual(
      offered.items.map((item) => `${item.description}/${item.label} ${item.picked}`).sort(),
      ['accuracy', 'learning_rate', 'loss'].flatMap((tag) => [`run1/${tag} true`, `run2/${tag} true`]).sort(),
    );
    // With the board's own access: the shared link the export asked for.
    assert.equal((await calls('GetTensorboardSharedUrl')).length, 1);
    const { header, rows } = csvRows(readFileSync(saveAs.fsPath, 'utf8'));
    assert.equal(header, 'run,tag,step,wall_time,value');
    const expected = await dataApiRows(services);
    assert.equal(expected.length, 2 * 3 * 50);
    assert.deepEqual(rows, expected);
    assert.deepEqual(ui.last('info'), {
      severity: 'info',
      text: 'Exported 300 values of 6 series from "resnet50-imagenet".',
      detail: undefined,
      buttons: ['Open'],
    });
  });

  it('writes only the series the user picked, as JSON when the file is named so', async () => {
    saveAs = vscode.Uri.file(path.join(folder, 'loss.json'));
    answerPick = (items) => items.filter((item) => item.label === 'loss');
    ui.press(undefined);
    await vscode.commands.executeCommand('paiTensorboard.exportBoardData', RUNNING);
    const written = JSON.parse(readFileSync(saveAs.fsPath, 'utf8')) as Record<string, unknown>[];
    const expected = (await dataApiRows(services)).filter(([, tag]) => tag === 'loss');
    assert.equal(expected.length, 100);
    assert.deepEqual(
      written,
      expected.map(([run, tag, step, wallTime, value]) => ({ run, tag, step, wallTime, value })),
    );
  });

  /** Runs the export and presses Cancel on its progress notification whose title matches `step`. */
  async function exportCancelledAt(step: RegExp): Promise<void> {
    const progress = cancellableProgress(step);
    try {
      const exporting = vscode.commands.executeCommand('paiTensorboard.exportBoardData', RUNNING);
      await progress.started;
      progress.cancel();
      await exporting;
    } finally {
      progress.restore();
    }
  }

  it('leaves no file when the user cancels the export', async () => {
    saveAs = vscode.Uri.file(path.join(folder, 'cancelled.csv'));
    await exportCancelledAt(/^Exporting/);
    assert.equal(existsSync(saveAs.fsPath), false);
    assert.deepEqual(
      ui.messages.filter((m) => /Export/.test(m.text)),
      [],
    );
  });

  it('stops when the user cancels while the board is read: no pick, no dialog, no message', async () => {
    saveAs = vscode.Uri.file(path.join(folder, 'never.csv'));
    await exportCancelledAt(/^Reading/);
    assert.deepEqual(picks, []);
    assert.equal(existsSync(saveAs.fsPath), false);
    assert.deepEqual(
      ui.messages.filter((m) => /resnet50-imagenet|read|export/i.test(m.text)),
      [],
    );
  });

  it("reports a board that stalled past the export's deadline with Retry, which tries again", async () => {
    // The export's stall (BoardTimeoutError, unit-tested) reaches the command boundary as this failure.
    let retried = 0;
    ui.press('Retry');
    await reportError(
      services.log,
      'Could not export the data of "resnet50-imagenet"',
      new TransientFailure('The board gave no full answer within 30 seconds (data/runs).'),
      () => retried++,
    );
    assert.deepEqual(ui.last('error'), {
      severity: 'error',
      text: 'Could not export the data of "resnet50-imagenet": The board gave no full answer within 30 seconds (data/runs).',
      detail: undefined,
      buttons: ['Retry', 'Show Logs'],
    });
    assert.equal(retried, 1);
  });

  it('says a stopped board cannot be read, and its Start starts it', async () => {
    ui.press('Start');
    await vscode.commands.executeCommand('paiTensorboard.exportBoardData', STOPPED);
    assert.deepEqual(ui.last('warning'), {
      severity: 'warning',
      text: 'TensorBoard "mnist-baseline <v1>" is not running, so its data cannot be read. Start it, then export again.',
      detail: undefined,
      buttons: ['Start'],
    });
    assert.deepEqual(picks, []);
    assert.deepEqual(
      (await calls('StartTensorboard')).map((r) => r.path),
      [`/api/v1/tensorboards/${STOPPED}/start`],
    );
  });
});
