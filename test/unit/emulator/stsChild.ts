import Credential, { Config } from '@alicloud/credentials';
import { EmulatorControl } from '../../emulator';
import { expirationOfIssued, runCredentialFlow } from './credentialsFlow';

/**
 * Run by credentials.test.ts in a child process started with NODE_EXTRA_CA_CERTS=<the emulator's certificate>,
 * because @alicloud/credentials reaches STS only over https and Node reads extra CAs only at start.
 * Input: JSON in EMULATOR_STS_FLOW. Output: one JSON line on stdout.
 */

interface Input {
  endpoint: string;
  stsEndpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  roleArn: string;
  durationSeconds: number;
}

async function errorOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return '';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function main(): Promise<void> {
  const input = JSON.parse(process.env.EMULATOR_STS_FLOW ?? '') as Input;
  const control = new EmulatorControl(input.endpoint);
  const config = {
    type: 'ram_role_arn',
    accessKeyId: input.accessKeyId,
    accessKeySecret: input.accessKeySecret,
    roleArn: input.roleArn,
    roleSessionName: 'emulator-test',
    roleSessionExpiration: input.durationSeconds,
    stsEndpoint: input.stsEndpoint,
  };
  const wrongSecret = await errorOf(
    new Credential(new Config({ ...config, accessKeySecret: 'wrong' })).getCredential(),
  );
  const unknownRole = await errorOf(
    new Credential(
      new Config({ ...config, roleArn: input.roleArn.replace(/role\/.*/, 'role/nobody') }),
    ).getCredential(),
  );
  const tooLong = await errorOf(new Credential(new Config({ ...config, roleSessionExpiration: 7200 })).getCredential());
  const flow = await runCredentialFlow(
    input.endpoint,
    new Credential(new Config(config)),
    async (ms) => {
      await control.setClock(ms);
    },
    (accessKeyId) => expirationOfIssued(control, accessKeyId),
  );
  process.stdout.write(`${JSON.stringify({ wrongSecret, unknownRole, tooLong, flow })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
