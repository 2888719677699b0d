import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ClientErrorCode, DlcError } from '../../../src/api';
import { describeError, errorFromBody, errorMessage } from '../../../src/api/errors';
import { redact } from '../../../src/api/redact';
import { inEnglish, type Translate } from '../../../src/api/sentence';
import { fixture } from './fixtures';

const context = (operation: string, httpStatus: number) => ({ operation, httpStatus, secrets: [] });

describe('api/errors', () => {
  it('reads the documented error body', () => {
    const error = errorFromBody(fixture('errorSample.json'), context('GetTensorboard', 404));
    assert.ok(error instanceof DlcError && error instanceof Error);
    assert.equal(error.name, 'DlcError');
    assert.equal(error.code, 'InvalidImageId.NotFound');
    assert.equal(error.message, 'The specified ImageId does not exist.');
    assert.equal(error.requestId, '6BE56E05-XXXX-XXXX-XXXX-FD90C4FFD581');
    assert.equal(error.hostId, 'ecs.ap-southeast-3.aliyuncs.com');
    assert.match(error.recommend ?? '', /^https:\/\/api\.alibabacloud\.com\/troubleshoot/);
    assert.equal(error.httpStatus, 404);
    assert.equal(error.operation, 'GetTensorboard');
    assert.equal(error.retryable, false);
    assert.match(error.hint ?? '', /TensorBoard was not found/);
  });

  it('tolerates lower-case keys and errorCode/errorMsg', () => {
    const lower = errorFromBody(fixture('errorLowercase.json'), context('ListTensorboards', 400));
    assert.equal(lower.code, 'Throttling.User');
    assert.equal(lower.message, 'Request was denied due to user flow control.');
    assert.equal(lower.requestId, '9F8E7D6C-5B4A-3C2D-1E0F-A1B2C3D4E5F6');
    assert.equal(lower.hostId, 'pai-dlc.cn-hangzhou.aliyuncs.com');
    assert.equal(lower.retryable, true);

    const legacy = errorFromBody(fixture('errorErrorCode.json'), context('CreateTensorboard', 400));
    assert.equal(legacy.code, 'TensorboardLimitExceeded');
    assert.equal(legacy.message, 'The number of TensorBoards exceeds the limit of 5.');
    assert.equal(legacy.requestId, undefined);
    assert.match(legacy.hint ?? '', /Stop or delete one/);
  });

  it('falls back to the HTTP status when the body has no code', () => {
    const error = errorFromBody({}, context('GetJob', 503));
    assert.equal(error.code, 'Http503');
    assert.equal(error.message, 'HTTP 503');
    assert.equal(error.retryable, true);
  });

  const hints: Array<[string, number | undefined, RegExp, boolean]> = [
    ['InvalidAccessKeyId.NotFound', 404, /AccessKey ID is unknown/, false],
    ['InvalidAccessKeyId.Inactive', 400, /AccessKey ID is unknown or disabled/, false],
    ['Forbidden.AccessKeyDisabled', 403, /unknown or disabled/, false],
    ['SignatureDoesNotMatch', 400, /secret does not match/, false],
    ['InvalidTimeStamp.Expired', 400, /clock is more than 15 minutes off/, false],
    ['InvalidSecurityToken.Expired', 400, /STS token has expired/, false],
    ['MissingSecurityToken', 400, /STS token/, false],
    ['Forbidden.RAM', 403, /may not call paidlc:StartTensorboard/, false],
    ['NoPermission', 403, /paidlc:StartTensorboard/, false],
    ['Throttling.Api', 400, /throttling/, true],
    ['Throttling', 400, /throttling/, true],
    ['ServiceUnavailable', 503, /temporarily unavailable/, true],
    ['InternalError', 500, /temporarily unavailable/, true],
    ['TensorboardNotFound', 404, /TensorBoard was not found/, false],
    ['EntityNotExist.Tensorboard', 400, /TensorBoard was not found/, false],
    ['InvalidApi.NotFound', 404, /does not serve PAI-DLC/, false],
    ['TensorboardLimitExceeded', 400, /most TensorBoards allowed/, false],
    ['TensorboardLimitExceeded', 500, /most TensorBoards allowed/, false],
    [ClientErrorCode.Timeout, undefined, /did not answer in time/, true],
    [ClientErrorCode.NetworkError, undefined, /Cannot reach/, true],
    [ClientErrorCode.BadResponse, 502, /HTTP 502 with something that is not JSON/, true],
    [ClientErrorCode.BadResponse, 200, /not JSON\. Check the endpoint setting and any proxy in between/, false],
    [ClientErrorCode.BadResponse, 503, /not JSON\. Try again later/, true],
    [ClientErrorCode.InvalidResponse, 200, /unexpected shape/, false],
    [ClientErrorCode.CredentialsUnavailable, undefined, /Sign in/, false],
    ['SignatureNonceUsed', 400, /repeat of an earlier one/, true],
    ['SomeNewCode', 400, /refused to start the TensorBoard: a value in the request is not accepted/, false],
    ['SomeNewCode', 502, /temporarily unavailable/, true],
  ];
  for (const [code, httpStatus, hint, retryable] of hints) {
    it(`${code}${httpStatus ? ` (HTTP ${httpStatus})` : ''}: ${retryable ? 'transient' : 'permanent'}, hint ${hint}`, () => {
      const error = new DlcError({ code, message: 'm', operation: 'StartTensorboard', httpStatus });
      assert.match(error.hint ?? '', hint);
      assert.equal(error.retryable, retryable);
    });
  }

  it('names the operation in the hint for a not-found job', () => {
    assert.match(
      new DlcError({ code: 'JobNotFound', message: 'm', operation: 'GetJob' }).hint ?? '',
      /job was not found/,
    );
  });

  it('warns that a timed-out create may have created a board', () => {
    assert.match(
      new DlcError({ code: 'Timeout', message: 'm', operation: 'CreateTensorboard' }).hint ?? '',
      /may have been created/,
    );
  });

  it('redacts secrets from a service message', () => {
    const body = {
      Code: 'SignatureDoesNotMatch',
      Message:
        'Specified signature is not matched with our calculation. server string to sign is:GET\nx-acs-security-token:TOKEN123\n/api',
    };
    const error = errorFromBody(body, { operation: 'ListJobs', httpStatus: 400, secrets: ['TOKEN123', 'SECRET', ''] });
    assert.ok(!error.message.includes('TOKEN123'));
    assert.match(error.message, /x-acs-security-token:\*\*\*/);
    assert.equal(redact('a SECRET b SECRET', ['SECRET']), 'a *** b ***');
  });

  it('redacts a secret percent-encoded in either hex case, base64-encoded and cut off (#12 item 6)', () => {
    const secret = 'Ab+/=cdEFgh0123456789xyz';
    const upper = encodeURIComponent(secret);
    const lower = upper.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
    const mixed = upper.replace('%2B', '%2b');
    const base64 = Buffer.from(secret).toString('base64');
    for (const form of [secret, upper, lower, mixed, base64, secret.slice(0, 12), secret.slice(-9)]) {
      assert.equal(redact(`before ${form} after`, [secret]), 'before *** after', form);
    }
    assert.equal(redact('a piece Ab+/=cd of seven is kept', [secret]), 'a piece Ab+/=cd of seven is kept');
    assert.equal(redact('short S3cr in text', ['S3cr']), 'short *** in text');
    assert.equal(redact('nothing to hide', []), 'nothing to hide');
  });

  it('redacts every string field of an error built from outside text', () => {
    const token = 'TOKEN-0123456789-abcdef';
    const error = new DlcError({
      code: `Throttling.${token}`,
      message: `m ${token}`,
      operation: 'GetJob',
      requestId: `r-${encodeURIComponent(token)}`,
      hostId: `h-${token}`,
      recommend: `https://x/?q=${token.slice(0, 10)}`,
      httpStatus: 400,
      secrets: [token],
    });
    assert.deepEqual(
      [error.code, error.message, error.requestId, error.hostId, error.recommend],
      ['Throttling.***', 'm ***', 'r-***', 'h-***', 'https://x/?q=***'],
    );
    assert.equal(error.retryable, true, 'classified by the code as the service sent it');
    assert.ok(!JSON.stringify({ error, stack: error.stack }).includes('0123456789'));
  });

  it('caps outside text before it is redacted, logged or shown: a 7.9 MiB message, a 1 MiB RequestId (#22)', () => {
    const token = 'TOKEN-0123456789-abcdef';
    const error = new DlcError({
      code: 'InternalError',
      message: `${'x'.repeat(4090)}${token}${'y'.repeat(7.9 * 1024 * 1024)}${token}`,
      operation: 'ListTensorboards',
      requestId: 'r'.repeat(1024 * 1024),
      httpStatus: 500,
      secrets: [token],
    });
    assert.ok(error.message.length <= 4 * 1024 + 1, `${error.message.length} characters kept`);
    assert.ok(!error.message.includes('TOKEN-'), 'a secret across the cut left a piece');
    assert.equal(error.requestId?.length, 257);
    assert.ok(describeError(error).length < 600, describeError(error).slice(0, 100));
  });

  it("describes a failure for the user in the extension's own words with code and RequestId, and for the log with the message", () => {
    // What the gateway really sends: its whole string to sign (method, MD5, date, nonce, headers, query).
    const raw =
      'Specified signature is not matched with our calculation. server string to sign is:GET\n\napplication/json\nx-acs-signature-nonce:abc';
    const wrongSecret = new DlcError({
      code: 'SignatureDoesNotMatch',
      message: raw,
      operation: 'ListTensorboards',
      requestId: 'R-1',
      httpStatus: 400,
    });
    assert.equal(describeError(wrongSecret), `${wrongSecret.hint} (SignatureDoesNotMatch, RequestId R-1)`);
    assert.doesNotMatch(describeError(wrongSecret), /string to sign|nonce/i);
    assert.match(describeError(wrongSecret), /secret/);
    assert.equal(errorMessage(wrongSecret), raw);
    const unknown = new DlcError({ code: 'SomethingNew', message: 'odd <b>gateway</b> text', operation: 'GetJob' });
    assert.equal(
      describeError(unknown),
      "PAI-DLC could not load the job. The service's own words are in the log. (SomethingNew)",
    );
    assert.equal(errorMessage(unknown), 'odd <b>gateway</b> text');
    // The client's own codes keep the message this extension wrote.
    const own = new DlcError({
      code: 'InvalidResponse',
      message: 'Unexpected response: Tensorboards[0].Status is missing.',
      operation: 'ListTensorboards',
      requestId: 'R-2',
    });
    assert.equal(
      describeError(own),
      `Unexpected response: Tensorboards[0].Status is missing. ${own.hint} (InvalidResponse, RequestId R-2)`,
    );
    assert.equal(describeError(new Error('plain')), 'plain');
    assert.equal(describeError('a string'), 'a string');
  });

  it("never shows the service's message for a code without a sentence of its own, whatever its status (#12)", () => {
    const raw = 'The parameter TensorboardSpec.EcsType [ecs.bogus] is invalid; see https://evil.example/x';
    const cases: Array<[string, number | undefined, string, RegExp]> = [
      [
        'InvalidParameter',
        400,
        'CreateTensorboard',
        /^PAI-DLC refused to create the TensorBoard: a value in the request is not accepted\./,
      ],
      [
        'Forbidden.RiskControl',
        403,
        'StartTensorboard',
        /^PAI-DLC does not allow these credentials to start the TensorBoard\./,
      ],
      [
        'IncorrectStatus',
        409,
        'StopTensorboard',
        /^PAI-DLC cannot stop the TensorBoard in the state it is in now\. Refresh the list, then retry\./,
      ],
      ['QuotaBusy', 503, 'ListTensorboards', /^PAI-DLC is temporarily unavailable\./],
      ['InvalidParameter', 400, 'GetTensorboardSharedUrl', /^PAI-DLC refused to load the TensorBoard's shared link/],
      ['Odd', undefined, 'DlcClient', /^PAI-DLC could not answer DlcClient\./],
    ];
    for (const [code, httpStatus, operation, sentence] of cases) {
      const error = new DlcError({ code, message: raw, operation, httpStatus, requestId: 'R-9' });
      const shown = describeError(error);
      assert.match(shown, sentence, code);
      assert.ok(shown.endsWith(`(${code}, RequestId R-9)`), shown);
      assert.doesNotMatch(shown, /EcsType|evil/, `${code}: the service's text stays in the log`);
      assert.equal(errorMessage(error), raw);
    }
    assert.equal(describeError('a string'), 'a string');
  });
});

describe('api/errors: the next step for each code', () => {
  const cases: Array<[string, number | undefined, string]> = [
    ['InvalidAccessKeyId.NotFound', 404, 'signIn'],
    ['SignatureDoesNotMatch', 400, 'signIn'],
    ['InvalidSecurityToken.Expired', 400, 'signIn'],
    ['NotSignedIn', undefined, 'signIn'],
    ['CredentialsUnavailable', undefined, 'signIn'],
    ['InvalidEndpoint', undefined, 'openSettings'],
    ['InvalidRegion.NotFound', 404, 'openSettings'],
    ['Throttling.User', 400, 'retry'],
    ['ServiceUnavailable', 503, 'retry'],
    ['NetworkError', undefined, 'retry'],
    ['TensorboardLimitExceeded', 400, 'none'],
    ['TensorboardNotFound', 404, 'none'],
  ];
  for (const [code, httpStatus, step] of cases) {
    it(`${code} → ${step}`, () => {
      assert.equal(new DlcError({ code, message: 'm', operation: 'StopTensorboard', httpStatus }).nextStep, step);
    });
  }

  it('names the setting at fault for Open Settings: the endpoint, or the region', () => {
    const settingOf = (code: string, httpStatus?: number) =>
      new DlcError({ code, message: 'm', operation: 'ListTensorboards', httpStatus }).setting;
    assert.equal(settingOf('InvalidEndpoint'), 'endpoint');
    assert.equal(settingOf('InvalidApi.NotFound', 404), 'endpoint');
    assert.equal(settingOf('InvalidRegion.NotFound', 404), 'regionId');
    assert.equal(settingOf('SignatureDoesNotMatch', 400), undefined);
  });

  it('only a missing board or job counts as not found, not a missing key or API', () => {
    assert.equal(
      new DlcError({ code: 'TensorboardNotFound', message: 'm', operation: 'GetTensorboard', httpStatus: 404 })
        .notFound,
      true,
    );
    assert.equal(
      new DlcError({ code: 'InvalidAccessKeyId.NotFound', message: 'm', operation: 'GetTensorboard', httpStatus: 404 })
        .notFound,
      false,
    );
    assert.equal(
      new DlcError({ code: 'InvalidApi.NotFound', message: 'm', operation: 'GetTensorboard', httpStatus: 404 })
        .notFound,
      false,
    );
  });
});

describe("api/errors: the user's language", () => {
  // Compiled to out/test/unit/api/, so the checkout is four folders up.
  const zh = JSON.parse(
    readFileSync(path.resolve(__dirname, '../../../../l10n/bundle.l10n.zh-cn.json'), 'utf8'),
  ) as Record<string, string>;
  /** What vscode.l10n.t does with the zh-cn bundle. */
  const toChinese: Translate = (text, args) => inEnglish(zh[text] ?? text, args);

  it("gives this extension's sentences, nested ones too, to the translator, and keeps codes and IDs as they are", () => {
    const invalid = new DlcError({
      code: 'InvalidParameter',
      message: 'raw',
      operation: 'CreateTensorboard',
      httpStatus: 400,
      requestId: 'R-1',
    });
    assert.equal(
      describeError(invalid, toChinese),
      'PAI-DLC 拒绝创建 TensorBoard：请求中有不被接受的值。服务返回的原文见日志。 (InvalidParameter, RequestId R-1)',
    );
    const notJson = new DlcError({
      code: 'BadResponse',
      message: 'Unexpected answer.',
      operation: 'ListTensorboards',
      httpStatus: 200,
    });
    assert.equal(
      describeError(notJson, toChinese),
      'Unexpected answer. PAI-DLC 或途中的代理返回了 HTTP 200，内容不是 JSON。请检查 Endpoint 设置及中间的代理后重试。 (BadResponse)',
    );
    const forbidden = new DlcError({
      code: 'Forbidden.RAM',
      message: 'raw',
      operation: 'StopTensorboard',
      httpStatus: 403,
    });
    assert.equal(
      describeError(forbidden, toChinese),
      '这些凭证无权调用 paidlc:StopTensorboard。请联系管理员在 RAM 中授权。 (Forbidden.RAM)',
    );
    // Without a translator, and in the log: English.
    assert.match(describeError(invalid), /^PAI-DLC refused to create the TensorBoard: a value/);
    assert.match(invalid.hint ?? '', /^PAI-DLC refused to create the TensorBoard/);
  });
});
