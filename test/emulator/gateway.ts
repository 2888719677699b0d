import type { Clock } from './clock';
import { ApiError, type GuessedError } from './errors';
import { buildStringToSign, contentMd5, parseAuthorization, signaturesEqual, signString } from './signature';
import { rpcSign, rpcStringToSign } from './signatureRpc';
import { canonicalRequest, parseV3Authorization, sha256Hex, v3Algorithm, v3Sign, v3StringToSign } from './signatureV3';
import type { KeyRecord, World } from './world';

/**
 * What the POP gateway checks before a request reaches a service: ROA V2 or V3 for PAI-DLC
 * (dlc-api.md §5.2, §6.3; credentials.md §1.6, §3), RPC V1 or V3 for STS (credentials.md §4.2).
 * Each scheme's timestamp is checked in its own place: `date` (V2), `x-acs-date` (V3), `Timestamp` (RPC).
 */

export const apiVersion = '2020-12-03';
/** The gateway refuses a timestamp further than this from its own clock. */
export const maxClockSkewMs = 15 * 60_000;

export interface IncomingApiRequest {
  method: string;
  /** The path exactly as received (not decoded): pop-core signs its uriPattern as written, V3 the raw path. */
  rawPath: string;
  /** Decoded query pairs, in arrival order. */
  query: ReadonlyArray<readonly [string, string]>;
  /** Lower-case names. */
  headers: Record<string, string | undefined>;
  body: Buffer;
}

/** `yyyy-MM-ddTHH:mm:ssZ`, the only shape the SDKs send for `x-acs-date` and `Timestamp`. */
const isoSeconds = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function incomplete(detail: string): ApiError {
  return new ApiError(
    400,
    'IncompleteSignature',
    `The request signature does not conform to Aliyun standards. ${detail}`,
  );
}

function tokenMismatch(detail = 'Specified security token does not match the access key.'): ApiError {
  return new ApiError(400, 'InvalidSecurityToken.MismatchWithAccessKey', detail);
}

export class Gateway {
  /** Nonce -> emulator time first seen; shared by every scheme. */
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
      throw this.guessed(
        'invalidVersion',
        `Specified api version ${version} is not valid; PAI-DLC serves ${apiVersion}.`,
      );
    }
  }

  /** A PAI-DLC request: verifies the ROA V2 or V3 signature and everything around it; answers the signing key. */
  authenticate(request: IncomingApiRequest): KeyRecord {
    const authorization = request.headers['authorization'];
    if (authorization?.startsWith('ACS3-')) return this.verifyV3(request);
    if (parseAuthorization(authorization)) return this.verifyV2(request);
    throw incomplete(
      authorization
        ? 'The emulator accepts ROA V2 ("acs <AccessKeyId>:<signature>") and ACS3-HMAC-SHA256 signatures.'
        : 'The Authorization header is missing.',
    );
  }

  /** An RPC request (STS): V1 from the merged query and form parameters, or V3; answers the signing key. */
  authenticateRpc(request: IncomingApiRequest, params: ReadonlyArray<readonly [string, string]>): KeyRecord {
    if (request.headers['authorization']?.startsWith('ACS3-')) return this.verifyV3(request);
    return this.verifyRpc(request.method, params);
  }

  private verifyV2(request: IncomingApiRequest): KeyRecord {
    const { headers } = request;
    const parsed = parseAuthorization(headers['authorization']);
    if (!parsed) throw incomplete('The Authorization header is malformed.');
    const method = headers['x-acs-signature-method'];
    if (method !== undefined && method !== 'HMAC-SHA1') {
      throw new ApiError(400, 'InvalidSignatureMethod', `Specified signature method ${method} is not supported.`);
    }
    this.checkSkew(headers['date'] === undefined ? NaN : Date.parse(headers['date']));
    const key = this.keyFor(parsed.accessKeyId, headers['x-acs-security-token']);
    this.checkTokenAccessKeyHeader(key, headers);

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
    return key;
  }

  /** credentials.md §1.6. */
  private verifyV3(request: IncomingApiRequest): KeyRecord {
    const { headers } = request;
    const parsed = parseV3Authorization(headers['authorization']);
    if (!parsed) {
      if (!headers['authorization']?.startsWith(`${v3Algorithm} `)) {
        throw new ApiError(
          400,
          'InvalidSignatureMethod',
          `Specified signature method is not supported; the emulator verifies ${v3Algorithm}.`,
        );
      }
      throw incomplete('The Authorization header needs Credential, SignedHeaders and Signature.');
    }
    this.checkSkew(this.isoTime(headers['x-acs-date']));
    const key = this.keyFor(parsed.accessKeyId, headers['x-acs-security-token']);
    this.checkTokenAccessKeyHeader(key, headers);

    const unsigned = Object.keys(headers).filter(
      (name) => (name === 'host' || name.startsWith('x-acs-')) && !parsed.signedHeaders.includes(name),
    );
    if (unsigned.length > 0) throw incomplete(`These headers must be signed: ${unsigned.sort().join(', ')}.`);
    const hashedPayload = sha256Hex(request.body);
    if (headers['x-acs-content-sha256'] !== hashedPayload) {
      throw this.guessed('contentSha256Mismatch', 'Specified x-acs-content-sha256 does not match the request body.');
    }

    const stringToSign = v3StringToSign(
      canonicalRequest({ ...request, signedHeaders: parsed.signedHeaders, hashedPayload }),
    );
    if (!signaturesEqual(v3Sign(stringToSign, key.accessKeySecret), parsed.signature)) {
      throw this.guessed(
        'v3SignatureDoesNotMatch',
        `Specified signature does not match our calculation. server StringToSign is [${stringToSign}]`,
      );
    }
    this.useNonce(headers['x-acs-signature-nonce']);
    return key;
  }

  /** credentials.md §4.2 and vector R1. */
  private verifyRpc(method: string, params: ReadonlyArray<readonly [string, string]>): KeyRecord {
    const param = (name: string): string | undefined => params.find(([key]) => key === name)?.[1];
    const signature = param('Signature');
    const accessKeyId = param('AccessKeyId');
    if (!signature) throw new ApiError(400, 'MissingSignature', 'Signature is mandatory for this action.');
    if (!accessKeyId) throw new ApiError(400, 'MissingAccessKeyId', 'AccessKeyId is mandatory for this action.');
    if (param('SignatureMethod') !== 'HMAC-SHA1') {
      throw new ApiError(
        400,
        'InvalidSignatureMethod',
        `Specified signature method ${param('SignatureMethod') ?? ''} is not supported.`,
      );
    }
    if (param('SignatureVersion') !== '1.0') {
      throw new ApiError(
        400,
        'InvalidSignatureVersion',
        `Specified signature version ${param('SignatureVersion') ?? ''} is not valid.`,
      );
    }
    this.checkSkew(this.isoTime(param('Timestamp')));
    const key = this.keyFor(accessKeyId, param('SecurityToken'));

    const stringToSign = rpcStringToSign(method, params);
    if (!signaturesEqual(rpcSign(stringToSign, key.accessKeySecret), signature)) {
      throw new ApiError(
        400,
        'SignatureDoesNotMatch',
        `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
      );
    }
    this.useNonce(param('SignatureNonce'));
    return key;
  }

  private isoTime(value: string | undefined): number {
    return value !== undefined && isoSeconds.test(value) ? Date.parse(value) : NaN;
  }

  private checkSkew(sentMs: number): void {
    if (Number.isNaN(sentMs)) {
      throw new ApiError(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
    }
    if (Math.abs(this.clock.now() - sentMs) > maxClockSkewMs) {
      throw new ApiError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
    }
  }

  /** The key's record, with the STS rule: an STS AccessKey only works with its own unexpired token. */
  private keyFor(accessKeyId: string, token: string | undefined): KeyRecord {
    const key = this.world().keys.get(accessKeyId);
    if (!key) throw this.guessed('accessKeyNotFound', 'Specified access key is not found.');
    if (!key.sts) {
      if (token !== undefined) throw tokenMismatch();
      return key;
    }
    if (token === undefined || token === '') {
      throw new ApiError(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this action.');
    }
    if (token !== key.sts.securityToken) {
      const belongsToAnotherKey = [...this.world().keys.values()].some((other) => other.sts?.securityToken === token);
      if (belongsToAnotherKey) throw tokenMismatch();
      throw new ApiError(400, 'InvalidSecurityToken.Malformed', 'Specified security token is malformed.');
    }
    if (key.sts.expiresAt !== undefined && this.clock.now() >= key.sts.expiresAt) {
      throw new ApiError(400, 'InvalidSecurityToken.Expired', 'Specified security token is expired.');
    }
    return key;
  }

  /** The ROA SDKs send `x-acs-accesskey-id` next to the token; it must repeat the AK of the signature. */
  private checkTokenAccessKeyHeader(key: KeyRecord, headers: Record<string, string | undefined>): void {
    if (key.sts && headers['x-acs-accesskey-id'] !== key.accessKeyId) {
      throw tokenMismatch('The header x-acs-accesskey-id does not match the access key of the signature.');
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
