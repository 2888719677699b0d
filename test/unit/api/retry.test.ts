import * as assert from 'node:assert/strict';
import { DlcError } from '../../../src/api';
import { DEFAULT_RETRY_POLICY, MAX_RETRY_DELAY_MS, retryDelay, type FailedAttempt } from '../../../src/api/retry';

const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
const error = (code: string, httpStatus?: number, retryAfterMs?: number) =>
  new DlcError({ code, message: code, operation: 'Op', httpStatus, retryAfterMs });
const failed = (overrides: Partial<FailedAttempt>): FailedAttempt => ({
  error: error('ServiceUnavailable', 503),
  attempt: 1,
  idempotent: true,
  reachedService: true,
  ...overrides,
});

describe('api/retry', () => {
  it('defaults well above pop-core (no retries at all)', () => {
    assert.deepEqual(DEFAULT_RETRY_POLICY, { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 10_000 });
  });

  it('retries idempotent calls on throttling, 5xx, timeouts and network errors', () => {
    for (const e of [
      error('Throttling.User', 400),
      error('InternalError', 500),
      error('Timeout'),
      error('NetworkError'),
      error('BadResponse', 502),
    ]) {
      assert.notEqual(
        retryDelay(failed({ error: e }), policy, () => 0.5),
        undefined,
        e.code,
      );
    }
  });

  it('never retries what a retry cannot fix', () => {
    for (const e of [
      error('SignatureDoesNotMatch', 400),
      error('InvalidResponse', 200),
      error('TensorboardNotFound', 404),
      error('InvalidInput'),
    ]) {
      assert.equal(
        retryDelay(failed({ error: e }), policy, () => 0.5),
        undefined,
        e.code,
      );
    }
  });

  it('does not repeat create or delete once the service may have acted', () => {
    for (const e of [
      error('ServiceUnavailable', 503),
      error('Throttling.User', 400),
      error('Timeout'),
      error('NetworkError'),
    ]) {
      assert.equal(
        retryDelay(failed({ error: e, idempotent: false }), policy, () => 0.5),
        undefined,
        e.code,
      );
    }
  });

  it('repeats create or delete when the service certainly did not act', () => {
    assert.notEqual(
      retryDelay(failed({ error: error('NetworkError'), idempotent: false, reachedService: false }), policy, () => 0),
      undefined,
    );
    assert.notEqual(
      retryDelay(failed({ error: error('SignatureNonceUsed', 400), idempotent: false }), policy, () => 0),
      undefined,
    );
  });

  it('grows exponentially with bounded jitter, capped at maxDelayMs', () => {
    const bounds = [1, 2, 3, 4].map((attempt) => [
      retryDelay(failed({ attempt }), { ...policy, maxAttempts: 10 }, () => 0),
      retryDelay(failed({ attempt }), { ...policy, maxAttempts: 10 }, () => 0.999999),
    ]);
    assert.deepEqual(
      bounds.map(([low, high]) => [low, Math.round(high!)]),
      [
        [50, 100],
        [100, 200],
        [200, 400],
        [400, 800],
      ],
    );
    assert.equal(retryDelay(failed({ attempt: 8 }), { ...policy, maxAttempts: 10 }, () => 0.999999)! <= 1000, true);
    assert.equal(
      retryDelay(failed({ attempt: 8 }), { ...policy, maxAttempts: 10 }, () => 0),
      500,
    );
  });

  it('stops after maxAttempts', () => {
    assert.notEqual(
      retryDelay(failed({ attempt: 4 }), policy, () => 0),
      undefined,
    );
    assert.equal(
      retryDelay(failed({ attempt: 5 }), policy, () => 0),
      undefined,
    );
    assert.equal(
      retryDelay(failed({ attempt: 1 }), { ...policy, maxAttempts: 1 }, () => 0),
      undefined,
    );
  });

  it('waits at least the retry-after the service asked for, and gives up when it exceeds maxDelayMs', () => {
    assert.equal(
      retryDelay(failed({ error: error('Throttling', 400, 700) }), policy, () => 0),
      700,
    );
    assert.equal(
      retryDelay(failed({ error: error('Throttling', 400, 10), attempt: 4 }), policy, () => 0),
      400,
    );
    assert.equal(
      retryDelay(failed({ error: error('Throttling', 400, 5000) }), policy, () => 0),
      undefined,
    );
  });

  it('never waits more than a minute, whatever the policy or a retry-after of 30 days says (#12 item 5)', () => {
    const generous = { maxAttempts: 40, baseDelayMs: 1000, maxDelayMs: 90 * 86_400_000 };
    const thirtyDays = 30 * 86_400_000;
    assert.equal(MAX_RETRY_DELAY_MS, 60_000);
    assert.equal(
      retryDelay(failed({ error: error('Throttling', 400, thirtyDays) }), generous, () => 0),
      undefined,
    );
    assert.equal(
      retryDelay(failed({ error: error('Throttling', 400, 45_000) }), generous, () => 0),
      45_000,
    );
    assert.equal(retryDelay(failed({ attempt: 30 }), generous, () => 0.999999)! <= 60_000, true);
  });
});
