import assert from 'node:assert/strict';
import { boardHtml, escapeHtml, messageHtml } from '../../../src/panel/boardHtml';

const base = {
  tensorboardId: 'tb123',
  displayName: '<img src=x onerror=alert(1)> "run"',
  url: 'https://pai-dlc-proxy-cn-hangzhou.aliyun.com/share/tb123/token/abc/',
  cspSource: 'https://webview.example',
  styleUri: 'https://webview.example/media/board.css',
  scriptUri: 'https://webview.example/media/board.js',
  nonce: 'bm9uY2U=',
  labels: { openInBrowser: 'Open in Browser', reload: 'Reload', blankHint: 'Blank?' },
};

function csp(html: string): string {
  const match = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
  assert.ok(match, 'a CSP meta tag');
  return match[1].replace(/&#39;/g, "'");
}

describe('board panel HTML', () => {
  it("allows nothing by default and frames only the board's origin", () => {
    const policy = csp(boardHtml(base));
    assert.match(policy, /^default-src 'none'/);
    assert.match(policy, /frame-src https:\/\/pai-dlc-proxy-cn-hangzhou\.aliyun\.com(;|$)/);
    assert.match(policy, /script-src 'nonce-bm9uY2U='/);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|\*/);
  });

  it('runs only its own script, by nonce', () => {
    const html = boardHtml(base);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(html, /<script nonce="bm9uY2U=" src="https:\/\/webview\.example\/media\/board\.js"><\/script>/);
  });

  it('escapes the service-provided name everywhere', () => {
    const html = boardHtml(base);
    assert.ok(!html.includes('<img'));
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt; &quot;run&quot;'));
  });

  it('frames the URL it was given and keeps the board ID for restoring', () => {
    const html = boardHtml(base);
    assert.match(
      html,
      /<iframe id="board" src="https:\/\/pai-dlc-proxy-cn-hangzhou\.aliyun\.com\/share\/tb123\/token\/abc\/"/,
    );
    assert.match(html, /data-tensorboard-id="tb123"/);
  });

  it('message pages frame nothing', () => {
    const html = messageHtml({
      tensorboardId: 'tb1',
      title: 'Stopped',
      message: '<b>x</b>',
      cspSource: 'c',
      styleUri: 's',
      scriptUri: 'j',
      nonce: 'n',
    });
    assert.ok(!html.includes('<iframe'));
    assert.ok(!csp(html).includes('frame-src'));
    assert.ok(html.includes('&lt;b&gt;x&lt;/b&gt;'));
  });

  it('declares the language of its labels, English when not told', () => {
    assert.match(boardHtml({ ...base, lang: 'zh-cn' }), /<html lang="zh-cn">/);
    assert.match(boardHtml(base), /<html lang="en">/);
    assert.match(
      messageHtml({
        tensorboardId: 'tb1',
        title: 't',
        message: 'm',
        cspSource: 'c',
        styleUri: 's',
        scriptUri: 'j',
        nonce: 'n',
        lang: 'zh-cn',
      }),
      /<html lang="zh-cn">/,
    );
  });

  it('escapes all five HTML specials', () => {
    assert.equal(escapeHtml(`&<>"'`), '&amp;&lt;&gt;&quot;&#39;');
  });
});
