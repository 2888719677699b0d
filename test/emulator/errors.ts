import { randomUUID } from 'node:crypto';
import type { ErrorOverride, GuessedErrorKey } from './types';

/** An answer with the gateway's JSON error shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers, e.g. `x-acs-retry-after`. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Upper-case UUID, the shape of every real RequestId (`473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E`). */
export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

export function errorBody(
  error: ApiError,
  requestId: string,
  hostId: string,
  product = 'pai-dlc',
): Record<string, string> {
  return {
    RequestId: requestId,
    HostId: hostId,
    Code: error.code,
    Message: error.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=${product}&requestId=${requestId}`,
  };
}

export function invalidParameter(field: string, detail: string): ApiError {
  return new ApiError(400, 'InvalidParameter', `The parameter ${field} is invalid: ${detail}`);
}

/** Codes and statuses nobody could confirm (reference §5.3): defaults here, overridable per emulator. */
const guessedDefaults: Record<GuessedErrorKey, Required<ErrorOverride>> = {
  tensorboardNotFound: { code: 'TensorboardNotFound', status: 404 },
  jobNotFound: { code: 'JobNotFound', status: 404 },
  limitExceeded: { code: 'TensorboardLimitExceeded', status: 400 },
  invalidStatus: { code: 'InvalidStatus', status: 400 },
  missingVersion: { code: 'MissingVersion', status: 400 },
  invalidVersion: { code: 'InvalidVersion', status: 400 },
  // Documented both as 404 and as 400 (reference §5.2).
  accessKeyNotFound: { code: 'InvalidAccessKeyId.NotFound', status: 404 },
  // One user report gives the code and message; 400 or 403 is not known (credentials.md §3, §9.1).
  v3SignatureDoesNotMatch: { code: 'SignatureDoesNotMatch', status: 400 },
  // No source names the code for an `x-acs-content-sha256` that does not match the body (§9.2).
  contentSha256Mismatch: { code: 'ContentSHA256NotMatched', status: 400 },
};

export type GuessedError = (key: GuessedErrorKey, message: string) => ApiError;

export function guessedErrors(overrides: Partial<Record<GuessedErrorKey, ErrorOverride>> = {}): GuessedError {
  return (key, message) => {
    const chosen = { ...guessedDefaults[key], ...overrides[key] };
    return new ApiError(chosen.status, chosen.code, message);
  };
}
