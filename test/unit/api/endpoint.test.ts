import * as assert from 'node:assert/strict';
import { PAI_DLC_REGIONS, endpointForRegion } from '../../../src/api';
import { normalizeEndpoint } from '../../../src/api/endpoint';

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

  it('strips trailing slashes, which pop-core would double into the path', () => {
    assert.equal(normalizeEndpoint('https://pai-dlc.cn-hangzhou.aliyuncs.com/'), 'https://pai-dlc.cn-hangzhou.aliyuncs.com');
    assert.equal(normalizeEndpoint('http://127.0.0.1:8080//'), 'http://127.0.0.1:8080');
    assert.equal(normalizeEndpoint('pai-dlc.cn-beijing.aliyuncs.com'), 'https://pai-dlc.cn-beijing.aliyuncs.com');
  });

  it('refuses what pop-core cannot use', () => {
    assert.equal(normalizeEndpoint('ftp://example.com'), undefined);
    assert.equal(normalizeEndpoint('https://example.com/?a=1'), undefined);
    assert.equal(normalizeEndpoint('https://user:pw@example.com'), undefined);
    assert.equal(normalizeEndpoint('https://'), undefined);
  });
});
