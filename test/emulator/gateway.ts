import type { Clock } from './clock';
import { ApiError, type GuessedError } from './errors';
import { buildStringToSign, contentMd5, parseAuthorization, signaturesEqual, signString } from './signature';
import type { Caller, KeyRecord, World } from './world';

/** What the POP gateway checks before a request reaches PAI-DLC (reference §5.2, §6.3). */

export const apiVersion = '2020-12-03';
/** The gateway refuses a `date` further than this from its own clock. */
export const maxClockSkewMs = 15 * 60_000;

export interface IncomingApiRequest {
  method: string;
  /** The path exactly as received (not decoded): pop-core signs its uriPattern as written. */
  rawPath: string;
  /** Decoded query pairs, in arrival order. */
  query: ReadonlyArray<readonly [string, string]>;
  /** Lower-case names. */
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export class Gateway {
  /** Nonce -> emulator time first seen. */
  private readonly nonces = new Map<string, number>();

  constructor(
    private readonly world: () => World,
    private readonly clock: Clock,
    private readonly guessed: GuessedError,
  ) {}

  forgetNonces(): void {
    this.nonces.clear();
  }

  checkVersion(headers: Record<string, string | undefined>): void {
    const version = headers['x-acs-version'];
    if (!version) {
      throw this.guessed('missingVersion', 'The header x-acs-version is mandatory for this API.');
    }
    if (version !== apiVersion) {
      throw this.guessed('invalidVersion', `Specified api version ${version} is not valid; PAI-DLC serves ${apiVersion}.`);
    }
  }

  /** Verifies the signature and everything around it; answers the caller's identity. */
  authenticate(request: IncomingApiRequest): Caller {
    const { headers } = request;
    const authorization = headers['authorization'];
    const parsed = parseAuthorization(authorization);
    if (!parsed) {
      const detail = authorization
        ? 'The emulator only accepts ROA V2 signatures ("acs <AccessKeyId>:<signature>").'
        : 'The Authorization header is missing.';
      throw new ApiError(400, 'IncompleteSignature', `The request signature does not conform to Aliyun standards. ${detail}`);
    }
    const method = headers['x-acs-signature-method'];
    if (method !== undefined && method !== 'HMAC-SHA1') {
      throw new ApiError(400, 'InvalidSignatureMethod', `Specified signature method ${method} is not supported.`);
    }

    this.checkDate(headers['date']);

    const key = this.world().keys.get(parsed.accessKeyId);
    if (!key) throw this.guessed('accessKeyNotFound', 'Specified access key is not found.');
    this.checkSecurityToken(key, headers);

    const stringToSign = buildStringToSign({
      method: request.method,
      headers,
      path: request.rawPath,
      query: request.query,
    });
    if (!signaturesEqual(signString(stringToSign, key.accessKeySecret), parsed.signature)) {
      throw new ApiError(
        400,
        'SignatureDoesNotMatch',
        `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
      );
    }

    const md5 = headers['content-md5'];
    if (md5 !== undefined && md5 !== contentMd5(request.body)) {
      throw new ApiError(400, 'ContentMD5NotMatched', 'Specified content md5 is not matched with your request body.');
    }

    this.useNonce(headers['x-acs-signature-nonce']);
    return this.world().callerOf(key);
  }

  private checkDate(date: string | undefined): void {
    const sent = date === undefined ? NaN : Date.parse(date);
    if (Number.isNaN(sent)) {
      throw new ApiError(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
    }
    if (Math.abs(this.clock.now() - sent) > maxClockSkewMs) {
      throw new ApiError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
    }
  }

  /** An STS AccessKey only works with its token, and `x-acs-accesskey-id` must repeat the AK. */
  private checkSecurityToken(key: KeyRecord, headers: Record<string, string | undefined>): void {
    const token = headers['x-acs-security-token'];
    if (!key.sts) {
      if (token !== undefined) {
        throw new ApiError(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified security token does not match the access key.');
      }
      return;
    }
    if (token === undefined || token === '') {
      throw new ApiError(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this action.');
    }
    if (token !== key.sts.securityToken) {
      const belongsToAnotherKey = [...this.world().keys.values()].some((other) => other.sts?.securityToken === token);
      if (belongsToAnotherKey) {
        throw new ApiError(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified security token does not match the access key.');
      }
      throw new ApiError(400, 'InvalidSecurityToken.Malformed', 'Specified security token is malformed.');
    }
    if (headers['x-acs-accesskey-id'] !== key.accessKeyId) {
      throw new ApiError(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'The header x-acs-accesskey-id does not match the access key of the signature.');
    }
    if (key.sts.expiresAt !== undefined && this.clock.now() >= key.sts.expiresAt) {
      throw new ApiError(400, 'InvalidSecurityToken.Expired', 'Specified security token is expired.');
    }
  }

  /** A missing nonce is tolerated: every known client sends one, and nothing says the gateway insists. */
  private useNonce(nonce: string | undefined): void {
    if (!nonce) return;
    const now = this.clock.now();
    if (this.nonces.has(nonce)) {
      throw new ApiError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    }
    // A nonce older than twice the allowed skew can no longer come with an acceptable date.
    for (const [old, seenAt] of this.nonces) {
      if (Math.abs(now - seenAt) > 2 * maxClockSkewMs) this.nonces.delete(old);
    }
    this.nonces.set(nonce, now);
  }
}
