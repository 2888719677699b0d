import * as assert from 'node:assert/strict';
import { DlcError } from '../../../src/api';

/** The DlcError a call rejected with; fails the test when it resolved or threw something else. */
export async function rejection(promise: Promise<unknown>): Promise<DlcError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DlcError, `expected a DlcError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}
