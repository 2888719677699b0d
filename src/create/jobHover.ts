import * as vscode from 'vscode';
import type { CommandId } from '../base/commandIds';
import { findJobIds } from './jobIds';

const COMMAND = 'paiTensorboard.createBoardForJob' satisfies CommandId;

/**
 * A hover on a DLC job ID in any text (code, logs, notebook output) with a link that creates its TensorBoard.
 * The link may run that one command and nothing else.
 */
export function registerJobHover(): vscode.Disposable {
  return vscode.languages.registerHoverProvider(
    { pattern: '**' },
    {
      provideHover(document, position) {
        const line = document.lineAt(position.line).text;
        const match = findJobIds(line).find((m) => m.start <= position.character && position.character <= m.end);
        if (!match) return undefined;
        const args = encodeURIComponent(JSON.stringify([match.jobId]));
        const markdown = new vscode.MarkdownString(
          `$(graph-line) [${vscode.l10n.t('Create PAI TensorBoard for {0}', match.jobId)}](command:${COMMAND}?${args})`,
          true,
        );
        markdown.isTrusted = { enabledCommands: [COMMAND] };
        return new vscode.Hover(markdown, new vscode.Range(position.line, match.start, position.line, match.end));
      },
    },
  );
}
