import { watch } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FolderView, LocalFile } from './planner';

/**
 * The real log folder behind `FolderView`: every file below it, with a symlink followed only when what it points
 * to lies inside the folder too (a link out of the folder, to `/etc` or a home directory, is never read), each real
 * folder walked once (no loop through a link back up), and reads checked the same way.
 */
export class LocalFolder implements FolderView {
  private rootReal: string | undefined;

  constructor(
    private readonly root: string,
    private readonly limits: { maxFiles?: number; maxDepth?: number } = {},
  ) {}

  async list(): Promise<LocalFile[]> {
    const rootReal = await this.realRoot();
    const files: LocalFile[] = [];
    const walked = new Set<string>([rootReal]);
    const maxFiles = this.limits.maxFiles ?? 100_000;
    const maxDepth = this.limits.maxDepth ?? 32;
    const walk = async (folder: string, relative: string, depth: number): Promise<void> => {
      let entries;
      try {
        entries = await readdir(folder, { withFileTypes: true });
      } catch {
        return; // removed meanwhile, or unreadable
      }
      for (const entry of entries) {
        if (files.length >= maxFiles) return;
        const full = path.join(folder, entry.name);
        const name = relative === '' ? entry.name : `${relative}/${entry.name}`;
        let real = full;
        if (entry.isSymbolicLink()) {
          try {
            real = await realpath(full);
          } catch {
            continue; // dangling
          }
          if (!inside(rootReal, real)) continue;
        } else if (!entry.isDirectory() && !entry.isFile()) {
          continue;
        }
        let info;
        try {
          info = await stat(real);
        } catch {
          continue;
        }
        if (info.isDirectory()) {
          const canonical = entry.isSymbolicLink() ? real : await realpath(real).catch(() => real);
          if (depth >= maxDepth || walked.has(canonical)) continue;
          walked.add(canonical);
          await walk(full, name, depth + 1);
        } else if (info.isFile()) {
          files.push({ path: name, size: info.size, mtimeMs: info.mtimeMs });
        }
      }
    };
    await walk(this.root, '', 0);
    return files;
  }

  async read(relative: string, start: number, end: number): Promise<Buffer> {
    if (end <= start) return Buffer.alloc(0);
    const segments = relative.split('/');
    if (segments.some((segment) => segment === '' || segment === '.' || segment === '..'))
      throw new Error(`not a relative path: ${relative}`);
    const real = await realpath(path.join(this.root, ...segments));
    if (!inside(await this.realRoot(), real)) throw new Error(`${relative} leads out of the synced folder`);
    const handle = await open(real, 'r');
    try {
      const buffer = Buffer.alloc(end - start);
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, start + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    } finally {
      await handle.close();
    }
  }

  private async realRoot(): Promise<string> {
    this.rootReal ??= await realpath(this.root);
    return this.rootReal;
  }
}

function inside(root: string, candidate: string): boolean {
  const back = path.relative(root, candidate);
  return back === '' || (!back.startsWith(`..${path.sep}`) && back !== '..' && !path.isAbsolute(back));
}

/**
 * Calls `changed` when something below the folder is written (fs.watch, recursive), so a sync can send a write
 * at once instead of at its next interval. Best effort: where the system cannot watch (no recursive watch, out of
 * inotify watches) nothing is called, and the sync's interval alone finds the changes.
 */
export function watchFolder(folder: string, changed: () => void): { dispose(): void } {
  try {
    const watcher = watch(folder, { recursive: true, persistent: false }, () => changed());
    watcher.on('error', () => watcher.close());
    return { dispose: () => watcher.close() };
  } catch {
    return { dispose: () => undefined };
  }
}
