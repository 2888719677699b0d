import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A throw-away self-signed certificate for `127.0.0.1` (SAN `IP:127.0.0.1`, `DNS:localhost`), made with the
 * `openssl` command because node:crypto cannot write X.509 certificates. The certificate is its own CA: a client
 * trusts it through `NODE_EXTRA_CA_CERTS=<certPath>` (read at process start) or a `ca` option.
 */
export interface TestCertificate {
  certPath: string;
  cert: string;
  key: string;
  /** Deletes the temporary folder. */
  dispose(): void;
}

export function createTestCertificate(): TestCertificate {
  const dir = mkdtempSync(path.join(tmpdir(), 'pai-emulator-tls-'));
  const certPath = path.join(dir, 'cert.pem');
  const keyPath = path.join(dir, 'key.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-sha256',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        keyPath,
        '-out',
        certPath,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`emulator: could not make a test certificate with openssl (is it installed?): ${detail}`, {
      cause: error,
    });
  }
  const key = readFileSync(keyPath, 'utf8');
  // The private key is only needed in memory.
  rmSync(keyPath, { force: true });
  return {
    certPath,
    cert: readFileSync(certPath, 'utf8'),
    key,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
