import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalFolder } from '../../../src/sync/localFolder';

describe('sync: the real log folder', () => {
  let base: string;
  let root: string;

  beforeEach(() => {
    base = mkdtempSync(path.join(os.tmpdir(), 'sync-folder-'));
    root = path.join(base, 'logs');
    mkdirSync(path.join(root, 'run1', 'plugins'), { recursive: true });
    writeFileSync(path.join(root, 'run1', 'events.out.tfevents.1'), 'abcdef');
    writeFileSync(path.join(root, 'run1', 'plugins', 'p.json'), '{}');
    mkdirSync(path.join(base, 'secret'));
    writeFileSync(path.join(base, 'secret', 'events.out.tfevents.stolen'), 'private');
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('lists every file with size and mtime, follows links inside the folder, never one out of it, and survives a loop', async () => {
    symlinkSync(path.join(base, 'secret'), path.join(root, 'outside'));
    symlinkSync(
      path.join(base, 'secret', 'events.out.tfevents.stolen'),
      path.join(root, 'run1', 'events.out.tfevents.link'),
    );
    symlinkSync(path.join(root, 'run1'), path.join(root, 'run1-again'));
    symlinkSync(root, path.join(root, 'run1', 'loop'));
    symlinkSync(path.join(base, 'nowhere'), path.join(root, 'dangling'));
    const files = await new LocalFolder(root).list();
    const listed = files.map((file) => `${file.path}:${file.size}`).sort();
    // run1-again is run1 itself, walked once (under whichever name came first); the loop back to the root is not walked.
    assert.ok(
      !listed.some((entry) => entry.includes('stolen') || entry.startsWith('outside') || entry.includes('link')),
      listed.join(),
    );
    assert.ok(
      listed.includes('run1/events.out.tfevents.1:6') || listed.includes('run1-again/events.out.tfevents.1:6'),
      listed.join(),
    );
    assert.equal(listed.filter((entry) => entry.endsWith('events.out.tfevents.1:6')).length, 1, listed.join());
    assert.ok(files.every((file) => file.mtimeMs > 0));
  });

  it('reads a byte range, short at the end of the file, and refuses paths that leave the folder', async () => {
    const folder = new LocalFolder(root);
    assert.equal((await folder.read('run1/events.out.tfevents.1', 2, 4)).toString(), 'cd');
    assert.equal((await folder.read('run1/events.out.tfevents.1', 4, 100)).toString(), 'ef');
    await assert.rejects(folder.read('../secret/events.out.tfevents.stolen', 0, 7), /not a relative path/);
    symlinkSync(path.join(base, 'secret', 'events.out.tfevents.stolen'), path.join(root, 'run1', 'swapped'));
    await assert.rejects(folder.read('run1/swapped', 0, 7), /leads out of the synced folder/);
  });
});
