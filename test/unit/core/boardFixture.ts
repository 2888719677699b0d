import type { Tensorboard } from '../../../src/api';

/** A board as the client returns it, with every text field the service left out set to '' (the client's rule). */
export function makeBoard(overrides: Partial<Tensorboard> = {}): Tensorboard {
  return {
    tensorboardId: 'tb4k8lc5xfu36opt',
    status: 'Running',
    displayName: 'tb-run1',
    url: '',
    jobId: '',
    summaryPath: '',
    summaryRelativePath: '',
    dataSourceId: '',
    dataSourceType: '',
    workspaceId: '86923',
    accessibility: 'PRIVATE',
    priority: '1',
    durationSeconds: 0,
    gmtCreateTime: '2024-05-01T10:00:00Z',
    gmtModifyTime: '2024-05-01T10:00:00Z',
    reasonCode: '',
    reasonMessage: '',
    userId: '',
    username: '',
    quotaId: '',
    quotaName: '',
    tensorboardDataSources: [],
    ...overrides,
  };
}
