import { randomBytes } from 'node:crypto';
import { expirationOf, type RoleSession } from './sts';
import type { CredentialOperationName } from './types';
import type { RoleRecord, World } from './world';

/**
 * The two unsigned sources of role credentials (credentials.md §5.2, §6, §7):
 * the ECS/DSW instance metadata service (`/latest/...`, IMDSv2 token optional unless required) and
 * a credentials-URI server (`GET /api/v1/credentials/<role name, or 0 for the instance role>`).
 */

export interface PlainAnswer {
  operation: CredentialOperationName;
  status: number;
  contentType: string;
  body: string;
}

export interface MetadataSettings {
  /** Hardening-only mode: every metadata GET needs a valid token. */
  tokenRequired: boolean;
  /** Lifetime of the instance role credentials. */
  credentialSeconds: number;
}

export type IssueRoleSession = (role: RoleRecord, sessionName: string, durationSeconds: number) => RoleSession;

export const instanceId = 'i-emulator0000000000';
const maxTokenTtlSeconds = 21600;
const credentialsPrefix = '/latest/meta-data/ram/security-credentials/';

const text = (operation: CredentialOperationName, status: number, body: string): PlainAnswer => ({
  operation,
  status,
  contentType: 'text/plain',
  body,
});
const json = (operation: CredentialOperationName, status: number, body: unknown): PlainAnswer => ({
  operation,
  status,
  contentType: 'application/json',
  body: JSON.stringify(body),
});

function credentialsJson(session: RoleSession, now: number): Record<string, string> {
  return {
    AccessKeyId: session.accessKeyId,
    AccessKeySecret: session.accessKeySecret,
    Expiration: expirationOf(session.expiresAt),
    SecurityToken: session.securityToken,
    LastUpdated: expirationOf(now),
    Code: 'Success',
  };
}

export class InstanceMetadata {
  /** Token -> emulator time it expires. */
  private readonly tokens = new Map<string, number>();
  private session: RoleSession | undefined;

  constructor(
    private readonly world: () => World,
    private readonly now: () => number,
    private readonly settings: () => MetadataSettings,
    private readonly issue: IssueRoleSession,
  ) {}

  forget(): void {
    this.tokens.clear();
    this.session = undefined;
  }

  /** An answer for `/latest/...`, undefined for any other path. */
  handle(method: string, rawPath: string, headers: Record<string, string | undefined>): PlainAnswer | undefined {
    if (!rawPath.startsWith('/latest/')) return undefined;
    if (rawPath === '/latest/api/token') return this.token(method, headers);
    const regionId = rawPath === '/latest/meta-data/region-id';
    if (method !== 'GET' || (!regionId && !rawPath.startsWith(credentialsPrefix)))
      return text('GetInstanceRoleName', 404, 'Not Found');
    const operation = regionId
      ? 'GetRegionId'
      : rawPath === credentialsPrefix
        ? 'GetInstanceRoleName'
        : 'GetInstanceRoleCredentials';
    const sent = headers['x-aliyun-ecs-metadata-token'];
    const tokenExpiresAt = sent === undefined ? undefined : this.tokens.get(sent);
    const tokenValid = tokenExpiresAt !== undefined && this.now() < tokenExpiresAt;
    // Statuses for a missing or bad token are UNCONFIRMED (credentials.md §6, §9.7).
    if (sent !== undefined ? !tokenValid : this.settings().tokenRequired) return text(operation, 401, 'Unauthorized');
    // The region the instance runs in, as ECS answers it (the world's region).
    if (operation === 'GetRegionId') return text(operation, 200, this.world().regionId);

    const role = this.world().instanceRole;
    if (!role) return text(operation, 404, 'Not Found');
    if (operation === 'GetInstanceRoleName') return text(operation, 200, role.roleName);
    if (decodeURIComponent(rawPath.slice(credentialsPrefix.length)) !== role.roleName)
      return text(operation, 404, 'Not Found');
    return json(operation, 200, credentialsJson(this.instanceSession(role), this.now()));
  }

  private token(method: string, headers: Record<string, string | undefined>): PlainAnswer {
    if (method !== 'PUT') return text('GetMetadataToken', 405, 'Method Not Allowed');
    if (headers['x-forwarded-for'] !== undefined) return text('GetMetadataToken', 403, 'Forbidden');
    const ttl = Number(headers['x-aliyun-ecs-metadata-token-ttl-seconds']);
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > maxTokenTtlSeconds)
      return text('GetMetadataToken', 400, 'Bad Request');
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, this.now() + ttl * 1000);
    return text('GetMetadataToken', 200, token);
  }

  /** The same credentials until less than half their lifetime is left (the real rotation lead time is UNCONFIRMED). */
  private instanceSession(role: RoleRecord): RoleSession {
    const lifetimeMs = this.settings().credentialSeconds * 1000;
    if (!this.session || this.session.expiresAt - this.now() < lifetimeMs / 2) {
      this.session = this.issue(role, instanceId, this.settings().credentialSeconds);
    }
    return this.session;
  }
}

/**
 * `GET /api/v1/credentials/<key>[?DurationSeconds=N]`: fresh credentials of the role named `key`
 * (`0`: the instance role, as the DSW credential server's `/0` suggests; UNCONFIRMED).
 */
export function credentialsUri(
  method: string,
  rawPath: string,
  query: ReadonlyArray<readonly [string, string]>,
  world: World,
  now: number,
  issue: IssueRoleSession,
): PlainAnswer | undefined {
  const match = /^\/api\/v1\/credentials\/([^/]+)$/.exec(rawPath);
  if (!match) return undefined;
  const operation = 'GetUriCredentials';
  if (method !== 'GET') return json(operation, 405, { Code: 'MethodNotAllowed', Message: 'Use GET.' });
  const key = decodeURIComponent(match[1]);
  const role =
    key === '0' ? world.instanceRole : [...world.roles.values()].find((candidate) => candidate.roleName === key);
  if (!role) return json(operation, 404, { Code: 'EntityNotExist.Role', Message: `No role ${key}.` });
  const durationSeconds = Number(query.find(([name]) => name === 'DurationSeconds')?.[1] ?? 3600);
  if (!Number.isInteger(durationSeconds) || durationSeconds < 1) {
    return json(operation, 400, {
      Code: 'InvalidParameter.DurationSeconds',
      Message: 'DurationSeconds must be a positive integer.',
    });
  }
  return json(operation, 200, credentialsJson(issue(role, 'credentials-uri', durationSeconds), now));
}
