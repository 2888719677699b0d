import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type Start = { mode: 'browser' } | { mode: 'desktop'; code: string } | { mode: 'none'; message: string };
interface StartMode {
  chooseStart(machine: {
    platform: string;
    env: Record<string, string | undefined>;
    runs: (command: string) => boolean;
  }): Start;
}

// Compiled to out/test/unit/runner/, so the checkout is four folders up.
const root = path.resolve(__dirname, '..', '..', '..', '..');
const MAC_APP = '/Applications/Visual Studio Code.app/Contents/Resources/app/bin/code';

describe('which VS Code npm start opens', () => {
  let chooseStart: StartMode['chooseStart'];
  before(async () => {
    ({ chooseStart } = (await import(pathToFileURL(path.join(root, 'scripts', 'startMode.mjs')).href)) as StartMode);
  });

  /** A machine where exactly `commands` run. */
  const machine = (platform: string, commands: string[], env: Record<string, string | undefined> = {}) => ({
    platform,
    env: { HOME: '/Users/ml', ...env },
    runs: (command: string) => commands.includes(command),
  });

  it('Debian or Ubuntu (and CI): code-server in the browser, as before, desktop VS Code or not', () => {
    assert.deepEqual(chooseStart(machine('linux', ['dpkg-query', 'apt-get'])), { mode: 'browser' });
    assert.deepEqual(chooseStart(machine('linux', ['dpkg-query', 'apt-get', 'code'])), { mode: 'browser' });
  });

  it('macOS: the desktop VS Code, on the PATH or where its installer put it', () => {
    assert.deepEqual(chooseStart(machine('darwin', ['code'])), { mode: 'desktop', code: 'code' });
    assert.deepEqual(chooseStart(machine('darwin', [MAC_APP])), { mode: 'desktop', code: MAC_APP });
    const home = '/Users/ml/Applications/Visual Studio Code.app/Contents/Resources/app/bin/code';
    assert.deepEqual(chooseStart(machine('darwin', [home])), { mode: 'desktop', code: home });
  });

  it('another Linux, or VSCODE_BIN: the desktop VS Code', () => {
    assert.deepEqual(chooseStart(machine('linux', ['code'])), { mode: 'desktop', code: 'code' });
    assert.deepEqual(
      chooseStart(machine('linux', ['/opt/vscodium/bin/codium'], { VSCODE_BIN: '/opt/vscodium/bin/codium' })),
      {
        mode: 'desktop',
        code: '/opt/vscodium/bin/codium',
      },
    );
    // The macOS places are not looked at elsewhere.
    assert.equal(chooseStart(machine('linux', [MAC_APP])).mode, 'none');
  });

  it('neither: one line that says what to install, before anything is done', () => {
    const start = chooseStart(machine('darwin', []));
    assert.equal(start.mode, 'none');
    assert.match(
      start.mode === 'none' ? start.message : '',
      /^npm start needs Debian or Ubuntu .*install VS Code .*VSCODE_BIN/,
    );
    assert.doesNotMatch(start.mode === 'none' ? start.message : '', /\n/);
  });

  it('PAI_START chooses against the guess', () => {
    const debianWithCode = ['dpkg-query', 'apt-get', 'code'];
    assert.deepEqual(chooseStart(machine('linux', debianWithCode, { PAI_START: 'desktop' })), {
      mode: 'desktop',
      code: 'code',
    });
    assert.equal(chooseStart(machine('darwin', ['code'], { PAI_START: 'browser' })).mode, 'none');
  });
});
