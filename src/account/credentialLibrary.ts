import { readFile } from 'node:fs/promises';
import type { Credentials, CredentialsProvider } from '../api';
import {
  cliConfigPath,
  iniCredentialsPath,
  summarizeCliConfig,
  summarizeIni,
  type ProfileSummary,
} from './credentialFiles';
import type { CredentialSource } from './credentialSource';
import { describeProviderFailure, type ProviderFailure } from './providerFailure';
import { isLoopbackHost } from '../net/safeUrl';
import { noTestSeams, TEST_METADATA_VARIABLE, TEST_STS_VARIABLE, type TestSeams } from '../base/testSeams';

/**
 * `@alicloud/credentials` 2.4.7 behind the client's `CredentialsProvider`: one library provider per credential source,
 * kept for as long as the source is chosen, so that the library's session cache refreshes temporary credentials
 * before they expire (15 minutes before, by `Date.now()`). The library is loaded at the first sign-in or signed
 * call, not at activation.
 */
/**
 * The library's providers, each required from its own module: the package's entry point would also bring in its
 * older `Credential` client, with its config model and @alicloud/tea-typescript, which the extension never uses
 * (about 24 KB of the minified bundle).
 */
interface Library {
  CLIProfileCredentialsProvider: typeof import('@alicloud/credentials/dist/src/providers/cli_profile').default;
  ProfileCredentialsProvider: typeof import('@alicloud/credentials/dist/src/providers/profile').default;
  EnvironmentVariableCredentialsProvider: typeof import('@alicloud/credentials/dist/src/providers/env').default;
  OIDCRoleArnCredentialsProvider: typeof import('@alicloud/credentials/dist/src/providers/oidc_role_arn').default;
  ECSRAMRoleCredentialsProvider: typeof import('@alicloud/credentials/dist/src/providers/ecs_ram_role').default;
  URICredentialsProvider: typeof import('@alicloud/credentials/dist/src/providers/uri').default;
  DefaultCredentialsProvider: typeof import('@alicloud/credentials/dist/src/providers/default').default;
}
/** What every provider of the library does (its `CredentialsProvider`). */
interface LibraryProvider {
  getCredentials(): Promise<{
    readonly accessKeyId: string;
    readonly accessKeySecret: string;
    readonly securityToken?: string;
  }>;
}

/** The host the library's instance-role provider always calls; nothing else may redirect it. */
const METADATA_HOST = '100.100.100.200';
/** The STS hosts the library's RAM-role and OIDC providers choose by themselves (credentials.md §4.2). */
const STS_HOST = /^sts(-vpc)?(\.[a-z0-9-]+)?\.aliyuncs\.com$/;

let library: Library | undefined;
/**
 * For tests only (testSeams.ts): stand-ins for the instance metadata service and STS. The library has no setting for
 * the metadata host, nor an environment variable for the STS endpoint of its OIDC provider; its providers copy
 * `doRequest` from its http module when they are built (its hook "for mock"), so wrapping that function before any
 * provider exists reaches every such request. The wrapper is process-wide, so the seams are too: set once by the
 * app from its extension mode.
 */
let seams: TestSeams = noTestSeams;

export function useTestSeams(chosen: TestSeams): void {
  seams = chosen;
}

export function credentialLibrary(): Library {
  if (library) return library;
  // Required here, not imported at the top, so activation does not load it.
  const loaded: Library = {
    CLIProfileCredentialsProvider: require('@alicloud/credentials/dist/src/providers/cli_profile').default,
    ProfileCredentialsProvider: require('@alicloud/credentials/dist/src/providers/profile').default,
    EnvironmentVariableCredentialsProvider: require('@alicloud/credentials/dist/src/providers/env').default,
    OIDCRoleArnCredentialsProvider: require('@alicloud/credentials/dist/src/providers/oidc_role_arn').default,
    ECSRAMRoleCredentialsProvider: require('@alicloud/credentials/dist/src/providers/ecs_ram_role').default,
    URICredentialsProvider: require('@alicloud/credentials/dist/src/providers/uri').default,
    DefaultCredentialsProvider: require('@alicloud/credentials/dist/src/providers/default').default,
  };
  redirectForTests();
  library = loaded;
  return loaded;
}

interface LibraryRequest {
  host: string;
}

/** Installed before the first provider is built; passes every request on untouched unless a test seam applies. */
function redirectForTests(): void {
  const http = require('@alicloud/credentials/dist/src/providers/http') as {
    doRequest: (request: LibraryRequest) => Promise<unknown>;
  };
  const send = http.doRequest;
  http.doRequest = (request) => {
    const target = testTarget(request.host, seams);
    if (target instanceof Error) return Promise.reject(target);
    if (target) request.host = target;
    return send(request);
  };
}

/** Where the seams send a request for `host`: undefined for nowhere else, an Error when a seam is not loopback. */
export function testTarget(host: string, active: TestSeams): string | Error | undefined {
  if (host === METADATA_HOST) {
    const origin = active.metadataOrigin();
    if (!origin) return undefined;
    return (
      loopbackHost(origin, 'http:') ??
      new Error(`${TEST_METADATA_VARIABLE} must be http://127.0.0.1:<port>; no instance metadata request was sent`)
    );
  }
  if (STS_HOST.test(host)) {
    const sts = active.stsHost();
    if (!sts) return undefined;
    return (
      loopbackHost(`https://${sts}/`, 'https:') ??
      new Error(`${TEST_STS_VARIABLE} must be 127.0.0.1:<port>; no STS request was sent`)
    );
  }
  return undefined;
}

function loopbackHost(origin: string, protocol: 'http:' | 'https:'): string | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === protocol &&
      isLoopbackHost(url.hostname) &&
      url.pathname === '/' &&
      !url.search &&
      !url.username
      ? url.host
      : undefined;
  } catch {
    return undefined;
  }
}

/** A failure of the library, with what of its message may be shown (providerFailure.ts). */
export class CredentialSourceError extends Error {
  override readonly name = 'CredentialSourceError';

  constructor(readonly failure: ProviderFailure) {
    super(
      failure.kind === 'signInExpired' ? 'the browser sign-in of the aliyun CLI profile has expired' : failure.text,
    );
  }
}

function build(source: Exclude<CredentialSource, { kind: 'typed' }>): LibraryProvider {
  const lib = credentialLibrary();
  switch (source.kind) {
    case 'cliProfile':
      return lib.CLIProfileCredentialsProvider.builder().withProfileName(source.profile).build();
    case 'iniProfile':
      return lib.ProfileCredentialsProvider.builder().withProfileName(source.profile).build();
    case 'environment':
      return lib.EnvironmentVariableCredentialsProvider.builder().build();
    case 'oidc':
      return lib.OIDCRoleArnCredentialsProvider.builder().build();
    case 'instanceRole':
      return lib.ECSRAMRoleCredentialsProvider.builder().build();
    case 'credentialsUri':
      return lib.URICredentialsProvider.builder()
        .withCredentialsURI(process.env.ALIBABA_CLOUD_CREDENTIALS_URI ?? '')
        .build();
    case 'defaultChain':
      return lib.DefaultCredentialsProvider.builder().build();
  }
}

/**
 * The library's provider for one source, built at its first use. After a failure it is built again at the next
 * call: files are read again, and the default chain tries every provider again instead of only the one that
 * failed last.
 */
class LibraryCredentials implements CredentialsProvider {
  private provider: LibraryProvider | undefined;

  constructor(private readonly source: Exclude<CredentialSource, { kind: 'typed' }>) {}

  async getCredentials(): Promise<Credentials> {
    try {
      this.provider ??= build(this.source);
      const credentials = await this.provider.getCredentials();
      return {
        accessKeyId: credentials.accessKeyId,
        accessKeySecret: credentials.accessKeySecret,
        securityToken: credentials.securityToken || undefined,
      };
    } catch (error) {
      this.provider = undefined;
      throw new CredentialSourceError(describeProviderFailure(error, await knownSecrets(process.env)));
    }
  }
}

/**
 * What this machine's configuration holds that no failure text may show, beyond the library's answers: the
 * credentials URI with its user and password, and the OIDC token (the library may quote either).
 */
export async function knownSecrets(env: NodeJS.ProcessEnv): Promise<string[]> {
  const secrets: string[] = [];
  const uri = env.ALIBABA_CLOUD_CREDENTIALS_URI;
  if (uri) {
    secrets.push(uri);
    try {
      const { username, password } = new URL(uri);
      for (const part of [username, password]) if (part.length >= 4) secrets.push(decodeURIComponent(part), part);
    } catch {
      // Not a URL: the whole value is hidden all the same.
    }
  }
  const tokenFile = env.ALIBABA_CLOUD_OIDC_TOKEN_FILE;
  if (tokenFile) {
    const token = (await readFile(tokenFile, 'utf8').catch(() => '')).slice(0, 64 * 1024).trim();
    if (token) secrets.push(token);
  }
  return secrets;
}

/** The provider for a source; the typed key pair is the one source whose keys the caller holds. */
export function providerFor(source: CredentialSource, keys?: Credentials): CredentialsProvider {
  if (source.kind !== 'typed') return new LibraryCredentials(source);
  if (!keys) throw new Error('a typed source needs its keys');
  const pair = { ...keys };
  return { getCredentials: async () => pair };
}

/**
 * Whether this machine's instance metadata service hands out role credentials, within `timeoutMs`. On a laptop the
 * address does not answer and this gives up after the time-out; it is asked only when the Sign In list opens.
 */
export async function probeInstanceRole(timeoutMs = 1000): Promise<boolean> {
  let provider: LibraryProvider;
  try {
    const half = Math.max(100, Math.floor(timeoutMs / 2));
    provider = credentialLibrary()
      .ECSRAMRoleCredentialsProvider.builder()
      .withConnectTimeout(half)
      .withReadTimeout(half)
      .build();
  } catch {
    return false; // ALIBABA_CLOUD_ECS_METADATA_DISABLED=true
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref?.();
  });
  try {
    return await Promise.race([
      provider.getCredentials().then(
        () => true,
        () => false,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The aliyun CLI's profiles; undefined when there is no file. Throws CredentialFileError for a broken one. */
export async function readCliProfiles(
  nowMs: number,
  file: string = cliConfigPath(),
): Promise<ProfileSummary[] | undefined> {
  let contents: string;
  try {
    contents = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  return summarizeCliConfig(file, contents, nowMs);
}

/** The sections of `~/.alibabacloud/credentials`, read by the library's own INI reader; undefined when there is none. */
export async function readIniProfiles(file: string = iniCredentialsPath()): Promise<ProfileSummary[] | undefined> {
  const utils = require('@alicloud/credentials/dist/src/util/utils') as {
    loadIni(file: string): Promise<Record<string, unknown>>;
  };
  let parsed: Record<string, unknown>;
  try {
    parsed = await utils.loadIni(file);
  } catch {
    return undefined;
  }
  return summarizeIni(parsed);
}
