import * as vscode from 'vscode';
import { probeInstanceRole, readCliProfiles, readIniProfiles } from './credentialLibrary';
import { cliConfigPath, CredentialFileError, iniCredentialsPath, type ProfileSummary } from './credentialFiles';
import { environmentOffers, sameSource, type CredentialSource } from './credentialSource';
import { describeProfileProblem } from './sourceText';

/** One line of the Sign In list: a source, or why it cannot be used (shown when it is picked). */
export interface SourceOffer extends vscode.QuickPickItem {
  readonly source?: CredentialSource;
  readonly problem?: string;
}

/** Asked once per window, and only when a Sign In list opens: an instance's metadata service does not come and go. */
let instanceRole: Promise<boolean> | undefined;

/**
 * What this machine offers, for the Sign In list and the account menu. The lists of profiles are read again each
 * time; the instance role is probed at most once (≤ 1 s, where nothing answers).
 */
export async function sourceOffers(current: CredentialSource | undefined): Promise<SourceOffer[]> {
  const env = environmentOffers(process.env);
  instanceRole ??= env.instanceRoleDisabled ? Promise.resolve(false) : probeInstanceRole(1000);
  const [cli, ini, hasInstanceRole] = await Promise.all([
    env.cliProfileDisabled ? Promise.resolve(undefined) : readCliProfiles(Date.now()).catch((error: unknown) => error),
    readIniProfiles().catch(() => undefined),
    instanceRole,
  ]);

  const offers: SourceOffer[] = [
    {
      source: { kind: 'typed' },
      label: `$(key) ${vscode.l10n.t('Enter an AccessKey pair')}`,
      detail: vscode.l10n.t('Type an AccessKey ID and secret, and an STS token if you use one.'),
    },
  ];
  if (env.accessKey) {
    offers.push({
      source: { kind: 'environment' },
      label: `$(symbol-variable) ${vscode.l10n.t('Use environment variables')}`,
      detail: env.accessKey.variables.join(', '),
    });
  }
  if (env.oidc) {
    offers.push({
      source: { kind: 'oidc' },
      label: `$(shield) ${vscode.l10n.t('Assume the OIDC role')}`,
      detail: env.oidc.variables.join(', '),
    });
  }
  if (env.credentialsUri) {
    offers.push({
      source: { kind: 'credentialsUri' },
      label: `$(link) ${vscode.l10n.t('Use the credentials URI')}`,
      detail: `ALIBABA_CLOUD_CREDENTIALS_URI: ${env.credentialsUri.display}`,
    });
  }
  if (hasInstanceRole) {
    offers.push({
      source: { kind: 'instanceRole' },
      label: `$(vm) ${vscode.l10n.t('Use the instance RAM role')}`,
      detail: vscode.l10n.t('The RAM role of this ECS or PAI-DSW instance, from its metadata service.'),
    });
  }
  offers.push({
    source: { kind: 'defaultChain' },
    label: `$(list-ordered) ${vscode.l10n.t('Use the default chain')}`,
    detail: vscode.l10n.t(
      'What the aliyun CLI and the Alibaba Cloud SDKs would use: environment, OIDC, aliyun CLI profile, ~/.alibabacloud/credentials, instance role, credentials URI.',
    ),
  });
  offers.push(...profileOffers('cliProfile', vscode.l10n.t('aliyun CLI profiles'), cliConfigPath(), cli));
  offers.push(...profileOffers('iniProfile', '~/.alibabacloud/credentials', iniCredentialsPath(), ini));
  return offers.map((offer) =>
    current && offer.source && sameSource(offer.source, current) ? markCurrent(offer) : offer,
  );
}

function profileOffers(
  kind: 'cliProfile' | 'iniProfile',
  heading: string,
  file: string,
  found: ProfileSummary[] | unknown,
): SourceOffer[] {
  if (found === undefined) return [];
  const separator: SourceOffer = { label: heading, kind: vscode.QuickPickItemKind.Separator };
  if (!Array.isArray(found)) {
    const reason = found instanceof CredentialFileError ? fileProblem(found) : vscode.l10n.t('it cannot be read');
    const problem = vscode.l10n.t('Cannot read {0}: {1}. Fix the file or run `aliyun configure` again.', file, reason);
    return [separator, { label: `$(warning) ${file}`, detail: problem, problem }];
  }
  const profiles = found as ProfileSummary[];
  return [
    separator,
    ...profiles.map((profile): SourceOffer => {
      const problem = profile.problem ? describeProfileProblem(profile.problem, profile.name) : undefined;
      return {
        source: { kind, profile: profile.name },
        label: `${problem ? '$(circle-slash)' : kind === 'cliProfile' ? '$(terminal)' : '$(file)'} ${profile.name}`,
        description: [profile.mode || '?', profile.regionId, profile.current ? vscode.l10n.t('current') : undefined]
          .filter(Boolean)
          .join(' · '),
        detail: problem ?? file,
        problem,
      };
    }),
  ];
}

function fileProblem(error: CredentialFileError): string {
  switch (error.problem) {
    case 'invalidJson':
      return vscode.l10n.t('it is not valid JSON');
    case 'notObject':
      return vscode.l10n.t('it is not a JSON object');
    case 'noProfiles':
      return vscode.l10n.t('it has no profiles');
  }
}

function markCurrent(offer: SourceOffer): SourceOffer {
  const description = [offer.description, vscode.l10n.t('signed in')].filter(Boolean).join(' · ');
  return { ...offer, label: offer.label.replace(/^\$\([\w-]+\)/, '$(check)'), description };
}
