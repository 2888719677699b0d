import type Credential from '@alicloud/credentials';
import type { IssuedCredentials } from '../../emulator';
import { popClientWithProvider, type PopCredentialsProvider, type RoaClient } from './helpers';

/**
 * The flow every credentials test runs, shared by the in-process tests and the child process that
 * trusts the emulator's https certificate: credentials from the library's provider, a DLC call signed
 * with them, the emulator clock moved to their expiry, the old token refused, the library's refresh.
 */

export interface FlowResult {
  first: { accessKeyId: string; expiration: string };
  firstCallOk: boolean;
  /** Code the DLC gateway gave the first credentials at their expiry. */
  expiredCode: string;
  second: { accessKeyId: string };
  secondCallOk: boolean;
}

/** The library's Credential, as pop-core's credentialsProvider. */
export function popProviderOf(
  credential: Credential,
): PopCredentialsProvider & { last?: { accessKeyId: string; accessKeySecret: string; securityToken?: string } } {
  const provider: PopCredentialsProvider & {
    last?: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
  } = {
    async getCredentials() {
      const model = await credential.getCredential();
      provider.last = {
        accessKeyId: model.accessKeyId ?? '',
        accessKeySecret: model.accessKeySecret ?? '',
        securityToken: model.securityToken,
      };
      return provider.last;
    },
  };
  return provider;
}

async function listOk(client: RoaClient): Promise<boolean> {
  const answer = (await client.request('GET', '/api/v1/tensorboards', { PageSize: 1 })) as Record<string, unknown>;
  return typeof answer.TotalCount === 'number';
}

/** Expiration in the strict shape the library accepts, as epoch ms. */
export function expirationMs(expiration: string): number {
  return Date.parse(expiration);
}

/** The Expiration the emulator gave an AccessKey, from its record of issued credentials. */
export async function expirationOfIssued(
  control: { issuedCredentials(): IssuedCredentials[] | Promise<IssuedCredentials[]> },
  accessKeyId: string,
): Promise<string> {
  const issued = (await control.issuedCredentials()).find((candidate) => candidate.accessKeyId === accessKeyId);
  if (!issued) throw new Error(`the emulator issued no ${accessKeyId}`);
  return new Date(issued.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function runCredentialFlow(
  dlcEndpoint: string,
  credential: Credential,
  /** Moves the emulator clock to the given epoch ms. */
  setClock: (ms: number) => Promise<void>,
  expirationOf: (accessKeyId: string) => Promise<string>,
): Promise<FlowResult> {
  const provider = popProviderOf(credential);
  const viaLibrary = popClientWithProvider(dlcEndpoint, provider);
  const firstCallOk = await listOk(viaLibrary);
  const first = provider.last!;
  const expiration = await expirationOf(first.accessKeyId);

  await setClock(expirationMs(expiration));
  const stale = popClientWithProvider(dlcEndpoint, { getCredentials: async () => first });
  let expiredCode = '';
  try {
    await listOk(stale);
  } catch (error) {
    expiredCode = String((error as { code?: unknown }).code);
  }

  const secondCallOk = await listOk(viaLibrary);
  return {
    first: { accessKeyId: first.accessKeyId, expiration },
    firstCallOk,
    expiredCode,
    second: { accessKeyId: provider.last!.accessKeyId },
    secondCallOk,
  };
}
