// `npm run package`: the minified bundle, then the .vsix with @vscode/vsce, and its size.
// Usage: node scripts/package.mjs [--if-stale]
//   --if-stale  do nothing when the .vsix is newer than everything it is made from (the e2e run uses this)
// vsce's warnings fail the packaging: a manifest that needs fixing is fixed, not shipped.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the .vsix lands: `<name>-<version>.vsix` in the project's root (ignored by git). */
export function vsixPath() {
  const { name, version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  return path.join(root, `${name}-${version}.vsix`);
}

/** What the .vsix is made from: the bundle's sources and everything .vscodeignore lets in. */
const INPUTS = [
  'package.json',
  'package-lock.json',
  'package.nls.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  '.vscodeignore',
  'esbuild.mjs',
  'src',
  'media',
  'l10n',
];

function newestInput() {
  let newest = 0;
  const visit = (file) => {
    if (!existsSync(file)) return;
    const stat = statSync(file);
    if (stat.isDirectory()) for (const entry of readdirSync(file)) visit(path.join(file, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const input of INPUTS) visit(path.join(root, input));
  for (const entry of readdirSync(root)) if (/^package\.nls\..+\.json$/.test(entry)) visit(path.join(root, entry));
  return newest;
}

/** Whether the .vsix is missing or older than any of its inputs. */
export function vsixIsStale(file = vsixPath()) {
  return !existsSync(file) || statSync(file).mtimeMs < newestInput();
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: result.status ?? 1, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

function fail(message) {
  console.error(`[package] ${message}`);
  process.exit(1);
}

/**
 * The README the .vsix holds, which the Extensions view shows as the extension's page: README.md's title and its
 * sections for users, from "What it is" up to "Develop", without the set-up commands and developer sections above
 * and below them, and without images, which the package does not hold.
 */
export function userReadme(readme) {
  const lines = readme.split('\n');
  const from = lines.indexOf('## What it is');
  const to = lines.indexOf('## Develop');
  if (!lines[0]?.startsWith('# ') || from < 0 || to < from) fail('README.md lost its title, "What it is" or "Develop"');
  const sections = lines.slice(from, to).filter((line) => !line.startsWith('!['));
  return (
    [lines[0], '', ...sections]
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = vsixPath();
  const relative = path.relative(root, file);
  if (process.argv.includes('--if-stale') && !vsixIsStale(file)) {
    console.log(`[package] ${relative} is up to date (${statSync(file).size} bytes)`);
    process.exit(0);
  }
  const started = Date.now();
  const bundle = run(process.execPath, ['esbuild.mjs', '--production']);
  process.stdout.write(bundle.output);
  if (bundle.status !== 0) fail('the production bundle failed');

  const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
  if (!existsSync(vsce)) fail(`@vscode/vsce is not installed (${vsce}): run npm install`);
  // The bundle holds every dependency, so vsce need not look at node_modules. The project has no public repository
  // yet: instead of inventing one, relative links in the README stay relative (they work in the source tree).
  const readme = path.join(root, 'dist', 'README.md');
  writeFileSync(readme, userReadme(readFileSync(path.join(root, 'README.md'), 'utf8')));
  const packaged = run(process.execPath, [
    vsce,
    'package',
    '--no-dependencies',
    '--readme-path',
    path.relative(root, readme),
    '--allow-missing-repository',
    '--no-rewrite-relative-links',
    '--out',
    file,
  ]);
  process.stdout.write(packaged.output);
  if (packaged.status !== 0) fail(`vsce failed (exit ${packaged.status})`);
  if (/\bWARNING\b/i.test(packaged.output)) fail('vsce warned: fix the manifest (see above)');
  console.log(
    `[package] ${relative}: ${statSync(file).size} bytes, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
