/**
 * A sentence for the user: English `text` with `{0}`… placeholders, and what fills them. `src/api` cannot translate
 * (it does not import vscode); the VS Code layer does, with `vscode.l10n.t`, and scripts/l10nStrings.mjs finds
 * every `sentence('…')` call as it finds `vscode.l10n.t('…')`, so each has its translations in l10n/.
 */
export interface Sentence {
  readonly text: string;
  readonly args: readonly (string | Sentence)[];
}

export function sentence(text: string, ...args: (string | Sentence)[]): Sentence {
  return { text, args };
}

/** Turns a sentence's text, with its arguments already rendered, into what is shown. */
export type Translate = (text: string, args: string[]) => string;

export const inEnglish: Translate = (text, args) =>
  text.replace(/\{(\d+)\}/g, (hole, index: string) => args[Number(index)] ?? hole);

export function render(value: Sentence, translate: Translate = inEnglish): string {
  return translate(
    value.text,
    value.args.map((arg) => (typeof arg === 'string' ? arg : render(arg, translate))),
  );
}
