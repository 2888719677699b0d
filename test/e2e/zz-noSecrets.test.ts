import assert from 'node:assert/strict';
import { findLeaks, maskSecret, searchedSecrets } from '../runner/secretScan';
import { currentSession, openedUserDataFolders } from './harness';

// Named to run last: the e2e tests typed the demo secret into VS Code's UI; none of it may be kept on disk.
describe('after the e2e run, no secret', () => {
  it("is in the test VS Code's settings, state databases, logs or workspace", () => {
    const { host } = currentSession();
    const { secrets } = searchedSecrets(host.emulator.secrets(), host.emulator.issuedCredentials());
    assert.ok(secrets.includes(host.emulator.credentials.accessKeySecret));
    const leaks = findLeaks(
      [...new Set([host.userDataDir, ...openedUserDataFolders()]), host.workspaceFolder],
      secrets,
    );
    assert.deepEqual(leaks, [], `secrets (${secrets.map(maskSecret).join(', ')}) found in files`);
  });
});
