import assert from 'node:assert/strict';
import { checkOssEndpoint, defaultPrefix, normalPrefix, ossUriOf } from '../../../src/sync/syncTarget';

describe('sync: where a folder goes', () => {
  it('defaults the prefix to tensorboard/<workspace folder>/<relative path>/, readable as a key', () => {
    assert.equal(defaultPrefix('my project', 'runs/exp 1'), 'tensorboard/my-project/runs/exp-1/');
    assert.equal(defaultPrefix(undefined, '/home/me/logs'), 'tensorboard/home/me/logs/');
    assert.equal(defaultPrefix('ws', '../up/./x'), 'tensorboard/ws/up/x/');
  });

  it('takes a typed prefix with one trailing slash, and refuses one that climbs or is empty', () => {
    assert.equal(normalPrefix(' /a//b '), 'a/b/');
    assert.equal(normalPrefix('a/../b'), undefined);
    assert.equal(normalPrefix('/'), undefined);
  });

  it("names the synced prefix as the oss:// URI a board's data source takes", () => {
    assert.equal(
      ossUriOf({ bucket: 'b-1', region: 'cn-hangzhou', prefix: 'tensorboard/ws/logs/' }),
      'oss://b-1.oss-cn-hangzhou.aliyuncs.com/tensorboard/ws/logs/',
    );
  });

  it('allows an OSS endpoint over https, or http on loopback only, as the PAI-DLC endpoint', () => {
    assert.deepEqual(checkOssEndpoint(''), { ok: true });
    assert.deepEqual(checkOssEndpoint('https://oss-accelerate.aliyuncs.com/'), {
      ok: true,
      endpoint: 'https://oss-accelerate.aliyuncs.com',
    });
    assert.deepEqual(checkOssEndpoint('http://127.0.0.1:9000'), { ok: true, endpoint: 'http://127.0.0.1:9000' });
    assert.match((checkOssEndpoint('http://oss.example.com') as { reason: string }).reason, /plain http/);
    assert.match((checkOssEndpoint('https://u:p@oss.example.com') as { reason: string }).reason, /user name/);
    assert.match((checkOssEndpoint('ftp://oss.example.com') as { reason: string }).reason, /https/);
    assert.match((checkOssEndpoint('oss-cn-hangzhou') as { reason: string }).reason, /not a URL/);
  });
});
