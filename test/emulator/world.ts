import { randomBytes } from 'node:crypto';
import type { BoardRecord, BoardStatus } from './lifecycle';
import type { LoadedSeed, SeedDataset, SeedJob } from './seed';

/** The emulator's in-memory state, built from a seed against the clock at start or reset. */

export interface Caller {
  userId: string;
  username: string;
  accountId: string;
}

export interface KeyRecord {
  accessKeyId: string;
  accessKeySecret: string;
  userId: string;
  /** Present for STS keys, which need `x-acs-security-token`. */
  sts?: { securityToken: string; expiresAt?: number };
}

export interface RoleRecord {
  /** `acs:ram::<accountId>:role/<roleName>`. */
  arn: string;
  roleName: string;
  accountId: string;
  /** 19 digits, the shape of a real RoleId. */
  roleId: string;
  maxSessionDurationSeconds: number;
  actsAsUserId: string;
}

export interface OidcProviderRecord {
  /** `acs:ram::<accountId>:oidc-provider/<providerName>`. */
  arn: string;
  accountId: string;
  issuerUrl: string;
  clientIds: string[];
}

export interface JobRecord extends SeedJob {
  createdAt: number;
  runningAt?: number;
  finishedAt?: number;
  /** When a running job ends by itself (as `endsAs`), on the emulator's clock. */
  endsAt?: number;
}

/** A running job whose end has come has ended: Running → Succeeded, Failed or Stopped, as the clock moves. */
export function settleJob(job: JobRecord, now: number): void {
  if (job.endsAt === undefined || job.endsAt > now || job.finishedAt !== undefined) return;
  job.status = job.endsAs;
  job.finishedAt = job.endsAt;
}

export interface Workspace {
  workspaceId: string;
  workspaceName: string;
  accountId: string;
}

export class World {
  readonly regionId: string;
  readonly users = new Map<string, Caller>();
  readonly keys = new Map<string, KeyRecord>();
  readonly workspaces = new Map<string, Workspace>();
  readonly datasets = new Map<string, SeedDataset>();
  readonly jobs = new Map<string, JobRecord>();
  /** Insertion order = creation order. */
  readonly boards = new Map<string, BoardRecord>();
  /** By ARN. */
  readonly roles = new Map<string, RoleRecord>();
  /** By ARN. */
  readonly oidcProviders = new Map<string, OidcProviderRecord>();
  /** The role served by the instance metadata endpoint. */
  readonly instanceRole: RoleRecord | undefined;
  /** The first user's first AccessKey. */
  readonly demoKey: KeyRecord;
  readonly defaultWorkspaceId: string;

  constructor(seed: LoadedSeed, now: number) {
    this.regionId = seed.regionId;
    for (const account of seed.accounts) {
      for (const user of account.users) {
        this.users.set(user.userId, { userId: user.userId, username: user.username, accountId: account.accountId });
        for (const key of user.accessKeys) this.keys.set(key.accessKeyId, { ...key, userId: user.userId });
        for (const sts of user.stsCredentials) {
          const expiresAt = sts.expiresInMinutes === undefined ? undefined : now + sts.expiresInMinutes * 60_000;
          this.keys.set(sts.accessKeyId, {
            accessKeyId: sts.accessKeyId,
            accessKeySecret: sts.accessKeySecret,
            userId: user.userId,
            sts: { securityToken: sts.securityToken, expiresAt },
          });
        }
      }
    }
    for (const account of seed.accounts) {
      for (const role of account.roles) {
        const arn = `acs:ram::${account.accountId}:role/${role.roleName}`;
        const actsAsUserId = role.actsAsUserId ?? account.users[0].userId;
        this.requireUser(actsAsUserId);
        const roleId = `3${[...arn]
          .reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) % 1e17, 7)
          .toString()
          .padStart(18, '0')}`;
        this.roles.set(arn, {
          arn,
          roleName: role.roleName,
          accountId: account.accountId,
          roleId,
          maxSessionDurationSeconds: role.maxSessionDurationSeconds,
          actsAsUserId,
        });
      }
      for (const provider of account.oidcProviders) {
        const arn = `acs:ram::${account.accountId}:oidc-provider/${provider.providerName}`;
        this.oidcProviders.set(arn, {
          arn,
          accountId: account.accountId,
          issuerUrl: provider.issuerUrl,
          clientIds: provider.clientIds,
        });
      }
    }
    const allRoles = [...this.roles.values()];
    this.instanceRole =
      seed.instanceRoleName === undefined
        ? allRoles[0]
        : allRoles.find((role) => role.roleName === seed.instanceRoleName);
    if (seed.instanceRoleName !== undefined && !this.instanceRole) {
      throw new Error(`emulator seed: instanceRoleName ${seed.instanceRoleName} is not a role of any account`);
    }

    const firstUser = seed.accounts[0].users[0];
    const demoKey = firstUser.accessKeys[0];
    if (!demoKey) throw new Error(`emulator seed: user ${firstUser.userId} needs an AccessKey (it is the demo pair)`);
    this.demoKey = { ...demoKey, userId: firstUser.userId };

    for (const workspace of seed.workspaces) this.workspaces.set(workspace.workspaceId, workspace);
    this.defaultWorkspaceId = seed.workspaces[0].workspaceId;
    for (const dataset of seed.datasets) this.datasets.set(dataset.dataSourceId, dataset);

    const minutesAgo = (minutes: number): number => now - minutes * 60_000;
    for (const job of seed.jobs) {
      const createdAt = minutesAgo(job.createdMinutesAgo);
      this.jobs.set(job.jobId, {
        ...job,
        createdAt,
        runningAt: job.startedAfterMinutes === undefined ? undefined : createdAt + job.startedAfterMinutes * 60_000,
        finishedAt: job.finishedMinutesAgo === undefined ? undefined : minutesAgo(job.finishedMinutesAgo),
        endsAt: job.endsAfterMinutes === undefined ? undefined : now + job.endsAfterMinutes * 60_000,
      });
    }

    for (const board of seed.tensorboards) {
      const owner = this.requireUser(board.userId);
      const createdAt = minutesAgo(board.createdMinutesAgo);
      const finishedAt = board.finishedMinutesAgo === undefined ? undefined : minutesAgo(board.finishedMinutesAgo);
      const status: BoardStatus = board.status;
      const since = finishedAt ?? createdAt;
      const runningSince = status === 'Running' ? createdAt : undefined;
      this.boards.set(board.tensorboardId, {
        tensorboardId: board.tensorboardId,
        displayName: board.displayName,
        userId: owner.userId,
        username: owner.username,
        accountId: owner.accountId,
        workspaceId: board.workspaceId,
        spec: {
          jobId: board.jobId,
          dataSourceId: board.dataSourceId,
          dataSourceType: board.dataSourceType,
          uri: board.uri,
          summaryPath: board.summaryPath,
          summaryRelativePath: board.summaryRelativePath,
          maxRunningTimeMinutes: board.maxRunningTimeMinutes,
          priority: board.priority,
          accessibility: board.accessibility,
        },
        createdAt,
        modifiedAt: since,
        finishedAt,
        status,
        statusSince: since,
        creatingTiming: 'createMs',
        reason: board.reasonCode ? { code: board.reasonCode, message: board.reasonMessage ?? '' } : undefined,
        runningSince,
        runMsBefore: finishedAt === undefined ? 0 : finishedAt - createdAt,
        autoStopAt:
          runningSince === undefined || board.maxRunningTimeMinutes === undefined
            ? undefined
            : runningSince + board.maxRunningTimeMinutes * 60_000,
      });
    }
  }

  requireUser(userId: string): Caller {
    const user = this.users.get(userId);
    if (!user) throw new Error(`emulator seed refers to unknown user ${userId}`);
    return user;
  }

  callerOf(key: KeyRecord): Caller {
    return this.requireUser(key.userId);
  }

  /** Every AccessKey secret and STS token of the seed. */
  secrets(): string[] {
    return [...this.keys.values()].flatMap((key) => [key.accessKeySecret, ...(key.sts ? [key.sts.securityToken] : [])]);
  }

  /** Temporary credentials acting as a user (default: the demo user), as STS AssumeRole would hand out. */
  issueSts(
    now: number,
    ttlMs: number,
    userId = this.demoKey.userId,
  ): Required<Pick<KeyRecord, 'accessKeyId' | 'accessKeySecret'>> & {
    securityToken: string;
    expiresAt: number;
  } {
    const accessKeyId = `STS.${randomBytes(12).toString('hex').toUpperCase()}`;
    const accessKeySecret = randomBytes(20).toString('base64url');
    const securityToken = `CAIS${randomBytes(48).toString('base64url')}`;
    const expiresAt = now + ttlMs;
    this.keys.set(accessKeyId, {
      accessKeyId,
      accessKeySecret,
      userId,
      sts: { securityToken, expiresAt },
    });
    return { accessKeyId, accessKeySecret, securityToken, expiresAt };
  }
}
