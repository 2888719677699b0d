import assert from 'node:assert/strict';
import { checkEndpoint, isFrameableUrl } from '../../../src/net/endpointPolicy';

describe('endpoint policy', () => {
  it('accepts https endpoints and strips a trailing slash', () => {
    assert.deepEqual(checkEndpoint('https://pai-dlc.cn-hangzhou.aliyuncs.com/'), {
      ok: true, endpoint: 'https://pai-dlc.cn-hangzhou.aliyuncs.com',
    });
  });

  it('accepts plain http only on loopback (the local emulator)', () => {
    assert.deepEqual(checkEndpoint('http://127.0.0.1:8123'), { ok: true, endpoint: 'http://127.0.0.1:8123' });
    assert.equal(checkEndpoint('http://localhost:9000/').ok, true);
    assert.equal(checkEndpoint('http://[::1]:9000').ok, true);
    const refused = checkEndpoint('http://pai-dlc.cn-hangzhou.aliyuncs.com');
    assert.equal(refused.ok, false);
    assert.match(!refused.ok ? refused.reason : '', /plain http/);
    assert.equal(checkEndpoint('http://127.0.0.1.evil.example').ok, false);
  });

  it('refuses what is not an endpoint', () => {
    for (const bad of ['pai-dlc.cn-hangzhou.aliyuncs.com', 'ftp://x', 'https://u:p@host', 'https://host/?a=b', '']) {
      assert.equal(checkEndpoint(bad).ok, false, bad);
    }
  });

  it('frames only https, or http on loopback', () => {
    assert.equal(isFrameableUrl('https://pai-dlc-proxy-cn-hangzhou.aliyun.com/tb/1'), true);
    assert.equal(isFrameableUrl('http://127.0.0.1:4000/tensorboard/tb1/'), true);
    assert.equal(isFrameableUrl('http://pai-dlc-proxy.example/tb'), false);
    assert.equal(isFrameableUrl('javascript:alert(1)'), false);
    assert.equal(isFrameableUrl('not a url'), false);
  });
});
