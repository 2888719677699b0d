import assert from 'node:assert/strict';
import { sizeText } from '../../../src/sync/sizeText';

describe('sync: sizes as the view and the status bar word them', () => {
  it('uses B, KB, MB, GB with at most three figures, never "0.0 MB" for a small file', () => {
    const cases: Array<[number, string]> = [
      [0, '0 B'],
      [1, '1 B'],
      [1023, '1023 B'],
      [1024, '1 KB'],
      [1536, '1.5 KB'],
      [4 * 1024 + 100, '4.1 KB'],
      [1024 * 1024 - 1, '1 MB'],
      [1024 * 1024, '1 MB'],
      [12.34 * 1024 * 1024, '12.3 MB'],
      [256 * 1024 * 1024, '256 MB'],
      [1024 * 1024 * 1024, '1 GB'],
      [2.5 * 1024 * 1024 * 1024, '2.5 GB'],
    ];
    for (const [bytes, text] of cases) assert.equal(sizeText(bytes), text, String(bytes));
  });
});
