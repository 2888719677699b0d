import assert from 'node:assert/strict';
import { CliConfigError, parseCliConfig } from '../../../src/core/cliProfiles';

const SECRET = 'cli-secret-value-0123456789';

const config = {
  current: 'sts',
  profiles: [
    { name: 'default', mode: 'AK', access_key_id: 'AKID1', access_key_secret: SECRET, region_id: 'cn-hangzhou' },
    { name: 'sts', mode: 'StsToken', access_key_id: 'STS.ID', access_key_secret: SECRET, sts_token: 'token-1', region_id: 'cn-shanghai' },
    { name: 'role', mode: 'RamRoleArn', access_key_id: 'AKID2', access_key_secret: SECRET, ram_role_arn: 'acs:ram::1:role/x' },
    { name: 'ecs', mode: 'EcsRamRole', ram_role_name: 'MyRole' },
    { name: 'nokey', mode: 'AK', access_key_id: '', access_key_secret: SECRET },
    { name: 'halfsts', mode: 'ststoken', access_key_id: 'STS.ID', access_key_secret: SECRET },
    { name: 'weird', mode: 'Telepathy' },
  ],
  meta_path: '',
};

describe('aliyun CLI profiles', () => {
  const parsed = parseCliConfig(JSON.stringify(config));

  it('imports AK and StsToken profiles with their keys and region', () => {
    assert.equal(parsed.current, 'sts');
    assert.deepEqual(parsed.profiles[0], {
      name: 'default', mode: 'AK', importable: true, accessKeyId: 'AKID1', accessKeySecret: SECRET,
      securityToken: undefined, regionId: 'cn-hangzhou',
    });
    const sts = parsed.profiles[1];
    assert.ok(sts.importable);
    assert.equal(sts.mode, 'StsToken');
    assert.equal(sts.securityToken, 'token-1');
  });

  it('explains in plain words why other modes cannot be imported', () => {
    const role = parsed.profiles[2];
    assert.equal(role.importable, false);
    assert.match(!role.importable ? role.reason : '', /RAM role/);
    const ecs = parsed.profiles[3];
    assert.match(!ecs.importable ? ecs.reason : '', /ECS instance metadata/);
    const weird = parsed.profiles[6];
    assert.match(!weird.importable ? weird.reason : '', /unknown/);
  });

  it('says which key a profile lacks (mode names match in any case)', () => {
    const nokey = parsed.profiles[4];
    assert.equal(nokey.importable, false);
    assert.match(!nokey.importable ? nokey.reason : '', /access_key_id/);
    const halfsts = parsed.profiles[5];
    assert.match(!halfsts.importable ? halfsts.reason : '', /sts_token/);
  });

  it('never puts a secret into a reason', () => {
    for (const profile of parsed.profiles) {
      if (!profile.importable) assert.ok(!profile.reason.includes(SECRET));
    }
  });

  it('rejects a broken file with a clear error that quotes nothing from it', () => {
    for (const [contents, message] of [
      [`{"profiles": [{"access_key_secret": "${SECRET}"`, /not valid JSON/],
      ['[]', /not a JSON object/],
      ['{"current": "default"}', /no profiles/],
      ['{"profiles": []}', /no profiles/],
    ] as const) {
      assert.throws(() => parseCliConfig(contents), (error: unknown) => {
        assert.ok(error instanceof CliConfigError);
        assert.match(error.message, message);
        assert.ok(!error.message.includes(SECRET));
        return true;
      });
    }
  });
});
