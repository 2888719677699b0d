import type { Tensorboard } from '../../src/api';
import { newBoard } from '../../src/boards/boardModel';

/** A board as the client returns it, with every text field the service left out set to '' (the client's rule). */
export function makeBoard(overrides: Partial<Tensorboard> = {}): Tensorboard {
  return {
    ...newBoard('tb4k8lc5xfu36opt', { displayName: 'tb-run1', gmtCreateTime: '2024-05-01T10:00:00Z' }),
    status: 'Running',
    workspaceId: '86923',
    accessibility: 'PRIVATE',
    priority: '1',
    ...overrides,
  };
}
