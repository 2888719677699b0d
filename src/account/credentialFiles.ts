import * as os from 'node:os';
import * as path from 'node:path';

/**
 * What the credential files offer, for the Sign In list: profile names, modes and regions, never a value that
 * could sign. Building the credentials of a profile is `@alicloud/credentials`' job (credentialLibrary.ts); the
 * library has no way to list profiles, so this reads just enough for the list and for problems the user can fix
 * before any request (an unsupported mode, a CloudSSO/OAuth sign-in that has run out).
 */

/** The modes `@alicloud/credentials` 2.4.7 builds from a CLI profile (matched exactly); others fail there. */
export const LIBRARY_CLI_MODES: readonly string[] = [
  'AK',
  'StsToken',
  'RamRoleArn',
  'EcsRamRole',
  'OIDC',
  'ChainableRamRoleArn',
  'CloudSSO',
  'OAuth',
  'External',
];

/** The `type`s of `~/.alibabacloud/credentials` sections the library builds. */
export const LIBRARY_INI_TYPES: readonly string[] = ['access_key', 'ecs_ram_role', 'ram_role_arn'];

export type ProfileProblem =
  | { readonly kind: 'unsupportedMode'; readonly mode: string }
  /** The browser sign-in of a CloudSSO or OAuth profile has run out: `aliyun configure` has to run again. */
  | { readonly kind: 'signInExpired'; readonly method: 'CloudSSO' | 'OAuth' };

export interface ProfileSummary {
  readonly name: string;
  /** The CLI mode, or the INI section's `type`. */
  readonly mode: string;
  readonly regionId?: string;
  /** The CLI file's `current` profile, or the INI file's `default` section. */
  readonly current: boolean;
  readonly problem?: ProfileProblem;
}

export type FileProblem = 'invalidJson' | 'notObject' | 'noProfiles';

/** A credential file that cannot be used; the message names the file and the problem, never its contents. */
export class CredentialFileError extends Error {
  override readonly name = 'CredentialFileError';

  constructor(
    readonly file: string,
    readonly problem: FileProblem,
  ) {
    super(
      `${file}: ${{ invalidJson: 'not valid JSON', notObject: 'not a JSON object', noProfiles: 'no profiles' }[problem]}`,
    );
  }
}

/** Where the library reads the aliyun CLI's profiles: `~/.aliyun/config.json`, with no variable to move it. */
export function cliConfigPath(home: string = os.homedir()): string {
  return path.join(home, '.aliyun', 'config.json');
}

/** Where the library reads the INI credentials file. */
export function iniCredentialsPath(
  env: Readonly<Record<string, string | undefined>> = process.env,
  home: string = os.homedir(),
): string {
  return env.ALIBABA_CLOUD_CREDENTIALS_FILE || path.join(home, '.alibabacloud', 'credentials');
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
const seconds = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** The profiles of the aliyun CLI's config.json text. Throws CredentialFileError. */
export function summarizeCliConfig(file: string, contents: string, nowMs: number): ProfileSummary[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(contents);
  } catch {
    throw new CredentialFileError(file, 'invalidJson');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new CredentialFileError(file, 'notObject');
  const config = parsed as { current?: unknown; profiles?: unknown };
  if (!Array.isArray(config.profiles) || config.profiles.length === 0)
    throw new CredentialFileError(file, 'noProfiles');
  const current = text(config.current);
  const seen = new Set<string>();
  const profiles: ProfileSummary[] = [];
  for (const raw of config.profiles as unknown[]) {
    if (typeof raw !== 'object' || raw === null) continue;
    const entry = raw as Record<string, unknown>;
    const name = text(entry.name);
    // The library takes the first profile of a name; one without a name cannot be chosen.
    if (!name || seen.has(name)) continue;
    seen.add(name);
    const mode = text(entry.mode) ?? '';
    profiles.push({
      name,
      mode,
      regionId: text(entry.region_id),
      current: name === current,
      problem: cliProblem(entry, mode, nowMs / 1000),
    });
  }
  if (profiles.length === 0) throw new CredentialFileError(file, 'noProfiles');
  return profiles;
}

function cliProblem(entry: Record<string, unknown>, mode: string, now: number): ProfileProblem | undefined {
  if (!LIBRARY_CLI_MODES.includes(mode)) return { kind: 'unsupportedMode', mode };
  const live = (token: unknown, expire: unknown): boolean => text(token) !== undefined && (seconds(expire) ?? 0) > now;
  // The library refuses an expired CloudSSO access token before any request ("please re-login with cli").
  if (mode === 'CloudSSO' && !live(entry.access_token, entry.cloud_sso_access_token_expire))
    return { kind: 'signInExpired', method: 'CloudSSO' };
  // OAuth: the library refreshes the access token with the refresh token; with both run out, only the CLI helps.
  if (mode === 'OAuth') {
    const refreshable =
      text(entry.oauth_refresh_token) !== undefined && (seconds(entry.oauth_refresh_token_expire) ?? Infinity) > now;
    if (!refreshable && !live(entry.oauth_access_token, entry.oauth_access_token_expire))
      return { kind: 'signInExpired', method: 'OAuth' };
  }
  return undefined;
}

/** The sections of the INI file as the `ini` package (through the library) parsed it. */
export function summarizeIni(parsed: Readonly<Record<string, unknown>>): ProfileSummary[] {
  const profiles: ProfileSummary[] = [];
  for (const [name, section] of Object.entries(parsed)) {
    if (typeof section !== 'object' || section === null) continue;
    const mode = text((section as Record<string, unknown>).type) ?? '';
    const problem: ProfileProblem | undefined = LIBRARY_INI_TYPES.includes(mode)
      ? undefined
      : { kind: 'unsupportedMode', mode };
    profiles.push({ name, mode, current: name === 'default', problem });
  }
  return profiles;
}
