import { createHmac, timingSafeEqual } from 'node:crypto';

/** The share token: an HS256 JWT shaped like the one in the GetTensorboard doc sample. */

export interface ShareClaims {
  exp: number;
  iat: number;
  user_id: string;
  target_id: string;
  target_type: 'tensorboard';
}

const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function mac(data: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

export function signShareToken(claims: ShareClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${header}.${payload}.${mac(`${header}.${payload}`, secret).toString('base64url')}`;
}

/** The claims of a well-signed, unexpired token for this board; undefined otherwise. */
export function verifyShareToken(
  token: string,
  secret: string,
  tensorboardId: string,
  nowMs: number,
): ShareClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [head, payload, signature] = parts;
  const expected = mac(`${head}.${payload}`, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let claims: Partial<ShareClaims>;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<ShareClaims>;
  } catch {
    return undefined;
  }
  if (claims.target_type !== 'tensorboard' || claims.target_id !== tensorboardId) return undefined;
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) return undefined;
  return claims as ShareClaims;
}
