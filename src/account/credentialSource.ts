import type { Credentials } from '../api';
import { isRegionId } from '../api/endpoint';

/**
 * Where the extension takes its credentials from: the user's choice, which is all that is remembered for every
 * source but the typed key pair. The credentials themselves come from `@alicloud/credentials` (credentialLibrary.ts)
 * each time a request is signed, so the library's refresh of temporary credentials applies.
 */
export type CredentialSource =
  | { readonly kind: 'typed' }
  /** A profile of the aliyun CLI's `~/.aliyun/config.json`, in any mode the library supports. */
  | { readonly kind: 'cliProfile'; readonly profile: string }
  /** A section of `~/.alibabacloud/credentials` (or ALIBABA_CLOUD_CREDENTIALS_FILE). */
  | { readonly kind: 'iniProfile'; readonly profile: string }
  /** ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET (/ _SECURITY_TOKEN). */
  | { readonly kind: 'environment' }
  /** ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE (ACK's RRSA). */
  | { readonly kind: 'oidc' }
  /** The ECS instance's RAM role through the instance metadata service (also PAI-DSW's instance role). */
  | { readonly kind: 'instanceRole' }
  | { readonly kind: 'credentialsUri' }
  /** What Alibaba's CLI and SDKs would use: the library's default chain. */
  | { readonly kind: 'defaultChain' };

export type SourceKind = CredentialSource['kind'];

const plainKinds: readonly SourceKind[] = [
  'typed',
  'environment',
  'oidc',
  'instanceRole',
  'credentialsUri',
  'defaultChain',
];

/** A persisted choice read back, or undefined when it is not one this version knows. */
export function parseSource(value: unknown): CredentialSource | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { kind, profile } = value as { kind?: unknown; profile?: unknown };
  if (kind === 'cliProfile' || kind === 'iniProfile') {
    return typeof profile === 'string' && profile !== '' ? { kind, profile } : undefined;
  }
  return plainKinds.find((k) => k === kind) !== undefined ? ({ kind } as CredentialSource) : undefined;
}

export function sameSource(a: CredentialSource, b: CredentialSource): boolean {
  return a.kind === b.kind && profileOf(a) === profileOf(b);
}

export function profileOf(source: CredentialSource): string | undefined {
  return source.kind === 'cliProfile' || source.kind === 'iniProfile' ? source.profile : undefined;
}

/** What is remembered of a sign-in: the choice of source, and for a typed key pair the pair itself. */
export interface SignedIn {
  readonly source: CredentialSource;
  /** Only for `typed`: the one secret the extension keeps, and only in SecretStorage. */
  readonly keys?: Credentials;
}

/**
 * The stored sign-in read back. Entries of earlier versions held a key pair copied from a CLI profile or the
 * environment (`{accessKeyId, accessKeySecret, securityToken?, source, origin?}`): that copy is a typed pair now.
 */
export function parseSignedIn(raw: string | undefined): SignedIn | undefined {
  if (!raw) return undefined;
  let parsed: { source?: unknown; keys?: Partial<Record<keyof Credentials, unknown>>; accessKeyId?: unknown };
  try {
    parsed = JSON.parse(raw) as typeof parsed;
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const pair = (parsed.keys ?? (typeof parsed.accessKeyId === 'string' ? parsed : undefined)) as
    Partial<Record<keyof Credentials, unknown>> | undefined;
  const keys =
    pair && typeof pair.accessKeyId === 'string' && typeof pair.accessKeySecret === 'string'
      ? {
          accessKeyId: pair.accessKeyId,
          accessKeySecret: pair.accessKeySecret,
          securityToken: typeof pair.securityToken === 'string' ? pair.securityToken : undefined,
        }
      : undefined;
  const source = parseSource(parsed.source) ?? (keys ? { kind: 'typed' as const } : undefined);
  if (!source) return undefined;
  if (source.kind !== 'typed') return { source };
  return keys ? { source, keys } : undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

const set = (env: Env, name: string): boolean => (env[name]?.trim() ?? '') !== '';

/** What the environment offers, with the names (never the values) of the variables it came from. */
export interface EnvironmentOffers {
  readonly accessKey?: { readonly variables: readonly string[] };
  readonly oidc?: { readonly variables: readonly string[] };
  /** The URI's origin and path only: a query may hold a token. */
  readonly credentialsUri?: { readonly display: string };
  /** ALIBABA_CLOUD_ECS_METADATA_DISABLED=true: the library refuses the instance role, so it is not probed. */
  readonly instanceRoleDisabled: boolean;
  /** ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true: the library refuses aliyun CLI profiles. */
  readonly cliProfileDisabled: boolean;
}

/** The variables `@alicloud/credentials` 2.4.7 reads; it reads no ALIBABACLOUD_ or ALICLOUD_ variants. */
export function environmentOffers(env: Env): EnvironmentOffers {
  const ak = ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET'];
  const oidc = ['ALIBABA_CLOUD_ROLE_ARN', 'ALIBABA_CLOUD_OIDC_PROVIDER_ARN', 'ALIBABA_CLOUD_OIDC_TOKEN_FILE'];
  const uri = env.ALIBABA_CLOUD_CREDENTIALS_URI?.trim();
  return {
    accessKey: ak.every((name) => set(env, name))
      ? { variables: [...ak, ...(set(env, 'ALIBABA_CLOUD_SECURITY_TOKEN') ? ['ALIBABA_CLOUD_SECURITY_TOKEN'] : [])] }
      : undefined,
    oidc: oidc.every((name) => set(env, name)) ? { variables: oidc } : undefined,
    credentialsUri: uri ? { display: displayUri(uri) } : undefined,
    instanceRoleDisabled: env.ALIBABA_CLOUD_ECS_METADATA_DISABLED?.toLowerCase() === 'true',
    cliProfileDisabled: env.ALIBABA_CLOUD_CLI_PROFILE_DISABLED?.toLowerCase() === 'true',
  };
}

function displayUri(uri: string): string {
  try {
    const url = new URL(uri);
    return `${url.origin}${url.pathname}`;
  } catch {
    return 'ALIBABA_CLOUD_CREDENTIALS_URI';
  }
}

/** Where the region in use came from, for the status tooltip. */
export type RegionOrigin =
  | { readonly kind: 'setting' }
  | { readonly kind: 'profile'; readonly profile: string }
  | { readonly kind: 'environment'; readonly variable: string }
  | { readonly kind: 'default' };

export interface ResolvedRegion {
  readonly regionId: string;
  readonly origin: RegionOrigin;
}

/**
 * The region when the user has not chosen one in the settings: the signed-in profile's `region_id`, then
 * ALIBABA_CLOUD_REGION_ID, then the variables PAI-DSW injects (`dsw_region`, `DSW_REGION`, `REGION`; the order of the
 * PAI CLI), then the setting's default.
 */
export function resolveRegion(input: {
  readonly chosen?: string;
  readonly profile?: { readonly name: string; readonly regionId?: string };
  readonly env: Env;
  readonly fallback: string;
}): ResolvedRegion {
  if (input.chosen) return { regionId: input.chosen, origin: { kind: 'setting' } };
  const profileRegion = input.profile?.regionId?.trim();
  if (input.profile && profileRegion)
    return { regionId: profileRegion, origin: { kind: 'profile', profile: input.profile.name } };
  for (const variable of ['ALIBABA_CLOUD_REGION_ID', 'dsw_region', 'DSW_REGION', 'REGION']) {
    const value = input.env[variable]?.trim();
    // REGION is a common name: only a value shaped like a region ID counts.
    if (value && isRegionId(value)) return { regionId: value, origin: { kind: 'environment', variable } };
  }
  return { regionId: input.fallback, origin: { kind: 'default' } };
}

/** `LTAI5t…9xQz` style: enough to recognise a key, not enough to use it. */
export function maskKeyId(accessKeyId: string): string {
  if (accessKeyId.length <= 8) return `${accessKeyId.slice(0, 2)}…`;
  return `${accessKeyId.slice(0, 6)}…${accessKeyId.slice(-4)}`;
}
