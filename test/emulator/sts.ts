import { ApiError } from './errors';
import type { Gateway, IncomingApiRequest } from './gateway';
import { audiencesOf, type OidcSigner } from './oidc';
import type { RoleRecord, World } from './world';

/**
 * STS 2015-04-01, RPC style (credentials.md §4): `POST /` or `GET /` with the common parameters in the query and the
 * business ones in the query or an urlencoded body.
 * - AssumeRole, signed RPC V1 (what @alicloud/credentials sends) or V3 (the official STS SDK).
 * - AssumeRoleWithOIDC, anonymous: the OIDC token is the proof (credentials.md §4.2, the STS metadata).
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

export const stsActions = ['AssumeRole', 'AssumeRoleWithOIDC'] as const;
export type StsAction = (typeof stsActions)[number];

export interface AssumeRoleContext {
  world: World;
  gateway: Gateway;
  /** The identity provider whose tokens STS accepts (every seeded OIDC provider shares its key). */
  oidc: OidcSigner;
  /** Emulator clock, ms. */
  now: number;
  /** Hands out (and records) a session of the role, saying which action it came from. */
  issue(role: RoleRecord, sessionName: string, durationSeconds: number, action: StsAction): RoleSession;
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
    throw new ApiError(
      400,
      'InvalidParameter.ContentType',
      'The Content-Type must be application/json or application/x-www-form-urlencoded.',
    );
  }
  return params;
}

/** The action a request names in its query or `x-acs-action` header, when it is one STS serves. */
export function stsActionOf(request: Pick<IncomingApiRequest, 'query' | 'headers'>): StsAction | undefined {
  const action = request.query.find(([name]) => name === 'Action')?.[1] ?? request.headers['x-acs-action'];
  return stsActions.find((known) => known === action);
}

/** Whether a request to `/` is meant for STS: an Action parameter or an `x-acs-action` header. */
export function isStsRequest(rawPath: string, request: Pick<IncomingApiRequest, 'query' | 'headers'>): boolean {
  return (
    rawPath === '/' &&
    (request.query.some(([name]) => name === 'Action') || request.headers['x-acs-action'] !== undefined)
  );
}

/** Answers an STS request: the credentials of a new role session, or an ApiError in STS's words. */
export function answerSts(request: IncomingApiRequest, context: AssumeRoleContext): Record<string, unknown> {
  const params = rpcParams(request);
  const param = (name: string): string | undefined => params.find(([key]) => key === name)?.[1];
  const action = param('Action') ?? request.headers['x-acs-action'];
  const version = param('Version') ?? request.headers['x-acs-version'];
  const known = stsActions.find((candidate) => candidate === action);
  if (!known) {
    throw new ApiError(
      404,
      'InvalidAction.NotFound',
      `Specified api ${action ?? ''} is not found; the emulated STS serves ${stsActions.join(' and ')}.`,
    );
  }
  if (version !== stsVersion)
    throw new ApiError(400, 'InvalidVersion', `Specified api version ${version ?? ''} is not valid.`);
  return known === 'AssumeRole' ? assumeRole(request, params, param, context) : assumeRoleWithOidc(param, context);
}

type Param = (name: string) => string | undefined;

function assumeRole(
  request: IncomingApiRequest,
  params: Array<[string, string]>,
  param: Param,
  context: AssumeRoleContext,
): Record<string, unknown> {
  const key = context.gateway.authenticateRpc(request, params);
  const roleArn = checkRoleArn(required(param('RoleArn'), 'RoleArn'));
  const sessionName = checkSessionName(required(param('RoleSessionName'), 'RoleSessionName'));
  const role = knownRole(context.world, roleArn);
  // The emulator's trust policy: any identity of the role's own account.
  if (context.world.callerOf(key).accountId !== role.accountId) {
    throw new ApiError(
      403,
      'NoPermission',
      'You are not authorized to do this action. You should be authorized by RAM.',
    );
  }
  const durationSeconds = checkDuration(param('DurationSeconds'), role);
  checkPolicy(param('Policy'));
  return sessionAnswer(role, sessionName, context.issue(role, sessionName, durationSeconds, 'AssumeRole'));
}

/**
 * The codes and messages of a refused OIDC token are the ones ACK's RRSA documentation lists (`AuthenticationFail.
 * OIDCToken.Expired` "This JsonWebToken is expired.", `.AudienceNotMatch`, `.IssuerNotMatch`, `AuthenticationFail.
 * NoPermission`); `.Invalid` is what the credentials SDKs' tests see for a token that is not one. Their HTTP statuses,
 * the order of the checks and the wording of `.Invalid` are UNCONFIRMED.
 */
function assumeRoleWithOidc(param: Param, context: AssumeRoleContext): Record<string, unknown> {
  const roleArn = checkRoleArn(required(param('RoleArn'), 'RoleArn'));
  const providerArn = required(param('OIDCProviderArn'), 'OIDCProviderArn');
  const token = required(param('OIDCToken'), 'OIDCToken');
  const sessionName = checkSessionName(required(param('RoleSessionName'), 'RoleSessionName'));
  if (!/^acs:ram::\d+:oidc-provider\/[^/\s]+$/.test(providerArn)) {
    throw new ApiError(400, 'InvalidParameter.OIDCProviderArn', 'The parameter OIDCProviderArn is wrongly formed.');
  }
  const provider = context.world.oidcProviders.get(providerArn);
  if (!provider) throw new ApiError(403, 'AuthenticationFail.NoPermission', 'No such OIDC Provider registered.');

  // The token itself is never quoted back: it is a credential.
  const checked =
    token.length >= 4 && token.length <= 20_000 ? context.oidc.check(token) : { problem: 'malformed' as const };
  if ('problem' in checked) {
    throw new ApiError(
      400,
      'AuthenticationFail.OIDCToken.Invalid',
      checked.problem === 'malformed'
        ? 'The OIDC token is not a well-formed JsonWebToken.'
        : 'The signature of the OIDC token cannot be verified.',
    );
  }
  const { claims } = checked;
  if (claims.iss !== provider.issuerUrl) {
    throw new ApiError(
      400,
      'AuthenticationFail.OIDCToken.IssuerNotMatch',
      "The issuer in the OIDC Token doesn't match the OIDC Provider registered.",
    );
  }
  if (!audiencesOf(claims).some((audience) => provider.clientIds.includes(audience))) {
    throw new ApiError(400, 'AuthenticationFail.OIDCToken.AudienceNotMatch', 'Invalid audience.');
  }
  if (claims.exp * 1000 <= context.now)
    throw new ApiError(400, 'AuthenticationFail.OIDCToken.Expired', 'This JsonWebToken is expired.');

  const role = knownRole(context.world, roleArn);
  // The emulator's trust policy: the role trusts every OIDC provider of its own account.
  if (role.accountId !== provider.accountId)
    throw new ApiError(403, 'AuthenticationFail.NoPermission', 'There is no permission');
  const durationSeconds = checkDuration(param('DurationSeconds'), role);
  checkPolicy(param('Policy'));
  const answer = sessionAnswer(
    role,
    sessionName,
    context.issue(role, sessionName, durationSeconds, 'AssumeRoleWithOIDC'),
  );
  return {
    ...answer,
    OIDCTokenInfo: {
      Subject: claims.sub,
      Issuer: claims.iss,
      ClientIds: audiencesOf(claims).join(','),
      ExpirationTime: expirationOf(claims.exp * 1000),
      IssuanceTime: expirationOf(claims.iat * 1000),
      VerificationInfo: 'Success',
    },
  };
}

function checkRoleArn(roleArn: string): string {
  if (!/^acs:ram::\d+:role\/[^/\s]+$/.test(roleArn)) {
    throw new ApiError(400, 'InvalidParameter.RoleArn', 'The parameter RoleArn is wrongly formed.');
  }
  return roleArn;
}

function checkSessionName(sessionName: string): string {
  if (!/^[A-Za-z0-9.@_-]{2,64}$/.test(sessionName)) {
    throw new ApiError(400, 'InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.');
  }
  return sessionName;
}

function knownRole(world: World, roleArn: string): RoleRecord {
  const role = world.roles.get(roleArn);
  if (!role) throw new ApiError(404, 'EntityNotExist.Role', 'The specified Role not exists .');
  return role;
}

function checkDuration(value: string | undefined, role: RoleRecord): number {
  const durationSeconds = Number(value ?? 3600);
  if (
    !Number.isInteger(durationSeconds) ||
    durationSeconds < minDurationSeconds ||
    durationSeconds > role.maxSessionDurationSeconds
  ) {
    throw new ApiError(
      400,
      'InvalidParameter.DurationSeconds',
      `The Min/Max value of DurationSeconds is 15min/${role.maxSessionDurationSeconds / 3600}hr.`,
    );
  }
  return durationSeconds;
}

function sessionAnswer(role: RoleRecord, sessionName: string, session: RoleSession): Record<string, unknown> {
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
  if (value === undefined || value === '')
    throw new ApiError(400, `Missing${name}`, `${name} is mandatory for this action.`);
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
