import assert from 'node:assert/strict';
import { runsUrl, scalarPoints, scalarsUrl, scalarTagsUrl, seriesOf } from '../../../src/export/dataApi';
import { csvField, csvName, formatOf, ScalarsText } from '../../../src/export/scalarsFile';

const BASE = 'https://dlc.example/share/tb1/token/abc/';

/** RFC 4180's reading of one CSV text: rows of fields, quotes undone. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (quoted) field += c;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  assert.equal(field + row.join(''), '', 'the text ends with a line break');
  return rows;
}

describe('the export of scalars: data API and file', () => {
  it("builds TensorBoard's data URLs below the board's page, the run and tag as query parameters", () => {
    assert.equal(runsUrl(BASE).href, `${BASE}data/runs`);
    assert.equal(scalarTagsUrl(BASE).href, `${BASE}data/plugin/scalars/tags`);
    assert.equal(
      scalarsUrl(BASE, { run: 'a b/c&d', tag: 'loss/train#1' }).href,
      `${BASE}data/plugin/scalars/scalars?run=a+b%2Fc%26d&tag=loss%2Ftrain%231`,
    );
    const url = scalarsUrl(BASE, { run: 'a b/c&d', tag: 'loss/train#1' });
    assert.deepEqual([url.searchParams.get('run'), url.searchParams.get('tag')], ['a b/c&d', 'loss/train#1']);
  });

  it('lists the series in the order of the runs, then of the tags; runs without scalars have none', () => {
    const tags = { run2: { loss: {}, accuracy: {} }, run1: { loss: { displayName: 'loss', description: '' } } };
    assert.deepEqual(seriesOf(['run1', 'images-only', 'run2'], tags), [
      { run: 'run1', tag: 'loss' },
      { run: 'run2', tag: 'loss' },
      { run: 'run2', tag: 'accuracy' },
    ]);
  });

  it('refuses answers that are not what TensorBoard answers', () => {
    assert.throws(() => seriesOf({ run1: [] }, {}));
    assert.throws(() => seriesOf([], { run1: ['loss'] }));
    assert.throws(() => scalarPoints([[1, 2]]));
    assert.throws(() => scalarPoints([[1, 2, 'a lot']]));
    assert.deepEqual(scalarPoints([[1.5, 2, 'NaN']]), [[1.5, 2, 'NaN']]);
  });

  it('quotes a CSV field only when it must, doubling its quotes', () => {
    assert.equal(csvField('loss'), 'loss');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('cr\rhere'), '"cr\rhere"');
    assert.equal(csvField(' padded'), '" padded"');
  });

  it('writes CSV rows (run, tag, step, wall time, value) that read back as the points, whatever the names hold', () => {
    const text = new ScalarsText('csv');
    const weird = { run: 'run "1", final\nretry', tag: 'loss,train' };
    const csv =
      text.start() +
      text.series(weird, [
        [1700000000.123456, 0, 0.5],
        [1700000001.5, 10, 'NaN'],
      ]) +
      text.series({ run: 'r2', tag: 't' }, [[1.25, 3, -1e-7]]) +
      text.end();
    assert.deepEqual(parseCsv(csv), [
      ['run', 'tag', 'step', 'wall_time', 'value'],
      [weird.run, weird.tag, '0', '1700000000.123456', '0.5'],
      [weird.run, weird.tag, '10', '1700000001.5', 'NaN'],
      ['r2', 't', '3', '1.25', '-1e-7'],
    ]);
    assert.equal(text.count, 3);
  });

  it("writes names a spreadsheet would run as formulas with a leading ', keeping numbers numbers", () => {
    // OWASP's CSV injection: a cell starting with = + - @, a tab or a carriage return is a formula.
    assert.equal(csvName('=HYPERLINK("http://evil.example","x")'), '"\'=HYPERLINK(""http://evil.example"",""x"")"');
    assert.equal(csvName('+1+cmd'), "'+1+cmd");
    assert.equal(csvName('-2+3'), "'-2+3");
    assert.equal(csvName('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvName('\tx'), "'\tx");
    assert.equal(csvName('\rx'), '"\'\rx"');
    assert.equal(csvName('loss=1'), 'loss=1');
    assert.equal(csvName('run-1'), 'run-1');

    const text = new ScalarsText('csv');
    const hostile = { run: '=cmd|" /C calc"!A0', tag: '-loss' };
    const csv =
      text.start() +
      text.series(hostile, [[-1.5, 3, -0.25]]) +
      text.series({ run: '@r', tag: '+t' }, [[2, 4, '-Infinity']]);
    assert.deepEqual(parseCsv(csv), [
      ['run', 'tag', 'step', 'wall_time', 'value'],
      [`'${hostile.run}`, "'-loss", '3', '-1.5', '-0.25'],
      ["'@r", "'+t", '4', '2', '-Infinity'],
    ]);
  });

  it('keeps the names exact in JSON, where nothing runs them', () => {
    const text = new ScalarsText('json');
    const json = text.start() + text.series({ run: '=cmd', tag: '-loss' }, [[1, 2, -3]]) + text.end();
    assert.deepEqual(JSON.parse(json), [{ run: '=cmd', tag: '-loss', step: 2, wallTime: 1, value: -3 }]);
  });

  it('writes one JSON array of the same rows, also when it is empty', () => {
    const text = new ScalarsText('json');
    const json =
      text.start() +
      text.series({ run: 'r"1', tag: 'a' }, [[1.5, 0, 2]]) +
      text.series({ run: 'r2', tag: 'b' }, []) +
      text.series({ run: 'r2', tag: 'c' }, [[2.5, 1, 'Infinity']]) +
      text.end();
    assert.deepEqual(JSON.parse(json), [
      { run: 'r"1', tag: 'a', step: 0, wallTime: 1.5, value: 2 },
      { run: 'r2', tag: 'c', step: 1, wallTime: 2.5, value: 'Infinity' },
    ]);
    const empty = new ScalarsText('json');
    assert.deepEqual(JSON.parse(empty.start() + empty.end()), []);
  });

  it('takes the format from the file name', () => {
    assert.equal(formatOf('/tmp/board.json'), 'json');
    assert.equal(formatOf('/tmp/board.JSON'), 'json');
    assert.equal(formatOf('/tmp/board.csv'), 'csv');
    assert.equal(formatOf('/tmp/board'), 'csv');
  });
});
