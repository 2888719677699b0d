import assert from 'node:assert/strict';
import { belowRoot, loopbackRoot } from '../../../src/net/forwardedUrl';

describe('forwarded board URLs (#10: Open in Browser of a loopback board)', () => {
  it('gives the root of a loopback http(s) URL, the port kept', () => {
    assert.equal(loopbackRoot('http://127.0.0.1:6006/tensorboard/tb1/?token=x#scalars'), 'http://127.0.0.1:6006/');
    assert.equal(loopbackRoot('https://localhost:8443/b/'), 'https://localhost:8443/');
    assert.equal(loopbackRoot('http://[::1]:6006/b/'), 'http://[::1]:6006/');
    assert.equal(loopbackRoot('http://0.0.0.0:6006/b/'), 'http://0.0.0.0:6006/');
    assert.equal(loopbackRoot('http://127.0.0.1/b/'), 'http://127.0.0.1/');
  });

  it('leaves every other URL alone', () => {
    for (const url of [
      'https://pai-dlc-proxy-cn-hangzhou.aliyun.com/tensorboard/tb1/?token=x',
      'http://127.0.0.1.evil.example:6006/',
      'http://localhost.example/',
      'http://10.0.0.1:6006/',
      'file:///etc/passwd',
      'not a url',
    ]) {
      assert.equal(loopbackRoot(url), undefined, url);
    }
  });

  it("appends the URL's path, query and fragment to the forwarded root, as code-server's /proxy/<port>/ needs", () => {
    const url = 'http://127.0.0.1:6006/share/tb1/token/eyJ.a-b_c/?run=run1&tag=loss#scalars';
    assert.equal(
      belowRoot('http://cs.example:8080/proxy/6006/', url),
      'http://cs.example:8080/proxy/6006/share/tb1/token/eyJ.a-b_c/?run=run1&tag=loss#scalars',
    );
    assert.equal(
      belowRoot('https://cs.example/base/proxy/6006', url),
      'https://cs.example/base/proxy/6006/share/tb1/token/eyJ.a-b_c/?run=run1&tag=loss#scalars',
    );
  });

  it('gives the same URL, or its forwarded port, when the root resolves to a root (desktop, Remote-SSH)', () => {
    const url = 'http://127.0.0.1:6006/b/%E5%9B%BE/?q=a%26b';
    assert.equal(belowRoot('http://127.0.0.1:6006/', url), url);
    assert.equal(belowRoot('http://localhost:51234/', url), 'http://localhost:51234/b/%E5%9B%BE/?q=a%26b');
  });

  it("keeps a path segment with a colon a path (it is not read as the URL's scheme)", () => {
    assert.equal(
      belowRoot('http://cs.example/proxy/6006/', 'http://127.0.0.1:6006/a:b/c'),
      'http://cs.example/proxy/6006/a:b/c',
    );
  });
});
