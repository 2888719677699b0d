import assert from 'node:assert/strict';
import {
  boardView,
  bridgeMessage,
  downloadName,
  MAX_DOWNLOAD_BYTES,
  MAX_STORAGE_BYTES,
  ownSearch,
  sanitizeFileName,
  withView,
} from '../../../src/panel/bridgeMessages';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe("the bridge's messages, as the extension takes them from a framed page it does not trust", () => {
  it('opens only plain http(s) links', () => {
    assert.deepEqual(bridgeMessage({ type: 'bridgeOpen', url: 'https://www.tensorflow.org/tensorboard' }), {
      type: 'bridgeOpen',
      url: 'https://www.tensorflow.org/tensorboard',
    });
    for (const url of [
      'javascript:alert(1)',
      'command:workbench.action.terminal.sendSequence?%7B%7D',
      'file:///etc/passwd',
      'vscode://file/x',
      'https://user:pw@example.com/',
      'https://exa mple.com/',
      'https://example.com/\n',
      `https://example.com/${'a'.repeat(9000)}`,
      42,
    ])
      assert.equal(bridgeMessage({ type: 'bridgeOpen', url }), undefined, String(url).slice(0, 40));
  });

  it('takes no message with a field more or less, of another type, or not an object', () => {
    for (const data of [
      null,
      'bridgeOpen',
      [],
      { type: 'bridgeOpen' },
      { type: 'bridgeOpen', url: 'https://a.example/', extra: 1 },
      { type: 'bridgeRun', url: 'https://a.example/' },
      { type: 'bridgeDownload', name: 'a.csv' },
      { type: 'bridgeDownload', name: 'a.csv', data: b64('x'), command: 'rm' },
      { type: 'bridgeView', search: '', hash: '' },
    ])
      assert.equal(bridgeMessage(data), undefined, JSON.stringify(data));
  });

  it('takes a download as bytes under its size cap, with a name that is one plain file', () => {
    const message = bridgeMessage({
      type: 'bridgeDownload',
      name: '../../.ssh/authorized_keys',
      data: b64('step,value'),
    });
    assert.equal(message?.type, 'bridgeDownload');
    if (message?.type !== 'bridgeDownload') return;
    assert.equal(Buffer.from(message.data).toString(), 'step,value');
    assert.equal(message.name, '_.._.ssh_authorized_keys');
    assert.equal(bridgeMessage({ type: 'bridgeDownload', name: 'a', data: '!!not base64!!' }), undefined);
    assert.equal(bridgeMessage({ type: 'bridgeDownload', name: 'a', data: 'abc' }), undefined);
    const huge = 'A'.repeat(Math.ceil(MAX_DOWNLOAD_BYTES / 3) * 4 + 4);
    assert.equal(bridgeMessage({ type: 'bridgeDownload', name: 'a', data: huge }), undefined);
  });

  it('sanitizes names: no folder, reserved or control character, hidden file or device name', () => {
    assert.equal(sanitizeFileName('a/b\\c:d*e?f"g<h>i|j'), 'a_b_c_d_e_f_g_h_i_j');
    assert.equal(sanitizeFileName('..'), 'download');
    assert.equal(sanitizeFileName('.bashrc'), 'bashrc');
    assert.equal(sanitizeFileName('CON.txt'), 'download');
    assert.equal(sanitizeFileName('evil\u202Etxt.exe'), 'evil_txt.exe');
    assert.equal(sanitizeFileName('line\nbreak'), 'line_break');
    const long = sanitizeFileName(`${'x'.repeat(500)}.csv`);
    assert.equal(long.length, 120);
    assert.ok(long.endsWith('.csv'));
  });

  it("names a data download after the board, run and tag of TensorBoard's link", () => {
    assert.equal(
      downloadName(
        'resnet50',
        'run1.csv',
        'http://127.0.0.1:1/t/data/plugin/scalars/scalars?tag=loss%2Ftrain&run=run1&format=csv',
      ),
      'resnet50 - run1 loss_train.csv',
    );
    assert.equal(downloadName('resnet50', 'chart.svg', undefined), 'resnet50 - chart.svg');
    assert.equal(downloadName('a/b', '', undefined), 'a_b');
  });

  it('keeps a view only with a query and hash, and a small localStorage of plain keys', () => {
    const view = { search: '?smoothing=0.9', hash: '#timeseries', storage: { _tb_global_settings: '{}' } };
    assert.deepEqual(bridgeMessage({ type: 'bridgeView', ...view }), { type: 'bridgeView', view });
    assert.equal(boardView({ ...view, search: 'smoothing=0.9' }), undefined);
    assert.equal(boardView({ ...view, hash: 'javascript:x' }), undefined);
    assert.equal(boardView({ ...view, hash: '#a b' }), undefined);
    assert.equal(boardView({ ...view, storage: { 'a b': 'x' } }), undefined);
    assert.equal(boardView({ ...view, storage: { a: 1 } }), undefined);
    assert.equal(boardView({ ...view, storage: JSON.parse('{"__proto__": "x"}') as object }), undefined);
    assert.equal(boardView({ ...view, storage: { a: 'x'.repeat(MAX_STORAGE_BYTES) } }), undefined);
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, '']));
    assert.equal(boardView({ ...view, storage: many }), undefined);
  });

  it("restores a view on the entry page, keeping the link's own parameters, and never saves those", () => {
    const entry = 'http://127.0.0.1:5/tok/share/tb1/?token=secret';
    assert.equal(
      withView(entry, { search: '?token=forged&smoothing=0.9', hash: '#timeseries' }),
      'http://127.0.0.1:5/tok/share/tb1/?token=secret&smoothing=0.9#timeseries',
    );
    assert.equal(withView(entry, undefined), entry);
    assert.equal(ownSearch('?token=secret&smoothing=0.9', entry), '?smoothing=0.9');
    assert.equal(ownSearch('?token=secret', entry), '');
  });
});
