/**
 * Reads the aliyun CLI's `~/.aliyun/config.json` (read-only) into profiles the user can import.
 * Only `AK` and `StsToken` profiles hold keys we can use as they are; every other mode needs a token exchange
 * (RAM role, ECS metadata, SSO, OAuth, …) that this extension does not do, so it is listed with a plain reason.
 */
export interface ImportableProfile {
  readonly name: string;
  readonly mode: 'AK' | 'StsToken';
  readonly importable: true;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
  readonly regionId?: string;
}

export interface UnusableProfile {
  readonly name: string;
  readonly mode: string;
  readonly importable: false;
  /** Why it cannot be imported, in words for the user. Never holds a secret. */
  readonly reason: string;
}

export type CliProfile = ImportableProfile | UnusableProfile;

export interface CliConfig {
  readonly current?: string;
  readonly profiles: readonly CliProfile[];
}

export class CliConfigError extends Error {
  override readonly name = 'CliConfigError';
}

const modeReasons: Record<string, string> = {
  ramrolearn: 'assumes a RAM role through STS, which this extension does not do',
  chainableramrolearn: 'assumes a RAM role through STS, which this extension does not do',
  ramrolearnwithrolename: 'assumes a RAM role through STS, which this extension does not do',
  ecsramrole: 'takes credentials from the ECS instance metadata service, which only works on that instance',
  oidc: 'exchanges an OIDC token for credentials, which this extension does not do',
  cloudsso: 'signs in through CloudSSO in a browser, which this extension does not do',
  oauth: 'signs in through OAuth in a browser, which this extension does not do',
  external: 'runs an external program to get credentials, which this extension does not do',
  credentialsuri: 'fetches credentials from a URI, which this extension does not do',
  rsakeypair: 'uses the deprecated RSA key pair mode',
  bearertoken: 'uses a bearer token, which PAI-DLC does not accept',
  anonymous: 'has no credentials',
};

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function readProfile(raw: unknown, index: number): CliProfile {
  if (typeof raw !== 'object' || raw === null) {
    return { name: `#${index + 1}`, mode: 'unknown', importable: false, reason: 'is not a JSON object' };
  }
  const entry = raw as Record<string, unknown>;
  const name = text(entry.name) ?? `#${index + 1}`;
  const mode = text(entry.mode) ?? 'AK';
  const normalized = mode.toLowerCase();
  if (normalized !== 'ak' && normalized !== 'ststoken') {
    return { name, mode, importable: false, reason: modeReasons[normalized] ?? `has the mode "${mode}", which is unknown` };
  }
  const accessKeyId = text(entry.access_key_id);
  const accessKeySecret = text(entry.access_key_secret);
  const securityToken = text(entry.sts_token);
  const missing = [
    accessKeyId ? undefined : 'access_key_id',
    accessKeySecret ? undefined : 'access_key_secret',
    normalized === 'ststoken' && !securityToken ? 'sts_token' : undefined,
  ].filter((field): field is string => field !== undefined);
  if (missing.length > 0 || !accessKeyId || !accessKeySecret) {
    return { name, mode, importable: false, reason: `has no ${missing.join(' or ')}` };
  }
  return {
    name,
    mode: normalized === 'ak' ? 'AK' : 'StsToken',
    importable: true,
    accessKeyId,
    accessKeySecret,
    securityToken: normalized === 'ststoken' ? securityToken : undefined,
    regionId: text(entry.region_id),
  };
}

/** Parses the file's text. Throws CliConfigError, with a message that quotes no value from the file. */
export function parseCliConfig(contents: string): CliConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(contents);
  } catch {
    throw new CliConfigError('The aliyun CLI configuration is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliConfigError('The aliyun CLI configuration is not a JSON object.');
  }
  const config = parsed as Record<string, unknown>;
  if (!Array.isArray(config.profiles) || config.profiles.length === 0) {
    throw new CliConfigError('The aliyun CLI configuration has no profiles.');
  }
  return { current: text(config.current), profiles: config.profiles.map(readProfile) };
}
