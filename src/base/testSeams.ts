/**
 * The environment variables through which the test suites point the extension at stand-ins for the cloud. They are
 * honoured only when VS Code runs the extension in test mode (`ExtensionMode.Test`), never in a user's window: there,
 * whoever could set the extension host's environment would otherwise send the instance-role or OIDC sign-in to a
 * process of their choosing, or make the create flow read a mount table of their making.
 */
export const TEST_METADATA_VARIABLE = 'PAI_TENSORBOARD_TEST_IMDS';
export const TEST_STS_VARIABLE = 'PAI_TENSORBOARD_TEST_STS';
export const MOUNTS_FILE_VARIABLE = 'PAI_TENSORBOARD_MOUNTS_FILE';

type Env = Readonly<Record<string, string | undefined>>;

/** Each seam is read when it is used: a test sets a variable while the extension runs. */
export interface TestSeams {
  /** `http://127.0.0.1:<port>` standing in for the instance metadata service at 100.100.100.200. */
  metadataOrigin(): string | undefined;
  /** `127.0.0.1:<port>` of an https STS standing in for `sts[-vpc][.<region>].aliyuncs.com`. */
  stsHost(): string | undefined;
  /** A file read instead of `/proc/mounts`. */
  mountsFile(): string | undefined;
}

/** A user's window: no seam at all, whatever the environment says. */
export const noTestSeams: TestSeams = {
  metadataOrigin: () => undefined,
  stsHost: () => undefined,
  mountsFile: () => undefined,
};

export function testSeams(testMode: boolean, env: Env): TestSeams {
  if (!testMode) return noTestSeams;
  const read = (name: string) => (): string | undefined => env[name]?.trim() || undefined;
  return {
    metadataOrigin: read(TEST_METADATA_VARIABLE),
    stsHost: read(TEST_STS_VARIABLE),
    mountsFile: read(MOUNTS_FILE_VARIABLE),
  };
}
