import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import { findLeaks, maskSecret, searchedSecrets } from '../runner/secretScan';
import { emulator, extensionServices, shownMessages } from './support';

// Named to run last: it searches what every earlier test left behind.
describe('after the whole run, no secret', () => {
  let secrets: string[];

  before(async () => {
    const searched = searchedSecrets(await emulator().secrets(), await emulator().issuedCredentials());
    secrets = searched.secrets;
    assert.ok(
      secrets.includes(process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET!),
      'the demo secret is not among those searched',
    );
    // The sign-in tests took credentials from the emulator's STS (AssumeRole, and AssumeRoleWithOIDC with its OIDC
    // token), credentials URI and instance metadata: their secrets and tokens passed through the extension, so they
    // are searched for too.
    for (const source of ['sts', 'oidc', 'uri', 'metadata', 'control']) {
      if (!process.env.PAI_TEST_GREP)
        assert.ok(
          (searched.issuedBy[source] ?? 0) > 0,
          `no credential from ${source} among those searched: ${JSON.stringify(searched.issuedBy)}`,
        );
    }
  });

  it('is in a message the extension showed', () => {
    assert.ok(shownMessages.length > 10, `only ${shownMessages.length} messages were recorded`);
    const leaked = shownMessages.filter((m) => secrets.some((s) => `${m.text} ${m.detail ?? ''}`.includes(s)));
    assert.deepEqual(
      leaked.map((m) => m.text),
      [],
    );
  });

  it("is in the test VS Code's settings, state databases or logs", async () => {
    const services = await extensionServices();
    services.log.info('flush');
    // <data>/user-data/User/globalStorage/<extension>: the user data folder holds settings, state and logs.
    const userData = path.resolve(services.context.globalStorageUri.fsPath, '..', '..', '..');
    assert.equal(path.basename(userData), 'user-data');
    const folders = [userData, vscode.workspace.workspaceFolders![0]!.uri.fsPath];
    const leaks = findLeaks(folders, secrets);
    assert.deepEqual(leaks, [], `secrets (${secrets.map(maskSecret).join(', ')}) found in files`);
  });
});
