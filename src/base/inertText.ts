/**
 * Text with no link VS Code would make of it. A notification's text is parsed for `[label](https://…)`,
 * `[label](command:…)` and `[label](file:…)`, and clicking such a link runs the command with any arguments it names:
 * a board name, a failure reason or a RequestId from the service could turn one click into a shell command. A space
 * between `]` and `(` is all it takes for the text to stay text; the extension's own messages carry no links.
 */
export function inertText(text: string): string {
  return text.replace(/\]\s*\(/g, '] (');
}
