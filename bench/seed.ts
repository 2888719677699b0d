import { loadSeed, type Seed } from '../test/emulator';

/**
 * The emulator's own seed with its boards replaced by `count` boards of the demo user in the first workspace, newest
 * first `board-<variant>-0000`, one every 100 minutes (1,000 boards reach 69 days back, inside the sidebar's 90-day
 * window). Running, Stopped and Failed only: nothing pending, so nothing is polled. Each `variant` has other IDs and
 * names, so that a refresh shows new rows.
 */
export function manyBoardsSeed(count: number, variant: number): Seed {
  const base = loadSeed();
  const user = base.accounts[0]!.users[0]!;
  const workspaceId = base.workspaces[0]!.workspaceId;
  const jobs = base.jobs.filter((job) => job.workspaceId === workspaceId);
  const tensorboards = Array.from({ length: count }, (_, n) => {
    const createdMinutesAgo = 10 + n * 100;
    const status = n % 10 === 0 ? ('Running' as const) : n % 7 === 0 ? ('Failed' as const) : ('Stopped' as const);
    return {
      tensorboardId: `tbbench${variant}${String(n).padStart(8, '0')}`,
      displayName: `board-${variant}-${String(n).padStart(4, '0')}`,
      status,
      userId: user.userId,
      workspaceId,
      createdMinutesAgo,
      ...(status === 'Running' ? {} : { finishedMinutesAgo: createdMinutesAgo - 60 }),
      ...(jobs.length ? { jobId: jobs[n % jobs.length]!.jobId } : {}),
      ...(status === 'Failed' ? { reasonCode: 'JobNotFound', reasonMessage: 'The job does not exist.' } : {}),
    };
  });
  return { ...base, tensorboards };
}

/** The label of the newest board of a variant: the tree's first row. */
export function newestBoardName(variant: number): string {
  return `board-${variant}-0000`;
}
