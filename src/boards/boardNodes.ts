import * as vscode from 'vscode';
import type { Tensorboard } from '../api';
import { commandTo } from '../base/commandCalls';
import { boardContextValue, boardName, boardPhase, phaseIcon, type BoardPhase } from './status';
import { ageOf, countdown, localTime, type StopForecast } from './time';
import { durationUnits } from './durationUnits';

export class BoardNode extends vscode.TreeItem {
  readonly phase: BoardPhase;

  /**
   * `fetchedAt`: when the board's state was fetched, so its time left counts down at each re-render; `forecast`: when
   * the guard stops it by itself.
   */
  constructor(
    readonly board: Tensorboard,
    now: number,
    clock: { readonly fetchedAt?: number; readonly forecast?: StopForecast } = {},
  ) {
    super(boardName(board), vscode.TreeItemCollapsibleState.None);
    this.phase = boardPhase(board.status);
    this.id = `board:${board.tensorboardId}`;
    this.contextValue = boardContextValue(this.phase);
    const icon = phaseIcon(this.phase);
    this.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    const time = this.phase === 'running' ? timeText(board, now, clock.fetchedAt, clock.forecast) : undefined;
    this.description = time ?? describe(board, this.phase, now);
    this.tooltip = tooltip(board, time);
    this.accessibilityInformation = {
      label: vscode.l10n.t('{0}, {1}', String(this.label), board.status ?? vscode.l10n.t('unknown status')),
    };
  }
}

export function sourceOf(board: Tensorboard): string | undefined {
  if (board.jobId) return board.jobId;
  const sources = board.tensorboardDataSources ?? [];
  if (sources.length > 1) return vscode.l10n.t('{0} sources', sources.length);
  const single = sources[0];
  const path = single?.fullSummaryPath || board.uri || board.dataSourceId || single?.uri;
  const relative = board.summaryRelativePath ?? board.summaryPath ?? single?.summaryPath;
  return path
    ? `${path}${relative && !path.endsWith(relative) ? relative.replace(/^\/?/, path.endsWith('/') ? '' : '/') : ''}`
    : relative;
}

/** A running board's time: short, so the default sidebar width shows it whole; source and age are in the tooltip. */
function timeText(
  board: Tensorboard,
  now: number,
  fetchedAt: number | undefined,
  forecast: StopForecast | undefined,
): string | undefined {
  const time = countdown(board, now, fetchedAt, forecast, durationUnits());
  switch (time?.kind) {
    case 'left':
      return vscode.l10n.t('{0} left', time.left);
    case 'idle':
      return vscode.l10n.t('idle {0}, stops in {1}', time.idle, time.stopsIn);
    case 'jobEnded':
      return vscode.l10n.t('job ended, stops in {0}', time.stopsIn);
    default:
      return undefined;
  }
}

function describe(board: Tensorboard, phase: BoardPhase, now: number): string {
  const parts = [sourceOf(board), ageOf(board.gmtCreateTime, now, durationUnits())];
  if (phase !== 'running') parts.push(board.status);
  return parts.filter(Boolean).join(' · ');
}

function tooltip(board: Tensorboard, time: string | undefined): vscode.MarkdownString {
  const rows: [string, string | number | undefined][] = [
    [vscode.l10n.t('Status'), board.status],
    [vscode.l10n.t('Time'), time],
    [vscode.l10n.t('ID'), board.tensorboardId],
    [vscode.l10n.t('Source'), sourceOf(board)],
    [vscode.l10n.t('Created'), localTime(board.gmtCreateTime, vscode.env.language)],
    [
      vscode.l10n.t('Max running time'),
      board.maxRunningTimeMinutes ? vscode.l10n.t('{0} min', board.maxRunningTimeMinutes) : undefined,
    ],
    [vscode.l10n.t('Accessibility'), board.accessibility],
    [vscode.l10n.t('Creator'), board.username ?? board.userId],
    [vscode.l10n.t('Reason'), [board.reasonCode, board.reasonMessage].filter(Boolean).join(': ') || undefined],
  ];
  const md = new vscode.MarkdownString();
  md.supportHtml = false;
  md.isTrusted = false;
  md.appendMarkdown(`**${escapeMarkdown(boardName(board))}**\n\n`);
  for (const [name, value] of rows) {
    if (value !== undefined && value !== '')
      md.appendMarkdown(`${vscode.l10n.t('{0}: {1}', name, escapeMarkdown(String(value)))}  \n`);
  }
  return md;
}

/**
 * Names and messages come from the service: they must read as plain text, never as markup or links. Every ASCII
 * punctuation character is backslash-escaped (CommonMark allows it for all of them), so besides `*`, `[` or `<`
 * also the `:` and `/` of `https://…`, the `.` of `www.…` and the `@` of an address are, and GFM's autolinking of
 * bare URLs finds nothing to link.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

export class LoadMoreNode extends vscode.TreeItem {
  constructor(loaded: number, total: number) {
    super(vscode.l10n.t('Load more ({0} of {1} shown)', loaded, total), vscode.TreeItemCollapsibleState.None);
    this.id = 'loadMore';
    this.iconPath = new vscode.ThemeIcon('ellipsis');
    this.contextValue = 'loadMore';
    this.command = commandTo('paiTensorboard.loadMoreBoards', vscode.l10n.t('Load More'));
  }
}

/** A list that failed: clicked, it retries, or signs in when that is what the failure calls for. */
export class ErrorNode extends vscode.TreeItem {
  constructor(message: string, signIn = false) {
    super(
      signIn
        ? vscode.l10n.t('Could not load TensorBoards: click to sign in')
        : vscode.l10n.t('Could not load TensorBoards: click to retry'),
      vscode.TreeItemCollapsibleState.None,
    );
    this.id = 'error';
    this.description = message;
    this.tooltip = message;
    this.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    this.contextValue = 'error';
    this.command = signIn
      ? commandTo('paiTensorboard.signIn', vscode.l10n.t('Sign In'))
      : commandTo('paiTensorboard.refresh', vscode.l10n.t('Retry'));
  }
}

export type TreeNode = BoardNode | LoadMoreNode | ErrorNode;
