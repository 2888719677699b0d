import * as assert from 'node:assert/strict';
import { PAI_DLC_REGIONS, endpointForRegion } from '../../../src/api';
import { checkEndpoint, isRegionId } from '../../../src/api/endpoint';

describe('api/endpoint', () => {
  it('lists the 15 regions of the service metadata', () => {
    assert.equal(PAI_DLC_REGIONS.length, 15);
    assert.ok(PAI_DLC_REGIONS.includes('cn-hangzhou') && PAI_DLC_REGIONS.includes('cn-shanghai-finance-1'));
    assert.ok(Object.isFrozen(PAI_DLC_REGIONS));
  });

  it('builds the endpoint from a region', () => {
    assert.equal(endpointForRegion('cn-hangzhou'), 'https://pai-dlc.cn-hangzhou.aliyuncs.com');
    assert.equal(endpointForRegion(' AP-SOUTHEAST-1 '), 'https://pai-dlc.ap-southeast-1.aliyuncs.com');
    assert.throws(() => endpointForRegion('cn-hangzhou/evil'), RangeError);
    assert.throws(() => endpointForRegion(''), RangeError);
  });

  it('knows a region ID by one pattern', () => {
    for (const id of PAI_DLC_REGIONS) assert.ok(isRegionId(id), id);
    for (const bad of ['cn', 'hangzhou', 'cn-', 'CN-HANGZHOU', 'cn_hangzhou', 'cn-hangzhou/evil', ' cn-hangzhou'])
      assert.ok(!isRegionId(bad), bad);
  });

  it('strips trailing slashes, which pop-core would double into the path', () => {
    assert.deepEqual(checkEndpoint('https://pai-dlc.cn-hangzhou.aliyuncs.com/'), {
      ok: true,
      endpoint: 'https://pai-dlc.cn-hangzhou.aliyuncs.com',
    });
    assert.deepEqual(checkEndpoint('http://127.0.0.1:8080//'), { ok: true, endpoint: 'http://127.0.0.1:8080' });
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

  it('refuses what is not an endpoint pop-core can use', () => {
    for (const bad of [
      'pai-dlc.cn-hangzhou.aliyuncs.com',
      'ftp://x',
      'https://u:p@host',
      'https://host/?a=b',
      'https://host/#x',
      'https://',
      '',
    ]) {
      assert.equal(checkEndpoint(bad).ok, false, bad);
    }
  });
});
