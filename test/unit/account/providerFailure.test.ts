import * as assert from 'node:assert/strict';
import { describeProviderFailure } from '../../../src/account/providerFailure';

const SECRET = 'wyLTSmsyPGP1ohvvw8xYgB29dlGI8KMiH2pK';
const TOKEN = 'CAIS-token-abcdefghijklmnopqrstuvwxyz';

function text(message: string): string {
  const failure = describeProviderFailure(new Error(message));
  assert.equal(failure.kind, 'other');
  const shown = (failure as { text: string }).text;
  assert.ok(!shown.includes(SECRET) && !shown.includes(TOKEN), shown);
  return shown;
}

describe('account/providerFailure (what a failure of @alicloud/credentials may show)', () => {
  it('keeps the Code and Message of an STS error body, and drops its string to sign', () => {
    const body = JSON.stringify({
      RequestId: 'R',
      HostId: 'sts.aliyuncs.com',
      Code: 'EntityNotExist.Role',
      Message: 'The specified Role not exists .',
      Recommend: 'https://api.aliyun.com/troubleshoot?q=EntityNotExist.Role&requestId=R',
    });
    assert.equal(
      text(`refresh session token failed: ${body}`),
      'refresh session token failed: EntityNotExist.Role: The specified Role not exists .',
    );
    const signature = JSON.stringify({
      Code: 'IncompleteSignature',
      Message: `The request signature does not conform. server string to sign is:POST&%2F&SecurityToken%3D${TOKEN}`,
    });
    assert.equal(
      text(`refresh session token failed: ${signature}`),
      'refresh session token failed: IncompleteSignature: The request signature does not conform. server',
    );
  });

  it('drops a body that is not an error body: an answer with credentials, a file, a page', () => {
    const credentials = JSON.stringify({ AccessKeyId: 'STS.x', AccessKeySecret: SECRET });
    assert.equal(
      text(`error retrieving credentials from credentialsURI result: ${credentials}.`),
      'error retrieving credentials from credentialsURI result (what it quoted is not shown)',
    );
    assert.equal(
      text(`get sts token failed, httpStatus: 500, message = <html>${SECRET}</html>.`),
      'get sts token failed, httpStatus: 500 (what it quoted is not shown)',
    );
    assert.equal(
      text(`get sts token failed, json parse failed: Unexpected token, result: {"AccessKeySecret":"${SECRET}".`),
      'get sts token failed, json parse failed (what it quoted is not shown)',
    );
    assert.equal(
      text(`refresh RoleArn sts token err, unmarshal fail: ${SECRET}`),
      'refresh RoleArn sts token err, unmarshal fail (what it quoted is not shown)',
    );
    assert.equal(
      text(`failed to parse external command output: Unexpected token '${SECRET}'`),
      'failed to parse external command output (what it quoted is not shown)',
    );
  });

  it('does not quote a config.json that is not JSON (the library quotes all of it)', () => {
    assert.equal(
      text(
        `parse aliyun cli config from '/home/u/.aliyun/config.json' failed: {"profiles":[{"access_key_secret":"${SECRET}"`,
      ),
      "parse aliyun cli config from '/home/u/.aliyun/config.json' failed (what it quoted is not shown)",
    );
  });

  it('reduces a URL it quotes to its scheme, host and port (a signed query, a token in a path, a user and password)', () => {
    const url = `https://127.0.0.1:4433/?Version=2015-04-01&Action=AssumeRole&AccessKeyId=LTAIid&SecurityToken=${TOKEN}&Signature=abc%3D`;
    assert.equal(
      text(`self-signed certificatePOST ${url} failed.`),
      'self-signed certificatePOST https://127.0.0.1:4433 failed.',
    );
    assert.equal(
      text(`connect ECONNREFUSED GET http://169.254.0.9:8080/creds/${TOKEN} failed.`),
      'connect ECONNREFUSED GET http://169.254.0.9:8080 failed.',
    );
    assert.equal(
      text(`GET https://admin:${SECRET}@creds.example:8443/x failed.`),
      'GET https://creds.example:8443 failed.',
    );
  });

  it('hides the secrets this machine knows wherever they appear, and caps what it shows', () => {
    const failure = describeProviderFailure(new Error(`the server said: your token ${TOKEN} is not valid`), [TOKEN]);
    assert.deepEqual(failure, { kind: 'other', text: 'the server said: your token *** is not valid' });
    const long = text(`x`.repeat(5 * 1024 * 1024));
    assert.ok(long.length <= 1025, `${long.length} characters shown`);
  });

  it('cuts the quote of a config.json after its path, even when the path has an apostrophe', () => {
    assert.equal(
      text(`parse aliyun cli config from '/home/o'brien/.aliyun/config.json' failed: access_key_secret = ${SECRET}`),
      "parse aliyun cli config from '/home/o'brien/.aliyun/config.json' failed (what it quoted is not shown)",
    );
  });

  it('keeps what says why and quotes nothing', () => {
    assert.equal(text('the access key secret is invalid'), 'the access key secret is invalid');
    assert.equal(text("unable to get profile with 'nobody'"), "unable to get profile with 'nobody'");
    assert.equal(
      text('get role name failed: GET http://100.100.100.200/latest/meta-data/ram/security-credentials/ 404'),
      'get role name failed: GET http://100.100.100.200 404',
    );
    assert.equal(text(`something new: {"secret":"${SECRET}"}`), 'something new: (what it quoted is not shown)');
  });

  it("cuts the default chain's joined messages at the first that quotes something", () => {
    const message = `unable to get credentials from any of the providers in the chain: unable to get credentials from enviroment variables, Access key ID must be specified via environment variable (ALIBABA_CLOUD_ACCESS_KEY_ID), parse aliyun cli config from '/h/.aliyun/config.json' failed: ${SECRET} xx, get sts token failed`;
    assert.equal(
      text(message),
      "unable to get credentials from any of the providers in the chain: unable to get credentials from enviroment variables, Access key ID must be specified via environment variable (ALIBABA_CLOUD_ACCESS_KEY_ID), parse aliyun cli config from '/h/.aliyun/config.json' failed (what it quoted is not shown)",
    );
  });

  it('recognises a CloudSSO or OAuth sign-in that has run out', () => {
    assert.deepEqual(
      describeProviderFailure(new Error('CloudSSO access token is empty or expired, please re-login with cli.')),
      { kind: 'signInExpired' },
    );
    assert.deepEqual(describeProviderFailure(new Error('failed to refresh OAuth token, status code: 400')), {
      kind: 'signInExpired',
    });
  });
});
