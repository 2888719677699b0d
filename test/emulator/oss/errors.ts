import { randomBytes } from 'node:crypto';

/** An OSS error answer: code, HTTP status, message, the `EC` of the reference's table (oss.md §4), extra elements. */
export class OssError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly ec: string,
    /** Elements after HostId, in order (e.g. `Key`, `StringToSign`). */
    readonly extra: ReadonlyArray<readonly [string, string]> = [],
    /** Response headers besides the usual ones, e.g. `x-oss-next-append-position`. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** 24 upper-case hex digits, the shape of a real `x-oss-request-id`. */
export function newOssRequestId(): string {
  return randomBytes(12).toString('hex').toUpperCase();
}

export function xmlEscape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[char]};`,
  );
}

/** The XML body OSS sends with an error (oss.md §4: element order of a real NoSuchKey). */
export function errorXml(error: OssError, requestId: string, hostId: string): string {
  const element = (name: string, value: string): string => `  <${name}>${xmlEscape(value)}</${name}>\n`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n' +
    element('Code', error.code) +
    element('Message', error.message) +
    element('RequestId', requestId) +
    element('HostId', hostId) +
    error.extra.map(([name, value]) => element(name, value)).join('') +
    element('EC', error.ec) +
    element('RecommendDoc', `https://api.aliyun.com/troubleshoot?q=${error.ec}`) +
    '</Error>\n'
  );
}

/** Codes the reference could not confirm (oss.md §10): defaults here, each overridable (`OssOptions.errorOverrides`). */
export interface OssGuess {
  code: string;
  status: number;
}

export type OssGuessKey = 'securityTokenExpired' | 'throttling' | 'missingPosition' | 'v1Disabled' | 'entityTooLarge';

export const ossGuessDefaults: Record<OssGuessKey, OssGuess> = {
  // Third-party tests name it; EC 0002-00000007 is documented.
  securityTokenExpired: { code: 'SecurityTokenExpired', status: 403 },
  // The reference cannot say whether OSS throttles with 503 SlowDown or 429.
  throttling: { code: 'SlowDown', status: 503 },
  missingPosition: { code: 'InvalidArgument', status: 400 },
  v1Disabled: { code: 'AccessDenied', status: 403 },
  entityTooLarge: { code: 'EntityTooLarge', status: 400 },
};
