import * as vscode from 'vscode';
import type { ProfileProblem } from './credentialFiles';
import type { CredentialSource, RegionOrigin } from './credentialSource';

/** A credential source in words, for messages and the status tooltip ("… with {0}"). Never a secret. */
export function describeSource(source: CredentialSource): string {
  switch (source.kind) {
    case 'typed':
      return vscode.l10n.t('the AccessKey pair you entered');
    case 'cliProfile':
      return vscode.l10n.t('the aliyun CLI profile "{0}"', source.profile);
    case 'iniProfile':
      return vscode.l10n.t('the profile "{0}" of ~/.alibabacloud/credentials', source.profile);
    case 'environment':
      return vscode.l10n.t('the environment variables');
    case 'oidc':
      return vscode.l10n.t('the OIDC role of the environment');
    case 'instanceRole':
      return vscode.l10n.t('the instance RAM role');
    case 'credentialsUri':
      return vscode.l10n.t('the credentials URI');
    case 'defaultChain':
      return vscode.l10n.t('the default credential chain');
  }
}

/** Why a profile cannot be used, with what to do about it. */
export function describeProfileProblem(problem: ProfileProblem, profile: string): string {
  if (problem.kind === 'signInExpired') {
    return vscode.l10n.t(
      'The {0} sign-in of this profile has expired: run `aliyun configure --profile {1}` again, then sign in.',
      problem.method,
      profile,
    );
  }
  return problem.mode
    ? vscode.l10n.t(
        'Alibaba Cloud\'s credentials library does not support the mode "{0}". Choose another profile, or run `aliyun configure --profile {1}` again.',
        problem.mode,
        profile,
      )
    : vscode.l10n.t('This profile has no mode. Run `aliyun configure --profile {0}` again.', profile);
}

/** Where the region came from, for the status tooltip. */
export function describeRegionOrigin(origin: RegionOrigin): string {
  switch (origin.kind) {
    case 'setting':
      return vscode.l10n.t('chosen in the settings');
    case 'profile':
      return vscode.l10n.t('from the profile "{0}"', origin.profile);
    case 'environment':
      return vscode.l10n.t('from the variable {0}', origin.variable);
    case 'default':
      return vscode.l10n.t('the default');
  }
}
