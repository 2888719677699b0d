import * as vscode from 'vscode';
import type { CommandId } from '../base/commandIds';
import { findJobIds } from './jobIds';

const CREATE = 'paiTensorboard.createBoardForJob' satisfies CommandId;
const OPEN = 'paiTensorboard.openBoard' satisfies CommandId;

/** The board that already runs for a job, when the boards are known (the extension itself is loaded). */
export type RunningBoardOf = (jobId: string) => string | undefined;

/**
 * A hover on a DLC job ID in any text (code, logs, notebook output) with a link that opens the job's running board,
 * or else creates one (the create offers a stopped one of the job first). The link may run those two commands only.
 */
export function registerJobHover(runningBoardOf: RunningBoardOf): vscode.Disposable {
  return vscode.languages.registerHoverProvider(
    { pattern: '**' },
    {
      provideHover(document, position) {
        const line = document.lineAt(position.line).text;
        const match = findJobIds(line).find((m) => m.start <= position.character && position.character <= m.end);
        if (!match) return undefined;
        const running = runningBoardOf(match.jobId);
        const [command, text, arg] = running
          ? [OPEN, vscode.l10n.t('Open PAI TensorBoard of {0}', match.jobId), running]
          : [CREATE, vscode.l10n.t('Create PAI TensorBoard for {0}', match.jobId), match.jobId];
        const args = encodeURIComponent(JSON.stringify([arg]));
        const markdown = new vscode.MarkdownString(`$(graph-line) [${text}](command:${command}?${args})`, true);
        markdown.isTrusted = { enabledCommands: [CREATE, OPEN] };
        return new vscode.Hover(markdown, new vscode.Range(position.line, match.start, position.line, match.end));
      },
    },
  );
}
