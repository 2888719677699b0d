import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';

/**
 * The OIDC identity provider behind the emulator's AssumeRoleWithOIDC: what an ACK cluster's RRSA issuer is for a
 * pod. It signs RS256 JWTs (the shape of a Kubernetes service-account token) and checks the ones STS is given.
 * The key pair is made at the first use, once per emulator, so tokens stay valid across resets.
 */

export interface OidcClaims {
  iss: string;
  aud: string | string[];
  sub: string;
  /** Seconds since the epoch, as JWTs count. */
  exp: number;
  iat: number;
}

/** Why a token is not one this provider signed: STS answers both with `AuthenticationFail.OIDCToken.Invalid`. */
export type TokenProblem = 'malformed' | 'badSignature';

export class OidcSigner {
  private keys: { privateKey: KeyObject; publicKey: KeyObject } | undefined;
  readonly keyId = `emulator-${randomBytes(6).toString('hex')}`;

  private keyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
    if (!this.keys) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      this.keys = { privateKey, publicKey: createPublicKey(privateKey) };
    }
    return this.keys;
  }

  sign(claims: OidcClaims): string {
    const head = encode({ alg: 'RS256', kid: this.keyId, typ: 'JWT' });
    const body = encode(claims);
    const signature = sign('sha256', Buffer.from(`${head}.${body}`), this.keyPair().privateKey).toString('base64url');
    return `${head}.${body}.${signature}`;
  }

  /** The claims of a token this signer made, or why not; expiry, issuer and audience are STS's to judge. */
  check(token: string): { claims: OidcClaims } | { problem: TokenProblem } {
    const parts = token.trim().split('.');
    if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) return { problem: 'malformed' };
    const [head, body, signature] = parts;
    const header = decode(head);
    const claims = decode(body);
    if (!isObject(header) || !isObject(claims) || !hasClaims(claims)) return { problem: 'malformed' };
    if (header.alg !== 'RS256' || header.kid !== this.keyId) return { problem: 'badSignature' };
    const valid = verify(
      'sha256',
      Buffer.from(`${head}.${body}`),
      this.keyPair().publicKey,
      Buffer.from(signature, 'base64url'),
    );
    return valid ? { claims } : { problem: 'badSignature' };
  }
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decode(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasClaims(claims: Record<string, unknown>): claims is Record<string, unknown> & OidcClaims {
  const audience = claims.aud;
  return (
    typeof claims.iss === 'string' &&
    typeof claims.sub === 'string' &&
    typeof claims.exp === 'number' &&
    typeof claims.iat === 'number' &&
    (typeof audience === 'string' || (Array.isArray(audience) && audience.every((a) => typeof a === 'string')))
  );
}

/** `aud` as a list: a JWT may carry one audience or several. */
export function audiencesOf(claims: OidcClaims): string[] {
  return typeof claims.aud === 'string' ? [claims.aud] : claims.aud;
}
