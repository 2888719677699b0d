/**
 * Credentials in the environment, in the aliyun CLI's order of names (first non-empty wins). Read-only: the
 * extension copies them into SecretStorage only when the user picks "Use environment variables".
 */
export interface EnvCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
  readonly regionId?: string;
  /** The variable names the values came from, for the prompt (never the values). */
  readonly sources: readonly string[];
}

const names = {
  accessKeyId: ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABACLOUD_ACCESS_KEY_ID', 'ALICLOUD_ACCESS_KEY_ID'],
  accessKeySecret: ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABACLOUD_ACCESS_KEY_SECRET', 'ALICLOUD_ACCESS_KEY_SECRET'],
  securityToken: ['ALIBABA_CLOUD_SECURITY_TOKEN', 'ALIBABACLOUD_SECURITY_TOKEN', 'ALICLOUD_SECURITY_TOKEN'],
  regionId: ['ALIBABA_CLOUD_REGION_ID', 'ALIBABACLOUD_REGION_ID', 'ALICLOUD_REGION_ID'],
} as const;

function first(env: Readonly<Record<string, string | undefined>>, keys: readonly string[]): [string, string] | undefined {
  for (const key of keys) {
    const value = env[key]?.trim();
    if (value) return [key, value];
  }
  return undefined;
}

export function readEnvCredentials(env: Readonly<Record<string, string | undefined>>): EnvCredentials | undefined {
  const id = first(env, names.accessKeyId);
  const secret = first(env, names.accessKeySecret);
  if (!id || !secret) return undefined;
  const token = first(env, names.securityToken);
  const region = first(env, names.regionId);
  return {
    accessKeyId: id[1],
    accessKeySecret: secret[1],
    securityToken: token?.[1],
    regionId: region?.[1],
    sources: [id[0], secret[0], ...(token ? [token[0]] : [])],
  };
}

/** `LTAI5t…9xQz` style: enough to recognise a key, not enough to use it. */
export function maskKeyId(accessKeyId: string): string {
  if (accessKeyId.length <= 8) return `${accessKeyId.slice(0, 2)}…`;
  return `${accessKeyId.slice(0, 6)}…${accessKeyId.slice(-4)}`;
}
