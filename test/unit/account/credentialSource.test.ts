import * as assert from 'node:assert/strict';
import {
  environmentOffers,
  maskKeyId,
  parseSignedIn,
  parseSource,
  resolveRegion,
  sameSource,
} from '../../../src/account/credentialSource';

describe('core/credentialSource', () => {
  describe('parseSource (the remembered choice read back)', () => {
    it('takes every known kind, and a profile only with its name', () => {
      for (const kind of ['typed', 'environment', 'oidc', 'instanceRole', 'credentialsUri', 'defaultChain'])
        assert.deepEqual(parseSource({ kind }), { kind });
      assert.deepEqual(parseSource({ kind: 'cliProfile', profile: 'work', secret: 'x' }), {
        kind: 'cliProfile',
        profile: 'work',
      });
      assert.deepEqual(parseSource({ kind: 'iniProfile', profile: 'default' }), {
        kind: 'iniProfile',
        profile: 'default',
      });
    });

    it('refuses anything else', () => {
      for (const value of [
        undefined,
        null,
        'typed',
        {},
        { kind: 'cliProfile' },
        { kind: 'cliProfile', profile: '' },
        { kind: 'sso' },
      ]) {
        assert.equal(parseSource(value), undefined, JSON.stringify(value));
      }
    });

    it('compares kind and profile', () => {
      assert.ok(sameSource({ kind: 'cliProfile', profile: 'a' }, { kind: 'cliProfile', profile: 'a' }));
      assert.ok(!sameSource({ kind: 'cliProfile', profile: 'a' }, { kind: 'iniProfile', profile: 'a' }));
      assert.ok(!sameSource({ kind: 'cliProfile', profile: 'a' }, { kind: 'cliProfile', profile: 'b' }));
    });
  });

  describe('parseSignedIn (the SecretStorage entry)', () => {
    it('reads a choice without keys, and a typed pair with them', () => {
      assert.deepEqual(parseSignedIn(JSON.stringify({ source: { kind: 'cliProfile', profile: 'role' } })), {
        source: { kind: 'cliProfile', profile: 'role' },
      });
      const keys = { accessKeyId: 'LTAIid', accessKeySecret: 'sekrit', securityToken: 'tok' };
      assert.deepEqual(parseSignedIn(JSON.stringify({ source: { kind: 'typed' }, keys })), {
        source: { kind: 'typed' },
        keys,
      });
      assert.deepEqual(
        parseSignedIn(JSON.stringify({ source: { kind: 'environment' }, keys })),
        { source: { kind: 'environment' } },
        'keys belong to typed only',
      );
    });

    it("keeps an earlier version's copied key pair working, as a typed pair", () => {
      const old = { accessKeyId: 'LTAIid', accessKeySecret: 'sekrit', source: 'cliProfile', origin: 'work' };
      assert.deepEqual(parseSignedIn(JSON.stringify(old)), {
        source: { kind: 'typed' },
        keys: { accessKeyId: 'LTAIid', accessKeySecret: 'sekrit', securityToken: undefined },
      });
    });

    it('refuses what it cannot use', () => {
      for (const raw of [
        undefined,
        '',
        'not json',
        'null',
        '{}',
        JSON.stringify({ source: { kind: 'typed' } }),
        JSON.stringify({ accessKeyId: 'a' }),
      ]) {
        assert.equal(parseSignedIn(raw), undefined, raw);
      }
    });
  });

  describe('environmentOffers (the variables @alicloud/credentials reads)', () => {
    it('offers the AccessKey pair with its token, naming the variables and never their values', () => {
      const offers = environmentOffers({
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIid',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 's3cret',
        ALIBABA_CLOUD_SECURITY_TOKEN: 'tok',
      });
      assert.deepEqual(offers.accessKey?.variables, [
        'ALIBABA_CLOUD_ACCESS_KEY_ID',
        'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
        'ALIBABA_CLOUD_SECURITY_TOKEN',
      ]);
      assert.ok(!JSON.stringify(offers).includes('s3cret'));
    });

    it('needs both halves of the pair, and ignores the variants the library does not read', () => {
      assert.equal(environmentOffers({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIid' }).accessKey, undefined);
      assert.equal(
        environmentOffers({ ALICLOUD_ACCESS_KEY_ID: 'a', ALICLOUD_ACCESS_KEY_SECRET: 'b' }).accessKey,
        undefined,
      );
      assert.equal(
        environmentOffers({ ALIBABA_CLOUD_ACCESS_KEY_ID: ' ', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'b' }).accessKey,
        undefined,
      );
    });

    it('offers OIDC only with all three variables', () => {
      const all = {
        ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1:role/r',
        ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'acs:ram::1:oidc-provider/p',
        ALIBABA_CLOUD_OIDC_TOKEN_FILE: '/var/token',
      };
      assert.deepEqual(environmentOffers(all).oidc?.variables, Object.keys(all));
      assert.equal(environmentOffers({ ...all, ALIBABA_CLOUD_OIDC_TOKEN_FILE: '' }).oidc, undefined);
    });

    it('shows a credentials URI without its query, which may hold a token', () => {
      const offers = environmentOffers({
        ALIBABA_CLOUD_CREDENTIALS_URI: 'http://localhost:7002/api/v1/credentials/0?token=abc123',
      });
      assert.equal(offers.credentialsUri?.display, 'http://localhost:7002/api/v1/credentials/0');
      assert.equal(
        environmentOffers({ ALIBABA_CLOUD_CREDENTIALS_URI: 'not a url ?token=abc' }).credentialsUri?.display,
        'ALIBABA_CLOUD_CREDENTIALS_URI',
      );
    });

    it('reads the switches that turn the instance role and CLI profiles off', () => {
      assert.equal(environmentOffers({ ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'TRUE' }).instanceRoleDisabled, true);
      assert.equal(environmentOffers({ ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true' }).cliProfileDisabled, true);
      assert.deepEqual(
        [environmentOffers({}).instanceRoleDisabled, environmentOffers({}).cliProfileDisabled],
        [false, false],
      );
    });
  });

  describe('resolveRegion', () => {
    const dsw = {
      ALIBABA_CLOUD_REGION_ID: 'cn-shanghai',
      dsw_region: 'cn-beijing',
      DSW_REGION: 'cn-shenzhen',
      REGION: 'ap-southeast-1',
    };

    it('takes the setting first, then the profile, the environment, the DSW variables, the default', () => {
      const profile = { name: 'work', regionId: 'cn-wulanchabu' };
      assert.deepEqual(resolveRegion({ chosen: 'cn-hangzhou', profile, env: dsw, fallback: 'cn-x' }), {
        regionId: 'cn-hangzhou',
        origin: { kind: 'setting' },
      });
      assert.deepEqual(resolveRegion({ profile, env: dsw, fallback: 'cn-x' }), {
        regionId: 'cn-wulanchabu',
        origin: { kind: 'profile', profile: 'work' },
      });
      assert.deepEqual(resolveRegion({ profile: { name: 'work' }, env: dsw, fallback: 'cn-x' }).origin, {
        kind: 'environment',
        variable: 'ALIBABA_CLOUD_REGION_ID',
      });
      const order: string[] = [];
      const env: Record<string, string | undefined> = { ...dsw };
      for (const variable of Object.keys(dsw)) {
        const resolved = resolveRegion({ env, fallback: 'cn-hangzhou' });
        order.push(
          `${resolved.origin.kind === 'environment' ? resolved.origin.variable : resolved.origin.kind}=${resolved.regionId}`,
        );
        delete env[variable];
      }
      assert.deepEqual(order, [
        'ALIBABA_CLOUD_REGION_ID=cn-shanghai',
        'dsw_region=cn-beijing',
        'DSW_REGION=cn-shenzhen',
        'REGION=ap-southeast-1',
      ]);
      assert.deepEqual(resolveRegion({ env: {}, fallback: 'cn-hangzhou' }), {
        regionId: 'cn-hangzhou',
        origin: { kind: 'default' },
      });
    });

    it('skips a variable that is not shaped like a region ID (REGION is a common name)', () => {
      assert.deepEqual(resolveRegion({ env: { REGION: 'EU West', DSW_REGION: ' ' }, fallback: 'cn-hangzhou' }).origin, {
        kind: 'default',
      });
    });
  });

  it('masks an AccessKey ID', () => {
    assert.equal(maskKeyId('EMULATORDEMOKEYID0001'), 'EMULAT…0001');
    assert.equal(maskKeyId('short'), 'sh…');
  });
});
