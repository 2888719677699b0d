import assert from 'node:assert/strict';
import { logTimeline, readTimeline } from '../../../src/base/timeline';

describe("a board's timeline in the log (#23)", () => {
  it('writes each step with its wall clock, and reads back each step of one board at its first time', () => {
    const lines: string[] = [];
    let now = 1_000;
    const timeline = logTimeline(
      (line) => lines.push(line),
      () => now++,
    );
    timeline.mark('tb-1', 'runningSeen');
    timeline.mark('tb-2', 'runningSeen');
    timeline.mark('tb-1', 'htmlSet');
    timeline.mark('tb-1', 'htmlSet');
    assert.deepEqual(lines, [
      'timeline tb-1 runningSeen 1000',
      'timeline tb-2 runningSeen 1001',
      'timeline tb-1 htmlSet 1002',
      'timeline tb-1 htmlSet 1003',
    ]);
    const log = lines.map((line) => `2026-12-06 10:00:00.000 [info] ${line}`).join('\n');
    assert.deepEqual(readTimeline(log, 'tb-1'), { runningSeen: 1000, htmlSet: 1002 });
    assert.deepEqual(readTimeline(log, 'tb-3'), {});
  });
});
