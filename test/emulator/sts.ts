import { ApiError } from './errors';
import type { Gateway, IncomingApiRequest } from './gateway';
import type { RoleRecord, World } from './world';

/**
 * STS AssumeRole (2015-04-01, RPC style; credentials.md §4): `POST /` or `GET /` with the common
 * parameters in the query and the business ones in the query or an urlencoded body, signed RPC V1
 * (what @alicloud/credentials sends) or V3 (the official STS SDK).
 */

export const stsVersion = '2015-04-01';
export const stsHostId = 'sts.aliyuncs.com';
const minDurationSeconds = 900;

export interface RoleSession {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiresAt: number;
}

export interface AssumeRoleContext {
  world: World;
  gateway: Gateway;
  /** Hands out (and records) a session of the role. */
  issue(role: RoleRecord, sessionName: string, durationSeconds: number): RoleSession;
}

/** `yyyy-MM-ddTHH:mm:ssZ`: the library rejects anything but this and the `.mmm` variant (credentials.md §0.5). */
export function expirationOf(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Query pairs plus the pairs of an urlencoded body. */
export function rpcParams(request: IncomingApiRequest): Array<[string, string]> {
  const params: Array<[string, string]> = request.query.map(([name, value]) => [name, value]);
  if (request.body.length === 0) return params;
  const contentType = request.headers['content-type'] ?? '';
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    params.push(...new URLSearchParams(request.body.toString('utf8')));
  } else if (!contentType.startsWith('application/json')) {
    throw new ApiError(400, 'InvalidParameter.ContentType', 'The Content-Type must be application/json or application/x-www-form-urlencoded.');
  }
  return params;
}

/** Whether a request to `/` is meant for STS: an Action parameter or an `x-acs-action` header. */
export function isStsRequest(rawPath: string, request: Pick<IncomingApiRequest, 'query' | 'headers'>): boolean {
  return rawPath === '/' && (request.query.some(([name]) => name === 'Action') || request.headers['x-acs-action'] !== undefined);
}

export function assumeRole(request: IncomingApiRequest, context: AssumeRoleContext): Record<string, unknown> {
  const params = rpcParams(request);
  const param = (name: string): string | undefined => params.find(([key]) => key === name)?.[1];
  const action = param('Action') ?? request.headers['x-acs-action'];
  const version = param('Version') ?? request.headers['x-acs-version'];
  if (action !== 'AssumeRole') {
    throw new ApiError(404, 'InvalidAction.NotFound', `Specified api ${action ?? ''} is not found; the emulated STS serves AssumeRole.`);
  }
  if (version !== stsVersion) throw new ApiError(400, 'InvalidVersion', `Specified api version ${version ?? ''} is not valid.`);

  const key = context.gateway.authenticateRpc(request, params);

  const roleArn = required(param('RoleArn'), 'RoleArn');
  const sessionName = required(param('RoleSessionName'), 'RoleSessionName');
  if (!/^acs:ram::\d+:role\/[^/\s]+$/.test(roleArn)) {
    throw new ApiError(400, 'InvalidParameter.RoleArn', 'The parameter RoleArn is wrongly formed.');
  }
  if (!/^[A-Za-z0-9.@_-]{2,64}$/.test(sessionName)) {
    throw new ApiError(400, 'InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.');
  }
  const role = context.world.roles.get(roleArn);
  if (!role) throw new ApiError(404, 'EntityNotExist.Role', 'The specified Role not exists .');
  // The emulator's trust policy: any identity of the role's own account.
  if (context.world.callerOf(key).accountId !== role.accountId) {
    throw new ApiError(403, 'NoPermission', 'You are not authorized to do this action. You should be authorized by RAM.');
  }
  const durationSeconds = Number(param('DurationSeconds') ?? 3600);
  if (!Number.isInteger(durationSeconds) || durationSeconds < minDurationSeconds || durationSeconds > role.maxSessionDurationSeconds) {
    throw new ApiError(
      400,
      'InvalidParameter.DurationSeconds',
      `The Min/Max value of DurationSeconds is 15min/${role.maxSessionDurationSeconds / 3600}hr.`,
    );
  }
  checkPolicy(param('Policy'));

  const session = context.issue(role, sessionName, durationSeconds);
  return {
    AssumedRoleUser: {
      AssumedRoleId: `${role.roleId}:${sessionName}`,
      Arn: `acs:ram::${role.accountId}:role/${role.roleName}/${sessionName}`,
    },
    Credentials: {
      SecurityToken: session.securityToken,
      Expiration: expirationOf(session.expiresAt),
      AccessKeySecret: session.accessKeySecret,
      AccessKeyId: session.accessKeyId,
    },
  };
}

function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new ApiError(400, `Missing${name}`, `${name} is mandatory for this action.`);
  return value;
}

function checkPolicy(policy: string | undefined): void {
  if (policy === undefined) return;
  if (Buffer.byteLength(policy) > 2048) {
    throw new ApiError(400, 'InvalidParameter.PolicySize', 'The size of Policy must be smaller than 2048 bytes.');
  }
  try {
    JSON.parse(policy);
  } catch {
    throw new ApiError(400, 'InvalidParameter.PolicyGrammar', 'The parameter Policy has not passed grammar check.');
  }
}
