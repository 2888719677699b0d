/** Which next step to offer the user for a failure, from the service's error code. */
export type NextStep = 'signIn' | 'openSettings' | 'retry' | 'none';

export function nextStepFor(code: string | undefined): NextStep {
  if (!code) return 'none';
  if (
    code === 'NotSignedIn' ||
    code.startsWith('InvalidAccessKeyId') ||
    code === 'SignatureDoesNotMatch' ||
    code.startsWith('InvalidSecurityToken') ||
    code === 'MissingSecurityToken' ||
    code === 'Forbidden.AccessKeyDisabled'
  ) {
    return 'signIn';
  }
  if (code === 'InvalidEndpoint' || code.startsWith('InvalidRegion') || code.startsWith('InvalidProduct')) return 'openSettings';
  if (code.startsWith('Throttling') || code === 'ServiceUnavailable' || code === 'InternalError' || code === 'Timeout' || code === 'NetworkError') {
    return 'retry';
  }
  return 'none';
}
