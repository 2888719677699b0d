import assert from 'node:assert/strict';
import { isFrameableUrl, safeHttpUrl } from '../../../src/net/safeUrl';

describe('safeHttpUrl (#12 items 3 and 8)', () => {
  it('passes http(s) URLs with a host, normalised', () => {
    const shared =
      'https://pai-dlc-proxy-cn-hangzhou.aliyun.com/tensorboard/tb1/?token=eyJhbGciOi.J9x_y-z%2B&a=1#scalars';
    assert.equal(safeHttpUrl(shared), shared);
    assert.equal(safeHttpUrl('http://127.0.0.1:6006'), 'http://127.0.0.1:6006/');
    assert.equal(safeHttpUrl('HTTPS://Board.Example.COM/x'), 'https://board.example.com/x');
    assert.equal(safeHttpUrl('http://[::1]:8080/tb/'), 'http://[::1]:8080/tb/');
    assert.equal(safeHttpUrl('https://例え.jp/'), 'https://xn--r8jz45g.jp/');
  });

  it('refuses every other scheme', () => {
    for (const raw of [
      'vscode://vscode.git/clone?url=x',
      'vscode-insiders://x',
      'file:///etc/passwd',
      'file://server/share',
      'smb://attacker.example/share',
      'command:workbench.action.terminal.new',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'ftp://example.com/',
      'ws://example.com/',
      '//example.com/path',
      '/tensorboard/tb1/',
      '',
    ]) {
      assert.equal(safeHttpUrl(raw), undefined, raw);
    }
  });

  it('refuses a host that would break out of a CSP source, such as one with a ;', () => {
    for (const raw of [
      "https://a.example;script-src 'unsafe-inline'/",
      'https://a.example;b/',
      "https://a'b.example/",
      'https://*.example/',
      'https://a,b.example/',
      'https://a%3Bb.example/',
    ]) {
      assert.equal(safeHttpUrl(raw), undefined, raw);
    }
  });

  it('refuses credentials, whitespace and control characters', () => {
    for (const raw of [
      'https://user:pass@example.com/',
      'https://user@example.com/',
      'https://example.com/ a',
      ' https://example.com/',
      'https://example.com/\n',
      'https://exa\tmple.com/',
      'https://example.com/\u0000',
      'https://example.com/\u0085',
      'https://example.com/\u2028',
      'https://',
      'http://',
    ]) {
      assert.equal(safeHttpUrl(raw), undefined, JSON.stringify(raw));
    }
  });

  it('frames only https, or http on loopback', () => {
    assert.equal(isFrameableUrl('https://pai-dlc-proxy-cn-hangzhou.aliyun.com/tb/1'), true);
    assert.equal(isFrameableUrl('http://127.0.0.1:4000/tensorboard/tb1/'), true);
    assert.equal(isFrameableUrl('http://127.0.0.1.evil.example/tb'), false);
    assert.equal(isFrameableUrl('http://pai-dlc-proxy.example/tb'), false);
    assert.equal(isFrameableUrl('javascript:alert(1)'), false);
    assert.equal(isFrameableUrl('not a url'), false);
  });
});
