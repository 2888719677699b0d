import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The seed describes the world in camelCase; ages are minutes before the emulator's clock at
 * start (or reset), so a seed never goes stale. wire.ts turns records into PascalCase answers.
 */

const accessKeySchema = z.object({ accessKeyId: z.string().min(1), accessKeySecret: z.string().min(1) });

const stsSchema = accessKeySchema.extend({
  securityToken: z.string().min(1),
  /** Absent: never expires. */
  expiresInMinutes: z.number().optional(),
});

const userSchema = z.object({
  userId: z.string().min(1),
  username: z.string().min(1),
  accessKeys: z.array(accessKeySchema).default([]),
  stsCredentials: z.array(stsSchema).default([]),
});

/** A RAM role callers of the same account may assume through STS (`acs:ram::<accountId>:role/<roleName>`). */
const roleSchema = z.object({
  roleName: z.string().min(1),
  /** Upper bound of AssumeRole DurationSeconds (default 3600; the real range is 3600..43200). */
  maxSessionDurationSeconds: z.number().int().min(900).default(3600),
  /** Whose boards the role's sessions see and own (default: the account's first user). */
  actsAsUserId: z.string().min(1).optional(),
});

/**
 * An OIDC identity provider registered in RAM (`acs:ram::<accountId>:oidc-provider/<providerName>`), e.g. an ACK
 * cluster's RRSA issuer; the account's roles trust it for AssumeRoleWithOIDC.
 */
const oidcProviderSchema = z.object({
  providerName: z.string().min(1),
  issuerUrl: z.string().url(),
  /** The audiences STS accepts (`aud`); RRSA tokens carry `sts.aliyuncs.com`. */
  clientIds: z.array(z.string().min(1)).min(1).default(['sts.aliyuncs.com']),
});

const accountSchema = z.object({
  accountId: z.string().min(1),
  users: z.array(userSchema).min(1),
  roles: z.array(roleSchema).default([]),
  oidcProviders: z.array(oidcProviderSchema).default([]),
});

const workspaceSchema = z.object({
  workspaceId: z.string().min(1),
  workspaceName: z.string().min(1),
  accountId: z.string().min(1),
});

const datasetSchema = z.object({
  dataSourceId: z.string().min(1),
  displayName: z.string(),
  dataSourceType: z.enum(['OSS', 'NAS']),
  uri: z.string().min(1),
  mountPath: z.string().min(1),
});

const jobSchema = z.object({
  jobId: z.string().min(1),
  displayName: z.string(),
  jobType: z.string().min(1),
  status: z.string().min(1),
  userId: z.string().min(1),
  workspaceId: z.string().min(1),
  createdMinutesAgo: z.number().nonnegative(),
  /** Minutes from creation to Running; absent for a job that never ran. */
  startedAfterMinutes: z.number().nonnegative().optional(),
  /** Absent for a job that has not finished. */
  finishedMinutesAgo: z.number().nonnegative().optional(),
  /** A running job that ends this many minutes after the seed is loaded, on the emulator's clock. */
  endsAfterMinutes: z.number().nonnegative().optional(),
  /** How such a job ends. */
  endsAs: z.enum(['Succeeded', 'Failed', 'Stopped']).default('Succeeded'),
  reasonCode: z.string().optional(),
  reasonMessage: z.string().optional(),
  dataSources: z.array(z.object({ dataSourceId: z.string().min(1), mountPath: z.string().min(1) })).default([]),
  userCommand: z.string().optional(),
  accessibility: z.enum(['PUBLIC', 'PRIVATE']).default('PRIVATE'),
  priority: z.number().int().default(1),
  resourceType: z.string().default('ECS'),
  /** Sample runs (test/emulator/sampleLogs) the job wrote: its board's TensorBoard shows them. */
  sampleRuns: z.array(z.string().min(1)).default([]),
});

const tensorboardSchema = z.object({
  tensorboardId: z.string().min(1),
  displayName: z.string(),
  status: z.enum(['Creating', 'Running', 'Stopping', 'Stopped', 'Failed']),
  userId: z.string().min(1),
  workspaceId: z.string().min(1),
  createdMinutesAgo: z.number().nonnegative(),
  /** For Stopped/Failed boards: when they finished. */
  finishedMinutesAgo: z.number().nonnegative().optional(),
  jobId: z.string().optional(),
  dataSourceId: z.string().optional(),
  dataSourceType: z.string().optional(),
  uri: z.string().optional(),
  summaryPath: z.string().optional(),
  summaryRelativePath: z.string().optional(),
  maxRunningTimeMinutes: z.number().int().positive().optional(),
  accessibility: z.enum(['PUBLIC', 'PRIVATE']).default('PRIVATE'),
  priority: z.string().default('1'),
  reasonCode: z.string().optional(),
  reasonMessage: z.string().optional(),
});

/** A folder of the emulator's OSS/NAS storage that holds sample runs. */
const storageSchema = z.object({
  uri: z.string().regex(/^(oss|nas):\/\//),
  sampleRuns: z.array(z.string().min(1)).min(1),
});

export const seedSchema = z.object({
  regionId: z.string().min(1),
  /** The RAM role of the emulated ECS/DSW instance, served by the metadata endpoint (default: the first role). */
  instanceRoleName: z.string().min(1).optional(),
  accounts: z.array(accountSchema).min(1),
  workspaces: z.array(workspaceSchema).min(1),
  datasets: z.array(datasetSchema).default([]),
  jobs: z.array(jobSchema).default([]),
  tensorboards: z.array(tensorboardSchema).default([]),
  storage: z.array(storageSchema).default([]),
});

/** What a seed file or object may hold (defaults filled in on load). */
export type Seed = z.input<typeof seedSchema>;
export type LoadedSeed = z.output<typeof seedSchema>;
export type SeedUser = z.output<typeof userSchema>;
export type SeedJob = z.output<typeof jobSchema>;
export type SeedTensorboard = z.output<typeof tensorboardSchema>;
export type SeedDataset = z.output<typeof datasetSchema>;

/**
 * tsc does not copy JSON into out/, so the compiled emulator (out/test/emulator) looks for the
 * source file three levels up as well as next to itself.
 */
export function defaultSeedPath(): string {
  const candidates = [path.join(__dirname, 'seed.json'), path.resolve(__dirname, '../../../test/emulator/seed.json')];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`emulator seed not found; looked at ${candidates.join(', ')}`);
  return found;
}

export function loadSeed(seed: Seed | string = defaultSeedPath()): LoadedSeed {
  const raw: unknown = typeof seed === 'string' ? JSON.parse(readFileSync(seed, 'utf8')) : seed;
  const parsed = seedSchema.safeParse(raw);
  if (!parsed.success) {
    const where = typeof seed === 'string' ? seed : 'seed object';
    throw new Error(`invalid emulator seed (${where}): ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
