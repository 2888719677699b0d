import assert from 'node:assert/strict';
import { boardContextValue, boardPhase, isTransient, phaseIcon } from '../../../src/boards/status';

describe('board status', () => {
  it('reads the documented statuses in any letter case', () => {
    assert.equal(boardPhase('Running'), 'running');
    assert.equal(boardPhase('running'), 'running');
    assert.equal(boardPhase('RUNNING'), 'running');
    assert.equal(boardPhase('Creating'), 'pending');
    assert.equal(boardPhase('Stopped'), 'stopped');
    assert.equal(boardPhase('Succeeded'), 'stopped');
    assert.equal(boardPhase('Failed'), 'failed');
  });

  it("reads pai-python-sdk's extra statuses", () => {
    assert.equal(boardPhase('Pending'), 'pending');
    assert.equal(boardPhase('Stopping'), 'pending');
    assert.equal(boardPhase('Deleting'), 'pending');
    assert.equal(boardPhase('Creating_Failed'), 'failed');
    assert.equal(boardPhase('Deleted'), 'deleted');
  });

  it('keeps an unknown or missing status visible as unknown', () => {
    assert.equal(boardPhase('Hibernating'), 'unknown');
    assert.equal(boardPhase(undefined), 'unknown');
    assert.equal(boardPhase(''), 'unknown');
  });

  it('polls only transient phases', () => {
    assert.deepEqual((['running', 'pending', 'stopped', 'failed', 'deleted', 'unknown'] as const).filter(isTransient), [
      'pending',
    ]);
  });

  it('gives each phase a context value and an icon, spinning only while pending', () => {
    assert.equal(boardContextValue(boardPhase('Running')), 'board.running');
    assert.equal(boardContextValue(boardPhase('stopped')), 'board.stopped');
    assert.equal(phaseIcon('pending').id, 'loading~spin');
    assert.ok(!phaseIcon('running').id.includes('~spin'));
    assert.equal(phaseIcon('failed').color, 'testing.iconFailed');
  });
});
