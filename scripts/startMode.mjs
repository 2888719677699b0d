// Which VS Code `npm start` opens on this machine, decided before anything is installed. Pure: the caller hands in
// what it found, so test/unit/runner/startMode.test.ts checks each machine without being on it.
//   browser: code-server in Chromium, installed by scripts/setupVscode.sh from Debian's archive (apt): Debian and
//            Ubuntu, and CI.
//   desktop: a desktop VS Code already installed (macOS, other Linux distributions), through scripts/startDesktop.mjs.
//   none:    neither; `message` says in one line what to install or run instead.

/** Where VS Code's own installer puts its `code` launcher on macOS, for a user who never put it on the PATH. */
const macLaunchers = (home) => [
  '/Applications/Visual Studio Code.app/Contents/Resources/app/bin/code',
  `${home}/Applications/Visual Studio Code.app/Contents/Resources/app/bin/code`,
];

/**
 * @param {{ platform: string, env: Record<string, string | undefined>, runs: (command: string) => boolean }} machine
 *   `runs(command)` tells whether `command --version` runs here.
 * @returns {{ mode: 'browser' } | { mode: 'desktop', code: string } | { mode: 'none', message: string }}
 */
export function chooseStart({ platform, env, runs }) {
  const wanted = env.PAI_START; // `browser` or `desktop` overrides the choice
  const debian = platform === 'linux' && runs('dpkg-query') && runs('apt-get');
  if (wanted !== 'desktop' && debian) return { mode: 'browser' };
  const candidates = [env.VSCODE_BIN, 'code', ...(platform === 'darwin' ? macLaunchers(env.HOME ?? '') : [])];
  const code = candidates.find((candidate) => candidate && runs(candidate));
  if (wanted !== 'browser' && code) return { mode: 'desktop', code };
  const needs =
    wanted === 'browser'
      ? 'PAI_START=browser needs Debian or Ubuntu (apt) to install its VS Code in a browser'
      : 'npm start needs Debian or Ubuntu (apt) for its VS Code in a browser, or a desktop VS Code';
  return {
    mode: 'none',
    message: `${needs}: install VS Code (https://code.visualstudio.com), put \`code\` on the PATH or set VSCODE_BIN, then run npm start again.`,
  };
}
