import type { DlcError } from './errors';

export interface RetryOptions {
  /** Attempts in all, the first included (default 4). */
  maxAttempts?: number;
  /** The back-off ceiling before the first retry; it doubles per retry (default 500 ms). */
  baseDelayMs?: number;
  /** No back-off is longer, and a retry-after beyond it is not waited for (default 10 s). */
  maxDelayMs?: number;
}

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 10_000 };

/** No retry of a call waits longer than this, whatever the policy or the service's retry-after says. */
export const MAX_RETRY_DELAY_MS = 60_000;

export interface FailedAttempt {
  error: DlcError;
  /** 1 for the first attempt. */
  attempt: number;
  /** Whether repeating the operation cannot do anything twice (GETs, start, stop, update). */
  idempotent: boolean;
  /** False when the request certainly never left this machine. */
  reachedService: boolean;
}

/**
 * How long to wait before trying again, or undefined to give up. Create and Delete are repeated only when the
 * service certainly did not act: nothing was sent (refused connection, connect timeout), or the gateway
 * rejected the signature nonce, which it checks before the service sees the request. A throttled or 5xx create
 * is not repeated: the code alone does not prove which layer answered, and a duplicate board costs quota.
 */
export function retryDelay(failed: FailedAttempt, policy: RetryPolicy, random: () => number): number | undefined {
  const { error, attempt } = failed;
  if (attempt >= policy.maxAttempts || !error.retryable) return undefined;
  const serviceMayHaveActed = failed.reachedService && error.code !== 'SignatureNonceUsed';
  if (!failed.idempotent && serviceMayHaveActed) return undefined;
  // "Equal jitter": half the exponential step for sure, the other half at random, so retries spread out but
  // still grow.
  const maxDelayMs = Math.min(policy.maxDelayMs, MAX_RETRY_DELAY_MS);
  const ceiling = Math.min(maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const backoff = ceiling / 2 + (random() * ceiling) / 2;
  if (error.retryAfterMs === undefined) return backoff;
  // Waiting longer than the caller allows helps nobody; the error carries retryAfterMs for the user.
  return error.retryAfterMs <= maxDelayMs ? Math.max(backoff, error.retryAfterMs) : undefined;
}
