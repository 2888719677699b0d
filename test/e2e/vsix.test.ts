import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { extensionId, readManifest, vsixPath } from '../runner/manifest';
import { launchCodeServer, subFolder, type CodeServer } from '../runner/testHost';
import { currentSession, openWorkbench, screenshotPath } from './harness';
import { boardInPanel, createBoardForJob, signIn } from './steps';
import type { Workbench } from './workbench';

// The e2e runner packages the .vsix before the run when it is missing or stale (test/runner/main.mjs).
describe('the packaged extension (.vsix) installed in VS Code', () => {
  const manifest = readManifest();
  const installedName = `${extensionId(manifest)}-${manifest.version}`;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;

  before(async function () {
    this.timeout(90_000);
    const { host } = currentSession();
    const vsix = vsixPath(host.root);
    assert.ok(existsSync(vsix), `no ${vsix}: the e2e runner packages it (node scripts/package.mjs --if-stale)`);
    host.emulator.reset();
    host.emulator.setTimings({ createMs: 2_000, startMs: 2_000, stopMs: 2_000 });
    // A second code-server of this run, sharing its workspace and emulator, with nothing but the .vsix installed.
    server = await launchCodeServer(host.root, subFolder(host, 'vsix-host'), { vsix, label: 'e2e vsix' });
    workbench = await openWorkbench(server);
  });
  after(async () => {
    await workbench?.close();
    await server?.stop();
  });

  it('is installed from the .vsix: the packaged files only, with the minified bundle', () => {
    const extensionsDir = path.join(server!.dataDir, 'extensions');
    assert.deepEqual(
      readdirSync(extensionsDir).filter((entry) => !entry.startsWith('.') && entry !== 'extensions.json'),
      [installedName],
    );
    const installed = path.join(extensionsDir, installedName);
    const files = readdirSync(installed, { recursive: true, encoding: 'utf8' }).filter((f) => !f.startsWith('.'));
    const unexpected = files.filter(
      (f) =>
        !/^(dist|media|l10n)$/.test(f) &&
        !/^(dist\/(extension|app|sync|vendor)\.js|package\.json|package\.nls(\.[\w-]+)?\.json|readme\.md|changelog\.md|LICENSE\.txt|media\/.+|l10n\/[^/]+\.json)$/.test(
          f,
        ),
    );
    assert.deepEqual(unexpected, [], 'files in the installed extension that the .vsix should not hold');
    // The page the Extensions view shows: the sections for users, not the repository's set-up and developer ones.
    const readme = readFileSync(path.join(installed, 'readme.md'), 'utf8');
    assert.match(readme, /^# PAI TensorBoard for VS Code\n\n## What it is\n/);
    assert.match(readme, /\n## Sign in\n[\s\S]*\n## Troubleshooting\n/);
    assert.doesNotMatch(readme, /npm start|## Develop|!\[/);
    // sync.js: the log folder sync, loaded at the first sync only; vendor.js: pop-core and the credentials library,
    // loaded at the first signed call.
    for (const bundle of ['dist/extension.js', 'dist/app.js', 'dist/sync.js', 'dist/vendor.js']) {
      assert.ok(
        !readFileSync(path.join(installed, bundle), 'utf8').includes('sourceMappingURL'),
        `the installed ${bundle} is the production one (no source map)`,
      );
    }
  });

  it('signs in, creates a board for a job from the palette, and shows its page in the panel', async () => {
    const { emulator } = currentSession().host;
    await signIn(workbench!);
    await createBoardForJob(workbench!, /xgboost-ctr/, 'tb-vsix');
    await boardInPanel(workbench!, 'tb-vsix');
    assert.ok((await workbench!.editorTabs()).includes('tb-vsix'));
    const creates = emulator.requests.filter((r) => r.operation === 'CreateTensorboard');
    assert.equal((creates.at(-1)?.body as Record<string, unknown>)?.JobId, 'dlc4n8w1r6t2v9b3');
    // The extension host that ran it loaded the extension from the server's extensions folder.
    const logs = path.join(server!.userDataDir, 'logs');
    const hostLogs = readdirSync(logs, { recursive: true, encoding: 'utf8' }).filter((f) => /exthost\.log$/.test(f));
    const text = hostLogs.map((f) => readFileSync(path.join(logs, f), 'utf8')).join('\n');
    assert.match(text, new RegExp(`_doActivateExtension ${extensionId(manifest).replace('.', '\\.')}\\b`));
    await workbench!.screenshot(screenshotPath('vsix panel from job'));
  });
});
