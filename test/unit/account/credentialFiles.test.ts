import * as assert from 'node:assert/strict';
import { CredentialFileError, summarizeCliConfig, summarizeIni } from '../../../src/account/credentialFiles';

const now = Date.parse('2026-12-01T00:00:00Z');
const nowSeconds = now / 1000;
const file = '/home/u/.aliyun/config.json';

function problemOf(contents: string): string {
  try {
    summarizeCliConfig(file, contents, now);
  } catch (error) {
    assert.ok(error instanceof CredentialFileError);
    assert.equal(error.file, file);
    return error.problem;
  }
  assert.fail('expected a CredentialFileError');
}

describe('core/credentialFiles', () => {
  describe('summarizeCliConfig (~/.aliyun/config.json)', () => {
    it('lists every profile with its mode, region and whether it is current, and nothing that could sign', () => {
      const profiles = summarizeCliConfig(
        file,
        JSON.stringify({
          current: 'role',
          profiles: [
            {
              name: 'default',
              mode: 'AK',
              access_key_id: 'LTAIkey',
              access_key_secret: 'sekrit-1',
              region_id: 'cn-hangzhou',
            },
            {
              name: 'role',
              mode: 'RamRoleArn',
              access_key_id: 'LTAIkey',
              access_key_secret: 'sekrit-1',
              ram_role_arn: 'acs:ram::1:role/r',
              region_id: 'cn-shanghai',
            },
            {
              name: 'chain',
              mode: 'ChainableRamRoleArn',
              source_profile: 'default',
              ram_role_arn: 'acs:ram::1:role/o',
            },
            { name: 'ecs', mode: 'EcsRamRole', ram_role_name: 'R', region_id: 'cn-beijing' },
            { name: 'oidc', mode: 'OIDC' },
            { name: 'sts', mode: 'StsToken', sts_token: 'tok-1' },
            { name: 'ext', mode: 'External', process_command: 'x' },
          ],
        }),
        now,
      );
      assert.deepEqual(
        profiles.map((p) => [p.name, p.mode, p.regionId, p.current, p.problem]),
        [
          ['default', 'AK', 'cn-hangzhou', false, undefined],
          ['role', 'RamRoleArn', 'cn-shanghai', true, undefined],
          ['chain', 'ChainableRamRoleArn', undefined, false, undefined],
          ['ecs', 'EcsRamRole', 'cn-beijing', false, undefined],
          ['oidc', 'OIDC', undefined, false, undefined],
          ['sts', 'StsToken', undefined, false, undefined],
          ['ext', 'External', undefined, false, undefined],
        ],
      );
      assert.ok(!JSON.stringify(profiles).includes('sekrit') && !JSON.stringify(profiles).includes('tok-1'));
    });

    it('marks the modes the library does not build (it matches them exactly), and a missing mode', () => {
      const profiles = summarizeCliConfig(
        file,
        JSON.stringify({
          profiles: [
            { name: 'uri', mode: 'CredentialsURI' },
            { name: 'lower', mode: 'ak' },
            { name: 'none' },
            { name: 'bearer', mode: 'BearerToken' },
          ],
        }),
        now,
      );
      assert.deepEqual(
        profiles.map((p) => p.problem),
        [
          { kind: 'unsupportedMode', mode: 'CredentialsURI' },
          { kind: 'unsupportedMode', mode: 'ak' },
          { kind: 'unsupportedMode', mode: '' },
          { kind: 'unsupportedMode', mode: 'BearerToken' },
        ],
      );
    });

    it('says when a CloudSSO sign-in has run out (run `aliyun configure` again)', () => {
      const sso = (extra: object) =>
        summarizeCliConfig(file, JSON.stringify({ profiles: [{ name: 's', mode: 'CloudSSO', ...extra }] }), now)[0]!
          .problem;
      assert.deepEqual(sso({ access_token: 't', cloud_sso_access_token_expire: nowSeconds - 1 }), {
        kind: 'signInExpired',
        method: 'CloudSSO',
      });
      assert.deepEqual(sso({ cloud_sso_access_token_expire: nowSeconds + 3600 }), {
        kind: 'signInExpired',
        method: 'CloudSSO',
      });
      assert.equal(sso({ access_token: 't', cloud_sso_access_token_expire: nowSeconds + 3600 }), undefined);
    });

    it('says when an OAuth sign-in can no longer be refreshed', () => {
      const oauth = (extra: object) =>
        summarizeCliConfig(
          file,
          JSON.stringify({ profiles: [{ name: 'o', mode: 'OAuth', oauth_site_type: 'CN', ...extra }] }),
          now,
        )[0]!.problem;
      const expired = { kind: 'signInExpired', method: 'OAuth' };
      assert.deepEqual(oauth({ oauth_access_token: 'a', oauth_access_token_expire: nowSeconds - 1 }), expired);
      assert.deepEqual(
        oauth({
          oauth_refresh_token: 'r',
          oauth_refresh_token_expire: nowSeconds - 1,
          oauth_access_token_expire: nowSeconds - 1,
        }),
        expired,
      );
      assert.equal(
        oauth({ oauth_refresh_token: 'r', oauth_access_token_expire: nowSeconds - 1 }),
        undefined,
        'a refresh token without an expiry is tried',
      );
      assert.equal(oauth({ oauth_access_token: 'a', oauth_access_token_expire: nowSeconds + 3600 }), undefined);
    });

    it('takes the first of two profiles of a name, as the library does, and skips nameless ones', () => {
      const profiles = summarizeCliConfig(
        file,
        JSON.stringify({ profiles: [{ name: 'a', mode: 'AK' }, { name: 'a', mode: 'OIDC' }, { mode: 'AK' }, 'x'] }),
        now,
      );
      assert.deepEqual(
        profiles.map((p) => [p.name, p.mode]),
        [['a', 'AK']],
      );
    });

    it('says what is wrong with a broken file, without quoting it', () => {
      assert.equal(problemOf('{"profiles": [{"name": "x", "access_key_secret": "half-written-secret"'), 'invalidJson');
      assert.equal(problemOf('[]'), 'notObject');
      assert.equal(problemOf('{"current": "x"}'), 'noProfiles');
      assert.equal(problemOf('{"profiles": [{"mode": "AK"}]}'), 'noProfiles');
      try {
        summarizeCliConfig(file, '{"access_key_secret": "half-written-secret"', now);
      } catch (error) {
        assert.equal((error as Error).message, `${file}: not valid JSON`);
      }
    });
  });

  describe('summarizeIni (~/.alibabacloud/credentials, as parsed by the library)', () => {
    it('lists the sections with their type, the default one first-class, and marks types the library does not build', () => {
      const profiles = summarizeIni({
        default: { type: 'access_key', access_key_id: 'LTAI', access_key_secret: 'sekrit' },
        role: { type: 'ram_role_arn', role_arn: 'acs:ram::1:role/r' },
        ecs: { type: 'ecs_ram_role', role_name: 'R' },
        rsa: { type: 'rsa_key_pair' },
        stray: 'value',
      });
      assert.deepEqual(
        profiles.map((p) => [p.name, p.mode, p.current, p.problem?.kind]),
        [
          ['default', 'access_key', true, undefined],
          ['role', 'ram_role_arn', false, undefined],
          ['ecs', 'ecs_ram_role', false, undefined],
          ['rsa', 'rsa_key_pair', false, 'unsupportedMode'],
        ],
      );
      assert.ok(!JSON.stringify(profiles).includes('sekrit'));
    });
  });
});
