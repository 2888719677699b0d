import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { IssuedCredentials } from '../emulator/types';

export interface Leak {
  readonly file: string;
  /** The first and last characters of the secret that was found: enough to tell which, not enough to use it. */
  readonly secret: string;
}

/**
 * What must never be kept: every secret the emulator knew (its seed's keys and every token), and explicitly the
 * secret and STS token of every temporary credential its STS, instance metadata, credentials URI or control API
 * handed out during the run, with how many each source issued (so a suite can tell the search covered them).
 */
export function searchedSecrets(
  known: readonly string[],
  issued: readonly IssuedCredentials[],
): { secrets: string[]; issuedBy: Record<string, number> } {
  const issuedBy: Record<string, number> = {};
  for (const credential of issued) issuedBy[credential.source] = (issuedBy[credential.source] ?? 0) + 1;
  const secrets = [...new Set([...known, ...issued.flatMap((c) => [c.accessKeySecret, c.securityToken])])];
  return { secrets, issuedBy };
}

export function maskSecret(secret: string): string {
  return `${secret.slice(0, 3)}…${secret.slice(-2)}`;
}

/**
 * Every file below the folders (settings, state databases, logs, caches) that holds one of the secrets, as bytes:
 * SQLite state databases and logs are searched whole, whatever their encoding of the surrounding data.
 */
export function findLeaks(folders: readonly string[], secrets: readonly string[]): Leak[] {
  const needles = [...new Set(secrets)].filter((s) => s.length >= 8).map((s) => [s, Buffer.from(s, 'utf8')] as const);
  const leaks: Leak[] = [];
  const visit = (file: string): void => {
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return; // removed while we looked (a log rotated, a lock file released)
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(file)) visit(path.join(file, entry));
    } else if (stat.isFile() && stat.size < 256 * 1024 * 1024) {
      const bytes = readFileSync(file);
      for (const [secret, needle] of needles)
        if (bytes.includes(needle)) leaks.push({ file, secret: maskSecret(secret) });
    }
  };
  folders.forEach(visit);
  return leaks;
}
