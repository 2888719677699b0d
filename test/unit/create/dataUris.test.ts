import assert from 'node:assert/strict';
import {
  bucketNameProblem,
  datasetIdProblem,
  isDatasetId,
  locationKey,
  nasFromMountTarget,
  parseDataUri,
} from '../../../src/create/dataUris';

function reasonOf(text: string, region?: string): string {
  const result = parseDataUri(text, region ? { region } : {});
  assert.equal(result.ok, false, `${text} should be refused`);
  return result.ok ? '' : result.reason;
}

describe('OSS and NAS URIs', () => {
  it('parses an OSS URI with its endpoint', () => {
    assert.deepEqual(parseDataUri('oss://my-bucket.oss-cn-hangzhou-internal.aliyuncs.com/logs/run1/'), {
      ok: true,
      type: 'OSS',
      uri: 'oss://my-bucket.oss-cn-hangzhou-internal.aliyuncs.com/logs/run1/',
      bucket: 'my-bucket',
      endpoint: 'oss-cn-hangzhou-internal.aliyuncs.com',
      region: 'cn-hangzhou',
      path: '/logs/run1/',
    });
  });

  it('normalises case, slashes, dots and the trailing slash', () => {
    const result = parseDataUri('  OSS://My-Bucket.OSS-cn-shanghai.aliyuncs.com//logs/./Run1 ');
    assert.ok(result.ok);
    assert.equal(result.uri, 'oss://my-bucket.oss-cn-shanghai.aliyuncs.com/logs/Run1/');
    assert.equal(result.path, '/logs/Run1/');
    const root = parseDataUri('oss://my-bucket.oss-cn-shanghai.aliyuncs.com');
    assert.ok(root.ok);
    assert.equal(root.uri, 'oss://my-bucket.oss-cn-shanghai.aliyuncs.com/');
  });

  it('reads the region from regional endpoints only', () => {
    const finance = parseDataUri('oss://bkt.oss-cn-shanghai-finance-1-internal.aliyuncs.com/x');
    assert.ok(finance.ok && finance.type === 'OSS');
    assert.equal(finance.region, 'cn-shanghai-finance-1');
    const accelerated = parseDataUri('oss://bkt.oss-accelerate.aliyuncs.com/x');
    assert.ok(accelerated.ok && accelerated.type === 'OSS');
    assert.equal(accelerated.region, undefined);
    assert.equal('region' in accelerated, false);
  });

  it('completes oss://bucket/path with the region’s internal endpoint, and asks for one without a region', () => {
    const result = parseDataUri('oss://my-bucket/logs/run1', { region: 'cn-beijing' });
    assert.ok(result.ok);
    assert.equal(result.uri, 'oss://my-bucket.oss-cn-beijing-internal.aliyuncs.com/logs/run1/');
    assert.match(
      reasonOf('oss://my-bucket/logs/run1'),
      /oss:\/\/my-bucket\.oss-<region>-internal\.aliyuncs\.com\/logs\/run1\//,
    );
    assert.match(reasonOf('oss://my-bucket/logs', 'not a region'), /endpoint/);
  });

  it('refuses oss://bucket with neither endpoint nor path, also when a region could complete it', () => {
    for (const uri of ['oss://my-bucket', 'oss://my-bucket/', 'oss://my-bucket//./']) {
      const result = parseDataUri(uri, { region: 'cn-hangzhou' });
      assert.equal(result.ok, false, uri);
      assert.match(
        reasonOf(uri, 'cn-hangzhou'),
        /neither the bucket's endpoint nor a folder.*oss:\/\/my-bucket\/logs\//,
      );
    }
    assert.ok(
      parseDataUri('oss://my-bucket.oss-cn-hangzhou-internal.aliyuncs.com/').ok,
      'a bucket root with its endpoint is explicit',
    );
  });

  it('refuses bad buckets and endpoints with the rule broken', () => {
    assert.match(reasonOf('oss://ab.oss-cn-hangzhou.aliyuncs.com/x'), /3 to 63/);
    assert.match(reasonOf('oss://my_bucket.oss-cn-hangzhou.aliyuncs.com/x'), /lowercase letters, digits and hyphens/);
    assert.match(reasonOf('oss://-bucket.oss-cn-hangzhou.aliyuncs.com/x'), /hyphen/);
    assert.match(reasonOf('oss://bucket-.oss-cn-hangzhou.aliyuncs.com/x'), /hyphen/);
    assert.match(reasonOf('oss://.oss-cn-shanghai-finance-1.aliyuncs.com/'), /3 to 63/);
    assert.match(reasonOf('oss:///logs/'), /no bucket/);
    assert.match(
      reasonOf('oss://bucket.example.com/logs/'),
      /not an OSS endpoint.*oss:\/\/bucket\.oss-cn-hangzhou\.aliyuncs\.com\/path\//,
    );
  });

  it('refuses paths that climb or hold control characters', () => {
    assert.match(reasonOf('oss://bucket.oss-cn-hangzhou.aliyuncs.com/logs/../secrets/'), /\.\./);
    assert.match(reasonOf('nas://1ca404a666.cn-hangzhou/logs/\u0000x'), /control/);
  });

  it('points web addresses and other schemes at the right form', () => {
    assert.match(
      reasonOf('https://my-bucket.oss-cn-hangzhou.aliyuncs.com/logs/'),
      /oss:\/\/my-bucket\.oss-cn-hangzhou\.aliyuncs\.com\/logs\//,
    );
    assert.match(reasonOf('s3://bucket/logs'), /OSS .* or NAS/);
    assert.match(reasonOf('/mnt/data/logs'), /not an OSS or NAS URI/);
    assert.match(reasonOf(''), /not an OSS or NAS URI/);
  });

  it('parses a NAS URI', () => {
    assert.deepEqual(parseDataUri('nas://1ca404a666.cn-hangzhou/logs/'), {
      ok: true,
      type: 'NAS',
      uri: 'nas://1ca404a666.cn-hangzhou/logs/',
      fileSystemId: '1ca404a666',
      region: 'cn-hangzhou',
      path: '/logs/',
    });
    const extreme = parseDataUri('nas://extreme-0015abcd.cn-shanghai/share/tb');
    assert.ok(extreme.ok);
    assert.equal(extreme.uri, 'nas://extreme-0015abcd.cn-shanghai/share/tb/');
  });

  it('turns a general-purpose NAS mount target into the documented form', () => {
    const result = parseDataUri('nas://1ca404a666-x1234.cn-hangzhou.nas.aliyuncs.com/data/path');
    assert.ok(result.ok);
    assert.equal(result.uri, 'nas://1ca404a666.cn-hangzhou/data/path/');
    assert.deepEqual(nasFromMountTarget('174494b666-x1234.dualstack.cn-hangzhou.nas.aliyuncs.com'), {
      fileSystemId: '174494b666',
      region: 'cn-hangzhou',
    });
    assert.equal(nasFromMountTarget('192.168.0.10'), undefined);
  });

  it('refuses NAS URIs without a region, or with an Extreme NAS mount target', () => {
    assert.match(reasonOf('nas://1ca404a666/logs/'), /nas:\/\/1ca404a666\.<region>\/logs\//);
    assert.match(reasonOf('nas://1ca404a666.hangzhou/logs/'), /region/);
    assert.match(reasonOf('nas://00c7abcd-rivj.cn-hangzhou.extreme.nas.aliyuncs.com/share/'), /Extreme NAS.*extreme-/);
    assert.match(reasonOf('nas://x.cn-hangzhou/'), /not a NAS file system ID/);
  });

  it('checks bucket names on their own', () => {
    assert.equal(bucketNameProblem('pai-emulator-demo'), undefined);
    assert.equal(bucketNameProblem('a'.repeat(63)), undefined);
    assert.ok(bucketNameProblem('a'.repeat(64)));
    assert.ok(bucketNameProblem('MyBucket'));
    assert.ok(bucketNameProblem('my.bucket'));
  });

  it('accepts the dataset ID forms seen in the API', () => {
    for (const id of [
      'd-k2x8vq3m9r1tzw',
      'd-f0mniq7j4cgk2x2rrn',
      'data-20210114104214-abcdefg',
      'ds-20210126170216-abcdefgh',
    ]) {
      assert.equal(isDatasetId(id), true, id);
      assert.equal(datasetIdProblem(id), undefined);
    }
    for (const id of ['', 'd-', 'd-x', 'dlc1a9r0uhfn24cl', 'oss://bucket/x', 'd k2x8vq3m9r1tzw', 'dataset-123456']) {
      assert.equal(isDatasetId(id), false, id);
    }
    assert.match(datasetIdProblem('mnist')!, /PAI console/);
  });

  it('keys a location by bucket or file system, whatever the endpoint', () => {
    const key = 'oss://my-bucket/logs/run1/';
    assert.equal(locationKey('oss://my-bucket.oss-cn-hangzhou-internal.aliyuncs.com/logs/run1/'), key);
    assert.equal(locationKey('oss://my-bucket.oss-cn-hangzhou.aliyuncs.com/logs//run1'), key);
    assert.equal(locationKey('oss://my-bucket/logs/run1'), key);
    assert.equal(locationKey('nas://1ca404a666.cn-hangzhou/logs'), 'nas://1ca404a666/logs/');
    assert.equal(locationKey('nas://1ca404a666-x1234.cn-hangzhou.nas.aliyuncs.com/logs/'), 'nas://1ca404a666/logs/');
    assert.equal(locationKey('/root/data'), undefined);
    assert.equal(locationKey('oss:///x'), undefined);
  });
});
