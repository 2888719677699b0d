import assert from 'node:assert/strict';
import { maskKeyId, readEnvCredentials } from '../../../src/core/envCredentials';

describe('environment credentials', () => {
  it('reads the ALIBABA_CLOUD_* variables and names their sources', () => {
    const found = readEnvCredentials({
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'token', ALIBABA_CLOUD_REGION_ID: 'cn-beijing',
    });
    assert.deepEqual(found, {
      accessKeyId: 'id', accessKeySecret: 'secret', securityToken: 'token', regionId: 'cn-beijing',
      sources: ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_SECURITY_TOKEN'],
    });
  });

  it('falls back to the older names and skips empty values', () => {
    const found = readEnvCredentials({ ALIBABA_CLOUD_ACCESS_KEY_ID: ' ', ALICLOUD_ACCESS_KEY_ID: 'old', ALICLOUD_ACCESS_KEY_SECRET: 's' });
    assert.equal(found?.accessKeyId, 'old');
    assert.equal(found?.securityToken, undefined);
  });

  it('finds nothing without both the key ID and the secret', () => {
    assert.equal(readEnvCredentials({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'id' }), undefined);
    assert.equal(readEnvCredentials({}), undefined);
  });

  it('masks a key ID', () => {
    assert.equal(maskKeyId('EMULATORDEMOKEYID0001'), 'EMULAT…0001');
    assert.equal(maskKeyId('short'), 'sh…');
  });
});
