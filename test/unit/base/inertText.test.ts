import assert from 'node:assert/strict';
import { inertText } from '../../../src/base/inertText';

/** What a notification turns into a link: a bracketed label right before a parenthesised http(s), command or file target. */
const notificationLink = /\[[^\]]+\]\((?:https?:\/\/|command:|file:)[^)\s]+/i;

describe('base/inertText (service text in a notification is never a link)', () => {
  const hostile = [
    '[Open it](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%5Cn%22%7D)',
    'see [docs](https://evil.example/x "title")',
    '[[nested](command:a)](file:///etc/passwd)',
    '[x](COMMAND:workbench.action.reloadWindow)',
  ];

  it('leaves no link in what it is given', () => {
    for (const text of hostile) {
      assert.match(text, notificationLink, `the case itself is no link: ${text}`);
      assert.doesNotMatch(inertText(text), notificationLink, text);
    }
  });

  it('keeps the words as they were, brackets included', () => {
    assert.equal(inertText('[Open it](command:x)'), '[Open it] (command:x)');
    assert.equal(inertText('mnist-baseline <v1> [exp 3]'), 'mnist-baseline <v1> [exp 3]');
  });
});
